"""The HTML report auditors read: an index ranking departments and one self-contained page per department.

Each department page redraws every project's table with the flagged text highlighted exactly at
its span, the finding and suggestion on hover, click or keyboard focus, filters by family,
severity and rule, server-drawn SVG charts and a print stylesheet. Pages inline everything and
forbid fetching anything, so the folder opens offline. ``auditor report`` calls
:func:`write_html_report`.
"""

from __future__ import annotations

from auditor.reporters.html.render import department_filename, write_html_report
from auditor.reporters.html.view import numbered_findings

__all__ = ["department_filename", "numbered_findings", "write_html_report"]
