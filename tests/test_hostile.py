"""Broken and hostile files: a clear one-line error (exit 2), bounded time and memory, inputs untouched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli, write_atomic
from tests.conftest import CORPUS, ROOT, SEED

BROKEN = ROOT / "tests" / "data" / "broken"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("truncated.xlsx", "E104"),
        ("not-a-zip.xlsx", "E104"),
        ("garbage.csv", "E105"),
        ("empty.xlsx", "E102"),
        ("billion-laughs.xlsx", "E112"),
        ("zip-bomb.xlsx", "E109"),
        ("password-protected.xlsx", "E103"),
    ],
)
def test_broken_file_gets_one_line(name: str, code: str) -> None:
    path = BROKEN / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, ["lint", "--isolated", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and code in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_wrong_extension_is_read_by_content() -> None:
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", str(BROKEN / "word-renamed.xlsx")])
    assert result.exit_code in (0, 1)
    assert json.loads(result.stdout)["files"][0]["format"] == "docx"


@pytest.mark.parametrize("name", ["zip-bomb.xlsx", "billion-laughs.xlsx"])
def test_bombs_are_rejected_fast_and_small(name: str) -> None:
    """Rejected in < 2 s using < 200 MB (measured in a fresh process, start-up included)."""
    probe = (
        "import sys, time; start = time.perf_counter()\n"
        "from pathlib import Path\n"
        "from auditor.errors import InputError\n"
        "from auditor.readers import read_submission\n"
        "try:\n"
        f"    read_submission(Path({str(BROKEN / name)!r}))\n"
        "    sys.exit('not rejected')\n"
        "except InputError as error:\n"
        "    code = error.code\n"
        "seconds = time.perf_counter() - start\n"
        "# VmHWM is this process's own peak (ru_maxrss would include the parent's, kept across exec).\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(code, seconds, int(hwm) / 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    code, seconds, mib = done.stdout.split()
    assert code in ("E112", "E109")
    assert float(seconds) < 2.0, seconds
    assert float(mib) < 200, mib


def test_configured_limits_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.toml").write_text("[limits]\nmax-rows = 5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", str(SEED)])
    assert result.exit_code == 2 and "超过上限 5" in result.stderr
    (tmp_path / "auditor.toml").write_text("[limits]\nmax-rows-please = 5\n", encoding="utf-8")
    assert "max-rows-please" in CliRunner().invoke(cli, ["lint", str(SEED)]).stderr
    from auditor.readers.limits import set_limits

    set_limits({})


def test_interrupted_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "{}")
    assert list(tmp_path.iterdir()) == []


def test_output_valid_for_undecodable_file_names(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff\xfe-table.csv")  # lone surrogates after decoding
    (tmp_path / name).write_bytes((CORPUS / "transport-2021-wide.csv").read_bytes())
    for fmt in ("json", "sarif", "text", "csv", "github", "junit"):
        result = CliRunner().invoke(cli, ["lint", "--isolated", "--format", fmt, str(tmp_path)])
        assert result.exit_code in (0, 1), (fmt, result.output)
        result.stdout.encode("utf-8")  # valid UTF-8
        if fmt in ("json", "sarif"):
            json.loads(result.stdout)


def test_report_does_not_depend_on_argument_order() -> None:
    a, b = str(CORPUS / "transport-2021-wide.csv"), str(SEED)
    first = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", a, b]).stdout
    second = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", b, a]).stdout
    assert first == second
