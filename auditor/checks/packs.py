"""Rules written as YAML packs in ``rules/`` (Vale-style), on rule kinds implemented once here.

A pack with ``code`` and ``kind`` becomes a registered rule. Kinds:

- ``existence``: report every phrase of the pack's lexicon (``phrases``) found in the cells of
  ``scope``; options ``exempt_when_measured`` (skip cells that state a figure or deadline) and
  ``skip_copied_completions`` (a copied completion is reported once, at its target).

A pack needing behaviour no kind offers should become a Python rule instead.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from auditor.checks.base import Context, Example, Rule
from auditor.checks.options import is_not_applicable
from auditor.checks.places import text_places
from auditor.checks.registry import register
from auditor.model import Finding, Severity
from auditor.resources import data_dir, load_pack


class ExistenceRule(Rule):
    """Base of YAML ``existence`` rules; the pack supplies identity, lexicon and options."""

    pack: dict[str, Any]

    def check(self, ctx: Context) -> Iterator[Finding]:
        pack = self.pack
        labels = list(pack.get("phrases") or {})
        exempt_measured = bool(pack.get("exempt_when_measured", False))
        skip_copies = bool(pack.get("skip_copied_completions", False))
        for place in text_places(ctx.submission, tuple(pack.get("scope", ["target", "completion"]))):
            # Every test here only skips the cell, so the one that skips most cells goes first: most
            # cells have no phrase of any lexicon (analysed once per text, and every text is).
            facts = ctx.facts(place.cell)
            if not facts.phrases or (exempt_measured and facts.has_measure):
                continue
            if is_not_applicable(place.cell.text):
                continue
            if skip_copies and place.field == "completion" and place.indicator and ctx.copied(place.indicator):
                continue
            marks = [mark for label in labels for mark in facts.phrases_of(label)]
            if not marks:
                continue
            # One finding per cell, pointing at the first phrase and naming all of them.
            marks.sort(key=lambda m: m.start)
            names = "、".join(dict.fromkeys(mark.text for mark in marks))
            first = marks[0]
            span = (first.start, first.end) if len(facts.text) == len(place.cell.text) else None
            yield ctx.finding(
                self, place.project, place.field, place.cell, indicator=place.indicator,
                match=names, span=span, suggestion=pack.get("suggestion"),
            )  # fmt: skip


KINDS: dict[str, type[Rule]] = {"existence": ExistenceRule}


def _make_rule(pack: dict[str, Any], source: str) -> type[Rule]:
    base = KINDS[pack["kind"]]
    examples = tuple(
        Example(e["kind"], e["record"], e.get("field"), e.get("indicator"), e.get("note", ""))
        for e in pack.get("examples", [])
    )
    doc = (
        f"{pack['summary']}\n\n## 问题\n{pack['summary']}（规则包 rules/{source}.yaml）\n\n"
        f"## 为什么\n{pack['rationale']}\n"
    )
    attrs = {
        "__doc__": doc,
        "__module__": __name__,
        "pack": pack,
        "code": pack["code"],
        "name": pack["name"],
        "severity": Severity(pack.get("level", "warning")),
        "summary": pack["summary"],
        "message": pack["message"],
        "rationale": inspect.cleandoc(pack["rationale"]),
        "examples": examples,
    }
    class_name = "".join(part.title() for part in pack["name"].split("-"))
    return type(class_name, (base,), attrs)


def _register_packs() -> None:
    for path in sorted(data_dir("rules").glob("*.yaml")):
        pack = load_pack(path.stem)
        if "code" in pack and pack.get("kind") in KINDS:
            register(_make_rule(pack, path.stem))


_register_packs()
