"""A progress bar on stderr for runs over many files.

Drawn with tqdm only when stderr is a terminal, the run has at least :data:`MIN_FILES` files and
``--quiet`` is off, so that pipes, CI logs and redirected output never see control characters.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO

MIN_FILES = 2


class Progress:
    """``run(..., progress=bar)``-compatible callback; a context manager that closes the bar."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None, force: bool = False) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = force or (not quiet and _is_terminal(self.stream))
        self._bar: Any = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if not self.enabled or total < MIN_FILES:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=self.stream, unit="份", desc="检查", leave=False, dynamic_ncols=True)
        self._bar.n = done
        self._bar.set_postfix_str(_short(name), refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _short(name: str, width: int = 30) -> str:
    """The file name for the bar: escapes and controls removed (a name can hold them), cut from the left."""
    from auditor.reporters.sanitize import display

    name = display(name, newline=False, tab=False)
    return name if len(name) <= width else "…" + name[-(width - 1) :]
