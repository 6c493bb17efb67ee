"""Rule documentation for ``auditor rules``, generated from the rules themselves."""

from __future__ import annotations

import inspect
import re
import textwrap
from typing import Any

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


# ---------------------------------------------------------------- ``auditor rules`` in a terminal

#: Options of ``[tool.auditor.options]`` that change what a rule flags (for ``auditor rules CODE``).
RULE_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "CP002": (("near-copy-ratio", "完成值与年度指标值的相似度达到多少（%）算近似照抄"),),
    "CP003": (("goal-ratio", "指标与年初绩效目标的相似度达到多少算照搬"),),
    "CP004": (("clone-min-projects", "同一文字至少出现在多少个项目才报告"),
              ("clone-min-length", "参与比较的文字最短长度"), ("clone-allow", "允许重复的文字")),
    "CP005": (("cross-min-ratio", "与其他部门或往年文字的最低相似度"),
              ("corpus-boilerplate-departments", "多少个部门都用的文字视为通用表述，不报告")),
    "VG001": (("allow-phrases", "不视为套话的词"), ("extra-lexicons", "追加的套话词表文件")),
    "VG002": (("short-completion-length", "多短的完成值（无数值时）算过于笼统"),),
    "MS001": (("model-measurability", "由质量模型否决“可衡量”的目标（true/false）"),
              ("model-measurability-threshold", "模型否决所需的概率")),
    "MS005": (("model-measurability", "由质量模型否决“可衡量”的目标（true/false）"),
              ("model-measurability-threshold", "模型否决所需的概率")),
    "NM001": (("rate-tolerance", "执行率允许的误差（百分点）"),),
    "NM002": (("sum-tolerance", "合计与分项之和允许的误差"),),
    "NM004": (("low-execution-threshold", "执行率低于多少（%）须说明原因"),),
    "ST001": (("required-categories", "必须填写的指标类别"),),
    "ST005": (("model-category", "由模型判断内容与类别是否相符（true/false）"),
              ("model-category-threshold", "模型判断所需的概率")),
}  # fmt: skip
_RECORD_NAMES = {
    "goal": "年初绩效目标", "goal_completion": "目标完成情况", "problems": "存在的问题", "name": "项目名称",
    "rectification": "整改措施", "total_score": "自评总分", "budget": "资金", "rate": "执行率",
    "target": "年度指标值", "completion": "实际完成值", "weight": "分值", "score": "得分", "reason": "偏差原因",
    "nature": "指标性质", "unit": "度量单位", "category": "指标类别", "annual": "全年预算数",
    "initial": "年初预算数", "executed": "全年执行数", "total": "年度资金总额", "fiscal": "财政拨款",
    "carryover": "上年结转", "other": "其他资金", "bond": "债券资金", "arrived": "到位数", "grade": "评价等级",
    "management": "管理指标", "department": "主管部门", "unit_name": "实施单位", "year": "年度",
}  # fmt: skip
_SKIPPED_KEYS = {"layout", "kind", "title", "money_unit"}


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "；".join(f"{_RECORD_NAMES.get(str(k), str(k))}：{_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(_value(v) for v in value)
    return "" if value is None else str(value)


def example_rows(record: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A rule example as rows of (where, 年度指标值 or content, 实际完成值)."""
    rows: list[tuple[str, str, str]] = []
    for key, value in record.items():
        if key in _SKIPPED_KEYS:
            continue
        if key == "indicators" and isinstance(value, dict):
            for category, pair in value.items():
                pair = list(pair) if isinstance(pair, (list, tuple)) else [pair]
                rows.append((str(category), _value(pair[0] if pair else ""), _value(pair[1] if len(pair) > 1 else "")))
        elif key == "indicators" and isinstance(value, list):
            for item in value:
                if not isinstance(item, dict):
                    continue
                where = str(item.get("category", ""))
                if item.get("name"):
                    where += f"·{item['name']}"
                extra = {k: v for k, v in item.items() if k not in ("category", "name", "target", "completion")}
                completion = _value(item.get("completion", ""))
                if extra:
                    completion += f"（{_value(extra)}）"
                rows.append((where, _value(item.get("target", "")), completion))
        else:
            rows.append((_RECORD_NAMES.get(key, key), _value(value), ""))
    return rows


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table(rows: list[tuple[str, str, str]]) -> list[str]:
    header = ("位置", "年度指标值 / 内容", "实际完成值")
    rows = [(a, b[:40] + ("…" if len(b) > 40 else ""), c[:40] + ("…" if len(c) > 40 else "")) for a, b, c in rows]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(3)]
    out = []
    for row in [header, *rows]:
        out.append("    " + "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    return out


def _sections(doc: str) -> dict[str, str]:
    """The docstring's first paragraph and its ``## 问题`` / ``## 为什么`` sections, as plain text."""
    parts = re.split(r"^##\s*", doc, flags=re.MULTILINE)
    out = {"": parts[0].strip()}
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        out[title.strip()] = " ".join(line.strip() for line in body.strip().splitlines())
    return out


def rule_text(code: str) -> str | None:
    """``auditor rules CODE`` for a person: what it flags, why, a bad and a good example, options."""
    rule = get_rule(code)
    if rule is None:
        return None
    sections = _sections(inspect.cleandoc(rule.__doc__ or ""))
    lines = [
        f"{rule.code}  {rule.summary}",
        f"规则族：{rule.family()} {FAMILIES.get(rule.family(), '')}    默认级别：{rule.severity.chinese}",
        "",
        "检查什么",
        *textwrap.wrap(sections.get("问题") or sections[""], 60, initial_indent="    ", subsequent_indent="    "),
        "",
        "为什么",
        *textwrap.wrap(sections.get("为什么") or rule.rationale, 60, initial_indent="    ",
                       subsequent_indent="    "),
    ]  # fmt: skip
    for kind, label in (("bad", "会报告的写法"), ("good", "不会报告的写法")):
        example = next((e for e in rule.examples if e.kind == kind), None)
        if example is None:
            continue
        rows = example_rows(example.record)
        if not rows:
            continue
        lines += ["", label + (f"（{example.note}）" if example.note else ""), *_table(rows)]
    options = RULE_OPTIONS.get(rule.code)
    lines += ["", "可调整的选项（[tool.auditor.options]）"]
    if options:
        lines += [f"    {name}：{meaning}" for name, meaning in options]
    else:
        lines.append("    无；可在 [tool.auditor.severity] 中调整级别，或用 ignore 关闭")
    lines += ["", f"完整说明：docs/rules/{rule.code}.md"]
    return "\n".join(lines) + "\n"


def family_of(token: str) -> str | None:
    """A family code for ``NM`` or its Chinese name (``数字``, ``数字不符``), else ``None``."""
    token = token.strip()
    if token.upper() in FAMILIES:
        return token.upper()
    for code, name in FAMILIES.items():
        if token and (token in name or name in token):
            return code
    return None


def chinese_table(family: str | None = None) -> str:
    """``auditor rules`` (and ``auditor rules NM``): code, Chinese severity and summary, by family."""
    lines = []
    current = None
    for code, rule in all_rules().items():
        if family is not None and rule.family() != family:
            continue
        if rule.family() != current:
            current = rule.family()
            if lines:
                lines.append("")
            lines.append(f"{current} {FAMILIES.get(current, '')}")
        lines.append(f"  {code}  {rule.severity.chinese}  {rule.summary}")
    lines += ["", "auditor rules 代码 查看一条规则的说明与示例；auditor rules 族（如 NM 或 数字）只列该族。"]
    return "\n".join(lines) + "\n"
