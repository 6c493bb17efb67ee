"""Department, year, title and money unit from the lines above a table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.text.normalize import normalize

_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年度?")
_DEPARTMENT = re.compile(
    r"(?:部门名称|预算部门|主管部门|单位名称|填报单位|部门|单位)\s*(?:[（(]\s*盖章\s*[）)])?\s*[:：]\s*(?P<name>[^\s:：]{2,40})"
)
_UNIT = re.compile(r"(?:金额|资金)?单位\s*[:：]\s*(?P<unit>万元|元|千元|亿元)")
_TITLE = re.compile(r"绩效自评表|绩效自评|自评表|绩效评价表|绩效评价情况表|绩效评价|评分细则")
_TITLE_DEPARTMENT = re.compile(r"^(?P<name>.{2,40}?)(?:20\d{2}|19\d{2})\s*年")


@dataclass
class Meta:
    title: str | None = None
    department: str | None = None
    year: int | None = None
    money_unit: str | None = None
    title_department: str | None = None  # the name before the year in the title, a fallback

    def update(self, line: str) -> None:
        """Take what one title line says, keeping what earlier lines already settled."""
        simple = normalize(line) if line else ""
        if not simple:
            return
        if self.title is None and _TITLE.search(simple):
            self.title = line.strip()
            if self.department is None:
                match = _TITLE_DEPARTMENT.match(simple)
                if match and not _TITLE.search(match.group("name")):
                    self.title_department = match.group("name")
        if self.year is None and (_TITLE.search(simple) or len(simple) <= 16) and "日期" not in simple:
            match = _YEAR.search(simple)
            if match:
                self.year = int(match.group(1))
        if self.department is None:
            match = _DEPARTMENT.search(simple)
            if match and not re.match(r"^[万亿千]?元", match.group("name")):
                self.department = strip_code(line_original(line, match.group("name"), simple))
        if self.money_unit is None:
            match = _UNIT.search(simple)
            if match:
                self.money_unit = match.group("unit")

    @property
    def best_department(self) -> str | None:
        return self.department or self.title_department


_CODE = re.compile(
    "^\\s*(?:[\\[\uff3b【(（]\\s*[0-9A-Za-z]{2,24}\\s*[\\]\uff3d】)）]|[0-9A-Za-z]{3,24}\\s*[-—_－、.．:：\\s])\\s*"
)


def strip_code(name: str) -> str:
    """A unit or department without the budget code in front: ``[155]濉溪县民政局`` → ``濉溪县民政局``,
    ``314002-成安县民政局机关`` → ``成安县民政局机关``."""
    stripped = _CODE.sub("", name.strip())
    return stripped if len(stripped) >= 2 else name.strip()


def line_original(line: str, simple_name: str, simple_line: str) -> str:
    """Return the department as written (traditional stays traditional) when lengths line up."""
    compact = re.sub(r"\s+", "", line)
    if len(compact) == len(simple_line):
        start = simple_line.find(simple_name)
        if start >= 0:
            return compact[start : start + len(simple_name)]
    return simple_name
