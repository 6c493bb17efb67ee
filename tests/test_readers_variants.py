"""Template variants read by meaning: each test builds a small table in a published variant's shape.

The texts are invented; what is copied from real templates is only their structure (labels, order,
header depth), so the readers are held to the variants and not to any one file's sentences.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from auditor.errors import InputError
from auditor.model import Kind, Layout
from auditor.readers import read_submission


def _tsv(tmp_path: Path, rows: list[list[str]], name: str = "t.tsv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    return path


def test_spaced_and_traditional_labels_and_synonyms(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["專項資金名稱", "道路养护"],
        ["县级主管部门", "[201]某县交通运输局", "实施单位", "某县公路中心"],
        ["项目资金(万元)", "", "全年预算数(A)", "全年执行数(B)", "执行率(B/A)"],
        ["", "年度资金总额", "100", "90", "90%"],
        ["年度总体目标", "年初设定目标", "", "全年实际完成情况"],
        ["", "养护道路120公里", "", "养护道路126公里"],
        ["绩 效 指 标", "一级 指标", "二級指標", "三级指标", "年度指标值", "全年完成值", "未完成原因和改进措施"],
        ["", "产 出 指 标", "数量指标", "养护里程", "≥120公里", "126公里", ""],
        ["", "", "时效指标", "完工时间", "11月底前", "10月", ""],
    ])  # fmt: skip
    submission = read_submission(path)
    project = submission.projects[0]
    assert project.name.text == "道路养护"
    assert submission.department == "某县交通运输局"  # code stripped
    assert project.goal.text == "养护道路120公里" and project.goal_completion.text == "养护道路126公里"
    assert [(i.category, i.target.text, i.completion.text) for i in project.indicators] == [
        ("数量指标", "≥120公里", "126公里"),
        ("时效指标", "11月底前", "10月"),
    ]
    assert project.budget.execution_rate == pytest.approx(90)


def test_placeholders_dropped_and_counted_prefix_stripped(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["项目名称", "示例"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分"],
        ["", "产出指标", "数量指标", "指标1:检查次数", "10", "≥4次", "5次", "10"],
        ["", "", "", "指标2:", "", "", "", ""],
        ["", "", "质量指标", "……", "", "", "", ""],
    ])  # fmt: skip
    submission = read_submission(path)
    indicators = submission.projects[0].indicators
    assert [(i.category, i.name.text, i.weight.text) for i in indicators] == [("数量指标", "检查次数", "10")]
    assert any("2 行未填写的模板占位行" in notice for notice in submission.notices)


def test_two_row_header_with_item_score_and_share(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["某局2020年度预算项目绩效自评表"],
        ["一、基本情况", "项目名称:", "示例津贴", "", "实施(主管)单位", "123456-某局机关"],
        ["四、年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "指标分值", "预期指标值", "", "",
         "单项指标实际完成值", "单项指标完成情况", "自评得分", "", ""],
        ["", "", "", "", "", "符号", "", "单位(文字描述)", "", "", "单项指标得分", "权重占比(%)", "单项指标折算得分"],
        ["", "产出指标", "质量指标", "覆盖率", "25", ">=", "98", "%(百分比)", "100%", "完成", "25", "25", "6.25"],
    ])  # fmt: skip
    indicator = read_submission(path).projects[0].indicators[0]
    assert indicator.expression("target") == "≥98%"
    assert (indicator.item_score.text, indicator.share.text, indicator.score.text) == ("25", "25", "6.25")
    assert indicator.weight.text == "25"


def test_management_rows_of_a_decision_process_framework(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["示例项目绩效自评表"],
        ["计划投资额(万元)", "100", "实际到位资金(万元)", "70", "实际使用情况(万元)", "69"],
        ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分"],
        ["项目决策", "20", "项目目标", "4", "目标内容", "4", "4"],
        ["项目管理", "25", "资金到位", "5", "到位率", "3", "3"],
        ["项目绩效", "55", "项目产出", "15", "产出数量", "5", "5"],
    ])  # fmt: skip
    submission = read_submission(path)
    project = submission.projects[0]
    assert project.name.text == "示例"
    assert [(m.section, m.label.text, m.score.text) for m in project.management] == [
        ("决策", "目标内容", "4"),
        ("管理", "到位率", "3"),
    ]
    assert [(i.category, i.weight.text, i.score.text) for i in project.indicators] == [("数量指标", "5", "5")]
    assert any("“产出数量”按名称归入数量指标" in notice for notice in submission.notices)
    total = project.budget.total
    assert (total.annual.text, total.arrived.text, total.executed.text) == ("100", "70", "69")


def test_score_summary_is_its_own_layout_with_blank_grades_located(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["2023年新增地方政府专项债券项目绩效评价表"],
        ["", "", "", "单位:亿元"],
        ["项目名称", "债券性质", "债券规模", "自评分数", "自评等级"],
        ["甲工程", "专项债券", "0.2", "96.5", ""],
        ["乙工程", "专项债券", "1.0", "82", "良"],
        ["总计", "", "1.2", "", ""],
    ])  # fmt: skip
    submission = read_submission(path)
    assert submission.layout is Layout.SUMMARY and submission.kind is Kind.SUMMARY
    assert submission.money_unit == "亿元" and submission.department is None
    first, second = submission.projects
    assert first.grade.is_blank and first.grade.location.cell == "E4"
    assert (second.total_score.text, second.grade.text) == ("82", "良")


def test_department_wide_table_is_named_by_the_department(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["部门整体支出绩效自评表"],
        ["部门(单位)名称", "某市档案馆"],
        ["年度总体目标完成情况", "预期目标", "目标实际完成情况"],
        ["", "完成档案数字化10万卷", "完成档案数字化10.2万卷"],
        ["年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "绩效目标值", "实际完成值", "指标分值", "得分"],
        ["", "产出指标", "数量指标", "档案数字化", "10万卷", "10.2万卷", "20", "20"],
    ])  # fmt: skip
    submission = read_submission(path)
    assert submission.kind is Kind.DEPARTMENT
    assert submission.projects[0].name.text == "某市档案馆"


def test_a_copy_cut_inside_the_indicator_table_drops_the_unfinished_row(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["项目名称", "示例"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分"],
        ["", "产出指标", "数量指标", "检查次数", "10", "≥4次", "5次", "10"],
        ["", "", "质量指标", "合格率", "10", "9"],
    ])  # fmt: skip
    submission = read_submission(path)
    assert [i.name.text for i in submission.projects[0].indicators] == ["检查次数"]
    assert any("中断" in notice for notice in submission.notices)


def test_unmappable_table_names_what_was_found_and_what_is_missing(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [["说明", "内容"], ["一级指标", "二级指标", "备注"], ["产出指标", "数量指标", "x"]])
    with pytest.raises(InputError) as raised:
        read_submission(path)
    assert raised.value.code == "E107"
    assert "已识别" in raised.value.message and "缺少" in raised.value.message and "年度指标值" in raised.value.message


def test_formula_without_cached_value_reads_as_its_constant(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [
        ["项目名称", "示例"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["", "产出指标", "质量指标", "验收合格率", "=100%", "=95+5", "10", "=SUM(G3:G3)"],
    ]
    for row in rows:
        sheet.append(row)
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    submission = read_submission(path)
    indicator = submission.projects[0].indicators[0]
    assert (indicator.target.text, indicator.completion.text, indicator.score.text) == ("100%", "100", "")
    assert any("SUM(G3:G3)" in notice for notice in submission.notices)


def test_a_header_repeated_after_a_page_break_is_not_an_indicator(tmp_path: Path) -> None:
    header = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    path = _tsv(tmp_path, [
        ["项目名称", "示例"],
        header,
        ["", "产出指标", "数量指标", "检查次数", "≥4次", "5次", "10", "10"],
        header,
        ["", "效益指标", "社会效益指标", "隐患整改率", "≥95%", "97%", "10", "10"],
    ])  # fmt: skip
    submission = read_submission(path)
    assert [i.category for i in submission.projects[0].indicators] == ["数量指标", "社会效益指标"]
    assert not any("不属于九类" in notice for notice in submission.notices)


def test_goal_written_row_by_row_and_particulars_with_total_and_reference_weights(tmp_path: Path) -> None:
    """Forms that write the goal row by row (sub-label | text), put 自评得分 among the particulars, and
    head the weight column 参考分值 (scoring forms of the 决策/管理/产出/效益 framework)."""
    path = _tsv(tmp_path, [
        ["某市本级部门项目支出绩效自评表(2021年)"],
        ["项目名称", "示例经费", "主管部门", "某市某局"],
        ["实施单位", "某中心", "自评得分", "93"],
        ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "执行率"],
        ["", "年度资金总额", "50", "50", "50", "100%"],
        ["年度总体目标", "年初设定目标", "保障示例工作正常运转"],
        ["", "年度总体目标完成情况", "示例工作全年运转正常，服务对象1200人次"],
        ["一级指标", "二级指标", "三级指标", "参考分值", "指标值", "全年实际值", "得分"],
        ["项目管理(10分)", "投入管理", "预算执行率", "10", "", "100%", "9"],
        ["项目产出(40分)", "数量指标", "服务人次", "20", "1000人次", "1200人次", "20"],
        ["", "时效指标", "完成时间", "20", "12月底前", "12月", "20"],
    ])  # fmt: skip
    project = read_submission(path).projects[0]
    assert project.goal.text == "保障示例工作正常运转"
    assert project.goal_completion.text == "示例工作全年运转正常，服务对象1200人次"
    assert project.total_score is not None and project.total_score.text == "93"
    assert [(i.category, i.weight.text if i.weight else None) for i in project.indicators] == [
        ("数量指标", "20"), ("时效指标", "20"),
    ]  # fmt: skip
    # The 预算执行率 scoring row is the rate's weight and score: 100% executed yet 9 of 10 is a finding.
    assert (project.budget.rate_weight.text, project.budget.rate_score.text) == ("10", "9")  # type: ignore[union-attr]
    from auditor.checks.engine import lint

    assert any(f.code == "NM006" and f.field == "budget" for f in lint(read_submission(path)))


def test_goal_and_completion_beside_the_section_label_without_sub_labels(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [
        ["项目支出绩效自评表(2016年度)"],
        ["项目名称", "示例保洁经费"],
        ["主管部门及代码", "某区某街道办事处", "实施单位:", "某服务中心"],
        ["项目资金(万元)", "", "年初预算数(A)", "全年执行数(B)", "分值(10分)", "执行率(B/A)", "得分"],
        ["", "年度资金总额:", "100", "95", "10", "95%", "9.5"],
        ["年度总体目标", "规范示例保洁工作，提升道路环境", "全年保洁道路20条，检查合格率98%"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值(A)", "全年实际值(B)", "得分"],
        ["", "产出指标", "数量指标", "保洁道路", "20", "20条", "20条", "20"],
    ])  # fmt: skip
    submission = read_submission(path)
    project = submission.projects[0]
    assert submission.department == "某区某街道办事处"
    assert project.goal.text == "规范示例保洁工作，提升道路环境"
    assert project.goal_completion.text == "全年保洁道路20条，检查合格率98%"
