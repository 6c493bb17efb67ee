"""A folder of ~200 real-format files: ``lint --jobs 2`` against ``--jobs 1``, and ``report`` against ``lint``.

The folder holds copies of the xlsx, csv and tsv tables of corpus/ and corpus/real/ (batches of
copies until there are ``--files``). Each round runs, in fresh processes and alternating:
``lint --format json --jobs 1``, ``lint --format json --jobs 2``, ``report --jobs 1`` and ``report --jobs 2``;
printed are the medians, the ratios, and whether the two JSON outputs are byte-identical.

Targets (issue 15): ``--jobs 2`` ≤ 0.6 × ``--jobs 1``; ``report`` ≤ 1.5 × ``lint`` (same jobs).

Run: python bench/jobs_speed.py [--files 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUDITOR = [sys.executable, "-m", "auditor"]


def pile(folder: Path, count: int) -> int:
    sources = sorted(
        p for base in (ROOT / "corpus", ROOT / "corpus" / "real") for p in base.iterdir()
        if p.is_file() and p.suffix.lower() in (".xlsx", ".csv", ".tsv")
    )  # fmt: skip
    written = 0
    while written < count:
        batch = folder / f"批次{written // len(sources) + 1:02d}"
        batch.mkdir(exist_ok=True)
        for source in sources[: count - written]:
            shutil.copy2(source, batch / source.name)
            written += 1
    return written


def timed(command: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command} failed ({done.returncode}): {done.stderr.decode()[-800:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="auditor-jobs-") as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        folder = Path(tmp) / "files"
        folder.mkdir()
        count = pile(folder, args.files)
        out = Path(tmp) / "report"
        commands = {
            "lint --jobs 1": [*AUDITOR, "lint", "--isolated", "--format", "json", "--jobs", "1", str(folder)],
            "lint --jobs 2": [*AUDITOR, "lint", "--isolated", "--format", "json", "--jobs", "2", str(folder)],
            "report --jobs 1": [*AUDITOR, "report", "--isolated", "-q", "--jobs", "1", str(folder), "-o", str(out)],
            "report --jobs 2": [*AUDITOR, "report", "--isolated", "-q", "--jobs", "2", str(folder), "-o", str(out)],
        }
        timed([*commands["lint --jobs 1"][:-1], str(next(folder.rglob("*.tsv")))], env)  # warm-up: bytecode
        times: dict[str, list[float]] = {name: [] for name in commands}
        outputs: dict[str, bytes] = {}
        for _ in range(args.rounds):
            for name, command in commands.items():
                elapsed, stdout = timed(command, env)
                times[name].append(elapsed)
                outputs[name] = stdout
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"{count} files (xlsx, csv, tsv copies of corpus/ and corpus/real/), {args.rounds} rounds, median wall:")
    for name, values in times.items():
        print(f"  {name:<16} {median[name]:6.2f} s ({min(values):.2f}–{max(values):.2f})")
    identical = outputs["lint --jobs 1"] == outputs["lint --jobs 2"]
    jobs_ratio = median["lint --jobs 2"] / median["lint --jobs 1"]
    report_ratio = median["report --jobs 1"] / median["lint --jobs 1"]
    print(f"--jobs 2 / --jobs 1: {jobs_ratio:.2f} (target <= 0.60: {'PASS' if jobs_ratio <= 0.6 else 'FAIL'}); "
          f"JSON identical: {identical}")  # fmt: skip
    print(f"report / lint (--jobs 1): {report_ratio:.2f} (target <= 1.50: {'PASS' if report_ratio <= 1.5 else 'FAIL'})")
    both = median["report --jobs 2"] / median["lint --jobs 2"]
    print(f"report / lint (--jobs 2): {both:.2f} (annotated copies in two processes too)")


if __name__ == "__main__":
    main()
