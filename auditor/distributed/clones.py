"""``spark clones``: the clone clusters of a national archive, equal to the SQLite index's.

Input: the ``indicators`` table (``auditor export`` or the ``lint`` job). Steps, each a DataFrame:

1. indexable texts → distinct texts → normalised (pandas UDF of :func:`auditor.text.normalize.normalize`);
2. distinct normalised texts → node id (:func:`~auditor.index.minhash.text_hash`) and the 16 band
   keys (:func:`~auditor.index.lsh.norm_band_keys`, a vectorised pandas UDF over Arrow batches);
3. bands exploded → each bucket sorted by text → neighbours (:func:`~auditor.index.lsh.bucket_pairs`:
   the first ``BUCKET_CAP`` members only; every member of a larger bucket is flagged 全库通用);
4. candidate pairs, deduplicated over bands → confirmed with :func:`~auditor.index.lsh.confirmed`;
5. connected components by large-star/small-star (Kiveris et al., 2014) over DataFrames — each
   round a few shuffles, O(log² n) rounds, nothing collected to the driver;
6. uses joined back → clusters spanning ≥ 2 submissions, with departments, years and projects.

Output folder: ``clusters`` (one row a cluster), ``cluster_uses`` (every use of a clustered text),
``pairs`` (confirmed pairs), and the national ``norms``, ``bands`` and ``texts`` tables of
docs/scaling.md that ``spark index-export`` reads.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from auditor.index.lsh import BUCKET_CAP, CONFIRM_THRESHOLD, confirmed, norm_band_keys
from auditor.index.minhash import text_hash
from auditor.text.normalize import normalize

UNKNOWN_DEPARTMENT = "未知部门"  # as auditor.index.clusters.Cluster.departments names a blank one
#: Rounds of large-star + small-star before giving up (each halves the diameter at worst).
MAX_ROUNDS = 64


def normalize_batch(texts: pd.Series) -> pd.Series:
    return texts.map(normalize)


def hash_batch(norms: pd.Series) -> pd.Series:
    return norms.map(text_hash).astype("int64")


def keys_batch(norms: pd.Series) -> pd.Series:
    return pd.Series(list(norm_band_keys(norms.tolist())))


def _udfs(threshold: float) -> tuple[Any, Any, Any, Any]:
    """The shared definitions (:mod:`auditor.index.lsh`) as vectorised pandas UDFs over Arrow batches."""
    from pyspark.sql.functions import pandas_udf

    def confirm_batch(a: pd.Series, b: pd.Series) -> pd.Series:
        return pd.Series([confirmed(x, y, threshold) for x, y in zip(a, b, strict=True)], dtype=bool)

    return (pandas_udf(normalize_batch, "string"), pandas_udf(hash_batch, "long"),  # type: ignore[call-overload]
            pandas_udf(keys_batch, "array<long>"), pandas_udf(confirm_batch, "boolean"))  # fmt: skip


def components(edges: Any) -> Any:
    """``(node, comp)`` for every node of ``edges`` (columns ``a``, ``b``): ``comp`` is the smallest
    node of its connected component. Large-star and small-star alternate until the graph is stars
    around each component's smallest node; each round is checkpointed (lineage stays short)."""
    from pyspark.sql import functions as F

    graph = edges.select(F.greatest("a", "b").alias("u"), F.least("a", "b").alias("v")).where("u != v").distinct()
    graph = graph.localCheckpoint()
    for _ in range(MAX_ROUNDS):
        graph = _small_star(_large_star(graph)).localCheckpoint()
        chained = graph.join(graph.select(F.col("u").alias("v")).distinct(), "v", "left_semi")  # a centre with a parent
        if chained.limit(1).count() == 0 and graph.groupBy("u").count().where("count > 1").limit(1).count() == 0:
            break
    else:  # pragma: no cover - a bug, not a property of any input
        raise RuntimeError("connected components did not converge")
    return graph.select(F.col("u").alias("node"), F.col("v").alias("comp")).unionByName(
        graph.select(F.col("v").alias("node"), F.col("v").alias("comp"))
    ).distinct()


def _large_star(graph: Any) -> Any:
    """Every node's larger neighbours are attached to the smallest of its neighbourhood."""
    from pyspark.sql import functions as F

    both = graph.select(F.col("u").alias("x"), F.col("v").alias("y")).unionByName(
        graph.select(F.col("v").alias("x"), F.col("u").alias("y"))
    )
    smallest = both.groupBy("x").agg(F.min("y").alias("m")).select("x", F.least("x", "m").alias("m"))
    return both.where("y > x").join(smallest, "x").select(F.col("y").alias("u"), F.col("m").alias("v")).distinct()


def _small_star(graph: Any) -> Any:
    """Every node and its smaller neighbours are attached to the smallest of them."""
    from pyspark.sql import functions as F

    smallest = graph.groupBy("u").agg(F.min("v").alias("m"))
    moved = graph.join(smallest, "u").select(F.col("v").alias("a"), F.col("m").alias("b")).unionByName(
        smallest.select(F.col("u").alias("a"), F.col("m").alias("b"))
    )
    return moved.select(F.greatest("a", "b").alias("u"), F.least("a", "b").alias("v")).where("u != v").distinct()


def run_clones(spark: Any, source: str, out: str, *, threshold: float = CONFIRM_THRESHOLD) -> dict[str, int]:
    """Clusters of ``source`` (an export folder) written to ``out``; returns counts for the log line."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from auditor.distributed.session import Output, read_table

    normalize_udf, hash_udf, keys_udf, confirm_udf = _udfs(threshold)
    indicators = read_table(spark, source, "indicators").where(F.col("indexable"))
    uses = indicators.select("submission_id", "path", "department", "year", "project_index", "project", "category",
                             "field", "position", "text")  # fmt: skip
    texts = uses.select("text").distinct().withColumn("norm", normalize_udf("text"))
    norms = texts.select("norm").distinct()
    norms = norms.select("norm", hash_udf("norm").alias("node"), keys_udf("norm").alias("keys"))
    norms = norms.localCheckpoint()  # the signatures are computed once
    uses = uses.join(texts, "text").join(norms.select("norm", "node"), "norm")
    bands = norms.select("node", "norm", F.posexplode("keys").alias("band", "key"))
    bucket = Window.partitionBy("band", "key")
    ordered = bucket.orderBy("norm")
    bands = (
        bands.withColumn("size", F.count("*").over(bucket))
        .withColumn("position", F.row_number().over(ordered))
        .withColumn("next_node", F.lead("node").over(ordered))
        .withColumn("next_norm", F.lead("norm").over(ordered))
    ).localCheckpoint()
    common = bands.where(F.col("size") > BUCKET_CAP).select("node").distinct().withColumn("common", F.lit(True))
    candidates = (
        bands.where((F.col("position") < BUCKET_CAP) & F.col("next_node").isNotNull())
        .select(F.col("node").alias("a"), F.col("next_node").alias("b"), F.col("norm").alias("norm_a"),
                F.col("next_norm").alias("norm_b"))
        .dropDuplicates(["a", "b"])
    )  # fmt: skip
    pairs = candidates.where(confirm_udf("norm_a", "norm_b")).localCheckpoint()
    labels = components(pairs.select("a", "b"))
    nodes = norms.select("node").join(labels, "node", "left").select("node", F.coalesce("comp", "node").alias("comp"))
    nodes = nodes.join(common, "node", "left").fillna(False, ["common"])
    placed = uses.join(nodes, "node")
    per_norm = placed.groupBy("comp", "norm").agg(F.count("*").alias("count"))
    best = Window.partitionBy("comp").orderBy(F.col("count").desc(), F.col("norm"))
    representative = per_norm.withColumn("rank", F.row_number().over(best)).where("rank = 1").select(
        "comp", F.col("norm").alias("representative")
    )
    clusters = (
        placed.groupBy("comp")
        .agg(
            F.countDistinct("path").alias("submissions"),
            F.count("*").alias("uses"),
            F.array_sort(F.collect_set(F.coalesce("department", F.lit(UNKNOWN_DEPARTMENT)))).alias("departments"),
            F.array_sort(F.collect_set("year")).alias("years"),
            F.max(F.col("common").cast("int")).cast("boolean").alias("common"),
        )
        .where("submissions >= 2")
        .join(representative, "comp")
        .withColumnRenamed("comp", "cluster_id")
    ).localCheckpoint()
    output = Output(spark, out)
    try:
        clusters.write.parquet(output.path("clusters"))
        placed.join(clusters.select(F.col("cluster_id").alias("comp")), "comp", "left_semi").select(
            F.col("comp").alias("cluster_id"), "norm", "text", "department", "year", "path", "project", "category",
            "field",
        ).write.parquet(output.path("cluster_uses"))
        pairs.select("a", "b", "norm_a", "norm_b").write.parquet(output.path("pairs"))
        norms.select("node", "norm").write.parquet(output.path("norms"))
        bands.select("band", "key", "node").write.parquet(output.path("bands"))
        uses.select("node", "submission_id", "path", "department", "year", "project_index", "project", "category",
                    "field", "position", "text").write.parquet(output.path("texts"))  # fmt: skip
        counts = {"clusters": clusters.count(), "pairs": pairs.count(), "distinct": norms.count()}
        output.commit("# auditor spark clones 输出目录：clusters、cluster_uses、pairs、norms、bands、texts\n")
    except BaseException:
        output.discard()
        raise
    return counts
