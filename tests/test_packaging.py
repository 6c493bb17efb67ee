"""rules/ and models/ ship inside the wheel, where a non-editable install finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (path,) = out.glob("auditor-*.whl")
    return path


def test_wheel_ships_rule_packs_and_models(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in sorted((ROOT / "rules").glob("*.yaml")):
        assert f"auditor/_data/rules/{pack.name}" in names
    assert "auditor/_data/models/README.md" in names
    assert "auditor/cli.py" in names


def test_installed_layout_finds_packaged_data(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = (
        "from auditor.resources import data_dir; "
        "import auditor, pathlib; "
        "d = data_dir('rules'); "
        "assert pathlib.Path(auditor.__file__).parent in d.parents, d; "
        "print(d)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)},
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "_data" in result.stdout
