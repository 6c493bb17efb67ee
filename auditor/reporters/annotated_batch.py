"""Every input's annotated copy for ``auditor report``, in forked worker processes when ``jobs`` > 1.

Loading and saving a workbook is openpyxl's pure-Python work, a few tens of milliseconds per file
and most of a report's own time; the copies are independent of each other, so ``--jobs`` spreads
them over the cores as it spreads the linting. Each worker is forked with the report in memory (set
in :data:`_BATCH` just before the pool starts, like :mod:`auditor.run`'s workers), receives only a
number and sends back only a path or a one-line problem. Each copy is written atomically by
:func:`~auditor.reporters.annotated_xlsx.write_annotated`, so the files are the same whatever
``jobs`` is; the caller may do other work (the review workbook) while the workers run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.reporters import FileResult


@dataclass(frozen=True)
class Task:
    """One annotated copy to write: the linted result, its source file and the copy's full path."""

    result: FileResult
    source: Path
    destination: Path


@dataclass(frozen=True)
class Done:
    """What became of a task: the written path, or the one-line problem (the report goes on)."""

    task: Task
    written: Path | None
    problem: str | None


#: The tasks a forked worker reads by number (set in the parent just before the pool forks).
_BATCH: list[Task] = []


def _write(task: Task) -> tuple[Path | None, str | None]:
    from auditor.reporters.annotated_xlsx import write_annotated

    try:
        task.destination.parent.mkdir(parents=True, exist_ok=True)
        return write_annotated(task.result, task.source, task.destination), None
    except (OSError, ValueError) as error:
        return None, f"{task.source}: 无法生成批注工作簿（{error}）"


def _write_numbered(number: int) -> tuple[Path | None, str | None]:
    return _write(_BATCH[number])


class Batch:
    """The copies being written: ``with Batch(tasks, jobs) as batch`` starts the workers (when ``jobs`` > 1),
    leaves the caller free for other work, and :meth:`outcomes` collects them in task order."""

    def __init__(self, tasks: list[Task], jobs: int = 1) -> None:
        self.tasks = tasks
        self.workers = min(jobs, len(tasks)) if sys.platform.startswith("linux") else 1
        self._pool: Any = None
        self._results: Iterator[tuple[Path | None, str | None]] | None = None

    def __enter__(self) -> Batch:
        global _BATCH
        if self.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Imported before the fork, so that no worker pays for openpyxl's import on its own.
            from auditor.reporters import annotated_xlsx  # noqa: F401

            _BATCH = self.tasks
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
            self._results = self._pool.map(_write_numbered, range(len(self.tasks)))  # submitted at once
        return self

    def outcomes(self, progress: Callable[[int, int, str], None] | None = None) -> Iterator[Done]:
        for done, task in enumerate(self.tasks):
            if progress is not None:
                progress(done, len(self.tasks), str(task.source))
            yield Done(task, *(next(self._results) if self._results is not None else _write(task)))
        if progress is not None:
            progress(len(self.tasks), len(self.tasks), "")

    def __exit__(self, *exc: object) -> None:
        global _BATCH
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            _BATCH = []
