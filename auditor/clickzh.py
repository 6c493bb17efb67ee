"""Click's own messages in Chinese: help headings, usage errors, parameter checks.

Click marks every message it prints with :func:`gettext.gettext` (``_``) and :func:`gettext.ngettext`.
:func:`install` gives its modules a catalogue of their message ids in Simplified Chinese — what a
gettext catalogue would do, without needing one on disk. A message that is not in the catalogue (a
newer click) stays as click wrote it; ``tests/test_chinese.py`` runs the error paths and fails on
any English sentence, so a missing one is noticed.

:func:`usage_line` turns a :class:`click.UsageError` into the one line the CLI prints.
"""

from __future__ import annotations

import re
import sys

import click

#: click's message id → Chinese template (same ``{placeholders}``; ``!r`` conversions dropped).
CATALOGUE: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Aborted!": "已中断。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用 {command} {option} 查看帮助。",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name} 不接受值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Choose from:\n\t{choices}": "可选：{choices}",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在允许的范围（{range}）内。",
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件，不是目录。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是目录，不是文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "unknown error": "未知错误",
    "Value must be an iterable.": "值必须是多个。",
    "Name '{name}' defined twice": "名称 {name} 定义了两次",
    "Do you want to continue?": "是否继续？",
}
#: (singular, plural) → Chinese template (Chinese has one form).
PLURALS: dict[tuple[str, str], str] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多余的参数：{args}",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        "需要 {nargs} 个值，给出了 {len} 个。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "（是否想用：{possibilities}？）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "选项 {name} 需要一个值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "“{value}”不是可选的值（可选：{choices}）。",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        "“{value}”的格式不对（应为 {formats}）。",
}  # fmt: skip

OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
_MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui", "utils", "shell_completion")


class _Template(str):
    """A translated template that tolerates the placeholders of the other plural form."""

    def format(self, *args: object, **kwargs: object) -> str:  # type: ignore[override]
        names = set(re.findall(r"{(\w+)", self))
        return str.format(self, *args, **{**dict.fromkeys(names, ""), **kwargs})


def gettext(message: str) -> str:
    translated = CATALOGUE.get(message)
    return _Template(translated) if translated is not None else message


def ngettext(singular: str, plural: str, count: int) -> str:
    translated = PLURALS.get((singular, plural))
    if translated is not None:
        return _Template(translated)
    return singular if count == 1 else plural


#: Names click shows as metavars (``--select TEXT``), in Chinese (``--select 文本``).
TYPE_NAMES = {"STRING": "文本", "INT": "整数", "FLOAT": "数值", "BOOL": "是否", "UNPROCESSED": "文本"}
CLASS_NAMES = {"IntRange": "整数", "FloatRange": "数值", "DateTime": "日期时间"}


def install() -> None:
    """Give click's modules the Chinese catalogue and Chinese metavars (idempotent)."""
    import click.types as types

    for name, chinese in TYPE_NAMES.items():
        if hasattr(types, name):
            getattr(types, name).name = chinese
    for name, chinese in CLASS_NAMES.items():
        if hasattr(types, name):
            getattr(types, name).name = chinese
    for name in _MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            try:
                module = __import__(f"click.{name}", fromlist=["_"])
            except ImportError:
                continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def usage_line(error: click.UsageError) -> str:
    """``auditor lint：用法错误：没有选项 --selct（是否想用：--select？）；用 auditor lint -h 查看用法``"""
    command = error.ctx.command_path if error.ctx is not None else "auditor"
    message = " ".join(error.format_message().split()).replace("'", "")
    message = re.sub(r"[.。]+(?=\s*（|$)", "", message).replace(" （", "（")
    return f"{command}：用法错误：{message}；用 {command} -h 查看用法"


class ContextMixin:
    """Usage errors raised while parsing carry the command's context (for the command path in the hint)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc,no-any-return]
        except click.UsageError as error:
            if error.ctx is None:
                error.ctx = ctx
            raise


__all__ = ["CATALOGUE", "OPTIONS_METAVAR", "SUBCOMMAND_METAVAR", "click", "install", "usage_line"]
