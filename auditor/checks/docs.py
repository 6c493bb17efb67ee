"""Rule documentation for ``auditor rules``, generated from the rules themselves."""

from __future__ import annotations

import inspect

import yaml

from auditor.checks.registry import FAMILIES, all_rules, get_rule


def rule_table() -> str:
    lines = []
    for code, rule in all_rules().items():
        lines.append(f"{code}  {rule.name:<32} {rule.severity.value:<8} {rule.summary}")
    return "\n".join(lines) + "\n"


def rule_doc(code: str) -> str | None:
    rule = get_rule(code)
    if rule is None:
        return None
    doc = inspect.cleandoc(rule.__doc__ or "")
    lines = [
        f"{rule.code} {rule.name}（{FAMILIES.get(rule.family(), rule.family())}，默认级别：{rule.severity.chinese}）",
        "",
        doc,
        "",
        f"理由：{rule.rationale}",
        f"消息模板：{rule.message}",
        "",
        "## 示例",
    ]
    for example in rule.examples:
        label = "反例（应报告）" if example.kind == "bad" else "正例（不应报告）"
        lines.append(f"### {label}" + (f"：{example.note}" if example.note else ""))
        lines.append(yaml.safe_dump(example.record, allow_unicode=True, sort_keys=False, width=100).rstrip())
        lines.append("")
    return "\n".join(lines) + "\n"
