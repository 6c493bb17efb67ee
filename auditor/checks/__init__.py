"""The rule engine: rules, their registry and the code that runs them.

Adding a rule touches one module under ``checks/<family>/`` (its class, registered with
``@register``) and one fixture under ``tests/fixtures/rules/<CODE>.yml``; nothing else.
"""
