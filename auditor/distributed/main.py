"""The entry point ``spark-submit`` runs (and ``auditor spark … --master local[N]`` calls in-process).

    spark-submit [spark options] auditor/distributed/main.py lint|clones|index-export ARGS

Arguments are the CLI's (``auditor spark lint --help``); each job reads and writes Parquet on any
file system Spark reaches (local, HDFS, S3A …); ``index-export`` writes its SQLite file locally on
the driver.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="auditor-spark", description="auditor 的 Spark 作业")
    top.add_argument("--master", default=None, help="Spark master（spark-submit 时由其 --master 给出）")
    top.add_argument("--shuffle-partitions", type=int, default=None)
    top.add_argument("--conf", action="append", default=[], help="KEY=VALUE")
    jobs = top.add_subparsers(dest="job", required=True)
    lint = jobs.add_parser("lint")
    lint.add_argument("inputs", nargs="+")
    lint.add_argument("-o", "--output", required=True)
    lint.add_argument("--config-json", default=None, help="the CLI's effective configuration (JSON)")
    lint.add_argument("--files-per-task", type=int, default=16)
    clones = jobs.add_parser("clones")
    clones.add_argument("source")
    clones.add_argument("-o", "--output", required=True)
    clones.add_argument("--threshold", type=float, default=None)
    export = jobs.add_parser("index-export")
    export.add_argument("clones")
    export.add_argument("--db", required=True)
    export.add_argument("--department", action="append", default=[])
    export.add_argument("--path-prefix", action="append", default=[])
    return top


def run(argv: list[str], session: Any = None) -> dict[str, int]:
    """Run one job; ``session`` (tests, local mode) is used as given and left running."""
    from auditor.distributed.session import get_session

    args = parser().parse_args(argv)
    conf = dict(item.split("=", 1) for item in args.conf)
    spark = session or get_session(args.master or "local[2]", app=f"auditor {args.job}",
                                   shuffle_partitions=args.shuffle_partitions, conf=conf)  # fmt: skip
    try:
        if args.job == "lint":
            from auditor.distributed.lint import run_lint

            config = json.loads(args.config_json) if args.config_json else None
            return run_lint(spark, args.inputs, args.output, config=config, files_per_task=args.files_per_task)
        if args.job == "clones":
            from auditor.distributed.clones import run_clones
            from auditor.index.lsh import CONFIRM_THRESHOLD

            return run_clones(spark, args.source, args.output, threshold=args.threshold or CONFIRM_THRESHOLD)
        from pathlib import Path

        from auditor.distributed.index_export import run_index_export

        return run_index_export(spark, args.clones, Path(args.db), departments=args.department,
                                path_prefixes=args.path_prefix)  # fmt: skip
    finally:
        if session is None:
            spark.stop()


def main() -> None:
    counts = run(sys.argv[1:])
    print(json.dumps(counts, ensure_ascii=False))


if __name__ == "__main__":
    main()
