"""Where auditor may write: every output path is checked before anything is read or written.

An output must be a regular file or a new name in an existing folder — never an input (compared
by ``(st_dev, st_ino)`` after following symlinks, so a symlink or a hard link to an input is caught
too), never a device, FIFO, socket or folder (``os.replace`` over ``/dev/null`` as root would
replace the device node). Refusals are :class:`~auditor.errors.InputError` with codes E140–E143:
one line naming the path and the problem, exit code 2.

``os_problem`` turns an :class:`OSError` met while writing (read-only folder, path too long, disk
full…) into the same kind of one-line error, so that no output failure ends in a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from auditor.errors import InputError

Identity = tuple[int, int]

_KINDS = (
    (stat.S_ISDIR, "是目录"),
    (stat.S_ISFIFO, "是命名管道 FIFO"),
    (stat.S_ISCHR, "是字符设备"),
    (stat.S_ISBLK, "是块设备"),
    (stat.S_ISSOCK, "是套接字"),
)

_ERRNO_TEXT = {
    errno.ENOENT: "上级目录不存在",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限（或文件被设为不可修改）",
    errno.EROFS: "所在文件系统是只读的",
    errno.ENAMETOOLONG: "路径过长",
    errno.ELOOP: "符号链接层数过多",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EISDIR: "是目录",
    errno.EXDEV: "不能跨文件系统移动",
    errno.ENOTEMPTY: "目录不为空",
}


def kind_problem(mode: int) -> str | None:
    """Why a file of this mode cannot be replaced by an output, or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((text for test, text in _KINDS if test(mode)), "不是普通文件")


def os_problem(error: BaseException, path: Path | str) -> InputError:
    """An OSError (or a RecursionError from a pathologically deep path) as a one-line output error."""
    if isinstance(error, RecursionError):
        return InputError("E143", str(path), "路径层级过深")
    if isinstance(error, OSError):
        text = _ERRNO_TEXT.get(error.errno or 0) or error.strerror or type(error).__name__
        if error.errno == errno.ENOENT:
            return InputError("E142", str(path))
        return InputError("E143", str(path), text)
    return InputError("E143", str(path), f"{type(error).__name__}: {error}")


def identity(path: Path) -> Identity | None:
    """``(st_dev, st_ino)`` of what ``path`` names (symlinks followed), or ``None``."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


class Inputs:
    """The files a command reads, by identity, so that no output lands on one of them."""

    def __init__(self) -> None:
        self.files: dict[Identity, Path] = {}

    @classmethod
    def of(cls, arguments: Iterable[Path], *extra: Path | None) -> Inputs:
        """The tables named or found under ``arguments`` (as the readers will list them), plus
        ``extra`` files (baseline, index, configuration, word lists)."""
        from auditor.readers import iter_inputs

        inputs = cls()
        for argument in arguments:
            if str(argument) == "-":
                continue
            try:
                files = [argument] if not argument.is_dir() else iter_inputs(argument)[0]
            except (InputError, OSError, ValueError, RecursionError):
                files = [argument]  # the run reports it; the name alone still protects it
            for path in files:
                inputs.add(path)
        for path in extra:
            if path is not None:
                inputs.add(path)
        return inputs

    def add(self, path: Path) -> None:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return
        if stat.S_ISREG(st.st_mode):
            self.files.setdefault((st.st_dev, st.st_ino), path)

    def holding(self, path: Path) -> Path | None:
        """The input that ``path`` is (the same file under any name), or ``None``."""
        found = identity(path)
        return self.files.get(found) if found is not None else None


def check_output_file(path: Path, inputs: Inputs | None = None) -> Path:
    """``path`` resolved, when it is a regular file (not an input) or a new name in an existing,
    writable folder; otherwise :class:`InputError` (E140–E143)."""
    try:
        real = Path(os.path.realpath(path))
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except (OSError, ValueError, RecursionError) as error:
        raise os_problem(error, path) from None
    if st is not None:
        problem = kind_problem(st.st_mode)
        if problem is not None:
            raise InputError("E141", str(path), problem)
        source = inputs.holding(real) if inputs is not None else None
        if source is not None:
            shown = "" if str(source) == str(path) else f" {source}"
            raise InputError("E140", str(path), shown)
    check_folder_writable(real.parent, path)
    return real


def check_folder_writable(folder: Path, shown: Path) -> None:
    """The folder that will receive a new file (via a temporary file and a rename) exists, is a
    folder and is writable."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise InputError("E142", str(shown), f"：{folder}") from None
    except (OSError, ValueError, RecursionError) as error:
        raise os_problem(error, shown) from None
    if not stat.S_ISDIR(st.st_mode):
        raise InputError("E143", str(shown), f"{folder} 不是目录")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("E143", str(shown), f"目录 {folder} 没有写入权限")


def check_distinct(*outputs: Path | None) -> None:
    """Two outputs of one command must not be the same file (the second would replace the first)."""
    seen: dict[str, Path] = {}
    for path in outputs:
        if path is None or str(path) == "-":
            continue
        real = os.path.realpath(path)
        if real in seen:
            raise InputError("E143", str(path), f"与另一个输出 {seen[real]} 是同一个文件")
        seen[real] = path


def check_report_folder(path: Path) -> Path:
    """``path`` resolved, when a report folder can be written there: an existing, writable folder or
    a new name in one (the report is staged beside it and swapped in, so the parent must be
    writable too)."""
    try:
        real = Path(os.path.realpath(path))
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except (OSError, ValueError, RecursionError) as error:
        raise os_problem(error, path) from None
    if real.parent == real:
        raise InputError("E143", str(path), "不能把报告写到根目录")
    if st is not None:
        if not stat.S_ISDIR(st.st_mode):
            raise InputError("E143", str(path), f"已存在且不是目录（{kind_problem(st.st_mode) or '普通文件'}）")
        if not os.access(real, os.W_OK | os.X_OK):
            raise InputError("E143", str(path), "报告目录没有写入权限")
    check_folder_writable(real.parent, path)
    return real
