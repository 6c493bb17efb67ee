"""The learned models: safe JSON format, numpy prediction equal to scikit-learn's, opt-in use."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from auditor.ml.linear import LinearTextModel, table
from auditor.ml.train import load_labels
from tests.conftest import ROOT

LABELS = ROOT / "corpus" / "labels" / "indicators.tsv"
MODELS = ROOT / "models"


@pytest.fixture(scope="module")
def small_model() -> tuple[LinearTextModel, list[str], list[str]]:
    data = load_labels(LABELS)
    index = list(range(0, len(data.texts), 6))  # a deterministic sixth, to keep the test quick
    texts = [data.texts[i] for i in index]
    sides = [data.sides[i] for i in index]
    labels = [data.labels["quality"][i] for i in index]
    return LinearTextModel(C=4.0).fit(texts, sides, labels), texts, sides


def test_numpy_prediction_equals_the_fitted_pipeline(small_model) -> None:
    model, texts, sides = small_model
    ours = model.decision_function(texts[:60], sides[:60])
    theirs = model.pipeline_.decision_function(table(texts[:60], sides[:60]))
    assert np.allclose(ours, theirs, atol=1e-8)


def test_json_round_trip_predicts_the_same(small_model, tmp_path: Path) -> None:
    model, texts, sides = small_model
    path = tmp_path / "m.json"
    path.write_text(model.to_json(), encoding="utf-8")
    loaded = LinearTextModel.load(path)
    assert np.allclose(loaded.predict_proba(texts[:40], sides[:40]), model.predict_proba(texts[:40], sides[:40]),
                       atol=1e-4)  # fmt: skip


def test_load_refuses_anything_but_its_own_format(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "pickle", "dense_features": []}), encoding="utf-8")
    with pytest.raises(ValueError):
        LinearTextModel.load(path)


@pytest.mark.parametrize("name", ["category", "quality"])
def test_shipped_models_are_small_fast_and_plain_data(name: str) -> None:
    path = MODELS / f"{name}.json"
    assert path.stat().st_size < 10 * 2**20
    start = time.perf_counter()
    model = LinearTextModel.load(path)
    assert time.perf_counter() - start < 0.3 * 5  # 0.3 s target; generous margin on a loaded CI machine
    assert path.read_bytes().startswith(b'{"format":"auditor-linear/1"')
    assert len(model.classes_) == (9 if name == "category" else 6)


def test_report_states_held_out_scores() -> None:
    report = (MODELS / "REPORT.md").read_text(encoding="utf-8")
    scores = [float(part.split("**")[1]) for part in report.split("macro-F1：")[1:] if "**" in part[:20]]
    assert len(scores) == 2 and all(score >= 0.85 for score in scores), scores


def test_model_uses_are_opt_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from auditor.cli import cli
    from auditor.resources import configure
    from tests.conftest import SEED

    off = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", "--select", "ST005", str(SEED)])
    (tmp_path / "auditor.toml").write_text("[options]\nmodel-category = true\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    on = CliRunner().invoke(cli, ["lint", "--format", "json", "--select", "ST005", str(SEED)])
    configure()
    model_findings = [f for f in json.loads(on.stdout)["findings"] if "模型判断" in f["message"]]
    assert not any("模型判断" in f["message"] for f in json.loads(off.stdout)["findings"])
    assert model_findings and all("概率" in f["message"] for f in model_findings)
