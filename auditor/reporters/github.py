"""``--format github``: GitHub Actions workflow commands, so findings show as annotations on a pull request.

One line per active finding, ``::error file=PATH,line=ROW,col=COLUMN,title=CODE name::MESSAGE``
(``::warning`` / ``::notice`` for the other severities). The message starts with the cell, e.g.
``[Sheet1!K14]``, and carries the suggestion on a second line. Values are escaped as the runner
expects: ``%``, CR and LF everywhere, plus ``:`` and ``,`` inside properties. Suppressed findings
are left out; inputs that could not be read become title-only ``::error`` lines. Control characters
and terminal escape sequences are removed first (:mod:`auditor.reporters.sanitize`), so a cell cannot
inject a workflow command or drive the terminal of someone reading the log.
"""

from __future__ import annotations

from auditor.model import Finding
from auditor.reporters import Report
from auditor.reporters.sanitize import display

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (the part after ``::``), controls and escape sequences removed."""
    return display(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"), tab=False)


def escape_property(value: str) -> str:
    """Escape a property value (``file=``, ``title=`` …)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _line(finding: Finding) -> str:
    props = [("file", finding.file.replace("\\", "/"))]
    loc = finding.location
    if loc is not None:
        props += [("line", str(loc.row)), ("col", str(loc.column))]
    props.append(("title", f"{finding.code} {finding.name}"))
    message = finding.message
    if loc is not None:
        message = f"[{loc.sheet}!{loc.cell}] {message}" if loc.sheet else f"[{loc.cell}] {message}"
    if finding.suggestion:
        message += f"\n建议：{finding.suggestion}"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.severity.value]} {joined}::{escape_data(message)}"


def render(report: Report) -> str:
    lines = [_line(finding) for finding in report.active]
    lines += [f"::error title={escape_property('auditor 无法读取')}::{escape_data(error)}" for error in report.errors]
    return "".join(line + "\n" for line in lines)
