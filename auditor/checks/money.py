"""Texts that speak only of money: a goal that is a budget breakdown, a completion that is spending.

A goal of "申请预算资金2026400元，其中村级组织运转400000元，…" or a completion of "财政拨款150万元，执行数
125.25万元，完成预算的83.50%" names amounts, not what the money was to achieve. The words and units are
in ``rules/completion.yaml`` (``budget_words``, ``money_units``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from auditor.resources import load_pack, pack_cache
from auditor.text.normalize import normalize

if TYPE_CHECKING:
    from auditor.text.nlp import TextFacts

_CLAUSES = re.compile(r"[，,。；;：:\s]+")


@pack_cache
def _words() -> tuple[tuple[str, ...], frozenset[str]]:
    pack = load_pack("completion")
    return tuple(pack.get("budget_words", ())), frozenset(pack.get("money_units", ()))


def speaks_only_of_money(text: str, facts: TextFacts) -> bool:
    """Every figure is an amount or a percentage, and the text is about the money.

    Either every clause names the money (拨款, 预算, 执行数 …), or it opens on the money and lists two
    or more amounts (a breakdown: 其中…元，…元).
    """
    budget_words, units = _words()
    if not facts.quantities or any(q.unit not in units for q in facts.quantities):
        return False
    clauses = [c for c in _CLAUSES.split(normalize(text)) if c]
    if not clauses:
        return False
    if all(any(word in clause for word in budget_words) for clause in clauses):
        return True
    amounts = [q for q in facts.quantities if q.unit != "%"]
    return len(amounts) >= 2 and any(word in clauses[0] for word in budget_words)
