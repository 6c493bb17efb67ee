"""The SparkSession, the exported tables as Spark schemas, and outputs committed whole.

Local mode (``local[N]``) runs in this process; the Python workers are started with this
interpreter (``spark.pyspark.python``), so they import the same auditor. Outputs are written to a
staging folder beside the destination and renamed into place only when every table is written
(local paths: the report folder's swap; other file systems: Hadoop's rename), so a failed job
leaves the previous output whole.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from typing import Any

from auditor.export.tables import SCHEMAS

#: Shown (one line, exit 2) when PySpark is not installed.
MISSING_SPARK = "auditor spark 需要 PySpark：请运行 pip install 'auditor[spark]'（另需 Java 17 运行时）"
MISSING_JAVA = "auditor spark 需要 Java 运行时（17 或更新），未找到 java：请安装 default-jre-headless 或设置 JAVA_HOME"
#: Shuffle partitions in local mode: two cores gain nothing from Spark's default of 200.
LOCAL_SHUFFLE_PARTITIONS = 8


def spark_available() -> str | None:
    """Why Spark cannot run here (one Chinese line), or ``None``."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None or importlib.util.find_spec("pandas") is None:
        return MISSING_SPARK
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return MISSING_JAVA
    return None


def get_session(master: str = "local[2]", *, app: str = "auditor", shuffle_partitions: int | None = None,
                conf: dict[str, str] | None = None) -> Any:  # fmt: skip
    """A SparkSession; in local mode the UI is off and the shuffle partitions few."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # what local mode's workers run (not the conf)
    builder = SparkSession.builder.master(master).appName(app)
    settings = {
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
    }
    if master.startswith("local"):
        settings |= {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                     "spark.sql.shuffle.partitions": str(shuffle_partitions or LOCAL_SHUFFLE_PARTITIONS)}  # fmt: skip
    elif shuffle_partitions:
        settings["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    for key, value in {**settings, **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_type(kind: str) -> Any:
    from pyspark.sql import types as T

    if kind == "list<string>":
        return T.ArrayType(T.StringType())
    return {"string": T.StringType(), "int32": T.IntegerType(), "int64": T.LongType(), "double": T.DoubleType(),
            "bool": T.BooleanType()}[kind]  # fmt: skip


def spark_schema(table: str) -> Any:
    """The Spark schema of one exported table (:data:`auditor.export.tables.SCHEMAS`)."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, spark_type(kind), True) for name, kind in SCHEMAS[table]])


def read_table(spark: Any, folder: str, table: str) -> Any:
    """A table of an export (or of the ``lint`` job's output) as a DataFrame, ``year`` included."""
    return spark.read.schema(spark_schema(table)).parquet(join(folder, table))


def join(folder: str, name: str) -> str:
    return folder.rstrip("/") + "/" + name


def is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def local_path(path: str) -> str:
    return path[len("file://") :] if path.startswith("file://") else path


class Output:
    """A staging folder beside ``final``; :meth:`commit` puts it in place."""

    def __init__(self, spark: Any, final: str) -> None:
        self.spark = spark
        self.final = final.rstrip("/")
        parent, _, name = self.final.rpartition("/")
        self.staging = f"{parent}/.{name}.auditor-staging-{uuid.uuid4().hex[:12]}" if parent else f".{name}.staging"
        if is_local(self.final):
            self.final = os.path.abspath(local_path(self.final))
            self.staging = os.path.join(os.path.dirname(self.final), f".{os.path.basename(self.final)}"
                                        f".auditor-staging-{uuid.uuid4().hex[:12]}")  # fmt: skip

    def path(self, table: str) -> str:
        return join(self.staging, table)

    def commit(self, marker: str) -> None:
        if is_local(self.final):
            from pathlib import Path

            from auditor.fileio import write_atomic
            from auditor.reporters.bundle import _swap_in

            write_atomic(Path(self.staging) / ".auditor-export", marker)
            _swap_in(Path(self.staging), Path(self.final))
            return
        jvm = self.spark.sparkContext._jvm
        conf = self.spark.sparkContext._jsc.hadoopConfiguration()
        final = jvm.org.apache.hadoop.fs.Path(self.final)
        system = final.getFileSystem(conf)
        if system.exists(final):
            system.delete(final, True)
        system.rename(jvm.org.apache.hadoop.fs.Path(self.staging), final)

    def discard(self) -> None:
        if is_local(self.final):
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        jvm = self.spark.sparkContext._jvm
        staging = jvm.org.apache.hadoop.fs.Path(self.staging)
        staging.getFileSystem(self.spark.sparkContext._jsc.hadoopConfiguration()).delete(staging, True)
