from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "000_9d9dc482990db41b.txt"


@pytest.fixture(scope="session")
def seed_submission():
    from auditor.readers import read_submission

    return read_submission(SEED)
