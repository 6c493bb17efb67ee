"""Acceptance on the published seed: layout, department, year, projects, and the lost cells."""

from __future__ import annotations

import json

from click.testing import CliRunner

from auditor.cli import cli
from tests.conftest import SEED


def test_seed_facts(seed_submission) -> None:
    assert seed_submission.layout.value == "wide"
    assert seed_submission.department == "深圳市龙岗区应急管理局"
    assert seed_submission.year == 2020
    assert seed_submission.money_unit == "万元"
    assert [p.index for p in seed_submission.projects] == list(range(1, 15))


def test_only_rows_5_8_13_are_realigned_where_the_gold_puts_the_lost_cells(seed_submission) -> None:
    lost = {p.index: p.realignment.lost for p in seed_submission.projects if p.realignment}
    assert lost == {
        5: (("质量指标", "target"),),
        8: (("社会效益指标", "completion"),),
        13: (("时效指标", "target"),),
    }


def test_realigned_cells_land_in_the_right_place(seed_submission) -> None:
    by_index = {p.index: p for p in seed_submission.projects}
    p5 = {i.category: i for i in by_index[5].indicators}
    assert p5["质量指标"].target.lost and p5["质量指标"].completion.text == "100%验收合格"
    assert p5["满意度指标"].target.text == "服务对象满意度"
    p8 = {i.category: i for i in by_index[8].indicators}
    assert p8["社会效益指标"].completion.lost
    assert p8["生态效益指标"].target.text == p8["生态效益指标"].completion.text == "不适用"
    p13 = {i.category: i for i in by_index[13].indicators}
    assert p13["时效指标"].target.lost and p13["时效指标"].completion.text == "及时完成"
    assert p13["质量指标"].completion.text == "≥80%"
    # A shifted cell keeps its physical place in the file.
    assert p13["时效指标"].completion.location.cell == "N27"
    assert p13["质量指标"].completion.location.cell == "M27"


def test_budget_figures_are_read(seed_submission) -> None:
    p10 = seed_submission.projects[9]
    assert p10.budget.total.annual.number == 1444.64
    assert p10.budget.total.executed.number == 1273.65
    assert p10.budget.rate.percent == 88.16


def test_json_reports_st003_only_for_rows_5_8_13() -> None:
    result = CliRunner().invoke(cli, ["lint", "--format", "json", str(SEED)])
    assert result.exit_code == 1, result.output  # CP001 errors
    report = json.loads(result.output)
    (file_info,) = report["files"]
    assert file_info["layout"] == "wide"
    assert file_info["department"] == "深圳市龙岗区应急管理局"
    assert file_info["year"] == 2020 and file_info["projects"] == 14
    st003 = sorted(f["project_index"] for f in report["findings"] if f["code"] == "ST003")
    assert st003 == [5, 8, 13]
