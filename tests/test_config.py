"""Configuration discovery, precedence, validation and selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.config import ConfigError, find_config, load_config
from tests.conftest import SEED


@pytest.fixture(autouse=True)
def _reset_packs():
    yield
    from auditor.resources import configure

    configure()


def lint_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["lint", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}


def codes(report: dict) -> set[str]:
    return {f["code"] for f in report["findings"] if "suppressed" not in f}


def test_nearest_config_up_the_tree(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.auditor]\nignore = ['VG']\n", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "auditor.toml").write_text("ignore = ['MS']\n", encoding="utf-8")
    assert find_config(deep) == tmp_path / "a" / "auditor.toml"


def test_pyproject_without_auditor_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert find_config(tmp_path) is None or find_config(tmp_path) != tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("selct = ['CP']\n", "selct"),
        ("[options]\nnear-copy = 90\n", "options.near-copy"),
        ("fail-on = 'sometimes'\n", "fail-on"),
        ("[severity]\nCP001 = 'fatal'\n", "severity"),
        ("[options]\nlow-execution-threshold = 'high'\n", "low-execution-threshold"),
        ("select = [\n", "TOML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "auditor.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert fragment in info.value.one_line() and str(path) in info.value.one_line()


def test_bad_config_exits_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.toml").write_text("colour = 'red'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", str(SEED)])
    assert result.exit_code == 2 and "colour" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_flags_override_file_which_overrides_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.toml").write_text("select = ['ST']\nfail-on = 'warning'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, report = lint_json(str(SEED))
    assert codes(report) and all(c.startswith("ST") for c in codes(report)) and code == 1
    code, report = lint_json("--select", "NM004", "--fail-on", "error", str(SEED))
    assert codes(report) == {"NM004"} and code == 0
    code, report = lint_json("--isolated", str(SEED))
    assert {"CP001", "VG002"} <= codes(report)


def test_selection_by_name_prefix_and_extend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    _, report = lint_json("--select", "row-misaligned", str(SEED))
    assert codes(report) == {"ST003"}
    _, report = lint_json("--select", "ST00", "--ignore", "ST001,ST005", "--extend-select", "LG002", str(SEED))
    assert codes(report) == {"ST003", "ST004", "LG002"}
    assert CliRunner().invoke(cli, ["lint", "--select", "nonsense-rule", str(SEED)]).exit_code == 2


def test_per_file_ignores_and_severity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.toml").write_text(
        "[per-file-ignores]\n'000_*.txt' = ['CP', 'VG']\n[severity]\nST003 = 'error'\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    _, report = lint_json(str(SEED))
    assert not any(c.startswith(("CP", "VG")) for c in codes(report))
    assert {f["severity"] for f in report["findings"] if f["code"] == "ST003"} == {"error"}


def test_rule_options_reach_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, report = lint_json("--select", "NM004", str(SEED))
    assert [f["project_index"] for f in report["findings"]] == [10]
    (tmp_path / "auditor.toml").write_text("[options]\nlow-execution-threshold = 85\n", encoding="utf-8")
    _, report = lint_json("--select", "NM004", str(SEED))
    assert report["findings"] == []


def test_extra_lexicon_and_allowed_phrases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ours.yaml").write_text("phrases:\n  boilerplate: [防控一线工作是指]\n", encoding="utf-8")
    (tmp_path / "auditor.toml").write_text(
        "[options]\nextra-lexicons = ['ours.yaml']\nallow-phrases = ['有效提高']\n", encoding="utf-8"
    )
    _, report = lint_json("--select", "VG001", str(SEED))
    places = {(f["project_index"], f["field"]) for f in report["findings"]}
    assert (3, "goal") in places  # the extra phrase
    assert not any("有效提高" in f["message"] and "、" not in f["message"] for f in report["findings"])


def test_auditor_config_shows_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.toml").write_text("ignore = ['MS006']\n[options]\nnear-copy-ratio = 90\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    output = CliRunner().invoke(cli, ["config"]).stdout
    assert 'ignore = ["MS006"]' in output and "auditor.toml" in output
    assert "options.near-copy-ratio = 90.0" in output
    assert "options.low-execution-threshold = 90" in output and "默认" in output


def test_statistics_and_quiet(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    stats = CliRunner().invoke(cli, ["lint", "--statistics", "--select", "ST003", str(SEED)]).stdout
    assert stats.splitlines()[0].split() == ["3", "ST003", "row-misaligned"]
    quiet = CliRunner().invoke(cli, ["lint", "-q", "--select", "ST003", str(SEED)])
    assert len(quiet.stdout.splitlines()) == 3 and quiet.stderr == ""


def test_stdin_with_filename(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--select", "ST003", "--stdin-filename", "提交/自评表.txt", "-"],
        input=SEED.read_bytes(),
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["files"][0]["path"] == "提交/自评表.txt" and len(report["findings"]) == 3
