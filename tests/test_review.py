"""Review decisions as data, and findings read once.

``auditor report`` writes 复核问题清单.xlsx; a reviewer marks findings 不采纳 and 已整改 in it with openpyxl
as Excel would; ``--decisions`` reads it back: the department's score rises by exactly the cost of
the rejected findings, they are listed as 复核不采纳 in HTML, JSON and the workbook, ``auditor stats``
counts the decisions per rule, and a copy of the table with one more project keeps every decision.
The browser tests cover the grouped findings, the skipped-files section and the workbook links.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.reporters.grouping import causes
from auditor.review import KEY_COLUMN, REASON_COLUMN, SHEET, VERDICT_COLUMN, WORKBOOK_NAME
from auditor.scoring import cost
from tests.browser import Page, browser_fixture, page_fixture  # noqa: F401  (fixtures browser, page)
from tests.conftest import SEED

DEPARTMENT = "深圳市龙岗区应急管理局"


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--help"] if not arguments else list(arguments))
    return result.exit_code, result.stdout, result.stderr


def _report(inputs: Path, out: Path, *extra: str) -> dict:
    code, _, stderr = invoke("report", "--isolated", "-q", str(inputs), "-o", str(out), *extra)
    assert code in (0, 1), stderr
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def _rows(path: Path) -> tuple[list[str], list[tuple]]:
    workbook = openpyxl.load_workbook(path)
    rows = list(workbook[SHEET].iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def _mark(path: Path, destination: Path) -> dict[str, tuple[str, str]]:
    """As a reviewer would: reject the first five CP004 rows, mark every VG002 row 已整改, confirm MS004."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    header = [cell.value for cell in sheet[1]]
    code, verdict, reason, key = (header.index(name) + 1 for name in ("规则", VERDICT_COLUMN, REASON_COLUMN,
                                                                      KEY_COLUMN))  # fmt: skip
    marked: dict[str, tuple[str, str]] = {}
    rejected = 0
    for row in range(2, sheet.max_row + 1):
        rule = sheet.cell(row, code).value
        if rule == "CP004" and rejected < 5:
            rejected += 1
            choice = ("不采纳", f"统一表述，属合理情况{rejected}")
        elif rule == "VG002":
            choice = ("已整改", "已要求补充实际完成值")
        elif rule == "MS004":
            choice = ("确认", "")
        else:
            continue
        sheet.cell(row, verdict).value, sheet.cell(row, reason).value = choice
        marked[sheet.cell(row, key).value] = choice
    workbook.save(destination)
    return marked


def _score(inputs: Path, *extra: str) -> dict:
    code, stdout, stderr = invoke("score", "--isolated", "-q", "--format", "json", str(inputs), *extra)
    assert code == 0, stderr
    return json.loads(stdout)


def _department(scores: dict) -> dict:
    return next(d for d in scores["departments"] if d["department"] == DEPARTMENT)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("review")
    tables = root / "tables"
    tables.mkdir()
    shutil.copy(SEED, tables / SEED.name)
    (tables / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tables / "auditor.toml").write_text("select = ['CP']\n", encoding="utf-8")  # not a table: skipped silently
    first = root / "first"
    before = _report(tables, first)
    decisions = root / "decisions.xlsx"
    marked = _mark(first / WORKBOOK_NAME, decisions)
    second = root / "second"
    after = _report(tables, second, "--decisions", str(decisions))
    return {"root": root, "tables": tables, "first": first, "second": second, "before": before, "after": after,
            "decisions": decisions, "marked": marked}  # fmt: skip


def test_review_workbook_lists_every_finding_with_reviewer_columns(reviewed: dict) -> None:
    header, rows = _rows(reviewed["first"] / WORKBOOK_NAME)
    assert len(rows) == len(reviewed["before"]["findings"])
    for name in ("部门", "项目", "单元格", "规则", "原文", "说明", "建议", VERDICT_COLUMN, REASON_COLUMN, KEY_COLUMN):
        assert name in header
    workbook = openpyxl.load_workbook(reviewed["first"] / WORKBOOK_NAME)
    sheet = workbook[SHEET]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"确认,不采纳,已整改"'
    letter = openpyxl.utils.get_column_letter(header.index(KEY_COLUMN) + 1)
    assert sheet.column_dimensions[letter].hidden
    assert workbook["auditor"].sheet_state == "veryHidden"


def test_rejected_findings_raise_the_score_by_exactly_their_cost(reviewed: dict) -> None:
    tables, decisions = reviewed["tables"], reviewed["decisions"]
    before, after = _score(tables), _score(tables, "--decisions", str(decisions))
    rejected = [f for f in reviewed["after"]["findings"] if f.get("suppressed", {}).get("kind") == "review"]
    assert len(rejected) == 5 and {f["code"] for f in rejected} == {"CP004"}
    # Exactly the cost of the rejected findings: the reviewed scores are the scores of the same report with
    # those findings deleted, project by project and for the department (scores come from findings only).
    from dataclasses import replace

    from auditor.config import Config
    from auditor.review import apply_to_report, load_decisions
    from auditor.run import run
    from auditor.scoring import rank_departments, submission_score

    report = run(Config(), [tables]).report
    plain = {p.index: p.score for d in rank_departments(report) for p in d.projects}
    apply_to_report(report, load_decisions(decisions))
    with_decisions = {p.index: p.score for d in rank_departments(report) for p in d.projects}
    rejected_findings = [f for f in report.findings if f.suppression is not None and f.suppression.kind == "review"]
    assert len(rejected_findings) == 5 and all(cost(f) == 0 for f in rejected_findings)
    assert sum(cost(replace(f, suppression=None)) for f in rejected_findings) > 0
    for result in report.files:
        kept = [f for f in result.findings if f.suppression is None or f.suppression.kind != "review"]
        deleted = type(result)(result.submission, kept, 0.0)
        deleted.score = submission_score(result.submission, kept)
        assert result.score == deleted.score
    deleted_report = type(report)([
        type(r)(r.submission, [f for f in r.findings if not (f.suppression and f.suppression.kind == "review")],
                r.score)
        for r in report.files
    ])
    assert {p.index: p.score for d in rank_departments(deleted_report) for p in d.projects} == with_decisions
    (department,) = [d for d in rank_departments(deleted_report) if d.department == DEPARTMENT]
    assert _department(after)["score"] == department.score
    changed = {index for index in plain if with_decisions[index] != plain[index]}
    assert changed == {f.project_index for f in rejected_findings}
    assert all(with_decisions[i] > plain[i] for i in changed)
    assert _department(after)["score"] > _department(before)["score"]
    # 已整改 and 确认 cost what they cost: only the rejected findings leave the count.
    assert _department(after)["findings"] == _department(before)["findings"] - 5


def test_rejected_findings_are_listed_as_rejected_in_json_html_and_workbooks(reviewed: dict) -> None:
    after, second = reviewed["after"], reviewed["second"]
    rejected = [f for f in after["findings"] if f.get("suppressed", {}).get("kind") == "review"]
    assert all(f["suppressed"]["label"] == "复核不采纳" and f["suppressed"]["reason"].startswith("统一表述")
               for f in rejected)  # fmt: skip
    assert all(f["review"]["verdict"] == "不采纳" for f in rejected)
    fixed = [f for f in after["findings"] if f.get("review", {}).get("verdict") == "已整改"]
    assert fixed and all("suppressed" not in f for f in fixed)
    assert after["summary"]["review_rejected"] == 5
    # JSON is the lint JSON plus new fields: without decisions the same findings, keys and order.
    before = reviewed["before"]
    assert [(f["code"], f["location"]) for f in before["findings"]] == [
        (f["code"], f["location"]) for f in after["findings"]
    ]
    page = next(second.glob("dept-*.html")).read_text(encoding="utf-8")
    assert page.count("复核不采纳") >= 5 and "统一表述，属合理情况1" in page
    header, rows = _rows(second / WORKBOOK_NAME)
    status = header.index("状态")
    assert sum(1 for row in rows if str(row[status]).startswith("复核不采纳")) == 5
    annotated = openpyxl.load_workbook(next((second / "annotated").glob("*.xlsx")))
    values = [row[-1] for row in annotated["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert sum(1 for value in values if str(value).startswith("复核不采纳（统一表述")) == 5
    # The decisions come back filled in, so the reviewer carries on in the new list.
    verdicts = [row[header.index(VERDICT_COLUMN)] for row in rows]
    assert verdicts.count("不采纳") == 5 and verdicts.count("确认") > 0 and verdicts.count("已整改") > 0


def test_stats_prints_confirmed_and_rejected_per_rule(reviewed: dict) -> None:
    code, stdout, stderr = invoke("stats", "--decisions", str(reviewed["decisions"]))
    assert code == 0, stderr
    lines = {line.split()[0]: line.split() for line in stdout.splitlines() if line.strip()}
    vg002 = sum(1 for key, (verdict, _) in reviewed["marked"].items() if verdict == "已整改")
    ms004 = sum(1 for key, (verdict, _) in reviewed["marked"].items() if verdict == "确认")
    assert lines["CP004"][1:4] == ["0", "0", "5"]
    assert lines["VG002"][1:4] == ["0", str(vg002), "0"] and lines["VG002"][5] == "100%"
    assert lines["MS004"][1:4] == [str(ms004), "0", "0"]
    assert "采纳率" in stdout
    index = (reviewed["second"] / "index.html").read_text(encoding="utf-8")
    assert "复核结论统计" in index and "CP004" in index


def test_stats_as_json_and_csv_carry_the_same_counts(reviewed: dict) -> None:
    import csv
    import io

    _, text, _ = invoke("stats", "--decisions", str(reviewed["decisions"]))
    code, as_json, stderr = invoke("stats", "--decisions", str(reviewed["decisions"]), "--format", "json")
    assert code == 0, stderr
    document = json.loads(as_json)
    by_code = {rule["code"]: rule for rule in document["rules"]}
    assert (by_code["CP004"]["confirmed"], by_code["CP004"]["rejected"], by_code["CP004"]["precision"]) == (0, 5, 0)
    assert document["total"]["rejected"] == sum(rule["rejected"] for rule in document["rules"]) >= 5
    code, as_csv, stderr = invoke("stats", "--decisions", str(reviewed["decisions"]), "--format", "csv")
    assert code == 0, stderr
    rows = list(csv.reader(io.StringIO(as_csv.lstrip("\ufeff"))))
    assert rows[0][:3] == ["规则", "规则说明", "确认"] and rows[-1][0] == "合计"
    text_rows = {line.split()[0]: line.split()[1:5] for line in text.splitlines()[1:-1]}
    assert {row[0]: row[2:6] for row in rows[1:]} == text_rows


def test_decisions_survive_an_inserted_project(reviewed: dict) -> None:
    root = reviewed["root"]
    copy = root / "copy"
    copy.mkdir()
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    first_project = next(n for n, line in enumerate(lines) if line.startswith("1\t"))
    inserted = lines[first_project].replace("龙岗区安全生产网格化管理指挥系统", "新增的测试项目", 1)
    assert inserted != lines[first_project]
    (copy / SEED.name).write_text("".join([*lines[:first_project], inserted, *lines[first_project:]]),
                                  encoding="utf-8")  # fmt: skip
    out = root / "copy-report"
    result = _report(copy, out, "--decisions", str(reviewed["decisions"]))
    kept = {f["review"]["key"]: (f["review"]["verdict"], f["review"]["reason"]) for f in result["findings"]
            if "review" in f}  # fmt: skip
    assert kept == {key: (verdict, reason) for key, (verdict, reason) in reviewed["marked"].items()}
    assert sum(1 for f in result["findings"] if f.get("suppressed", {}).get("kind") == "review") == 5
    header, rows = _rows(out / WORKBOOK_NAME)
    filled = {row[header.index(KEY_COLUMN)]: row[header.index(VERDICT_COLUMN)] for row in rows
              if row[header.index(VERDICT_COLUMN)]}  # fmt: skip
    assert filled == {key: verdict for key, (verdict, _) in reviewed["marked"].items()}


def test_foreign_workbooks_and_unknown_keys_are_clear_errors(reviewed: dict, tmp_path: Path) -> None:
    tables = reviewed["tables"]
    foreign = tmp_path / "foreign.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = SHEET
    workbook.active.append(["规则", VERDICT_COLUMN, REASON_COLUMN, KEY_COLUMN])
    workbook.save(foreign)
    code, _, stderr = invoke("score", "--isolated", str(tables), "--decisions", str(foreign))
    assert code == 2 and "不是 auditor report 写出的" in stderr and "E114" in stderr and stderr.count("\n") == 1
    tampered = tmp_path / "tampered.xlsx"
    workbook = openpyxl.load_workbook(reviewed["decisions"])
    sheet = workbook[SHEET]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index(KEY_COLUMN) + 1).value = "不是键"
    workbook.save(tampered)
    code, _, stderr = invoke("score", "--isolated", str(tables), "--decisions", str(tampered))
    assert code == 2 and "第 2 行的键" in stderr
    workbook = openpyxl.load_workbook(reviewed["decisions"])
    workbook[SHEET].cell(3, header.index(VERDICT_COLUMN) + 1).value = "同意"
    workbook.save(tampered)
    code, _, stderr = invoke("stats", "--decisions", str(tampered))
    assert code == 2 and "第 3 行的复核结论“同意”" in stderr
    # The reviewer's workbook is only read: never written back to, nor replaced by a report.
    stamp = reviewed["decisions"].stat().st_mtime_ns, reviewed["decisions"].read_bytes()
    invoke("report", "--isolated", "-q", str(tables), "-o", str(tmp_path / "r"), "--decisions",
           str(reviewed["decisions"]))  # fmt: skip
    assert (reviewed["decisions"].stat().st_mtime_ns, reviewed["decisions"].read_bytes()) == stamp
    inside = reviewed["first"] / WORKBOOK_NAME
    code, _, stderr = invoke("report", "--isolated", "-q", str(tables), "-o", str(reviewed["first"]),
                             "--decisions", str(inside))  # fmt: skip
    assert code == 2 and "在报告目录中" in stderr


def test_text_shows_each_cause_once_with_its_places() -> None:
    code, text, _ = invoke("lint", "--isolated", str(SEED))
    assert code == 1
    code, raw, _ = invoke("lint", "--isolated", "--format", "json", str(SEED))
    findings = json.loads(raw)["findings"]
    # Each distinct (rule, text) cause is shown once: as many finding lines as distinct causes.
    from auditor.text.normalize import normalize

    shown = sum(1 for line in text.splitlines()
                if re.match(r"\s+\S+\s+[A-Z]{2}\d{3} (错误|警告|提示)  ", line))  # fmt: skip
    distinct = {(f["code"], normalize(f["text"]) if f["text"].strip() else f["message"]) for f in findings}
    assert shown == len(distinct) < len(findings)
    assert "同样出现在项目 2（I13）" in text
    # --statistics and scores are unchanged: every finding still counts.
    code, stats, _ = invoke("lint", "--isolated", "--statistics", str(SEED))
    assert stats.splitlines()[-1].split()[0] == str(len(findings))
    # Within a cell, the strongest finding comes first.
    for cause_list in (causes(_findings()),):
        assert cause_list


def _findings() -> list:
    from auditor.config import Config
    from auditor.run import run

    return run(Config(), [SEED]).report.findings


def test_csv_values_are_chinese() -> None:
    _, text, _ = invoke("lint", "--isolated", "--format", "csv", str(SEED))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rule = rows[0].index("规则")
    assert all("-" not in row[rule] for row in rows[1:])  # a summary, not a slug


# ---------------------------------------------------------------- in the browser


def test_grouped_findings_skipped_files_and_workbook_links_in_the_browser(page: Page, reviewed: dict) -> None:
    out = reviewed["second"]
    page.goto((out / "index.html").as_uri())
    assert page.problems() == []
    index = page.evaluate("""(() => ({
      skipped: [...document.querySelectorAll("#unreadable li")].map(li => li.textContent),
      links: [...document.querySelectorAll("#workbooks a")].map(a => a.getAttribute("href")),
      visible: getComputedStyle(document.getElementById("unreadable")).display !== "none",
    }))()""")
    assert index["visible"] and len(index["skipped"]) == 1 and "损坏.xlsx" in index["skipped"][0]
    assert not any("auditor.toml" in line for line in index["skipped"])  # not a table: skipped silently
    assert any(link.endswith(".annotated.xlsx") for link in index["links"])
    for link in index["links"]:  # every link names a file the report holds
        assert (out / unquote(link)).is_file(), link
    assert any(unquote(link) == WORKBOOK_NAME for link in index["links"])
    department = next(out.glob("dept-*.html"))
    page.goto(department.as_uri())
    assert page.problems() == []
    state = page.evaluate("""(() => {
      const shown = el => { for (let e = el; e; e = e.parentElement) { if (e.tagName === "DETAILS" && !e.open
          && e.contains(el) && el !== e.querySelector("summary")) return false; } return true; };
      const firsts = [...document.querySelectorAll("li.finding:not(.repeat)")];
      const repeats = [...document.querySelectorAll("li.finding.repeat")];
      const recurs = document.querySelector("li.finding p.recurs");
      return {firsts: firsts.length, repeats: repeats.length, repeatsShown: repeats.filter(shown).length,
              recurs: recurs ? recurs.textContent : "", recursLinks: recurs ? recurs.querySelectorAll("a").length : 0,
              skipped: document.querySelectorAll("#unreadable li").length,
              workbook: [...document.querySelectorAll("a.wb")].map(a => a.getAttribute("href"))};
    })()""")
    assert state["repeats"] > 0 and state["repeatsShown"] == 0 and state["firsts"] > 0
    assert state["recurs"].startswith("同样出现在") and state["recursLinks"] > 0
    assert state["skipped"] == 1
    assert state["workbook"] and all((out / unquote(href)).is_file() for href in state["workbook"])
    # A folded repeat still opens its popover from its highlighted cell.
    repeat = page.evaluate("document.querySelector('li.finding.repeat').id")
    mark = page.evaluate(f"!!document.querySelector('[data-f~=\"{repeat}\"]')")
    if mark:
        page.click(f"[data-f~='{repeat}']")
        assert page.evaluate("document.getElementById('pop').hidden") is False
    page.click("details.repeats > summary")
    assert page.evaluate("document.querySelector('details.repeats').open") is True
    assert page.problems() == []


def test_single_project_page_draws_no_empty_charts(tmp_path: Path) -> None:
    tables = tmp_path / "one"
    tables.mkdir()
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    first_project = next(n for n, line in enumerate(lines) if line.startswith("1\t"))
    second = next(n for n, line in enumerate(lines) if line.startswith("2\t"))
    (tables / "单项目.txt").write_text("".join([*lines[:second], *[]]), encoding="utf-8")
    assert first_project < second
    out = tmp_path / "out"
    _report(tables, out)
    page = next(out.glob("dept-*.html")).read_text(encoding="utf-8")
    assert 'id="c-hist"' not in page and 'id="c-rate"' not in page


def test_nothing_readable_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(b"PK\x03\x04 broken")
    for command in (["lint"], ["score"], ["report", "-o", str(tmp_path / "out")]):
        code, _, stderr = invoke(*command, "--isolated", str(folder))
        assert code == 2, command
        assert "没有可读取的自评表" in stderr


def test_stdin_is_sniffed_and_named(tmp_path: Path) -> None:
    from tests.conftest import CORPUS

    data = (CORPUS / "culture-2022-wide.xlsx").read_bytes()
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", "-"], input=data)
    assert json.loads(result.stdout)["files"][0]["path"] == "标准输入"
    result = CliRunner().invoke(cli, ["lint", "--isolated", "-"], input=b"")
    assert result.exit_code == 2 and "标准输入" in result.stderr and "/tmp" not in result.stderr
