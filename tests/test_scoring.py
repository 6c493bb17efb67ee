"""Quality scores (docs/scoring.md): weights, monotonicity, ranking, configuration, ``auditor score``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.cli import cli
from auditor.model import Cell, Finding, Indicator, Project, Severity, Submission, Suppression
from auditor.model import Layout as L
from auditor.progress import Progress
from auditor.reporters import FileResult, Report
from auditor.resources import configure
from auditor.scoring import grade, rank_departments, score_project, score_submission

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OUTPUT = ("数量指标", "质量指标", "时效指标", "成本指标")
EFFECT = ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")


def project(index: int = 1, categories: tuple[str, ...] = (*OUTPUT, *EFFECT, "满意度指标")) -> Project:
    """A wide-layout project with the given categories (by default all nine)."""
    indicators = tuple(Indicator(category, Cell("≥1"), Cell("1")) for category in categories)
    return Project(index=index, name=Cell(f"项目{index}"), indicators=indicators)


def finding(code: str, severity: str, field: str, indicator: str | None = None, index: int = 1) -> Finding:
    return Finding(code=code, name=code.lower(), severity=Severity(severity), message="m", file="t.csv",
                   department="某局", project_index=index, project=f"项目{index}", indicator=indicator,
                   field=field)  # fmt: skip


@pytest.fixture(autouse=True)
def _default_packs():
    configure()
    yield
    configure()


def test_clean_project_scores_full_marks():
    scored = score_project(project(), [])
    assert scored.score == 100.0
    assert scored.grade == "优"
    assert scored.sections == {"产出": 100.0, "效益": 100.0, "满意度": 100.0, "预算执行": 100.0}


def test_documented_examples():
    """The three worked examples of docs/scoring.md, to the tenth of a point."""
    assert score_project(project(), [finding("MS001", "warning", "target", "数量指标")]).score == 97.5
    assert score_project(project(), [finding("VG001", "warning", "target", "生态效益指标")]).score == 98.9
    assert score_project(project(), [finding("NM001", "error", "budget")]).score == 95.0


def test_output_defect_weighs_more_than_vague_ecological_line():
    output = score_project(project(), [finding("VG001", "warning", "target", "数量指标")])
    ecological = score_project(project(), [finding("VG001", "warning", "target", "生态效益指标")])
    assert output.score < ecological.score


def test_family_factor_orders_costs():
    scores = {
        family: score_project(project(), [finding(f"{family}001", "warning", "target", "数量指标")]).score
        for family in ("NM", "CP", "VG", "LG")
    }
    assert scores["NM"] < scores["CP"] < scores["VG"] < scores["LG"] < 100


def test_overall_texts_cost_a_quarter():
    scored = score_project(project(), [finding("CP004", "warning", "goal_completion")])
    assert scored.score == 95.0  # 20 × 1.0 × 0.25
    assert scored.sections["产出"] == 100.0


def test_missing_category_counts_as_an_empty_indicator():
    bare = Project(index=1, name=Cell("项目1"), indicators=(Indicator("数量指标", Cell("≥1"), Cell("1")),))
    scored = score_project(bare, [finding("ST001", "warning", "target", "满意度指标")])
    assert scored.sections["满意度"] == 80.0
    assert scored.score == 98.0


def test_leaving_an_indicator_out_never_beats_filling_it_in_badly():
    copied = [finding("CP001", "error", "completion", category) for category in ("数量指标", "质量指标", "时效指标")]
    filled = score_project(project(categories=("数量指标", "质量指标", "时效指标")), copied)
    gaps = [finding("ST001", "warning", "target", category) for category in ("质量指标", "时效指标")]
    missing = [copied[0], *gaps]
    left_out = score_project(project(categories=("数量指标",)), missing)
    assert left_out.sections["产出"] < filled.sections["产出"]
    alone = score_project(project(categories=("数量指标",)), copied[:1])
    assert left_out.score < alone.score  # reporting the gap lowers the score


def test_accepted_findings_cost_nothing():
    accepted = replace(
        finding("CP001", "error", "completion", "数量指标"), suppression=Suppression("in_source", "已核实")
    )
    assert score_project(project(), [accepted]).score == 100.0


def test_standard_layout_indicators_matched_by_name():
    two = Project(index=1, name=Cell("p"), indicators=(
        Indicator("数量指标", Cell("≥10个"), Cell("10个"), name=Cell("培训场次")),
        Indicator("数量指标", Cell("≥100人"), Cell("100人"), name=Cell("培训人数")),
    ))  # fmt: skip
    copied = replace(finding("CP001", "error", "completion", "数量指标"), indicator_name="培训人数")
    scored = score_project(two, [copied])
    assert [item.score for item in scored.indicators] == [100.0, 60.0]


def test_grades_follow_the_bands():
    grades = [grade(value) for value in (100, 90, 89.9, 80, 79.9, 60, 59.9, 0)]
    assert grades == ["优", "优", "良", "良", "中", "中", "差", "差"]


FINDINGS = st.builds(
    finding,
    code=st.sampled_from(["CP001", "VG001", "MS001", "NM001", "ST001", "LG001"]),
    severity=st.sampled_from(["error", "warning", "info"]),
    field=st.sampled_from(["target", "completion", "budget", "goal", "row", "score"]),
    indicator=st.sampled_from([None, *OUTPUT, *EFFECT, "满意度指标"]),
)


CATEGORY_SUBSETS = st.lists(st.sampled_from([*OUTPUT, *EFFECT, "满意度指标"]), unique=True).map(tuple)


@settings(max_examples=300, deadline=None)
@given(st.lists(FINDINGS, max_size=12), FINDINGS, CATEGORY_SUBSETS)
def test_one_more_finding_never_raises_a_score(findings, extra, categories):
    """Also for projects that lack categories, where findings land on absent indicators."""
    before = score_project(project(categories=categories), findings)
    after = score_project(project(categories=categories), [*findings, extra])
    assert 0.0 <= after.score <= before.score <= 100.0
    for name, value in after.sections.items():
        assert value <= before.sections[name]


@settings(max_examples=100, deadline=None)
@given(st.lists(FINDINGS, min_size=1, max_size=8), st.data())
def test_a_more_severe_finding_never_raises_a_score(findings, data):
    position = data.draw(st.integers(0, len(findings) - 1))
    worse = list(findings)
    worse[position] = replace(worse[position], severity=Severity.ERROR)
    assert score_project(project(), worse).score <= score_project(project(), findings).score


def _submission(path: str, department: str | None, scores: list[int]) -> FileResult:
    projects = tuple(project(index) for index in range(1, len(scores) + 1))
    submission = Submission(path=path, layout=L.WIDE, projects=projects, department=department)
    findings = [
        finding("NM001", "error", "budget", index=index)
        for index, errors in enumerate(scores, 1)
        for _ in range(errors)
    ]
    return FileResult(submission, findings, 0.0)


def test_departments_ranked_best_first_with_ties_by_name():
    report = Report(files=[
        _submission("b.csv", "乙局", [1, 0]),
        _submission("a.csv", "甲局", [0, 0]),
        _submission("c.csv", "丙局", [0, 1]),
        _submission("d.csv", None, [2]),
    ])  # fmt: skip
    ranked = rank_departments(report)
    assert [(d.rank, d.department, d.score) for d in ranked] == [
        (1, "甲局", 100.0), (2, "丙局", 97.5), (3, "乙局", 97.5), (4, "（未注明单位）d", 90.0)
    ]  # fmt: skip


def test_a_department_pools_its_projects_across_files():
    report = Report(files=[_submission("x/2021.csv", "甲局", [0]), _submission("x/2022.csv", "甲局", [4, 4, 4])])
    [department] = rank_departments(report)
    assert len(department.submissions) == 2
    assert department.score == round((100 + 90 * 3) / 4, 1)  # budget section floors at 0: −10 each


def test_submission_score_is_the_mean_of_its_projects():
    scored = score_submission(*_args(_submission("s.csv", "甲局", [0, 2])))
    assert scored.score == 95.0
    assert [item.score for item in scored.projects] == [100.0, 90.0]


def _args(result: FileResult) -> tuple[Submission, list[Finding]]:
    return result.submission, result.findings


def test_scoring_options_merge_into_the_pack(tmp_path):
    configure({"scoring": {"family_factor": {"NM": 2.0}, "overall_factor": 0.5}})
    assert score_project(project(), [finding("NM001", "error", "budget")]).score == 92.0  # 40 × 2 → section 20
    assert score_project(project(), [finding("CP004", "warning", "goal")]).score == 90.0
    assert score_project(project(), [finding("VG001", "warning", "target", "数量指标")]).score == 98.1  # VG kept


def test_documented_configuration_example_parses_and_applies(tmp_path):
    document = (Path(__file__).resolve().parent.parent / "docs" / "scoring.md").read_text(encoding="utf-8")
    snippet = document.split("```toml\n")[1].split("```")[0]
    (tmp_path / "auditor.toml").write_text(snippet.replace("[tool.auditor.options]", "[options]"), encoding="utf-8")
    seed = str(CORPUS / "000_9d9dc482990db41b.txt")
    result = CliRunner().invoke(cli, ["score", "--config", str(tmp_path / "auditor.toml"), "--format", "json", seed])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["weights"]["family_factor"]["LG"] == 0.25


@pytest.mark.parametrize("option", [
    'scoring-sections = { "产出" = 0, "效益" = 0, "满意度" = 0, "预算执行" = 0 }',
    'scoring-grades = { "A" = 50 }',
    'scoring-sections = { "绩效" = 10 }',
])  # fmt: skip
def test_unusable_weights_are_one_line_exit_2(tmp_path, option):
    (tmp_path / "auditor.toml").write_text(f"[options]\n{option}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", "--config", str(tmp_path / "auditor.toml"), str(CORPUS)])
    assert result.exit_code == 2
    assert "评分配置" in result.stderr and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_score_command_ranks_the_corpus():
    runner = CliRunner()
    result = runner.invoke(cli, ["score", "--isolated", "--format", "json", str(CORPUS)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    scores = [department["score"] for department in document["departments"]]
    assert scores == sorted(scores, reverse=True)
    assert len(document["departments"]) >= 10
    seed = next(d for d in document["departments"] if d["department"] == "深圳市龙岗区应急管理局")
    assert seed["grade"] == "差" and len(seed["submissions"][0]["projects"]) == 14
    lint = json.loads(runner.invoke(cli, ["lint", "--isolated", "--format", "json", str(CORPUS)]).stdout)
    by_path = {item["path"]: item["score"] for item in lint["files"]}
    for department in document["departments"]:
        for submission in department["submissions"]:
            assert by_path[submission["path"]] == submission["score"]


def test_score_csv_has_one_row_per_project():
    seed = str(CORPUS / "000_9d9dc482990db41b.txt")
    result = CliRunner().invoke(cli, ["score", "--isolated", "--format", "csv", seed])
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0][:3] == ["部门排名", "部门", "部门得分"]
    assert len(rows) == 1 + 14


def test_score_text_names_grades():
    result = CliRunner().invoke(cli, ["score", "--isolated", str(CORPUS / "000_9d9dc482990db41b.txt")])
    assert result.exit_code == 0
    assert "深圳市龙岗区应急管理局" in result.stdout and "差" in result.stdout


def test_bad_scoring_option_is_one_line_exit_2(tmp_path):
    (tmp_path / "auditor.toml").write_text('[options]\nscoring-family-factor = { NM = "high" }\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", "--config", str(tmp_path / "auditor.toml"), str(CORPUS)])
    assert result.exit_code == 2
    assert "评分配置" in result.stderr and "Traceback" not in result.stderr


def test_unreadable_input_exits_2_after_scoring_the_rest(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    result = CliRunner().invoke(cli, ["score", "--isolated", str(broken), str(CORPUS / "000_9d9dc482990db41b.txt")])
    assert result.exit_code == 2
    assert "broken.xlsx" in result.stderr and "深圳市龙岗区应急管理局" in result.stdout


def test_progress_bar_draws_only_when_asked():
    stream = io.StringIO()  # not a terminal
    with Progress(stream=stream) as bar:
        for done in range(4):
            bar(done, 3, "a.xlsx")
    assert stream.getvalue() == ""
    forced = io.StringIO()
    with Progress(stream=forced, force=True) as bar:
        for done in range(4):
            bar(done, 3, "a.xlsx")
    assert "3/3" in forced.getvalue()
    single = io.StringIO()
    with Progress(stream=single, force=True) as bar:
        bar(0, 1, "one.xlsx")
    assert single.getvalue() == ""
