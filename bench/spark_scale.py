"""Spark clones at scale in local mode, beside the SQLite index on the same texts.

For each size (default 10⁵, 10⁶, 10⁷ texts from bench/clone_scale.py's generator, 200 a
submission), the texts are written as an export's ``indicators`` table, then:

* SQLite: ``index build`` of the same texts (clone_scale.build: wall and CPU seconds);
* Spark: ``spark clones`` (auditor.distributed.clones.run_clones) in a child process with
  ``--master local[2]``: wall seconds, shuffle bytes written (all stages, from Spark's status
  store), and the peak resident memory of the child's whole process tree (driver JVM and Python
  workers, sampled every 0.2 s);

and the growth of each time per ×10 texts. A size whose Spark run is estimated (previous time ×12)
to exceed ``--budget`` seconds, or that fails or runs out of memory, is reported as not run, with why.

Run: python bench/spark_scale.py [--sizes 100000 1000000 10000000] [--budget 1800] [--driver-memory 12g]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from clone_scale import build, generate, groups  # noqa: E402


def write_indicators(texts: list[str], folder: Path) -> None:
    """The texts as an export's indicators table (pyarrow, year partitions), streamed 10⁶ rows at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from auditor.export.parquet import arrow_schema
    from auditor.export.tables import submission_id

    schema = arrow_schema("indicators", with_year=False)
    writers: dict[int, pq.ParquetWriter] = {}
    rows: dict[int, list[dict]] = {}

    def flush(year: int) -> None:
        if year not in writers:
            (folder / "indicators" / f"year={year}").mkdir(parents=True)
            writers[year] = pq.ParquetWriter(folder / "indicators" / f"year={year}" / "part-0.parquet", schema)
        writers[year].write_table(pa.Table.from_pylist(rows.pop(year), schema=schema))

    for path, department, year, items in groups(texts):
        sid = submission_id(path)
        batch = rows.setdefault(year, [])
        batch += [{"submission_id": sid, "path": path, "department": department, "project_index": item.project_index,
                   "project": item.project, "category": item.category, "indicator_name": None, "field": item.field,
                   "position": position, "text": item.text, "sheet": None, "row": None, "column": None,
                   "indexable": True} for position, item in enumerate(items)]  # fmt: skip
        if len(batch) >= 1_000_000:
            flush(year)
    for year in list(rows):
        flush(year)
    for writer in writers.values():
        writer.close()


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack += children.get(current, [])
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total


def child(export: str, out: str, driver_memory: str, partitions: int) -> None:
    """The Spark side, in its own process: the job, then its shuffle bytes, as one JSON line."""
    from auditor.distributed.clones import run_clones
    from auditor.distributed.session import get_session

    conf = {"spark.driver.memory": driver_memory, "spark.local.dir": str(Path(out).parent),
            "spark.ui.enabled": "true", "spark.ui.port": "0"}  # the status API on localhost: shuffle bytes
    spark = get_session("local[2]", app="spark_scale", shuffle_partitions=partitions, conf=conf)
    start = time.perf_counter()
    counts = run_clones(spark, export, out)
    seconds = time.perf_counter() - start
    from urllib.request import urlopen

    context = spark.sparkContext
    with urlopen(f"{context.uiWebUrl}/api/v1/applications/{context.applicationId}/stages") as response:
        shuffle = sum(int(stage.get("shuffleWriteBytes", 0)) for stage in json.load(response))
    spark.stop()
    print(json.dumps({"seconds": seconds, "shuffle": shuffle, **counts}))


def spark_run(export: Path, out: Path, driver_memory: str, partitions: int, budget: float) -> dict:
    command = [sys.executable, __file__, "--child", str(export), str(out), driver_memory, str(partitions)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, _ = process.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"failed": f"over the budget of {budget:.0f} s"}
    finally:
        done.set()
        sampler.join()
    if process.returncode != 0:
        return {"failed": f"exit {process.returncode}"}
    return {**json.loads(stdout.strip().splitlines()[-1]), "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--budget", type=float, default=1800, help="seconds one Spark run may take")
    parser.add_argument("--driver-memory", default="12g")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        export, out, memory, partitions = args.child
        child(export, out, memory, int(partitions))
        return
    print(f"spark clones, local[2], beside SQLite index build on the same texts ({os.cpu_count()} cores)")
    previous: tuple[float, float] | None = None
    for n in args.sizes:
        if previous is not None and previous[1] * 12 > args.budget:
            print(f"{n:>9} texts: not run — the previous Spark run ({previous[1]:.0f} s) ×12 would exceed the "
                  f"budget of {args.budget:.0f} s on this machine")  # fmt: skip
            break
        texts = generate(n)
        with tempfile.TemporaryDirectory(dir=os.environ.get("SPARK_SCALE_TMP")) as folder:
            export = Path(folder) / "export"
            write_indicators(texts, export)
            sqlite_s, sqlite_cpu, distinct = build(texts, Path(folder) / "index.sqlite")
            del texts
            partitions = max(8, n // 50_000)
            result = spark_run(export, Path(folder) / "clones", args.driver_memory, partitions, args.budget)
        if "failed" in result:
            print(f"{n:>9} texts ({distinct} distinct): SQLite build {sqlite_s:6.1f} s; Spark not completed: "
                  f"{result['failed']}")  # fmt: skip
            break
        growth = ""
        if previous is not None:
            growth = f", growth per x10 texts: Spark x{result['seconds'] / previous[1]:.1f}, " \
                     f"SQLite x{sqlite_s / previous[0]:.1f}"  # fmt: skip
        print(f"{n:>9} texts ({distinct} distinct): Spark {result['seconds']:7.1f} s, shuffle "
              f"{result['shuffle'] / 2**20:7.0f} MiB, peak RSS {result['peak'] / 2**20:6.0f} MiB "
              f"({result['clusters']} clusters, {result['pairs']} pairs) | SQLite index build {sqlite_s:6.1f} s "
              f"(cpu {sqlite_cpu:5.1f} s){growth}", flush=True)  # fmt: skip
        previous = (sqlite_s, result["seconds"])


if __name__ == "__main__":
    main()
