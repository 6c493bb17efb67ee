"""One registry of rules keyed by code; rule modules register themselves on import."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from auditor.checks.base import Rule

_RULES: dict[str, type[Rule]] = {}

#: Rule families, in catalogue order, with their Chinese names.
FAMILIES = {
    "CP": "复制粘贴", "VG": "空泛套话", "MS": "不可衡量",
    "NM": "数字不符", "ST": "结构完整性", "LG": "语言文字",
}  # fmt: skip


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry (duplicate codes are an error)."""
    if rule.code in _RULES and _RULES[rule.code] is not rule:
        raise ValueError(f"duplicate rule code {rule.code}")
    _RULES[rule.code] = rule
    return rule


@cache
def _load_all() -> None:
    import auditor.checks as package

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)


def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule, sorted by code."""
    _load_all()
    return dict(sorted(_RULES.items()))


def get_rule(code: str) -> type[Rule] | None:
    return all_rules().get(code.upper())
