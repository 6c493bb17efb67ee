"""Parquet tables written with pyarrow, one folder per table, hive-partitioned by ``year``.

``DIR/<table>/year=2021/part-0.parquet`` (a table without a year: ``year=__HIVE_DEFAULT_PARTITION__``,
as Spark and Hive write it). The year lives in the folder names only, so pandas, DuckDB
(``hive_partitioning=true``) and Spark read it back as a column. An empty table is still a folder
with one file of zero rows, so that every reader finds its schema.

The whole folder is written beside ``DIR`` and swapped in when complete (the report folder's
:func:`~auditor.reporters.bundle._swap_in`): a kill leaves the previous export whole, and a second
export into the same folder waits for the first (:func:`~auditor.reporters.bundle.report_lock`).
A non-empty folder that is not an export (no ``.auditor-export`` marker) is refused.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.export.tables import SCHEMAS, TABLES, Row
from auditor.fileio import current_umask, write_atomic

MARKER = ".auditor-export"
MARKER_TEXT = "# auditor export 输出目录（Parquet，按 year 分区；表结构见 docs/parquet.md）\n"
STAGING = ".auditor-staging-"


def arrow_type(name: str) -> Any:
    import pyarrow as pa

    if name == "list<string>":
        return pa.list_(pa.string())
    return {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(), "double": pa.float64(),
            "bool": pa.bool_()}[name]  # fmt: skip


def arrow_schema(table: str, *, with_year: bool = True) -> Any:
    import pyarrow as pa

    return pa.schema([(name, arrow_type(kind)) for name, kind in SCHEMAS[table] if with_year or name != "year"])


def _partitioning() -> Any:
    import pyarrow as pa
    import pyarrow.dataset as ds

    return ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")


def write_table(folder: Path, table: str, rows: list[Row]) -> None:
    """One table's rows into ``folder/table``, partitioned by year."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    target = folder / table
    data = pa.Table.from_pylist(rows, schema=arrow_schema(table))
    if data.num_rows == 0:
        empty = target / "year=__HIVE_DEFAULT_PARTITION__"
        empty.mkdir(parents=True)
        pq.write_table(arrow_schema(table, with_year=False).empty_table(), empty / "part-0.parquet")
        return
    ds.write_dataset(data, target, format="parquet", partitioning=_partitioning(),
                     basename_template="part-{i}.parquet", max_rows_per_file=1_000_000,
                     max_rows_per_group=100_000)  # fmt: skip


def read_table(folder: Path, table: str) -> Any:
    """A table of an export back as a ``pyarrow.Table`` (the same columns; ``year`` last)."""
    import pyarrow.dataset as ds

    data = ds.dataset(folder / table, format="parquet", partitioning=_partitioning(),
                      schema=arrow_schema(table)).to_table()  # fmt: skip
    return data.select([name for name, _ in SCHEMAS[table]])


def destination_problem(out_dir: Path, inputs: Iterable[Path]) -> str | None:
    """Why ``out_dir`` must not receive an export (it holds an input; it is a non-empty folder that
    is not an export), or ``None``."""
    target = out_dir.resolve()
    for path in inputs:
        if str(path) != "-" and (path.resolve() == target or path.resolve().is_relative_to(target)):
            return f"{out_dir}: 导出目录包含输入 {path}，请写到输入之外的目录"
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        return f"{out_dir}: 目录不为空，也不是 auditor export 导出目录；为免覆盖其中的文件，请换一个目录或先清空"
    return None


def write_export(out_dir: Path, tables: dict[str, list[Row]]) -> None:
    """All tables into a staging folder beside ``out_dir``, swapped in when complete. The caller has
    checked the destination and holds the lock; OSErrors propagate."""
    from auditor.reporters.bundle import _swap_in

    target = Path(os.path.realpath(out_dir))
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=target.parent))
    try:
        os.chmod(staging, stat.S_IMODE(old.st_mode) if old is not None else 0o777 & ~current_umask())
        for table in TABLES:
            write_table(staging, table, tables.get(table, []))
        write_atomic(staging / MARKER, MARKER_TEXT)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def check_destination(out_dir: Path, inputs: Iterable[Path]) -> None:
    """E143 (one line, exit 2) for a destination that must not be written."""
    from auditor.outputs import check_report_folder

    check_report_folder(out_dir)
    problem = destination_problem(out_dir, inputs)
    if problem is not None:
        raise InputError("E143", str(out_dir), problem.split(": ", 1)[1])
