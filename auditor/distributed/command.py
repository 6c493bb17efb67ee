"""What ``auditor spark …`` does with its arguments: run the job here (``--master local[N]``) or build
the ``spark-submit`` command line for a cluster (printed; run with ``--submit``).

On a cluster the executors need auditor and its dependencies: install them on the nodes, or pack a
virtual environment (``venv-pack``/``conda-pack``) and give it with ``--env-archive`` (shipped with
``--archives`` and used as ``spark.pyspark.python``).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

MAIN = Path(__file__).with_name("main.py")


def submit_command(job_args: list[str], *, master: str, deploy_mode: str | None, shuffle_partitions: int | None,
                   conf: tuple[str, ...], env_archive: str | None) -> list[str]:  # fmt: skip
    """The ``spark-submit`` command line of a job."""
    command = ["spark-submit", "--master", master]
    if deploy_mode:
        command += ["--deploy-mode", deploy_mode]
    settings = list(conf)
    if shuffle_partitions:
        settings.append(f"spark.sql.shuffle.partitions={shuffle_partitions}")
    if env_archive:
        command += ["--archives", f"{env_archive}#auditor-env"]
        settings += ["spark.pyspark.python=./auditor-env/bin/python"]
    for setting in settings:
        command += ["--conf", setting]
    return [*command, str(MAIN), *job_args]


def launch(job_args: list[str], *, master: str, deploy_mode: str | None, shuffle_partitions: int | None,
           conf: tuple[str, ...], env_archive: str | None, submit: bool) -> tuple[int, str]:  # fmt: skip
    """Run a job; returns (exit code, the line to print: the counts, or the command line)."""
    if master.startswith("local"):
        import json

        from auditor.distributed.main import run

        options = ["--master", master, *[part for item in conf for part in ("--conf", item)]]
        if shuffle_partitions:
            options += ["--shuffle-partitions", str(shuffle_partitions)]
        counts = run(options + job_args)
        return 0, json.dumps(counts, ensure_ascii=False)
    command = submit_command(job_args, master=master, deploy_mode=deploy_mode, shuffle_partitions=shuffle_partitions,
                             conf=conf, env_archive=env_archive)  # fmt: skip
    if not submit:
        return 0, shlex.join(command)
    if shutil.which("spark-submit") is None:
        return 2, "找不到 spark-submit：请在 Spark 客户端机器上运行，或去掉 --submit 只打印命令行"
    return subprocess.call(command), shlex.join(command)


def config_json(select: tuple[str, ...], ignore: tuple[str, ...], config: Path | None) -> str:
    """The CLI's rule choice and configuration file, for the lint job's tasks."""
    import json

    settings: dict[str, Any] = {"select": list(select), "ignore": list(ignore)}
    if config is not None:
        settings["config"] = str(config.resolve())
    return json.dumps(settings, ensure_ascii=False)
