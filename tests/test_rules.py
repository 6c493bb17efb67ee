"""Meta-tests over the rule registry, plus every rule's documented examples and fixture cases."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml

from auditor.checks.registry import FAMILIES, all_rules
from tests.rule_harness import matches, run_rule, submission_of

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CATALOG = yaml.safe_load((Path(__file__).parent / "data" / "rule-catalog.yaml").read_text(encoding="utf-8"))
RULES = all_rules()
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_registry_is_not_empty_and_codes_are_unique() -> None:
    assert len(RULES) >= 7
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("code", RULES)
def test_rule_identity_matches_catalog(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"[A-Z]{2}\d{3}", rule.code) and rule.code == code
    assert rule.family() in FAMILIES
    assert code in CATALOG, f"{code} is not in the rule catalog"
    assert [rule.name, rule.severity.value] == CATALOG[code]


@pytest.mark.parametrize("code", RULES)
def test_rule_documentation(code: str) -> None:
    rule = RULES[code]
    doc = inspect.cleandoc(rule.__doc__ or "")
    assert HAN.search(doc.splitlines()[0]), "first docstring line: a Chinese one-line description"
    assert "## 问题" in doc and "## 为什么" in doc
    for text in (rule.summary, rule.message, rule.rationale):
        assert text and HAN.search(text)
    kinds = [example.kind for example in rule.examples]
    assert "bad" in kinds and "good" in kinds


@pytest.mark.parametrize(
    ("code", "number"),
    [(code, i) for code, rule in RULES.items() for i in range(len(rule.examples))],
)
def test_documented_example(code: str, number: int) -> None:
    rule = RULES[code]
    example = rule.examples[number]
    findings = run_rule(rule, submission_of({"record": example.record}), {"record": example.record})
    if example.kind == "good":
        assert findings == [], [f.message for f in findings]
        return
    expect = {k: v for k, v in (("field", example.field), ("indicator", example.indicator)) if v is not None}
    assert any(matches(f, expect) for f in findings), [(f.field, f.indicator) for f in findings]
    for finding in findings:
        assert HAN.search(finding.message)


@pytest.mark.parametrize("code", RULES)
def test_rule_has_fixture_with_pass_and_fail_cases(code: str) -> None:
    path = FIXTURES / f"{code}.yml"
    assert path.exists(), f"missing fixture {path.name}"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    assert any(name.startswith("fail_") for name in cases)
    assert any(name.startswith("pass_") for name in cases)


def _fixture_cases() -> list[tuple[str, str]]:
    out = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(data["rule"], name) for name in data["cases"]]
    return out


@pytest.mark.parametrize(("code", "case_name"), _fixture_cases())
def test_fixture_case(code: str, case_name: str) -> None:
    data = yaml.safe_load((FIXTURES / f"{code}.yml").read_text(encoding="utf-8"))
    case = data["cases"][case_name]
    findings = run_rule(RULES[code], submission_of(case), case)
    expected = case["expect"]
    assert len(findings) == len(expected), [(f.field, f.indicator, f.message) for f in findings]
    for expect in expected:
        assert any(matches(f, expect) for f in findings), expect
