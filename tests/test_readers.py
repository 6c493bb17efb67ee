"""Reader building blocks: numbers, encodings, label matching, title metadata, layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.readers import read_submission
from auditor.readers.header import classify
from auditor.readers.labels import category_of
from auditor.readers.meta import Meta
from auditor.text.normalize import label_key, normalize
from auditor.text.numbers import decimals_of, parse_number, parse_percent
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,273.65", 1273.65), ("１２７３．６５", 1273.65), ("257", 257.0), ("120万元", 120.0), ("-3.5", -3.5),
     ("—", None), ("-", None), ("", None), ("无", None), ("约100", None), ("1,27", None), ("10分", 10.0)],
)  # fmt: skip
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("99.86%", 99.86), ("９９．８６％", 99.86), ("0.9986", 99.86), ("88", 88.0), ("100.00%", 100.0), ("—", None)],
)
def test_parse_percent(text: str, value: float | None) -> None:
    assert parse_percent(text) == pytest.approx(value) if value is not None else parse_percent(text) is None


def test_decimals_of() -> None:
    assert decimals_of("99.86%") == 2 and decimals_of("257") == 0 and decimals_of("1,273.6") == 1


def test_normalize_folds_width_traditional_space_and_trailing_punctuation() -> None:
    assert normalize("完成１００％ 驗收。") == normalize("完成100%验收") == "完成100%验收"


@pytest.mark.parametrize(
    ("label", "category"),
    [("数量指标", "数量指标"), ("數量指標", "数量指标"), ("服务对象满意度指标", "满意度指标"),
     ("公众满意度", "满意度指标"),
     ("经济效益", "经济效益指标"), ("可持续影响指标（10分）", "可持续影响指标"), ("质 量 指 标", "质量指标"),
     ("项目名称", None)],
)  # fmt: skip
def test_category_labels_by_meaning(label: str, category: str | None) -> None:
    assert category_of(label) == category


@pytest.mark.parametrize(
    ("label", "expected"),
    [("項目名稱", ("field", "name")), ("预算支出执行率", ("field", "rate")), ("年度指標內容", ("side", "target")),
     ("实际完成值", ("side", "completion")), ("项目年度预算金额（万元）", ("field", "budget_annual")),
     ("绩效目标整体完成情况", ("field", "goal_completion")), ("实际支出金额", ("group", "spent"))],
)  # fmt: skip
def test_header_labels_by_meaning(label: str, expected: tuple[str, str]) -> None:
    assert classify(label) == expected


def test_label_key_drops_notes() -> None:
    assert label_key("产出指标（50分）") == "产出指标"
    assert label_key("项目资金(万元)：") == "项目资金"


@pytest.mark.parametrize(
    ("lines", "department", "year", "unit"),
    [
        (["龙岗区应急管理局2020年度部门预算项目绩效自评表", "单位：万元", "部门名称（盖章）：深圳市龙岗区应急管理局"],
         "深圳市龙岗区应急管理局", 2020, "万元"),
        (["项目支出绩效自评表", "（2022年度）", "部门:某区教育局", "金额单位：元"], "某区教育局", 2022, "元"),
        (["某县农业农村局2021年度项目绩效自评表"], "某县农业农村局", 2021, None),
    ],
)  # fmt: skip
def test_title_metadata(lines: list[str], department: str, year: int, unit: str | None) -> None:
    meta = Meta()
    for line in lines:
        meta.update(line)
    assert (meta.best_department, meta.year, meta.money_unit) == (department, year, unit)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    text = (CORPUS / "civil-2022-wide-gbk.txt").read_bytes().decode("gb18030")
    path = tmp_path / f"civil-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    submission = read_submission(path)
    assert submission.department == "某区民政局" and len(submission.projects) == 3


def test_content_decides_the_reader_not_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "misnamed.csv"
    path.write_bytes((CORPUS / "culture-2022-wide.xlsx").read_bytes())
    submission = read_submission(path)
    assert submission.file_format == "xlsx" and len(submission.projects) == 3


def test_traditional_text_is_matched_but_kept_as_written() -> None:
    submission = read_submission(CORPUS / "traffic-police-2022-wide-traditional.csv")
    first = submission.projects[0].indicators[0]
    assert first.category == "数量指标"
    assert normalize(first.target.text) != first.target.text or first.target.text.isascii() is False


def test_merged_cells_resolve_to_their_top_left_cell() -> None:
    submission = read_submission(CORPUS / "edu-2022-standard-per-sheet.xlsx")
    project = submission.projects[0]
    assert project.location is not None and project.location.sheet == "项目1"
    categories = [indicator.category for indicator in project.indicators]
    assert categories.count("数量指标") == 2  # 二级指标 merged over two rows, read for both


def test_standard_blocks_stacked_on_one_sheet() -> None:
    submission = read_submission(CORPUS / "health-2022-standard-stacked.xlsx")
    sheets = {project.location.sheet for project in submission.projects if project.location}
    assert len(submission.projects) == 3 and len(sheets) == 1


def test_provincial_variant_columns() -> None:
    submission = read_submission(CORPUS / "science-2023-standard-provincial.xlsx")
    indicator = submission.projects[0].indicators[0]
    assert indicator.nature is not None and indicator.unit is not None
    assert indicator.level_weight is not None
    assert submission.projects[0].budget.line("bond") is not None


def test_folder_reads_every_supported_file() -> None:
    from auditor.readers import iter_inputs

    files, _ = iter_inputs(CORPUS)
    suffixes = {path.suffix for path in files}
    assert {".xlsx", ".xls", ".docx", ".csv", ".txt"} <= suffixes
    assert not any("_build" in path.parts for path in files)


def _export_csv(source: Path, target: Path) -> None:
    """Write a workbook as CSV the way exports do: merged cells once, the rest of the range empty."""
    import csv

    from auditor.readers import load_grids

    _, grids = load_grids(source)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for grid in grids:
            for row in grid.rows:
                seen, texts = set(), []
                for cell in row:
                    texts.append("" if cell.location in seen else cell.text)
                    seen.add(cell.location)
                writer.writerow(texts)


@pytest.mark.parametrize("name", ["edu-2022-standard-per-sheet.xlsx", "science-2023-standard-provincial.xlsx"])
def test_standard_layout_survives_export_to_csv(tmp_path: Path, name: str) -> None:
    original = read_submission(CORPUS / name)
    path = tmp_path / "export.csv"
    _export_csv(CORPUS / name, path)
    exported = read_submission(path)
    assert exported.layout.value == "standard"
    for a, b in zip(original.projects, exported.projects, strict=True):
        assert [(i.category, i.target.text, i.completion.text) for i in a.indicators] == [
            (i.category, i.target.text, i.completion.text) for i in b.indicators
        ]
        assert a.budget.rate.text == b.budget.rate.text and a.goal.text == b.goal.text


def test_unknown_second_level_label_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "bond.csv"
    _export_csv(CORPUS / "clean-2022-standard.xlsx", path)
    text = path.read_text(encoding="utf-8")
    assert "成本指标" in text
    path.write_text(text.replace("成本指标", "债券资金管理指标", 1), encoding="utf-8")
    submission = read_submission(path)
    assert any("债券资金管理指标" in notice for notice in submission.notices)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (100, "0.00", "100.00"),  # published to two places: the rounding tolerances read the decimals
        (251.891, "#,##0.00", "251.89"),
        (95.5, "0.0_ ", "95.5"),
        (12, "0.00;[Red]-0.00", "12.00"),
        (0.955, "0.00%", "95.50%"),
        (3.0, "General", "3"),
        (7, "@", "7"),
    ],
)
def test_typed_numbers_read_as_their_number_format_shows_them(value: float, number_format: str, shown: str) -> None:
    from auditor.readers.xlsx import format_value

    assert format_value(value, number_format) == shown
