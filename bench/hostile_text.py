"""Pathological cell texts: does any pattern or loop go quadratic on a long cell?

A regular expression such as ``\\d+(个)?(工作日|日)内`` searched over a run of 10,000 digits
backtracks from every start position (O(n²)), and so does a pairwise overlap test over thousands of
quantities. This benchmark puts 10,000-character cells of the worst shapes found so far into the
target and completion of every indicator of the seed table and times a full lint of each, against a
cell of ordinary prose of the same length.

    python bench/hostile_text.py

Target: every shape within 3× the prose case (the cell limit is 20,000 characters).
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.config import Config  # noqa: E402
from auditor.run import run  # noqa: E402

SEED = ROOT / "corpus" / "000_9d9dc482990db41b.txt"
LENGTH = 10_000


def shapes() -> dict[str, str]:
    rng = random.Random(0)
    prose = "本项目按计划完成年度建设任务，群众满意度达到预期。"
    return {
        "prose": (prose * (LENGTH // len(prose) + 1))[:LENGTH],
        "digits": "1" * LENGTH,
        "digits-dot": "1." * (LENGTH // 2),
        "percent-run": "1%" * (LENGTH // 2),
        "comma-run": "1," * (LENGTH // 2),
        "quantity-run": "12个" * (LENGTH // 3),
        "chinese-numerals": "一" * LENGTH,
        "chinese-quantity-run": "三十人" * (LENGTH // 3),
        "comparators": "≥" * LENGTH,
        "dates": "2020年" * (LENGTH // 5),
        "random-measure-chars": "".join(rng.choice("0123456789一二十百千万.%个年月日≥内以") for _ in range(LENGTH)),
    }


def table_with(text: str, folder: Path) -> Path:
    """The seed table with ``text`` in every target and completion cell of its first project."""
    rows = list(csv.reader(io.StringIO(SEED.read_text(encoding="utf-8")), delimiter="\t"))
    row = next(row for row in rows if row and row[0].strip() == "1")
    for column in range(len(row)):
        if column >= 9 and row[column].strip():  # past 序号 … 绩效目标整体完成情况: the indicator cells
            row[column] = text
    path = folder / "hostile.txt"
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def main() -> None:
    run(Config(), [SEED])  # warm caches: NLP pipeline, rule packs, models
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, text in shapes().items():
            path = table_with(text, Path(folder))
            start = time.perf_counter()
            result = run(Config(), [path])
            timings[name] = time.perf_counter() - start
            assert not result.report.errors, result.report.errors
            print(f"{name:<22} {timings[name]:6.2f} s  ({len(result.report.findings)} findings)")
    base = timings["prose"]
    worst = max((value, name) for name, value in timings.items())
    print(f"worst: {worst[1]} {worst[0]:.2f} s = {worst[0] / base:.2f}x prose {base:.2f} s (target <= 3x)")


if __name__ == "__main__":
    main()
