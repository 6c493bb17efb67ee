"""``spark index-export``: one unit's part of the national clone index, as an SQLite index file.

A unit (departments named with ``--department``, or the submissions under ``--path-prefix``, e.g.
one province's folder) needs, for ``auditor lint --index`` offline, every text that a lookup of its
own texts can reach: its own normalised texts, every text sharing an LSH bucket with one of them
(the national ``bands``), and every use of those texts anywhere in the country. That subset is
selected on the cluster from the ``clones`` job's ``texts`` and ``bands`` tables, streamed to the
driver in submission order, and written with :func:`auditor.index.store.build_index_texts` — the
same writer as ``auditor index build``, so the file is an ordinary index (atomic, same schema, the
same signatures and bands). A lookup of the unit's archived texts, or of a text sharing a bucket
with one, finds exactly what it finds in the national index.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.index.store import IndexedText, build_index_texts


def run_index_export(spark: Any, clones: str, db: Path, *, departments: list[str],
                     path_prefixes: list[str]) -> dict[str, int]:  # fmt: skip
    from pyspark.sql import functions as F

    from auditor.distributed.session import join

    if not departments and not path_prefixes:
        raise ValueError("index-export 需要 --department 或 --path-prefix")
    texts = spark.read.parquet(join(clones, "texts"))
    bands = spark.read.parquet(join(clones, "bands"))
    chosen = F.lit(False)
    if departments:
        chosen = chosen | F.col("department").isin(departments)
    for prefix in path_prefixes:
        chosen = chosen | F.col("path").startswith(prefix)
    own = texts.where(chosen).select("node").distinct()
    buckets = bands.join(own, "node").select("band", "key").distinct()
    related = bands.join(buckets, ["band", "key"]).select("node").unionByName(own).distinct()
    rows = (
        texts.join(related, "node", "left_semi")
        .select("path", "department", "year", "project_index", "project", "category", "field", "position", "text")
        .orderBy("path", "position")
    )
    added, stats = build_index_texts(db, _groups(rows.toLocalIterator()))
    return {"texts": added, "submissions": stats["submissions"], "distinct_texts": stats["distinct_texts"]}


def _groups(rows: Iterator[Any]) -> Iterator[tuple[str, str | None, int | None, list[IndexedText]]]:
    """Rows sorted by (path, position) as ``index build``'s groups: one submission at a time."""
    current: tuple[str, str | None, int | None] | None = None
    items: list[IndexedText] = []
    for row in rows:
        key = (row["path"], row["department"], row["year"])
        if current is not None and key != current:
            yield (*current, items)
            items = []
        current = key
        items.append(IndexedText(row["project_index"], row["project"], row["category"], row["field"], row["text"]))
    if current is not None:
        yield (*current, items)
