"""PDF reading speed: seconds per page over every PDF in tests/data/pdf (issue 16 target: ≤ 0.5 s).

Each file is read (``load_grids``: pdfplumber's layout, tables, cells, joined pages) ``--rounds``
times; the best round per file is kept (the machine's noise is not the reader's cost). Prints one
line per file and the total seconds per page, and the same for reading into a submission (the
layout parsers on top). The scanned and encrypted fixtures are refused, so they are left out.

Run: python bench/pdf_speed.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.readers import load_grids, read_submission  # noqa: E402

FOLDER = ROOT / "tests" / "data" / "pdf"
TARGET = 0.5


def pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as document:
        return len(document.pages)


def best(action, path: Path, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action(path)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    files = [p for p in sorted(FOLDER.glob("*.pdf")) if p.name not in ("scan.pdf", "encrypted.pdf")]
    load_grids(files[0])  # imports (pdfplumber, pdfminer) outside the timings
    total_pages = 0
    total_grids = total_read = 0.0
    worst = 0.0
    for path in files:
        count = pages(path)
        grids = best(load_grids, path, args.rounds)
        read = best(read_submission, path, args.rounds)
        total_pages += count
        total_grids += grids
        total_read += read
        worst = max(worst, grids / count)
        print(
            f"{path.name:60s} {count:2d} pages  {grids / count:.3f} s/page (tables)  {read / count:.3f} s/page (read)"
        )
    print(
        f"pdf_speed: {len(files)} files, {total_pages} pages: {total_grids / total_pages:.3f} s/page to tables, "
        f"{total_read / total_pages:.3f} s/page to a submission, slowest file {worst:.3f} s/page "
        f"(target <= {TARGET} s/page: {'met' if total_read / total_pages <= TARGET and worst <= TARGET else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
