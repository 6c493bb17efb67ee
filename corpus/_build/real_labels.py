"""Write corpus/labels/real_indicators.tsv: the (text, category) pairs the real tables give for free.

Every indicator the auditor's readers find in ``corpus/real/NAME.tsv`` has a 二级指标 (its category)
and a 三级指标 name and target. Each name and each target becomes one labelled row for the category
model, marked with the table it came from (``source``) and the field (``name`` / ``target``). Only the
``.tsv`` copies are read: the ``.xlsx`` are the same tables, and reading both would count every text
twice.

The table's placement is the label, except where the reviewers' gold (``tests/data/real-gold/``) says
the placement is wrong — the labels guide labels where a text *should* go, not where a table put it.
Those (table, category) pairs are listed in ``MISPLACED`` below, each with the gold's comment, and
checked against the gold on every run. Left out as well (counted in the summary):

- texts with no Chinese character (``100%``, ``95``, ``0``): a bare figure says nothing of a category;
- texts equal, after the checker's normalisation, to a text of ``indicators.tsv`` (already labelled);
- texts that two tables place under different categories (contradicting labels); repeats under the same
  category are kept once (the first, in file order).

    .venv/bin/python corpus/_build/real_labels.py            # (re)write the file
    .venv/bin/python corpus/_build/real_labels.py --check    # exit 1 if the file is missing or stale
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "corpus" / "labels"))

from check_labels import REAL_HEADER, normalise  # noqa: E402

from auditor.model import CATEGORIES  # noqa: E402
from auditor.readers import read_submission  # noqa: E402

REAL = ROOT / "corpus" / "real"
GOLD = ROOT / "tests" / "data" / "real-gold"
LABELS = ROOT / "corpus" / "labels"
OUT = LABELS / "real_indicators.tsv"

#: (table, category) whose indicators a reviewer marks as misplaced (an ST at ``<category>.target``
#: whose gold comment says the content belongs elsewhere). Their texts are not labelled.
MISPLACED = {
    ("r02_ezhou_shenpi_shiminzhongxin_2021", "数量指标"): "预算执行率/拨款率: budget measures, not outputs",
    ("r02_ezhou_shenpi_shiminzhongxin_2021", "经济效益指标"): "大厅运行正常率 is not an economic benefit",
    ("r11_chengan_minzheng_gaolingjintie_2020", "社会效益指标"): "补贴发放率 is an output, not a social effect",
    ("r13_hengshan_chubeiliang_2020", "生态效益指标"): "食品安全指标达标率 is not an ecological benefit",
    ("r13_hengshan_chubeiliang_2020", "满意度指标"): "粮食安全事件发生数 is not a satisfaction indicator",
    ("r13_hengshan_chubeiliang_2020", "时效指标"): "应急保障率 is not timeliness",
    ("r13_hengshan_chubeiliang_2020", "成本指标"): "compliance/accounting rates, not costs",
    ("r13_hengshan_chubeiliang_2020", "经济效益指标"): "利息费用保障率: funding guarantee, not a benefit",
    ("r13_hengshan_chubeiliang_2020", "可持续影响指标"): "equipment maintenance is an output, not an impact",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPACE = re.compile(r"\s+")


def _check_misplaced() -> None:
    """Every listed pair is an ST the gold gives at that category's target (the list follows the gold)."""
    for table, category in MISPLACED:
        gold = yaml.safe_load((GOLD / f"{table}.yaml").read_text(encoding="utf-8"))
        places = {
            tuple(entry)
            for project in gold["projects"].values()
            for kind in ("must", "maybe")
            for entry in project.get(kind) or ()
        }  # fmt: skip
        if (f"{category}.target", "ST") not in places:
            raise SystemExit(f"{table}: the gold has no [{category}.target, ST]; update MISPLACED")


def _hand_written() -> set[str]:
    lines = (LABELS / "indicators.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {normalise(line.split("\t")[-1]) for line in lines if line}


def candidates() -> list[tuple[str, str, str, str]]:
    """(source, field, category, text) for every name and target the readers find, in file order."""
    rows = []
    for path in sorted(REAL.glob("*.tsv")):
        submission = read_submission(path)
        for project in submission.projects:
            for indicator in project.indicators:
                if indicator.category not in CATEGORIES:
                    continue
                name = indicator.name.text if indicator.name is not None else ""
                for field, text in (("name", name), ("target", indicator.target.text)):
                    text = _SPACE.sub(" ", text).strip()
                    if text:
                        rows.append((path.stem, field, indicator.category, text))
    return rows


def build() -> tuple[str, Counter]:
    _check_misplaced()
    known = _hand_written()
    dropped: Counter = Counter()
    found = candidates()
    categories_of: dict[str, set[str]] = {}
    for source, _, category, text in found:
        if (source, category) not in MISPLACED:
            categories_of.setdefault(normalise(text), set()).add(category)
    kept, seen = [], set()
    for source, field, category, text in found:
        norm = normalise(text)
        if (source, category) in MISPLACED:
            dropped["misplaced (gold)"] += 1
        elif not _CJK.search(text):
            dropped["no Chinese character"] += 1
        elif len(text) > 120:
            dropped["longer than 120 characters"] += 1
        elif norm in known:
            dropped["already in indicators.tsv"] += 1
        elif len(categories_of[norm]) > 1:
            dropped["contradicting categories"] += 1
        elif norm in seen:
            dropped["repeat"] += 1
        else:
            seen.add(norm)
            kept.append((source, field, category, text))
    lines = ["\t".join(REAL_HEADER)]
    lines += [f"real-{k:03d}\t{s}\t{f}\t{c}\t{t}" for k, (s, f, c, t) in enumerate(kept, 1)]
    dropped["kept"] = len(kept)
    dropped["read"] = len(found)
    return "\n".join(lines) + "\n", dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is missing or stale")
    args = parser.parse_args(argv)
    text, counts = build()
    print(", ".join(f"{k}: {v}" for k, v in counts.items()), file=sys.stderr)
    if args.check:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run corpus/_build/real_labels.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
