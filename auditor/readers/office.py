"""Old office files (Word 97-2003 ``.doc``, WPS ``.wps``, WPS spreadsheets ``.et``) via LibreOffice.

The file's bytes are copied into a fresh temporary folder and converted there with
``soffice --headless --convert-to docx|xlsx`` under its own throw-away user profile (so a
LibreOffice the user has open, or a second auditor process, does not collide with it) and a time
limit (``max-convert-seconds``); the input file is never opened by LibreOffice and never touched.
The converted document is checked as any docx/xlsx is (zip limits, DTDs) and read by the docx or
xlsx reader; its locations are those of the converted tables (``表1``, the sheet names).

Without ``soffice`` on the PATH the error says how to convert by hand. A ``.et`` file that xlrd can
read as a BIFF workbook (WPS often writes one) is read without LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from auditor.errors import InputError
from auditor.readers.grid import Grid
from auditor.readers.limits import LIMITS

_HOW = {
    "docx": "用 Word 或 WPS 打开后“另存为” .docx，或安装 LibreOffice（soffice）后由 auditor 自动转换",
    "xlsx": "用 Excel 或 WPS 打开后“另存为” .xlsx，或安装 LibreOffice（soffice）后由 auditor 自动转换",
}
_WHAT = {"doc": "Word 97-2003 / WPS 文字文档", "et": "WPS 表格文件"}


def soffice() -> str | None:
    """The LibreOffice command on the PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_old_office(path: Path, data: bytes, kind: str) -> list[Grid]:
    target = "docx" if kind == "doc" else "xlsx"
    name = str(path)
    if kind == "et":
        from auditor.readers.xls import read_xls

        try:
            return read_xls(path, data)
        except InputError as error:
            if error.code == "E103":
                raise
            if soffice() is None:
                raise InputError("E116", name, f"{_WHAT[kind]}，本机没有 LibreOffice；请{_HOW[target]}") from error
    converted = convert(name, data, path.suffix.lower() or ".doc", target, kind)
    from auditor.readers.sniff import sniff

    fake = Path(f"{path.stem}.{target}")
    if sniff(fake, converted) != target:
        raise InputError("E104", name, f"LibreOffice 转换结果不是 {target}")
    if target == "docx":
        from auditor.readers.docx import read_docx

        return read_docx(path, converted)
    from auditor.readers.xlsx import read_xlsx

    return read_xlsx(path, converted)


def convert(name: str, data: bytes, suffix: str, target: str, kind: str) -> bytes:
    """``data`` converted to ``target`` by LibreOffice in a temporary folder, within the time limit."""
    command = soffice()
    if command is None:
        raise InputError("E116", name, f"{_WHAT.get(kind, '旧版 Office 文件')}，本机没有 LibreOffice；请{_HOW[target]}")
    with tempfile.TemporaryDirectory(prefix="auditor-convert-") as folder:
        work = Path(folder)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        out = work / "out"
        out.mkdir()
        profile = (work / "profile").as_uri()
        argv = [
            command, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo", "--nodefault",
            "--nolockcheck", "--convert-to", target, "--outdir", str(out), str(source),
        ]  # fmt: skip
        env = {**os.environ, "HOME": folder, "SAL_USE_VCLPLUGIN": "svp"}
        try:
            process = subprocess.Popen(
                argv, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        except OSError as exc:
            raise InputError("E116", name, f"无法启动 LibreOffice（{exc.strerror or type(exc).__name__}）") from exc
        try:
            process.wait(timeout=LIMITS.max_convert_seconds)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            detail = f"LibreOffice 转换超过 {LIMITS.max_convert_seconds:g} 秒（上限），已停止"
            raise InputError("E109", name, detail) from exc
        except BaseException:
            _kill_group(process)
            raise
        _kill_group(process)  # a helper LibreOffice left running in its session
        result = out / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            detail = "LibreOffice 未能转换此文件（可能已加密、损坏或不是 Office 文档）"
            raise InputError("E104", name, detail)
        if result.stat().st_size > LIMITS.max_file_mb * 2**20:
            raise InputError("E109", name, f"转换后超过 {LIMITS.max_file_mb:g} MB 上限")
        return result.read_bytes()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
