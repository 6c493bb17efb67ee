"""Spark jobs in local mode: clusters equal the SQLite index's, findings equal ``auditor lint``'s.

One local[2] SparkSession per test process (two shuffle partitions). Without PySpark or Java the
tests are skipped, except under ``CI=true`` (.ci/run installs both), where that is a failure.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.export.parquet import read_table, write_export
from auditor.export.tables import TABLES, finding_dict
from auditor.index.clusters import Use, cluster
from auditor.index.store import IndexedText, build_index_texts
from tests.conftest import CORPUS, ROOT


def _need_spark() -> None:
    from auditor.distributed.session import spark_available

    missing = spark_available()
    if missing is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{missing} (CI=true: .ci/run installs Java and the spark extra; the Spark tests must run)",
                    pytrace=False)  # fmt: skip
    pytest.skip(missing)


@pytest.fixture(scope="module")
def spark() -> Any:
    _need_spark()
    from auditor.distributed.session import get_session

    session = get_session("local[2]", app="auditor tests", shuffle_partitions=2)
    yield session
    session.stop()


def _spark_clusters(spark: Any, export: Path, out: Path) -> tuple[set, set]:
    from auditor.distributed.main import run

    run(["clones", str(export), "-o", str(out)], session=spark)
    uses: dict[int, list[tuple]] = defaultdict(list)
    for row in read_parquet(out / "cluster_uses"):
        uses[row["cluster_id"]].append(_use(row))
    clusters = {(row["representative"], tuple(sorted(uses[row["cluster_id"]])), row["common"])
                for row in read_parquet(out / "clusters")}  # fmt: skip
    pairs = {(row["norm_a"], row["norm_b"]) for row in read_parquet(out / "pairs")}
    return clusters, pairs


def read_parquet(folder: Path) -> list[dict]:
    import pyarrow.dataset as ds

    return ds.dataset(folder, format="parquet").to_table().to_pylist()


def _use(row: dict) -> tuple:
    return (row["text"], row["department"] or "", row["year"] or 0, row["path"], row["project"],
            row["category"] or "", row["field"])  # fmt: skip


def _sqlite_clusters(db: Path) -> tuple[set, set]:
    """What ``auditor clones --index db`` clusters, and the confirmed pairs of the same rule."""
    from auditor.index.lsh import bucket_pairs, confirmed, norm_band_keys

    uses: dict[str, list[Use]] = defaultdict(list)
    with sqlite3.connect(db) as connection:
        for row in connection.execute(
            "SELECT n.norm, t.text, s.department, s.year, s.path, t.project, t.category, t.field"
            " FROM texts t JOIN norms n ON n.id = t.norm JOIN submissions s ON s.id = t.submission"
        ):
            uses[row[0]].append(Use(*row[1:]))
    found = {(c.representative, tuple(sorted(_use(u.__dict__) for u in c.uses)), c.common) for c in cluster(uses)}
    norms = sorted(uses)
    keys = norm_band_keys(norms)
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(len(norms)):
        for band in range(keys.shape[1]):
            buckets[(band, int(keys[i, band]))].append(i)
    pairs = {(norms[a], norms[b]) for members in buckets.values() for a, b in bucket_pairs(members)
             if confirmed(norms[a], norms[b])}  # fmt: skip
    return found, pairs


def _export(paths: list[Path], out: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--isolated", "-q", "-j", "1", *map(str, paths), "-o", str(out)])
    assert result.exit_code == 0, result.output


def _generated(folder: Path) -> tuple[Path, Path]:
    """The bench's generated texts (bench/clone_scale.py), 200 a submission, as an export and an index."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from clone_scale import generate, groups

    texts = generate(4000, seed=17)
    made = list(groups(texts))
    db = folder / "generated.sqlite"
    build_index_texts(db, iter(made))
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for path, department, year, items in made:
        for position, item in enumerate(items):
            tables["indicators"].append(_indicator(path, department, year, position, item))
    write_export(folder / "generated", tables)
    return folder / "generated", db


def _indicator(path: str, department: str, year: int, position: int, item: IndexedText) -> dict:
    from auditor.export.tables import submission_id

    return {"submission_id": submission_id(path), "path": path, "department": department, "year": year,
            "project_index": item.project_index, "project": item.project, "category": item.category,
            "indicator_name": None, "field": item.field, "position": position, "text": item.text, "sheet": None,
            "row": None, "column": None, "indexable": True}  # fmt: skip


@pytest.mark.parametrize("corpus", ["corpus", "real", "generated"])
def test_clusters_and_pairs_equal_the_sqlite_index(spark: Any, tmp_path: Path, corpus: str) -> None:
    if corpus == "generated":
        export, db = _generated(tmp_path)
    else:
        source = CORPUS if corpus == "corpus" else CORPUS / "real"
        export, db = tmp_path / "export", tmp_path / "index.sqlite"
        _export([source], export)
        result = CliRunner().invoke(cli, ["index", "build", str(source), "--db", str(db)])
        assert result.exit_code == 0, result.output
    spark_clusters, spark_pairs = _spark_clusters(spark, export, tmp_path / "clones")
    sqlite_clusters, sqlite_pairs = _sqlite_clusters(db)
    assert sqlite_clusters and spark_clusters == sqlite_clusters
    assert spark_pairs == sqlite_pairs


def test_lint_findings_and_scores_equal_the_cli(spark: Any, tmp_path: Path) -> None:
    from auditor.distributed.command import config_json
    from auditor.distributed.main import run

    run(["lint", str(CORPUS), "-o", str(tmp_path / "lint"), "--config-json", config_json((), (), None),
         "--files-per-task", "8"], session=spark)  # fmt: skip
    cli_run = CliRunner().invoke(cli, ["lint", "--isolated", "-j", "1", "--format", "json", str(CORPUS)])
    report = json.loads(cli_run.stdout)
    key = lambda finding: json.dumps(finding, ensure_ascii=False, sort_keys=True)  # noqa: E731
    findings = [finding_dict(row) for row in read_table(tmp_path / "lint", "findings").to_pylist()]
    assert findings and sorted(map(key, findings)) == sorted(map(key, report["findings"]))
    scores = {row["path"]: row["score"] for row in read_table(tmp_path / "lint", "submissions").to_pylist()}
    assert scores == {item["path"]: item["score"] for item in report["files"]}
    # the same rows as auditor export writes
    _export([CORPUS], tmp_path / "export")
    for table in ("indicators", "scores", "projects"):
        ours = sorted(map(key, read_table(tmp_path / "lint", table).to_pylist()))
        assert ours == sorted(map(key, read_table(tmp_path / "export", table).to_pylist())), table


def test_index_export_answers_a_units_lookups_as_the_national_index(spark: Any, tmp_path: Path) -> None:
    from auditor.distributed.main import run

    national = tmp_path / "national.sqlite"
    assert CliRunner().invoke(cli, ["index", "build", str(CORPUS), "--db", str(national)]).exit_code == 0
    _export([CORPUS], tmp_path / "export")
    run(["clones", str(tmp_path / "export"), "-o", str(tmp_path / "clones")], session=spark)
    unit = tmp_path / "unit.sqlite"
    department = "深圳市龙岗区应急管理局"
    counts = run(["index-export", str(tmp_path / "clones"), "--db", str(unit), "--department", department],
                 session=spark)
    assert 0 < counts["distinct_texts"]
    seed = CORPUS / "000_9d9dc482990db41b.txt"
    clone = tmp_path / "clone-2021.txt"
    clone.write_text(seed.read_text(encoding="utf-8").replace(department, "深圳市某区水务局"), encoding="utf-8")
    outputs = []
    for db in (national, unit):
        result = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", "--select", "CP005", "--index",
                                          str(db), str(clone), str(seed)])  # fmt: skip
        outputs.append(json.loads(result.stdout)["findings"])
    assert outputs[0] and outputs[0] == outputs[1]


def test_without_pyspark_one_chinese_line_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    result = CliRunner().invoke(cli, ["spark", "clones", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'auditor[spark]'" in lines[0] and "Traceback" not in result.output


def test_a_cluster_master_gets_a_spark_submit_command_line(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    result = CliRunner().invoke(cli, ["spark", "clones", "hdfs:///archive/export", "-o", "hdfs:///archive/clones",
                                      "--master", "yarn", "--deploy-mode", "cluster", "--shuffle-partitions", "4000",
                                      "--env-archive", "hdfs:///envs/auditor.tar.gz"])  # fmt: skip
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    assert line.startswith("spark-submit --master yarn --deploy-mode cluster --archives")
    assert "spark.sql.shuffle.partitions=4000" in line
    assert "auditor/distributed/main.py clones hdfs:///archive/export" in line
