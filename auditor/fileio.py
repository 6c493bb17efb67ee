"""Atomic output: every file auditor writes appears whole or not at all.

A temporary file is written beside the destination and renamed over it with :func:`os.replace`, so
an interrupted run never leaves a half-written report where a previous good one stood.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = path.resolve()
    refuse_special(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp creates 0600; outputs are ordinary files
        refuse_special(path)  # checked again just before the rename: it replaces whatever is there
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refuse_special(path: Path) -> None:
    """``os.replace`` would put a regular file in place of a device, FIFO or socket (as root, of
    ``/dev/null``) and fail on a folder: refuse anything that exists and is not a regular file."""
    from auditor.errors import InputError
    from auditor.outputs import kind_problem

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    problem = kind_problem(mode)
    if problem is not None:
        raise InputError("E141", str(path), problem)


def current_umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
