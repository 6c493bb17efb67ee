"""The HTML report, opened in a real headless Chromium.

The report is generated for the whole corpus (a few findings marked accepted, so greyed entries are
covered too) and every page is loaded: no console errors or exceptions, the ranking equals
:func:`rank_departments`, every active finding with a span is highlighted by marks whose text is
exactly ``text[start:end]``, filters and the popover work, and hostile cell text stays inert
text. The browser comes from :mod:`tests.browser` (skipped without Chromium, except on CI).
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import random
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from auditor.config import Config
from auditor.model import Finding, Severity, Suppression
from auditor.reporters import FileResult, Report
from auditor.reporters.html import department_filename, numbered_findings, write_html_report
from auditor.reporters.html.render import file_names
from auditor.reporters.html.view import FindingView, segments, valid_span
from auditor.run import run
from auditor.scoring import DepartmentScore, rank_departments
from tests.browser import Page, browser_fixture, page_fixture  # noqa: F401  (fixtures browser, page)
from tests.conftest import CORPUS, SEED

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
IMAGE = "<img src=x onerror=alert(2)>"
# 10,000 characters of prose, no spaces. (A 10,000-digit run would do too, but the readers' and rules'
# regexes take ~40 s on one; that is theirs to fix, not this test's to wait for.)
LONG = ("开头：" + "抽检合格率达到百分之百，群众满意度较上年有所提升；" * 400)[:9_998] + "完。"
assert len(LONG) == 10_000
SAMPLE = Finding("LG002", "repeated-phrase", Severity.WARNING, "重复", "t.csv", None, 1, "项目", None, "goal")

PAGE_DATA = """(() => {
  const marks = {};
  for (const mark of document.querySelectorAll("mark.f[data-f]")) {
    for (const id of mark.dataset.f.split(" ")) marks[id] = (marks[id] || "") + mark.textContent;
  }
  const whole = [];
  for (const cell of document.querySelectorAll("td[data-f]")) whole.push(...cell.dataset.f.split(" "));
  const entries = [...document.querySelectorAll("li.finding")].map(item => ({
    id: item.id, code: item.dataset.code, message: item.querySelector(".msg").textContent,
    suggestion: item.querySelector(".sugtext") ? item.querySelector(".sugtext").textContent : null,
    accepted: item.classList.contains("accepted"),
  }));
  return {marks, whole, entries, scripts: document.scripts.length};
})()"""


def _prepare(report: Report) -> Report:
    """The corpus report, plus what the corpus lacks: accepted findings and overlapping spans.

    In the seed, one spanned and one whole-cell finding are marked accepted (greyed, not highlighted),
    and two findings are added on another spanned finding's cell: one overlapping its span, one
    inside it, so marks have to be split at every boundary.
    """
    files = []
    for result in report.files:
        findings = list(result.findings)
        if Path(result.submission.path).name == SEED.name:
            spanned = [
                n
                for n, f in enumerate(findings)
                if f.span and f.span[1] - f.span[0] >= 4 and f.span[1] + 2 <= len(f.text)
            ]
            plain = next(n for n, f in enumerate(findings) if not f.span and f.field == "target")
            for number in (spanned[0], plain):
                findings[number] = dataclasses.replace(findings[number], suppression=Suppression("baseline", "测试"))
            base = findings[spanned[1]]
            start, end = base.span  # type: ignore[misc]
            findings += [
                dataclasses.replace(
                    base,
                    code="LG002",
                    span=(start + 1, end + 2),
                    message="测试：部分重叠的标记",
                    suggestion="测试建议甲",
                ),
                dataclasses.replace(
                    base, code="MS001", span=(start + 1, end - 1), message="测试：嵌套的标记", suggestion="测试建议乙"
                ),
            ]
        files.append(FileResult(result.submission, findings, result.score))
    return Report(files, list(report.errors))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, list[DepartmentScore], list[Path]]:
    report = _prepare(run(Config(), [CORPUS]).report)
    departments = rank_departments(report)
    paths = write_html_report(report, tmp_path_factory.mktemp("html"), departments)
    return report, departments, paths


def _open(page: Page, path: Path) -> None:
    page.goto(path.as_uri())
    assert page.problems() == [], path.name


def test_files_written(site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    _, departments, paths = site
    assert paths[0].name == "index.html"
    assert [path.name for path in paths[1:]] == [department_filename(d) for d in departments]
    assert sorted(path.name for path in paths[0].parent.iterdir()) == sorted(path.name for path in paths)


def test_department_filename_is_safe_and_stable(site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    department = dataclasses.replace(site[1][0], department='../a/b\\c:*?"<>| 某局\x00.', rank=3)
    name = department_filename(department)
    assert name == department_filename(department)
    assert re.fullmatch(r"dept-03-[\w-]+\.html", name) and "某局" in name and ".." not in name, name
    twin = dataclasses.replace(department, department="a b c 某局")
    assert department_filename(twin) == name
    assert len(set(file_names([department, twin]).values())) == 2  # same rank, still two files


def test_segments_split_overlapping_spans() -> None:
    """Pure Python: any spans, the marks of each finding rejoin to exactly its text[start:end]."""
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("有效提高安全生产<>&\"'") for _ in range(rng.randint(1, 30)))
        spans = []
        for number in range(rng.randint(1, 5)):
            start = rng.randrange(len(text))
            spans.append((start, rng.randint(start + 1, len(text)), FindingView(f"f{number}", SAMPLE)))
        pieces = segments(text, spans)
        assert "".join(piece.text for piece in pieces) == text and all(piece.text for piece in pieces)
        for start, end, view in spans:
            assert "".join(piece.text for piece in pieces if view.id in piece.ids) == text[start:end]


def test_text_that_is_not_the_cell_is_listed_not_highlighted(
    site: tuple[Report, list[DepartmentScore], list[Path]], tmp_path: Path
) -> None:
    report = site[0]
    seed = next(result for result in report.files if Path(result.submission.path).name == SEED.name)
    number = next(n for n, f in enumerate(seed.findings) if f.active and f.span)
    moved = dataclasses.replace(seed.findings[number], text="与单元格不同的文字")
    findings = [*seed.findings[:number], moved, *seed.findings[number + 1 :]]
    changed = Report([FileResult(seed.submission, findings, seed.score)])
    department = rank_departments(changed)[0]
    ids = {id(finding): id_ for id_, finding in numbered_findings(changed, department)}
    html = write_html_report(changed, tmp_path, [department])[1].read_text(encoding="utf-8")
    assert not re.search(rf'data-f="[^"]*\b{ids[id(moved)]}\b', html)
    assert "（原文与表中单元格不一致）与单元格不同的文字" in html


def test_empty_report_writes_an_index(tmp_path: Path) -> None:
    paths = write_html_report(Report(errors=["a.xlsx: E104 无法解析"]), tmp_path / "new" / "dir")
    assert [path.name for path in paths] == ["index.html"]
    assert "没有可读取的表格" in paths[0].read_text(encoding="utf-8")
    assert [path.name for path in paths[0].parent.iterdir()] == ["index.html"]  # no temporary files left


def test_index_ranks_departments(page: Page, site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    _, departments, paths = site
    _open(page, paths[0])
    rows = page.evaluate("""[...document.querySelectorAll("#ranking tbody tr")].map(row => [
        Number(row.cells[0].textContent), row.querySelector("a").textContent,
        row.querySelector("a").getAttribute("href"), row.cells[3].textContent.trim()])""")
    assert rows == [[d.rank, d.department, _href(d), d.grade] for d in departments]
    assert page.evaluate("document.querySelectorAll('svg.chart title').length") >= 3
    page.click("#ranking thead th:nth-child(3) button")  # sort by score, ascending
    scores = page.evaluate(
        "[...document.querySelectorAll('#ranking tbody tr')].map(row => Number(row.cells[2].textContent))"
    )
    assert scores == sorted(d.score for d in departments)
    assert page.problems() == []


def _href(department: DepartmentScore) -> str:
    from urllib.parse import quote

    return quote(department_filename(department))


def test_department_pages_highlight_exactly(page: Page, site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    report, departments, paths = site
    spanned_total = overlapping = 0
    for department, path in zip(departments, paths[1:], strict=True):
        _open(page, path)
        data = page.evaluate(PAGE_DATA)
        numbered = numbered_findings(report, department)
        spanned = {id_: f for id_, f in numbered if f.active and valid_span(f)}
        whole = {id_ for id_, f in numbered if f.active and not valid_span(f) and _drawn_place(f)}
        for id_, finding in spanned.items():
            start, end = finding.span  # type: ignore[misc]
            assert data["marks"].get(id_) == finding.text[start:end], (path.name, id_, finding)
        assert set(data["marks"]) == set(spanned), path.name
        assert sorted(data["whole"]) == sorted(whole), path.name
        assert [entry["id"] for entry in data["entries"]] == [id_ for id_, _ in numbered], path.name
        for entry, (_, finding) in zip(data["entries"], numbered, strict=True):
            assert (entry["code"], entry["message"], entry["suggestion"]) == (
                finding.code,
                finding.message,
                finding.suggestion,
            )
            assert entry["accepted"] == (not finding.active)
        assert sum(not entry["accepted"] for entry in data["entries"]) == department.findings
        assert data["scripts"] == 1
        spanned_total += len(spanned)
        overlapping += page.evaluate("document.querySelectorAll('mark.f.multi').length")
    assert spanned_total >= 50  # the corpus has many spans; the loop above must have checked them
    assert overlapping >= 2


def _drawn_place(finding: Finding) -> bool:
    """Findings whose place is a cell of the redrawn table (the whole row is not one)."""
    return finding.field != "row" and finding.project_index is not None


def _seed_page(site: tuple[Report, list[DepartmentScore], list[Path]]) -> tuple[DepartmentScore, Path]:
    report, departments, paths = site
    seed = next(r for r in report.files if Path(r.submission.path).name == SEED.name)
    number = next(n for n, d in enumerate(departments) if d.department == seed.submission.department)
    return departments[number], paths[number + 1]


def _visibility(page: Page) -> dict[str, Any]:
    return page.evaluate("""(() => {
      const shown = el => getComputedStyle(el).display !== "none";
      const entries = [...document.querySelectorAll("li.finding")];
      const vg = entries.filter(e => e.dataset.fam === "VG"), other = entries.filter(e => e.dataset.fam !== "VG");
      const vgIds = new Set(vg.map(e => e.id));
      const onlyVg = [...document.querySelectorAll("mark.f")]
        .filter(m => m.dataset.f.split(" ").every(i => vgIds.has(i)));
      return {vgShown: vg.filter(shown).length, vg: vg.length, otherShown: other.filter(shown).length,
              other: other.length, marks: onlyVg.length,
              marksOff: onlyVg.filter(m => m.classList.contains("off")
                                     && getComputedStyle(m).backgroundColor === "rgba(0, 0, 0, 0)").length};
    })()""")


def test_filters_hide_and_show(page: Page, site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    _, path = _seed_page(site)
    _open(page, path)
    before = _visibility(page)
    assert before["vg"] > 0 and before["marks"] > 0
    assert before["vgShown"] == before["vg"] and before["marksOff"] == 0
    page.click("#filters input[value='VG']")
    hidden = _visibility(page)
    assert hidden["vgShown"] == 0 and hidden["marksOff"] == hidden["marks"]
    assert hidden["otherShown"] == hidden["other"]
    page.send("Emulation.setEmulatedMedia", {"media": "print"})  # print shows every finding, no filters
    printed = page.evaluate("""[getComputedStyle(document.getElementById("filters")).display,
        [...document.querySelectorAll("li.finding")].every(e => getComputedStyle(e).display !== "none")]""")
    assert printed == ["none", True]
    page.send("Emulation.setEmulatedMedia", {"media": ""})
    page.click("#filters input[value='VG']")
    assert _visibility(page) == before
    page.evaluate("""(() => { const s = document.querySelector("#filters select[name=rule]");
        s.value = "MS004"; s.dispatchEvent(new Event("change", {bubbles: true})); })()""")
    codes = page.evaluate("""[...document.querySelectorAll("li.finding")]
        .filter(e => getComputedStyle(e).display !== "none").map(e => e.dataset.code)""")
    assert codes and set(codes) == {"MS004"}
    page.click("#filters input[value='warning']")
    assert "显示 0 /" in page.evaluate("document.getElementById('shown').textContent")
    assert page.problems() == []


def test_popover_on_click_and_keyboard(page: Page, site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    report, _, _ = site
    department, path = _seed_page(site)
    _open(page, path)
    found = dict(numbered_findings(report, department))
    first = page.evaluate("document.querySelector('mark.f:not(.multi)').dataset.f")
    finding = found[first]
    assert finding.suggestion
    page.click(f"mark.f[data-f='{first}']")
    shown = page.evaluate("[document.getElementById('pop').hidden, document.getElementById('pop').textContent]")
    assert shown[0] is False and finding.message in shown[1] and finding.suggestion in shown[1]
    page.press("Escape")
    assert page.evaluate("document.getElementById('pop').hidden") is True
    page.click("mark.f.multi")
    text = page.evaluate("document.getElementById('pop').textContent")
    assert "测试：嵌套的标记" in text and "测试：部分重叠的标记" in text and "测试建议乙" in text
    page.click("h1")  # a click elsewhere closes it
    assert page.evaluate("document.getElementById('pop').hidden") is True
    cell = page.evaluate("document.querySelector('td.hit').dataset.f.split(' ')[0]")
    page.evaluate("document.querySelector('td.hit').focus()")  # keyboard focus opens it too
    text = page.evaluate("document.getElementById('pop').hidden ? null : document.getElementById('pop').textContent")
    assert text is not None and found[cell].message in text
    assert page.evaluate("document.querySelectorAll('mark.f:not([tabindex=\"0\"])').length") == 0
    assert page.problems() == []


def test_readable_without_javascript(page: Page, site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    department, path = _seed_page(site)
    page.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(path.as_uri())
    state = page.evaluate("""[getComputedStyle(document.getElementById("filters")).display,
        [...document.querySelectorAll("li.finding")].filter(e => getComputedStyle(e).display !== "none").length,
        document.documentElement.className]""")
    assert state[0] == "none" and state[2] == "no-js"
    assert state[1] == len(numbered_findings(site[0], department))


def _hostile_report(tmp_path: Path) -> Report:
    """The transport sample with its first project's indicator cells replaced by hostile text."""
    source = CORPUS / "transport-2021-wide.csv"
    rows = list(csv.reader(source.read_text(encoding="utf-8-sig").splitlines()))
    first = next(n for n, row in enumerate(rows) if row and row[0] == "1")
    rows[first][10], rows[first][11], rows[first][12], rows[first][13] = SCRIPT, FORMULA, IMAGE, LONG
    rows[first][2] = '<a href="http://x">项目</a>'
    table = tmp_path / "hostile.csv"
    with table.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    report = run(Config(), [table]).report
    texts = {ind.target.text for ind in report.files[0].submission.projects[0].indicators}
    texts |= {ind.completion.text for ind in report.files[0].submission.projects[0].indicators}
    assert {SCRIPT, FORMULA, IMAGE, LONG} <= texts  # the reader kept them verbatim
    report.errors.append("<b>坏文件.xlsx</b>: E104 无法解析")
    return report


def test_hostile_text_stays_text(page: Page, tmp_path: Path) -> None:
    report = _hostile_report(tmp_path)
    paths = write_html_report(report, tmp_path / "out")
    for path in paths:
        _open(page, path)
        page.evaluate("new Promise(done => setTimeout(done, 100))")
        state = page.evaluate("""({scripts: document.scripts.length, images: document.images.length,
            links: [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href"))
                   .filter(h => /^(https?|javascript|data):/i.test(h)),
            text: document.body.textContent,
            cells: [...document.querySelectorAll("td, td .long")].map(td => td.textContent)})""")
        assert page.dialogs() == [] and state["scripts"] == 1 and state["images"] == 0 and state["links"] == []
        if path.name == "index.html":
            assert "<b>坏文件.xlsx</b>: E104 无法解析" in state["text"]
            continue
        for literal in (SCRIPT, FORMULA, IMAGE, '<a href="http://x">项目</a>'):
            assert literal in state["text"]
        assert LONG in state["cells"]
        page.click(".long + button.toggle")
        assert page.evaluate("document.querySelector('.long').classList.contains('open')") is True
    _assert_nothing_fetched(paths)


class _Parts(HTMLParser):
    """Everything in a page that is not a text node: tags' attributes, script and style bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []
        self.tags: Counter[str] = Counter()
        self.code: dict[str, list[str]] = {"script": [], "style": []}
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self.tags[tag] += 1
        self._inside = tag if tag in self.code else None

    def handle_endtag(self, tag: str) -> None:
        self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.code[self._inside].append(data)


def _assert_nothing_fetched(paths: list[Path]) -> None:
    for path in paths:
        parts = _Parts()
        parts.feed(path.read_text(encoding="utf-8"))
        non_text = [value for _, _, value in parts.attributes] + parts.code["script"] + parts.code["style"]
        assert not [part for part in non_text if re.search(r"https?:|//[a-z]", part, re.I)], path.name
        csp = [
            value
            for tag, name, value in parts.attributes
            if tag == "meta" and name == "content" and "default-src" in value
        ]
        assert len(csp) == 1 and "default-src 'none'" in csp[0], path.name
        script = "".join(parts.code["script"])
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp[0] and '"use strict"' in script
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", script)
        assert parts.tags["link"] == 1 and not {"img", "iframe", "object", "embed", "base"} & set(parts.tags)


def test_nothing_fetched(site: tuple[Report, list[DepartmentScore], list[Path]]) -> None:
    _assert_nothing_fetched(site[2])
