"""Readers: any supported file → :class:`~auditor.model.Submission`.

``read_path`` sniffs the format by content (:mod:`.sniff`), turns the file into grids of located
cells (one module per format), detects the layout of each grid and parses it (:mod:`.wide`,
:mod:`.standard`). Inputs are opened read-only and never written to.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from auditor.errors import InputError
from auditor.model import Kind, Layout, Project, Submission
from auditor.readers.grid import Grid
from auditor.readers.limits import LIMITS
from auditor.readers.meta import Meta
from auditor.readers.sniff import SUPPORTED_SUFFIXES, sniff

#: Files that are never tables (configuration, word lists, notes) are skipped in folders without a notice.
NOT_TABLES = frozenset({".yaml", ".yml", ".json", ".md", ".toml", ".cfg", ".ini", ".conf", ".sqlite", ".lock"})
#: Formats whose documents hold other tables beside the self-evaluation ones (skipped with a notice).
_PUBLISHED = frozenset({"pdf", "html"})
#: File that marks a folder written by ``auditor report``; folder scans skip it.
REPORT_MARKER = ".auditor-report"


def iter_inputs(path: Path) -> tuple[list[Path], list[str]]:
    """Files to read for one command-line argument, and notices about skipped files.

    In a folder, names starting with ``.`` or ``_`` are skipped, and so is anything a
    ``.auditorignore`` in that folder or a folder below lists (one glob per line, relative to the
    folder holding it; ``dir/`` for a whole folder) — e.g. the labelled training data kept beside
    sample tables. A folder
    holding a ``.auditor-report`` marker is auditor's own output (``auditor report``) and is skipped.
    """
    if not path.exists():
        raise InputError("E100", str(path))
    if path.is_file():
        return [path], []
    if not path.is_dir():
        raise InputError("E101", str(path), f"不是普通文件或目录（{_kind_of(path)}），不读取")
    ignores = {ignore.parent: _ignore_patterns(ignore.parent) for ignore in path.rglob(".auditorignore")}
    reports = [marker.parent for marker in path.rglob(REPORT_MARKER)]
    files, notices = [], []
    for child in sorted(path.rglob("*")):
        relative = child.relative_to(path)
        if not child.is_file() or any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if any(child.is_relative_to(folder) for folder in reports):
            continue
        if child.name.startswith("~$") or _ignored_anywhere(child, ignores):
            continue
        if child.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(child)
        elif child.suffix.lower() not in NOT_TABLES:
            notices.append(f"{child}: 已跳过（不支持的文件类型 {child.suffix or '无扩展名'}）")
    if not files:
        raise InputError("E110", str(path))
    return files, notices


def _kind_of(path: Path) -> str:
    import stat

    mode = path.stat().st_mode
    if stat.S_ISFIFO(mode):
        return "命名管道 FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def read_stdin(stream: BinaryIO, name: str) -> bytes:
    """Standard input, read in chunks up to the file-size limit — ``lint - < /dev/zero`` stops there."""
    limit = int(LIMITS.max_file_mb * 2**20)
    chunks, size = [], 0
    while chunk := stream.read(min(1 << 20, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise InputError("E109", name, f"标准输入超过 {LIMITS.max_file_mb:g} MB 上限")
    return b"".join(chunks)


def _ignored_anywhere(child: Path, ignores: dict[Path, list[str]]) -> bool:
    """Whether a ``.auditorignore`` of any folder above ``child`` (within the argument) lists it."""
    return any(
        child.is_relative_to(folder) and _ignored(child.relative_to(folder).as_posix(), patterns)
        for folder, patterns in ignores.items()
    )


def _ignore_patterns(folder: Path) -> list[str]:
    ignore = folder / ".auditorignore"
    if not ignore.is_file():
        return []
    lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _ignored(relative: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatch

    for pattern in patterns:
        if pattern.endswith("/") and (relative + "/").startswith(pattern):
            return True
        if fnmatch(relative, pattern) or fnmatch(relative.rsplit("/", 1)[-1], pattern):
            return True
    return False


def load_grids(path: Path) -> tuple[str, list[Grid]]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > LIMITS.max_file_mb * 2**20:
            raise InputError("E109", name, f"{size / 2**20:.0f} MB，超过 {LIMITS.max_file_mb:g} MB 上限")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError("E101", name, "没有读取权限") from exc
    except IsADirectoryError as exc:
        raise InputError("E101", name, "是目录") from exc
    except OSError as exc:
        raise InputError("E101", name, exc.strerror or type(exc).__name__) from exc
    kind = sniff(path, data)
    if kind == "xlsx":
        from auditor.readers.xlsx import read_xlsx

        return kind, read_xlsx(path, data)
    if kind == "xls":
        from auditor.readers.xls import read_xls

        return kind, read_xls(path, data)
    if kind == "docx":
        from auditor.readers.docx import read_docx

        return kind, read_docx(path, data)
    if kind == "pdf":
        from auditor.readers.pdf import read_pdf

        return kind, read_pdf(path, data)
    if kind == "html":
        from auditor.readers.html import read_html

        return kind, read_html(path, data)
    if kind in ("doc", "et"):
        from auditor.readers.office import read_old_office

        return kind, read_old_office(path, data, kind)
    from auditor.readers.delimited import read_delimited

    return kind, read_delimited(path, data)


def read_submission(path: Path) -> Submission:
    """Read one file into one submission (all its sheets/tables), or raise :class:`InputError`."""
    from auditor.readers.header import find_wide_header
    from auditor.readers.standard import find_standard_blocks, parse_standard
    from auditor.readers.summary import find_summary_header, money_unit, parse_summary
    from auditor.readers.wide import parse_wide

    file_format, grids = load_grids(path)
    if not grids:
        raise InputError("E102", str(path))
    _check_size(str(path), grids)
    meta = Meta()
    projects: list[Project] = []
    layout: Layout | None = None
    notices: list[str] = []
    skipped: list[str] = []  # PDF/web-page tables without a self-evaluation layout (收入支出决算总表, navigation)
    for grid in grids:
        blocks = find_standard_blocks(grid)
        if blocks:
            layout = layout or Layout.STANDARD
            _read_meta(grid, meta, until=blocks[0][0] + 3)
            projects.extend(parse_standard(grid, blocks, meta, start_index=len(projects) + 1))
            continue
        header = find_wide_header(grid)
        if header is not None:
            layout = layout or Layout.WIDE
            _read_meta(grid, meta, until=header[0])
            projects.extend(parse_wide(grid, *header))
            continue
        summary = find_summary_header(grid)
        if summary is not None:
            layout = layout or Layout.SUMMARY
            _read_meta(grid, meta, until=summary[0])
            meta.money_unit = meta.money_unit or money_unit(grid, summary[0])
            found = parse_summary(grid, *summary, start_index=len(projects) + 1)
            projects.extend(found)
            if meta.department is None:
                departments = {p.department.text for p in found if p.department and not p.department.is_blank}
                if len(departments) == 1:
                    meta.department = departments.pop()
            continue
        if file_format in _PUBLISHED:
            skipped.append(grid.name or "表")
    if skipped and projects:
        listed = "、".join(skipped[:20]) + ("…" if len(skipped) > 20 else "")
        notices.append(f"{len(skipped)} 个表格不是绩效自评表，已跳过：{listed}")
    notes: list[tuple] = []
    for grid in grids:
        notices.extend(grid.notices)
        notes.extend(sorted(grid.notes.items(), key=lambda item: (item[0].row, item[0].column)))
    if layout is None:
        from auditor.readers.diagnose import missing_labels

        raise InputError("E107", str(path), missing_labels(grids))
    if not projects:
        raise InputError("E108", str(path))
    return Submission(
        path=str(path),
        layout=layout,
        projects=tuple(projects),
        title=meta.title,
        department=meta.best_department,
        year=meta.year,
        money_unit=meta.money_unit or "万元",
        file_format=file_format,
        notices=tuple(notices),
        notes=tuple(notes),
        kind=_kind(layout, meta),
    )


def _kind(layout: Layout, meta: Meta) -> Kind:
    """Summaries by their layout; department-wide tables by their title (部门整体支出绩效自评表)."""
    if layout is Layout.SUMMARY:
        return Kind.SUMMARY
    from auditor.readers.labels import matcher

    if meta.title and matcher("standard", "department_titles").match(meta.title, fuzzy=False):
        return Kind.DEPARTMENT
    return Kind.PROJECT


def _read_meta(grid: Grid, meta: Meta, until: int) -> None:
    for r in range(min(until, len(grid.rows))):
        for cell in grid.distinct(r):
            meta.update(cell.text)
    if meta.title is None and grid.name:
        meta.update(grid.name)


def _check_size(path: str, grids: list[Grid]) -> None:
    if len(grids) > LIMITS.max_sheets:
        raise InputError("E109", path, f"共 {len(grids)} 个工作表/表格，超过上限 {LIMITS.max_sheets}")
    cells = 0
    for grid in grids:
        if len(grid.rows) > LIMITS.max_rows:
            raise InputError("E109", path, f"“{grid.name or '表'}”有 {len(grid.rows)} 行，超过上限 {LIMITS.max_rows}")
        cells += sum(len(row) for row in grid.rows)
    if cells > LIMITS.max_cells:
        raise InputError("E109", path, f"共 {cells} 个单元格，超过上限 {LIMITS.max_cells}")
