"""Run the command line in a child process and measure it: exit status, wall time and the child's own
peak memory (a hang or a blow-up on a hostile file cannot take the test run with it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Runs the CLI and reports the child's own peak RSS on stderr, whatever the exit status. VmHWM is the
# new process image's own high-water mark: ru_maxrss keeps the parent's across fork and exec, so a
# test worker grown to 900 MB made every child look 900 MB.
PROBE = (
    "import resource, sys\n"
    "from auditor.cli import main\n"
    "try:\n    main()\n"
    "finally:\n"
    "    try:\n"
    "        status = open('/proc/self/status').read().splitlines()\n"
    "        rss = int([l for l in status if l.startswith('VmHWM')][0].split()[1])\n"
    "    except (OSError, IndexError):\n"
    "        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    print(f'PEAK_RSS_KB={rss}', file=sys.stderr)\n"
)


def run_measured(
    *args: str, stdin: object = None, env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """``auditor ARGS…`` in a child: (the completed process, seconds, peak megabytes of the child)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, stdin=stdin,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    peak = [line for line in result.stderr.splitlines() if line.startswith("PEAK_RSS_KB=")]
    assert peak, result.stderr[-2000:]
    return result, elapsed, int(peak[-1].split("=")[1]) / 1024
