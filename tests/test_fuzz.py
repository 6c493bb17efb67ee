"""Property-based fuzzing: generated tables through every reader and the whole lint.

Tables of every shape — wide and standard layouts, garbled headers, short and long rows, merged
cells, numbers in many spellings, empty, huge and control-character cells — written as csv/tsv
(several encodings), xlsx and docx. Whatever comes in, the run ends with findings or a one-line
input error: no exception escapes, and the CLI's exit code is 0, 1 or 2.

The number of cases is ``AUDITOR_FUZZ_EXAMPLES`` (default 300; CI runs 10,000), split over two
test functions so two cores share them, derandomised so a failure reproduces.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.config import Config
from auditor.run import run

EXAMPLES = int(os.environ.get("AUDITOR_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=max(EXAMPLES // 2, 1),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

WIDE_HEADER = [
    ["序号", "单位名称", "项目名称", "项目年度预算金额", "实际支出金额", "", "", "预算支出执行率", "年初绩效目标",
     "绩效目标整体完成情况", "产出目标", "", "", "", "", "", "效益目标", "", "", "", "", "", "服务对象满意度指标", ""],
    ["", "", "", "", "合计", "财政拨款", "非财政资金", "", "", "", "数量指标", "", "质量指标", "", "时效指标", "",
     "经济效益指标", "", "社会效益指标", "", "生态效益指标", "", "", ""],
    [""] * 10 + ["年度指标内容", "完成情况"] * 7,
]  # fmt: skip
STANDARD_BLOCK = [
    ["项目支出绩效自评表"],
    ["（2022年度）"],
    ["项目名称", "{name}"],
    ["主管部门", "某区局", "实施单位", "某中心"],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["", "年度资金总额", "{n}", "{n}", "{n}", "10", "{p}", "{n}"],
    ["", "其中：当年财政拨款", "{n}", "{n}", "{n}", "—", "{p}", "—"],
    ["年度总体目标", "预期目标", "实际完成情况"],
    ["", "{t}", "{t}"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
     "偏差原因分析及改进措施"],
    ["", "产出指标", "数量指标", "{t}", "{t}", "{t}", "{n}", "{n}", "{t}"],
    ["", "", "质量指标", "{t}", "{t}", "{t}", "{n}", "{n}", ""],
    ["", "满意度指标", "服务对象满意度指标", "{t}", "{t}", "{t}", "{n}", "{n}", ""],
    ["总分", "", "", "", "", "", "100", "{n}", ""],
]  # fmt: skip

fragments = st.sampled_from(
    ["已完成", "不适用", "无", "≥95%", "100%", "98.5%", "2022年12月31日前", "有效提高", "满意", "完成200家",
     "验收合格率", "服务对象满意度", "进一步加强管理", "1,273.65", "９９．８６％", "—", "-", "两期", "百分之九十五",
     "【auditor: ignore VG 理由】", "auditor: ignore", "=HYPERLINK(\"x\")", "<script>", "\u202e", "\x07", "\t", " ",
     "\n", "﹝", "（%）", "以上", "项目名称", "数量指标", "合计", "序号", "年度指标值"]
)  # fmt: skip
texts = st.one_of(
    st.just(""),
    st.lists(fragments, min_size=1, max_size=6).map("".join),
    st.text(max_size=40),
    st.integers(min_value=-10, max_value=10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.builds(lambda n: "长" * n, st.integers(min_value=0, max_value=3_000)),
)


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    kind = draw(st.sampled_from(["wide", "standard", "random"]))
    if kind == "random":
        return draw(st.lists(st.lists(texts, max_size=12), max_size=12))
    rows: list[list[str]] = []
    if kind == "wide":
        rows.append([draw(st.sampled_from(["某局2021年度部门预算项目绩效自评表", "", "单位：万元"]))])
        header = [list(r) for r in WIDE_HEADER]
        for row in header:  # garble the header a little
            if row and draw(st.booleans()):
                del row[draw(st.integers(0, len(row) - 1))]
        rows += header
        for index in range(draw(st.integers(0, 5))):
            row = [str(index + 1), *draw(st.lists(texts, min_size=15, max_size=27))]
            rows.append(row)
    else:
        for _ in range(draw(st.integers(1, 3))):
            for template in STANDARD_BLOCK:
                row = [draw(texts) if cell in ("{t}", "{name}") else draw(st.sampled_from(["12", "9.5", "0", "—", "",
                       "98.76%", "abc"])) if cell in ("{n}", "{p}") else cell for cell in template]  # fmt: skip
                if draw(st.integers(0, 9)) == 0 and row:
                    del row[draw(st.integers(0, len(row) - 1))]
                rows.append(row)
            rows.append([])
    return rows


def write(rows: list[list[str]], fmt: str, folder: Path) -> Path:
    if fmt in ("csv", "csv-gb18030", "csv-utf16", "tsv"):
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",")
        for row in rows:
            writer.writerow(row)
        encoding = {"csv-gb18030": "gb18030", "csv-utf16": "utf-16"}.get(fmt, "utf-8")
        path = folder / ("table.tsv" if fmt == "tsv" else "table.csv")
        path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
        return path
    if fmt == "xlsx":
        import openpyxl
        from openpyxl.utils.exceptions import IllegalCharacterError

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                try:
                    sheet.cell(row=r, column=c, value=value[:32_000] or None)
                except IllegalCharacterError:
                    sheet.cell(row=r, column=c, value="?")
        if len(rows) > 3 and rows[1]:
            sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
        path = folder / "table.xlsx"
        workbook.save(path)
        return path
    import docx

    rows = [row[:10] for row in rows[:16]]  # python-docx builds big tables slowly; shape matters, not size
    document = docx.Document()
    width = max((len(r) for r in rows), default=1) or 1
    table = document.add_table(rows=max(len(rows), 1), cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            clean = "".join(ch for ch in value[:2000] if ch in "\t\n" or ord(ch) >= 32)
            table.cell(r, c).text = clean
    path = folder / "table.docx"
    document.save(path)
    return path


formats = st.sampled_from(["csv"] * 12 + ["tsv"] * 6 + ["csv-gb18030", "csv-utf16"] * 2 + ["xlsx"] * 2 + ["docx"])


def check_run(rows: list[list[str]], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(rows, fmt, Path(folder))
        result = run(Config(), [path])  # must not raise
        for error in result.report.errors:
            assert "\n" not in error and str(path) in error and "[E1" in error
        for finding in result.report.findings:
            assert finding.code and finding.message


# Two halves with different derandomised seeds, so pytest-xdist can run them on two cores.
@FUZZ
@given(rows=tables(), fmt=formats)
def test_any_table_gives_findings_or_a_clean_error_part_a(rows: list[list[str]], fmt: str) -> None:
    check_run(rows, fmt)


@FUZZ
@given(rows=tables(), fmt=formats)
def test_any_table_gives_findings_or_a_clean_error_part_b(rows: list[list[str]], fmt: str) -> None:
    check_run(rows, fmt)


@settings(max_examples=max(EXAMPLES // 50, 10), deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(rows=tables(), fmt=formats)
def test_cli_exit_codes_are_only_0_1_2(rows: list[list[str]], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(rows, fmt, Path(folder))
        result = CliRunner().invoke(cli_main(), ["lint", "--isolated", "--format", "json", str(path)])
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output + result.stderr


def cli_main():
    from auditor.cli import cli

    return cli

