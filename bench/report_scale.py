"""``auditor report`` on an auditor's pile: N submissions in one command.

The bundled corpus files are copied N/13 times into year folders (the same departments filing
again), then ``auditor report`` runs in a fresh process, as an auditor would run it. Printed: wall
time of the whole command and of the lint alone, per-submission cost, pages and workbooks written,
the largest department page, and peak RSS.

    python bench/report_scale.py            # 200 submissions
    python bench/report_scale.py --files 50

Target: 200 submissions in under 5 minutes on 2 cores, department pages that open (< 20 MB each).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDITOR = [sys.executable, "-m", "auditor"]


def pile(folder: Path, count: int) -> int:
    from auditor.readers.sniff import SUPPORTED_SUFFIXES

    sources = sorted(p for p in (ROOT / "corpus").iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    written = 0
    while written < count:
        for source in sources:
            if written == count:
                break
            year = folder / f"批次{written // len(sources) + 1:02d}"
            year.mkdir(exist_ok=True)
            shutil.copy2(source, year / source.name)
            written += 1
    return written


def timed(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(arguments, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    count = parser.parse_args().files
    with tempfile.TemporaryDirectory() as work:
        inputs, out = Path(work) / "inputs", Path(work) / "report"
        inputs.mkdir()
        files = pile(inputs, count)
        lint = [*AUDITOR, "lint", "--isolated", "-q", "--format", "json", "-o", f"{work}/lint.json", str(inputs)]
        lint_seconds = timed(lint)
        report_seconds = timed([*AUDITOR, "report", "--isolated", "-q", str(inputs), "-o", str(out)])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = sorted(out.glob("dept-*.html"), key=lambda p: p.stat().st_size)
        workbooks = list((out / "annotated").rglob("*.xlsx"))
        each = report_seconds / files * 1000
        print(f"{files} submissions: auditor report {report_seconds:.1f} s ({each:.0f} ms each), "
              f"lint alone {lint_seconds:.1f} s, report/lint {report_seconds / lint_seconds:.2f}")
        print(f"  {len(pages)} department pages (largest {pages[-1].stat().st_size / 2**20:.1f} MB), "
              f"{len(workbooks)} annotated workbooks, peak RSS of the larger run {peak:.0f} MiB")


if __name__ == "__main__":
    main()
