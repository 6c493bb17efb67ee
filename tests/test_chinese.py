"""Every message the CLI, click or TOML prints on an error path is Chinese.

The CLI's error paths are run in a real process and their output checked for Latin-script
sentences once codes (E114, CP001), paths, option names, file suffixes and format names are taken
out: two Latin words in a row is English leaking through.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

ALLOWED = re.compile(
    r"(?:(?<![\w-])--?[A-Za-z][\w-]*)"  # option names
    r"|(?:\b[A-Z]{1,2}\d{3}\b)"  # error and rule codes
    r"|(?:[\w.-]+\.(?:toml|json|xlsx|md|yaml|sqlite|csv|txt|html)\b)"  # file names
    r"|(?:\[[^\]]*\])"  # metavars and choice lists
    r"|(?:\b(?:auditor|TOML|JSON|SARIF|UTF-8|xlsx|xls|csv|docx|txt|html|text|json|sarif|github|junit|none|error"
    r"|warning|info|PATHS|CODE|Excel|Word|tool|options|severity|select|ignore|UUID|lint|score|report|stats"
    r"|rules|index|clones|config|build|add|train|export|spark|Spark|PySpark|Java|Parquet)\b)"
    r"|(?:\bpip install '[^']*')"  # an install command quoted as it is typed
)
SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,.'\u2019]+[A-Za-z]{2,}")


def _cases(tmp: Path) -> list[list[str]]:
    bad_toml = tmp / "bad" / "auditor.toml"
    bad_toml.parent.mkdir()
    bad_toml.write_text("select = [\"CP\"\n产出 = 1\n", encoding="utf-8")
    unknown_key = tmp / "unknown.toml"
    unknown_key.write_text("selct = [\"CP\"]\n", encoding="utf-8")
    foreign = tmp / "foreign.xlsx"
    foreign.write_bytes((ROOT / "corpus" / "culture-2022-wide.xlsx").read_bytes())
    empty = tmp / "empty"
    empty.mkdir()
    return [
        ["lint", "--selct", "CP", str(SEED)],
        ["lint", "--format", "xml", str(SEED)],
        ["lint", "--fail-on"],
        ["lint", str(tmp / "missing.xlsx")],
        ["lint"],
        ["lint", "--select", "XX", str(SEED)],
        ["lint", "--config", str(bad_toml), str(SEED)],
        ["lint", "--config", str(unknown_key), str(SEED)],
        ["lint", str(empty)],
        ["lint", "--baseline", str(foreign), str(SEED)],
        ["score"],
        ["score", "--decisions", str(foreign), str(SEED)],
        ["score", "-", str(SEED)],
        ["report", str(SEED)],
        ["report", "-o"],
        ["stats"],
        ["stats", "--decisions", str(foreign)],
        ["rules", "XX999"],
        ["rules", "--write-docs"],
        ["nosuch"],
        ["clones", "--min-departments", "x", str(SEED)],
        ["clones", "--index", str(tmp / "none.sqlite"), str(SEED)],
        ["index", "stats", "--db", str(tmp / "none.sqlite")],
        ["config", "--config", str(bad_toml)],
        ["lint", "-h"],
        ["--help"],
    ]


def _latin(output: str, tmp: Path) -> list[str]:
    cleaned = output.replace(str(tmp), "").replace(str(SEED), "").replace(str(ROOT), "")
    cleaned = re.sub(r"(?:/[\w.\-一-鿿]+)+", "", cleaned)  # any remaining path
    cleaned = ALLOWED.sub(" ", cleaned)
    return SENTENCE.findall(cleaned)


def test_error_paths_speak_chinese(tmp_path: Path) -> None:
    problems = []
    for arguments in _cases(tmp_path):
        result = subprocess.run(
            [sys.executable, "-m", "auditor", *arguments], capture_output=True, text=True, cwd=tmp_path, timeout=120,
            input="",
        )  # fmt: skip
        output = result.stdout + result.stderr
        if arguments[-1] not in ("-h", "--help"):
            assert result.returncode == 2, (arguments, output)
            assert "Traceback" not in output
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert lines, arguments
        found = _latin(output, tmp_path)
        if found:
            problems.append(f"{arguments}: {found} in {output[:300]!r}")
    assert problems == []


def test_usage_errors_are_one_line_with_a_hint(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "auditor", "lint", "--selct", "CP"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=60)  # fmt: skip
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "没有选项 --selct" in line and "--select" in line and "auditor lint -h" in line


@pytest.mark.parametrize("source", ["x = \"abc\n", "a = 1\na = 2\n", "select \"CP\"\n"])
def test_toml_errors_name_line_and_column(tmp_path: Path, source: str) -> None:
    from auditor.config import load_config
    from auditor.errors import InputError

    path = tmp_path / "auditor.toml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_config(path)
    message = error.value.one_line()
    assert re.search(r"第 \d+ 行第 \d+ 列", message) and not SENTENCE.search(ALLOWED.sub(" ", message.replace(
        str(tmp_path), "")))  # fmt: skip
