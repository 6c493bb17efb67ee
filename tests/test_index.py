"""The corpus index: build, add, stats, query, and CP005 against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.index.minhash import band_keys, signatures
from auditor.index.store import CorpusIndex
from auditor.readers import read_submission
from tests.conftest import CORPUS, SEED


def test_near_duplicates_share_a_band_and_unrelated_texts_do_not() -> None:
    a = "通过项目实施有效降低事故发生减少经济损失"
    b = "通过项目实施有效降低安全事故发生减少经济损失"
    c = "完成200家企业安全生产检查"
    keys = band_keys(signatures([a, b, c]))
    assert (keys[0] == keys[1]).any()
    assert not (keys[0] == keys[2]).any()


def test_block_signatures_equal_the_per_text_definition() -> None:
    """signatures() hashes many texts at once in place; it must equal MinHash of each text's own
    bigram set (an index built before stays valid for queries made after)."""
    import numpy as np

    from auditor.index.minhash import _A, _B, _mix, shingle_hashes

    texts = ["", "a", "ab", "aa", "\U0010ffff\U0010fffe", "完成200家企业安全生产检查", "哈" * 300, "\0x\0", "ab" * 7]
    texts += [f"通过项目实施有效降低{i}类事故发生减少经济损失" for i in range(1200)]  # more than one block
    with np.errstate(over="ignore"):
        expected = np.stack([_mix(shingle_hashes(t)[:, None] * _A[None, :] + _B[None, :]).min(axis=0) for t in texts])
    assert np.array_equal(signatures(texts), expected)
    assert signatures([]).shape == (0, 64)


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("index") / "corpus.sqlite"
    result = CliRunner().invoke(cli, ["index", "build", str(CORPUS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_build_and_stats(corpus_index: Path) -> None:
    with CorpusIndex(corpus_index) as store:
        stats = store.stats()
    assert stats["submissions"] >= 13 and stats["texts"] > stats["distinct_texts"] > 100
    output = CliRunner().invoke(cli, ["index", "stats", "--db", str(corpus_index)]).stdout
    assert "distinct_texts" in output


def test_add_appends(corpus_index: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    db.write_bytes(corpus_index.read_bytes())
    before = CorpusIndex(db).stats()["submissions"]
    CliRunner().invoke(cli, ["index", "add", str(SEED), "--db", str(db)])
    assert CorpusIndex(db).stats()["submissions"] == before + 1


def test_query_finds_exact_and_near_copies(corpus_index: Path) -> None:
    with CorpusIndex(corpus_index) as store:
        exact = store.matches("已完成年初设定的各项绩效目标任务", 90)
        near = store.matches("已完成年初设定的各项绩效目标任务之一", 90)
        own = store.matches("已完成年初设定的各项绩效目标任务", 90, exclude=("x", "深圳市龙岗区应急管理局", 2020))
    assert exact.matches[0].department == "深圳市龙岗区应急管理局" and exact.matches[0].year == 2020
    assert exact.uses == 14 and exact.departments == 1
    assert near.matches and 90 <= near.matches[0].similarity < 100
    assert own.matches == [] and own.uses == 0


def _cloned_seed(tmp_path: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("深圳市龙岗区应急管理局", "深圳市某区水务局").replace(
        "龙岗区应急管理局2020年度", "某区水务局2021年度"
    )
    path = tmp_path / "clone-2021.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_cloned_seed_gets_cp005_naming_the_original(corpus_index: Path, tmp_path: Path) -> None:
    clone = _cloned_seed(tmp_path)
    assert read_submission(clone).department == "深圳市某区水务局"
    result = CliRunner().invoke(
        cli, ["lint", "--isolated", "--format", "json", "--select", "CP005", "--index", str(corpus_index), str(clone)]
    )  # fmt: skip
    findings = json.loads(result.stdout)["findings"]
    assert len(findings) > 30
    first = next(f for f in findings if f["project_index"] == 3 and f["field"] == "goal")
    assert "深圳市龙岗区应急管理局2020年度“防控一线工作”" in first["message"]


def test_allowlist_and_common_phrase_threshold(corpus_index: Path, tmp_path: Path, monkeypatch) -> None:
    clone = _cloned_seed(tmp_path)
    (tmp_path / "auditor.toml").write_text(
        "[options]\nclone-allow = ['已完成年初设定的各项绩效目标任务']\ncorpus-boilerplate-departments = 0\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "--select", "CP005", "--index", str(corpus_index),
                                      str(clone)])  # fmt: skip
    findings = json.loads(result.stdout)["findings"]
    from auditor.resources import configure

    configure()
    assert not any(f["text"] == "已完成年初设定的各项绩效目标任务" for f in findings)
    # With a threshold of 0 departments every shared text is corpus boilerplate: one finding per text.
    assert findings and all("全库通用套话" in f["message"] for f in findings)
    assert len({f["text"] for f in findings}) == len(findings)


def test_missing_index_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["lint", "--index", str(tmp_path / "none.sqlite"), str(SEED)])
    assert result.exit_code == 2 and "E113" in result.stderr


def test_clones_lists_cross_department_clusters(corpus_index: Path, tmp_path: Path) -> None:
    clone = _cloned_seed(tmp_path)
    result = CliRunner().invoke(cli, ["clones", "--format", "json", "--min-departments", "2", str(clone), str(SEED)])
    clusters = json.loads(result.stdout)
    assert clusters and all(len(c["departments"]) >= 2 for c in clusters)
    top = clusters[0]
    assert set(top["departments"]) == {"深圳市龙岗区应急管理局", "深圳市某区水务局"} and top["years"] == [2020, 2021]
    csv_out = CliRunner().invoke(cli, ["clones", "--format", "csv", "--index", str(corpus_index)]).stdout
    assert csv_out.startswith("\ufeff簇,代表文字")


def test_auditorignore_keeps_training_data_out_of_folder_runs() -> None:
    from auditor.readers import iter_inputs

    files, notices = iter_inputs(CORPUS)
    assert not any("labels" in path.parts for path in files) and not notices


# ------------------------------------------------- a frozen expectation for a generated corpus

#: Measured with the index as it was before the issue-15 speed work (commit fb35da9): the clusters,
#: the lookups of 101 probes (uses, departments, matches with similarity) and the LSH candidate
#: pairs must not change with how the index is built or queried.
FROZEN = {
    "clusters": 501,
    "clustered_uses": 2141,
    "clusters_sha": "708a9413a12796fa",
    "lookups_sha": "436da2113747c563",
    "matched": 100,
    "pairs": 10042,
    "pairs_sha": "249e884f2075f32a",
}


def _generated(n: int = 3000, seed: int = 15) -> list[str]:
    import random

    rng = random.Random(seed)
    words = (
        "完成 项目 年度 绩效目标 安全生产 检查 企业 群众满意度 达到 预期 提高 服务质量 "
        "河道整治 校舍维修 培训 人次 覆盖率 及时 按计划 有效降低 事故 经济损失"
    ).split()
    made: list[str] = []
    while len(made) < n:
        roll = rng.random()
        if made and roll < 0.3:
            made.append(rng.choice(made))
        elif made and roll < 0.6:
            text = list(rng.choice(made))
            for _ in range(rng.randint(1, 3)):
                text[rng.randrange(len(text))] = rng.choice("的和已完成及时提高12345，。")
            made.append("".join(text))
        else:
            made.append("，".join(rng.choice(words) + str(rng.randint(1, 99)) for _ in range(rng.randint(3, 12))))
    return made


def _digest(value: object) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


def _summary(db: Path, groups: list) -> dict[str, object]:
    import random

    from auditor.index.clusters import Use, cluster
    from auditor.text.normalize import normalize

    uses: dict[str, list[Use]] = {}
    for path, department, year, items in groups:
        for item in items:
            use = Use(item.text, department, year, path, item.project, item.category, item.field)
            uses.setdefault(normalize(item.text), []).append(use)
    clusters = [[c.representative, [list(u.__dict__.values()) for u in c.uses]] for c in cluster(uses)]
    texts = [item.text for *_, items in groups for item in items]
    probes = [*random.Random(3).sample(texts, 100), "完全无关的一段文字内容用于测试"]
    with CorpusIndex(db, readonly=True) as store:
        looks = store.lookup_many(probes, 90, exclude=("t3.xlsx", "部门3", 2021))
        found = store.candidates([normalize(p) for p in probes], 90)
    lookups = [[x.uses, x.departments, [[m.department, m.year, m.path, m.project, m.similarity] for m in x.matches]]
               for x in looks]  # fmt: skip
    pairs = sorted({(min(a, b), max(a, b)) for ids in found for a in ids for b in ids if a != b})
    return {
        "clusters": len(clusters),
        "clustered_uses": sum(len(c[1]) for c in clusters),
        "clusters_sha": _digest(clusters),
        "lookups_sha": _digest(lookups),
        "matched": sum(1 for x in looks if x.matches),
        "pairs": len(pairs),
        "pairs_sha": _digest(pairs),
    }


def _generated_groups() -> list:
    from auditor.index.store import IndexedText

    texts = _generated()
    return [
        (f"t{g // 50}.xlsx", f"部门{(g // 50) % 7}", 2018 + (g // 50) % 4,
         [IndexedText(i, f"项目{i}", "产出指标", "target", t) for i, t in enumerate(texts[g : g + 50])])
        for g in range(0, len(texts), 50)
    ]  # fmt: skip


def test_generated_corpus_gives_the_frozen_clusters_lookups_and_pairs(tmp_path: Path) -> None:
    groups = _generated_groups()
    db = tmp_path / "added.sqlite"
    with CorpusIndex(db) as store:
        store.add_texts(groups)
    assert _summary(db, groups) == FROZEN


@pytest.mark.parametrize("batches", ["default", "small"])
def test_build_path_gives_the_same_frozen_results(tmp_path: Path, monkeypatch, batches: str) -> None:
    """``index build`` (bulk: bands sorted and indexes made after the rows) against the frozen figures;
    with small batches, many signature and row batches."""
    from auditor.index import store
    from auditor.index.store import build_index_texts

    if batches == "small":
        monkeypatch.setattr(store, "NORM_BATCH", 37)
        monkeypatch.setattr(store, "TEXT_BATCH", 101)
    groups = _generated_groups()
    db = tmp_path / "built.sqlite"
    added, stats = build_index_texts(db, iter(groups))
    assert added == 3000 and stats["band_rows"] == 16 * stats["distinct_texts"]
    assert _summary(db, groups) == FROZEN
    with CorpusIndex(db, readonly=True) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"norms_hash", "texts_norm"} <= indexes


#: The schema of files written before bands became WITHOUT ROWID: they must still be read and added to.
OLD_SCHEMA = """
CREATE TABLE submissions (id INTEGER PRIMARY KEY, path TEXT, department TEXT, year INTEGER);
CREATE TABLE norms (id INTEGER PRIMARY KEY, hash INTEGER UNIQUE, norm TEXT);
CREATE TABLE texts (id INTEGER PRIMARY KEY, submission INTEGER, norm INTEGER, project_index INTEGER, project TEXT,
    category TEXT, field TEXT, text TEXT);
CREATE TABLE bands (band INTEGER, key INTEGER, length INTEGER, norm INTEGER);
CREATE INDEX texts_norm ON texts(norm);
CREATE INDEX bands_key ON bands(band, key, length);
"""


def test_an_index_in_the_earlier_schema_is_added_to_and_queried_alike(tmp_path: Path, monkeypatch) -> None:
    import sqlite3

    from auditor.index.store import APPLICATION_ID

    db = tmp_path / "old.sqlite"
    raw = sqlite3.connect(db)
    raw.executescript(OLD_SCHEMA + f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;")
    raw.close()
    groups = _generated_groups()
    monkeypatch.setattr("auditor.index.store.NORM_BATCH", 53)
    with CorpusIndex(db) as store:
        store.add_texts(groups[:30])
        store.add_texts(groups[30:])  # the second add finds earlier texts by hash
    assert _summary(db, groups) == FROZEN


def test_band_lookups_read_one_index_range(corpus_index: Path) -> None:
    """EXPLAIN QUERY PLAN: a bucket is a range of the bands key (no scan, no temporary B-tree for
    the lookups of ``candidates``), and a text's uses come through ``texts_norm``."""
    with CorpusIndex(corpus_index, readonly=True) as store:
        plan = lambda sql, *args: " | ".join(r[3] for r in store.db.execute(f"EXPLAIN QUERY PLAN {sql}", args))  # noqa: E731
        bucket = plan("SELECT norm FROM bands WHERE band = ? AND key = ? AND length BETWEEN ? AND ?", 0, 1, 2, 3)
        uses = plan("SELECT t.project FROM texts t JOIN submissions s ON s.id = t.submission WHERE t.norm = ?", 1)
        by_hash = plan("SELECT id FROM norms WHERE hash IN (?, ?)", 1, 2)
    assert "SEARCH bands USING PRIMARY KEY (band=? AND key=? AND length>? AND length<?)" in bucket, bucket
    assert "SCAN" not in bucket
    assert "USING INDEX texts_norm (norm=?)" in uses and "SCAN" not in uses, uses
    assert "USING COVERING INDEX norms_hash" in by_hash or "USING INDEX norms_hash" in by_hash, by_hash
