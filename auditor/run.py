"""One lint run: read every input, run the selected rules, apply acceptances, collect a report.

The CLI parses flags and prints; everything between lives here so that it can be called and
tested without a terminal.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from auditor.checks.engine import Selection, lint, selected_rules
from auditor.config import Config
from auditor.errors import InputError
from auditor.model import Submission
from auditor.reporters import FileResult, Report
from auditor.scoring import submission_score
from auditor.suppress import Baseline, apply_in_source


@dataclass
class RunResult:
    report: Report
    notices: list[str] = field(default_factory=list)  # printed on stderr
    baseline_suppressed: int = 0
    baseline_stale: list[dict[str, Any]] = field(default_factory=list)


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """Third-party chatter kept off standard output, which carries JSON/SARIF: prints discarded, warnings off.

    Readers pass their libraries a logfile of their own where they can (xlrd); this catches the rest.
    """
    with contextlib.redirect_stdout(_Discard()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def read_safely(path: Path) -> Submission:
    """Read one file; anything unexpected becomes an :class:`InputError` naming the file."""
    from auditor.readers import read_submission

    try:
        with quiet_libraries():
            return read_submission(path)
    except InputError:
        raise
    except MemoryError as exc:
        raise InputError("E109", str(path), "内存不足") from exc
    except RecursionError as exc:
        raise InputError("E104", str(path), "结构嵌套过深") from exc
    except Exception as exc:
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        raise InputError("E104", str(path), f"无法解析（{type(exc).__name__}）") from exc


STDIN_NAME = "标准输入"  # what a table piped in is called when --stdin-filename does not name it


def read_stdin(data: bytes, filename: str) -> Submission:
    """Read a table given on standard input; ``filename`` names it in the report. Its format is sniffed
    from the content (an xlsx piped in is read as xlsx)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(filename).name or STDIN_NAME)
        path.write_bytes(data)
        try:
            submission = read_safely(path)
        except InputError as error:  # named as the user knows it, never by the temporary file
            raise InputError(error.code, filename, error.detail.replace(str(path), filename)) from None
    return replace(submission, path=filename)


def default_jobs() -> int:
    """The processes ``--jobs`` uses by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Outcome:
    """One input read and linted: the file's result and its notices, or the one-line read error."""

    result: FileResult | None
    notices: list[str]
    error: str | None = None


#: What a forked worker lints with (set in the parent just before the pool forks).
_WORKER: tuple[Config, Selection, list[Any]] | None = None


def _lint_input(config: Config, selection: Selection, rules: list[Any], path: Path | None,
                stdin: tuple[bytes, str] | None = None) -> _Outcome:  # fmt: skip
    try:
        submission = read_safely(path) if path is not None else read_stdin(*stdin)  # type: ignore[misc]
    except InputError as error:
        return _Outcome(None, [], error.one_line())
    ignored = config.ignored_for(submission.path)
    file_rules = rules
    if ignored:
        file_selection = replace(selection, ignore=(*selection.ignore, *ignored))
        file_rules = selected_rules(file_selection)
    findings = lint(submission, selection, file_rules)
    findings, notices = apply_in_source(submission, findings)
    return _Outcome(FileResult(submission, findings, 0.0), list(notices))


def _lint_in_worker(path: Path) -> _Outcome:
    assert _WORKER is not None
    return _lint_input(*_WORKER, path)


def _outcomes(config: Config, selection: Selection, rules: list[Any], inputs: list[tuple[Path | None, bool]],
              stdin: tuple[bytes, str] | None, jobs: int,
              progress: Callable[[int, int, str], None] | None) -> Iterator[_Outcome]:  # fmt: skip
    """Each input's outcome, in input order; files in ``jobs`` forked processes when there are several."""
    files = [path for path, _ in inputs if path is not None]
    workers = min(jobs, len(files))
    pool = None
    if workers > 1 and sys.platform.startswith("linux"):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _WORKER
        from auditor.text.nlp import warm_up

        warm_up()  # the dictionary loaded once, shared by the forked workers
        _WORKER = (config, selection, rules)
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        results = iter(pool.map(_lint_in_worker, files)) if pool is not None else None
        for done, (path, _) in enumerate(inputs):
            if progress is not None:
                progress(done, len(inputs), str(path) if path is not None else "-")
            if path is not None and results is not None:
                yield next(results)
            else:
                yield _lint_input(config, selection, rules, path, stdin)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
            _WORKER = None


def run(
    config: Config,
    paths: Iterable[Path],
    *,
    stdin: tuple[bytes, str] | None = None,
    baseline: Baseline | None = None,
    index: Any = None,
    echo: Callable[[str], None] = lambda line: None,
    progress: Callable[[int, int, str], None] | None = None,
    jobs: int = 1,
) -> RunResult:
    """Lint ``paths`` (and stdin) under ``config``.

    ``echo`` receives notices; ``progress(done, total, name)`` is called before each file is read and
    once more when all are done (the CLI draws a progress bar from it). ``jobs`` > 1 reads and lints
    the files in that many forked processes (Linux; one process elsewhere, and with a corpus
    ``index``, whose connection is not shared across processes); the result is the same as with one.
    """
    from auditor.readers import iter_inputs

    options: dict[str, Any] = {"severity": config.severity}
    if index is not None:
        options["index"] = index  # CP005 reads it
    selection = Selection(config.select, config.ignore, config.extend_select, options)
    rules = selected_rules(selection)
    result = RunResult(Report())
    inputs: list[tuple[Path | None, bool]] = []
    for argument in paths:
        try:
            files, notices = iter_inputs(argument)
        except InputError as error:
            result.report.errors.append(error.one_line())
            continue
        for notice in notices:
            echo(f"注意：{notice}")
        inputs += [(path, argument.is_dir()) for path in files]
    # The same files give the same report whatever the order they were named in.
    # A file named twice (or by two spellings of its path) is read once, under the spelling that sorts
    # first; named explicitly even once, its read errors are fatal rather than skipped.
    unique: dict[Path, tuple[Path | None, bool]] = {}
    for path, in_folder in inputs:
        assert path is not None
        first, folder_only = unique.get(path.resolve(), (path, True))
        unique[path.resolve()] = (min(first, path, key=str), folder_only and in_folder)
    inputs = sorted(unique.values(), key=lambda item: str(item[0]))
    if stdin is not None:
        inputs.append((None, False))
    if index is not None:
        jobs = 1
    outcomes = _outcomes(config, selection, rules, inputs, stdin, jobs, progress)
    for (_, in_folder), outcome in zip(inputs, outcomes, strict=True):
        if outcome.error is not None:
            if in_folder:
                echo(f"已跳过：{outcome.error}")
                result.report.skipped.append(outcome.error)
            else:
                result.report.errors.append(outcome.error)
            continue
        for notice in outcome.notices:
            echo(notice)
        assert outcome.result is not None
        result.report.files.append(outcome.result)
    if progress is not None:
        progress(len(inputs), len(inputs), "")
    if baseline is not None:
        everything = result.report.findings
        marked, result.baseline_suppressed, result.baseline_stale = baseline.apply(everything)
        position = 0
        for file_result in result.report.files:
            count = len(file_result.findings)
            file_result.findings = marked[position : position + count]
            position += count
    for file_result in result.report.files:
        file_result.score = submission_score(file_result.submission, file_result.findings)
    return result
