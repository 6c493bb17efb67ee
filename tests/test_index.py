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
