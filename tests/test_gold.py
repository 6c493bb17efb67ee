"""The whole catalog measured against reviewers' labels: the seed's gold and the defect samples."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.checks.engine import lint
from auditor.readers import read_submission
from tests.conftest import CORPUS, SEED
from tests.review import score

GOLD = Path(__file__).parent / "data" / "seed-gold.yaml"
REVIEWED = sorted(
    p for p in CORPUS.glob("*.expected.yaml") if "review" in yaml.safe_load(p.read_text(encoding="utf-8"))
)


def test_seed_against_gold() -> None:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["projects"]
    result = score(gold, lint(read_submission(SEED)))
    assert result.recall >= 0.95, result.missed
    assert result.precision >= 0.90, result.extra
    for family in result.by_family:
        assert result.family_recall(family) >= 0.9, (family, result.missed)


@pytest.mark.parametrize("path", REVIEWED, ids=lambda p: p.name.split(".")[0])
def test_reviewed_samples(path: Path) -> None:
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = score(expected["review"], lint(read_submission(CORPUS / expected["file"])))
    assert result.recall >= 0.85, result.missed
    assert result.precision >= 0.85, result.extra
