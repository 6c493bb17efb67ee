"""``auditor report``: everything an auditor forwards, written into one folder.

* ``index.html`` ranking departments, and one self-contained HTML page per department;
* ``annotated/[folder/]<name>.annotated.xlsx``: each input (its folders mirrored) with flagged cells
  filled and commented;
* ``summary.csv`` (one row per project) and ``summary.md`` (ranking, common problems, weakest
  projects), and ``report.json`` (the lint JSON, for tools);
* ``复核问题清单.xlsx``: every finding of every department, with the reviewer's 复核结论 / 复核意见
  columns (:mod:`auditor.reporters.review_xlsx`), read back with ``--decisions``.

Every file is written atomically and inputs are never touched. The ``.auditor-report`` marker makes
later folder scans skip the folder (a report written inside the corpus is never read as input) and
lists the files the last run wrote, so a second run into the same folder removes the pages and
workbooks that no longer belong to the report — and never anything else. A folder that holds the
inputs, or a non-empty folder that is not a report folder, is refused (:func:`destination_problem`).

Crash-safe and exclusive: the report is written into a temporary sibling folder
(``.<name>.auditor-staging-…``) and swapped in only when complete — with ``renameat2(RENAME_EXCHANGE)``
on Linux, one atomic step — so a kill at any point leaves the previous report whole (the next run
removes the leftover). Files of the reviewer's own in the old folder are carried over (hard links).
:func:`report_lock` (``.<name>.auditor-lock`` beside the folder, ``flock``) keeps a second run into
the same folder out while the first writes (E146).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import InputError
from auditor.fileio import current_umask, write_atomic, write_bytes_atomic
from auditor.readers import REPORT_MARKER
from auditor.reporters import Report
from auditor.reporters.annotated_batch import Batch, Task
from auditor.scoring import DepartmentScore, rank_departments

ANNOTATED = "annotated"


@dataclass
class BundleResult:
    written: list[Path] = field(default_factory=list)
    departments: list[DepartmentScore] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files that could not be annotated, one line each


def write_bundle(
    report: Report,
    out_dir: Path,
    *,
    html: bool = True,
    workbooks: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
    jobs: int = 1,
) -> BundleResult:
    """Write the report folder; ``progress`` follows the annotated workbooks, the slow part, which
    ``jobs`` processes write (the same files whatever ``jobs`` is).

    Everything is written into a staging folder beside ``out_dir`` and swapped in when complete;
    the caller holds :func:`report_lock`. OSErrors (disk full, read-only folder…) propagate.
    """
    target = Path(os.path.realpath(out_dir))
    previous = _manifest(target / REPORT_MARKER)
    old = _stat(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=target.parent))
    try:
        os.chmod(staging, stat.S_IMODE(old.st_mode) if old is not None else 0o777 & ~current_umask())
        result = _write_into(report, staging, html=html, workbooks=workbooks, progress=progress, jobs=jobs)
        current = sorted(path.relative_to(staging).as_posix() for path in result.written)
        # Names as on disk: an undecodable file name keeps its bytes (surrogateescape), read back alike.
        listing = MARKER_HEADER + "".join(f"{name}\n" for name in current)
        write_bytes_atomic(staging / REPORT_MARKER, listing.encode("utf-8", "surrogateescape"))
        if old is not None:
            _carry_over(target, staging, set(previous) | set(current) | {REPORT_MARKER})
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.written = [target / name for name in current]
    return result


def _write_into(
    report: Report,
    out_dir: Path,
    *,
    html: bool,
    workbooks: bool,
    progress: Callable[[int, int, str], None] | None,
    jobs: int = 1,
) -> BundleResult:
    write_atomic(out_dir / REPORT_MARKER, MARKER_HEADER)  # first: folder scans skip the half-written report
    result = BundleResult(departments=rank_departments(report))
    pages: dict[str, str] = {}
    links: dict[str, str] = {}  # submission path → its annotated workbook, relative to the report folder
    from auditor.review import WORKBOOK_NAME

    if workbooks:
        from auditor.reporters.review_xlsx import write_review_workbook

        tasks = _annotation_tasks(report, out_dir / ANNOTATED)
        with Batch(tasks, jobs) as batch:
            review_problem = None
            try:  # while the workers write the annotated copies
                result.written.append(write_review_workbook(report, out_dir / WORKBOOK_NAME))
            except ValueError as error:
                review_problem = f"{WORKBOOK_NAME}: 无法生成（{error}）"
            for done in batch.outcomes(progress):
                if done.written is not None:
                    result.written.append(done.written)
                    links[done.task.result.submission.path] = done.task.destination.relative_to(out_dir).as_posix()
                elif done.problem is not None:
                    result.problems.append(done.problem)
        if review_problem is not None:
            result.problems.append(review_problem)
    if html:
        from auditor.reporters.html import department_filename, write_html_report

        review = WORKBOOK_NAME if (out_dir / WORKBOOK_NAME).is_file() else None
        result.written += write_html_report(report, out_dir, result.departments, links=links, review=review)
        pages = {department.department: department_filename(department) for department in result.departments}
    from auditor.reporters import json_reporter
    from auditor.reporters.scores import render_csv, render_markdown

    for name, text in (
        ("summary.csv", render_csv(result.departments, report)),
        ("summary.md", render_markdown(result.departments, report, pages)),
        ("report.json", json_reporter.render(report)),
    ):
        write_atomic(out_dir / name, text)
        result.written.append(out_dir / name)
    return result


STAGING = ".auditor-staging-"
RETIRED = ".auditor-old-"
LOCK = ".auditor-lock"


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _carry_over(old: Path, new: Path, ours: set[str]) -> None:
    """The reviewer's own files in the old report folder (anything the last or this run did not
    write) appear in the new one too: hard links (copies across file systems), symlinks as symlinks."""
    for folder, dirs, files in os.walk(old):
        for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))]:
            source = Path(folder, name)
            relative = source.relative_to(old).as_posix()
            if relative in ours:
                continue
            destination = new / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            mode = os.lstat(source).st_mode
            if stat.S_ISLNK(mode):
                os.symlink(os.readlink(source), destination)
            elif stat.S_ISREG(mode):
                try:
                    os.link(source, destination)
                except OSError:
                    shutil.copy2(source, destination)
            else:
                raise InputError("E143", str(old), f"报告目录中的 {relative} 不是普通文件，无法保留到新报告中")


def _swap_in(staging: Path, target: Path) -> None:
    """Put the complete report at ``target``: an atomic exchange with the old folder where the system
    has one, else two renames (a kill between them leaves the old report under a ``.auditor-old-``
    name, restored by the next run)."""
    if _stat(target) is None:
        os.rename(staging, target)
        return
    try:
        _exchange(staging, target)
    except OSError:
        retired = target.parent / f".{target.name}{RETIRED}{os.getpid()}"
        os.rename(target, retired)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(retired, target)
            raise
        shutil.rmtree(retired, ignore_errors=True)
        return
    shutil.rmtree(staging, ignore_errors=True)  # now the old report


def _exchange(a: Path, b: Path) -> None:
    """``renameat2(a, b, RENAME_EXCHANGE)``: both names swap their folders in one step (Linux ≥ 3.15)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):
        raise OSError(errno.ENOSYS, "renameat2 不可用") from None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    at_cwd, exchange = -100, 2
    if function(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


@contextlib.contextmanager
def report_lock(out_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold ``.<name>.auditor-lock`` beside the report folder while a run writes it (E146 when
    another run holds it for longer than ``wait`` seconds). Leftovers of killed runs are cleared
    once the lock is held. The lock file is removed when released."""
    target = Path(os.path.realpath(out_dir))
    lock = target.parent / f".{target.name}{LOCK}"
    try:
        import fcntl
    except ImportError:  # no flock (Windows): the staging folder still keeps a run whole
        _clear_leftovers(target)
        yield
        return
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~current_umask())
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise InputError("E146", str(out_dir)) from None
            time.sleep(0.1)
            continue
        held, now = os.fstat(fd), _stat(lock)
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(fd)  # the holder removed it as we opened it: take the new one
    try:
        _clear_leftovers(target)
        yield
    finally:
        Path(lock).unlink(missing_ok=True)
        os.close(fd)


def _clear_leftovers(target: Path) -> None:
    """Staging folders of killed runs; a report retired by a run killed between two renames is put back."""
    pattern = _glob_escape(f".{target.name}")
    for leftover in target.parent.glob(f"{pattern}{RETIRED}*"):
        if _stat(target) is None and (leftover / REPORT_MARKER).is_file():
            os.rename(leftover, target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in target.parent.glob(f"{pattern}{STAGING}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


MARKER_HEADER = "# auditor report 输出目录：检查目录时跳过此处。以下是上次写出的文件（再次写入时删除不再需要的）。\n"
_OURS = re.compile(
    r"(index\.html|dept-[^/]+\.html|summary\.(csv|md)|report\.json|复核问题清单\.xlsx|annotated/.+\.annotated\.xlsx)"
)


def _manifest(marker: Path) -> list[str]:
    """Files a previous run listed in the marker — only names auditor itself writes, inside the folder."""
    if not marker.is_file():
        return []
    lines = marker.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    return [line for line in lines if _OURS.fullmatch(line) and ".." not in line]


def destination_problem(out_dir: Path, inputs: list[Path]) -> str | None:
    """Why ``out_dir`` must not receive a report, or ``None``.

    It must not hold any input (the marker would hide the inputs from later runs, and the report
    would sit among the tables), and an existing non-empty folder must be a report folder already,
    so that no one's ``index.html`` is overwritten by accident.
    """
    target = out_dir.resolve()
    for path in inputs:
        if path.resolve() == target or path.resolve().is_relative_to(target):
            return f"{out_dir}: 报告目录包含输入 {path}，请把报告写到输入之外的目录"
    if target.is_dir() and any(target.iterdir()) and not (target / REPORT_MARKER).is_file():
        return f"{out_dir}: 目录不为空，也不是 auditor 报告目录；为免覆盖其中的文件，请换一个目录或先清空"
    return None


def _annotation_tasks(report: Report, folder: Path) -> list[Task]:
    """One annotated copy per input file (standard input has none), its folders mirrored
    (批次01/a.xlsx → annotated/批次01/a.annotated.xlsx) under unique names."""
    from auditor.reporters.annotated_xlsx import annotated_name

    tasks: list[Task] = []
    taken: set[str] = set()
    sources = [(Path(result.submission.path), result) for result in report.files]
    files = [source.resolve() for source, _ in sources if source.is_file()]
    common = Path(os.path.commonpath(files)) if files else Path()
    if len(files) == 1:
        common = files[0].parent
    for source, result in sources:
        if not source.is_file():  # stdin
            continue
        relative = source.resolve().parent.relative_to(common)
        name = _unique((relative / annotated_name(source)).as_posix(), taken)
        tasks.append(Task(result, source, folder / name))
    return tasks


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``stem-2.ext``… when two inputs would share a name (``a.csv`` beside ``a.xlsx``)."""
    candidate, number = name, 1
    folder, slash, base = name.rpartition("/")
    stem, dot, suffix = base.partition(".")
    stem = folder + slash + stem
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}-{number}{dot}{suffix}"
    taken.add(candidate.casefold())
    return candidate
