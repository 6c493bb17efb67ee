"""Cold start: one-file ``auditor lint`` of the seed beside ``python -c "import jieba; jieba.initialize()"``.

The two commands run alternately in fresh processes (this machine is shared and noisy, so only
ratios within one run mean anything); printed are the median wall times and their ratio. With
``--before PATH`` (a checkout of an earlier commit, e.g. ``git worktree add /tmp/before <commit>``)
the same lint from that tree joins each round, for a before/after figure.

Both sides run with compiled bytecode (``PYTHONPYCACHEPREFIX`` in a temporary folder, after one
warm-up run each), as an installed package would; ``PYTHONDONTWRITEBYTECODE`` is dropped.

Target (issue 15): lint median ≤ 0.75 × the jieba floor, and under 1 s.

Run: python bench/cold_start.py [--rounds 15] [--before /tmp/before]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = Path("corpus") / "000_9d9dc482990db41b.txt"
FLOOR = [sys.executable, "-c", "import jieba; jieba.initialize()"]


def lint_command() -> list[str]:
    return [sys.executable, "-m", "auditor", "lint", "--format", "json", str(SEED)]


def wall(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} in {cwd} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--before", type=Path, help="an earlier checkout whose lint runs in the same rounds")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="auditor-pycache-") as cache:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
        env["PYTHONPYCACHEPREFIX"] = cache
        commands = {"floor": (FLOOR, ROOT), "lint": (lint_command(), ROOT)}
        if args.before is not None:
            commands["before"] = (lint_command(), args.before.resolve())
        for command, cwd in commands.values():
            wall(command, cwd, env)  # warm-up: bytecode written, files in the page cache
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, (command, cwd) in commands.items():
                times[name].append(wall(command, cwd, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"cold start, {args.rounds} paired rounds, median wall (min–max):")
    labels = {
        "floor": 'python -c "import jieba; jieba.initialize()"',
        "lint": f"auditor lint {SEED.name} (this tree)",
        "before": f"auditor lint {SEED.name} ({args.before})",
    }
    for name, values in times.items():
        ratio = "" if name == "floor" else f"  ratio {median[name] / median['floor']:.2f} x floor"
        print(f"  {labels[name]:<48} {median[name]:5.2f} s ({min(values):.2f}–{max(values):.2f}){ratio}")
    verdict = "PASS" if median["lint"] <= 0.75 * median["floor"] and median["lint"] < 1.0 else "FAIL"
    print(f"target: lint <= 0.75 x floor and < 1 s: {verdict}")
    if "before" in median:
        print(f"lint now / before: {median['lint'] / median['before']:.2f}")


if __name__ == "__main__":
    main()
