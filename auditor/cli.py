"""Command line: ``auditor lint`` and ``auditor rules``.

Exit codes of ``lint``: 0 nothing at or above the fail level, 1 findings at or above it,
2 usage error or an input that could not be read (one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from auditor import __version__
from auditor.errors import InputError

FAIL_LEVELS = ("error", "warning", "info", "none")
FORMAT_NAMES = ("text", "json", "sarif", "github", "junit", "csv")


def _fail(message: str) -> None:
    click.echo(f"auditor: {message}", err=True)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class AuditorGroup(click.Group):
    """Turns unexpected exceptions into one line (set AUDITOR_DEBUG=1 for the traceback)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("已中断")
            sys.exit(130)
        except Exception as exc:  # a bug: still one line for the user
            if os.environ.get("AUDITOR_DEBUG"):
                raise
            _fail(f"内部错误：{type(exc).__name__}: {exc}（设置 AUDITOR_DEBUG=1 可查看详细信息）")
            sys.exit(2)


@click.group(cls=AuditorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="auditor", message="%(prog)s %(version)s")
def cli() -> None:
    """auditor：部门预算项目绩效自评表文本质量检查。"""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_NAMES), default="text", show_default=True, help="输出格式"
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入文件（原子写入）而非标准输出"
)
@click.option("--select", multiple=True, help="只运行这些规则（代码或前缀，如 ST、NM001），可多次指定或用逗号分隔")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码或前缀），可多次指定或用逗号分隔")
@click.option(
    "--fail-level",
    type=click.Choice(FAIL_LEVELS),
    default="error",
    show_default=True,
    help="达到此严重级别的问题使退出码为 1",
)
def lint(paths: tuple[Path, ...], fmt: str, output: Path | None, select: tuple[str, ...],
         ignore: tuple[str, ...], fail_level: str) -> None:  # fmt: skip
    """检查一个或多个绩效自评表文件（或目录）。"""
    from auditor.checks.engine import Selection, selected_rules
    from auditor.checks.registry import all_rules
    from auditor.model import Severity
    from auditor.readers import iter_inputs, read_submission
    from auditor.reporters import FileResult, Report, get_reporter
    from auditor.scoring import submission_score

    selection = Selection(select=_codes(select), ignore=_codes(ignore))
    known = all_rules()
    for prefix in (*selection.select, *selection.ignore):
        if not any(code.startswith(prefix.upper()) for code in known):
            _fail(f"未知的规则代码或前缀：{prefix}（用 auditor rules 查看全部规则）")
            sys.exit(2)
    rules = selected_rules(selection)
    report = Report()
    for argument in paths:
        try:
            files, notices = iter_inputs(argument)
        except InputError as error:
            report.errors.append(error.one_line())
            _fail(f"错误：{error.one_line()}")
            continue
        in_folder = argument.is_dir()
        for notice in notices:
            click.echo(f"auditor: 注意：{notice}", err=True)
        for path in files:
            try:
                submission = _read(path, read_submission)
            except InputError as error:
                if in_folder:
                    click.echo(f"auditor: 已跳过：{error.one_line()}", err=True)
                else:
                    report.errors.append(error.one_line())
                    _fail(f"错误：{error.one_line()}")
                continue
            from auditor.checks.engine import lint as run_rules

            findings = run_rules(submission, selection, rules)
            report.files.append(FileResult(submission, findings, submission_score(submission, findings)))
    rendered = get_reporter(fmt)(report)
    if output is not None:
        write_atomic(output, rendered)
    else:
        click.echo(rendered, nl=False)
    if report.errors:
        sys.exit(2)
    if fail_level != "none":
        threshold = Severity(fail_level).rank
        if any(finding.severity.rank >= threshold for finding in report.active):
            sys.exit(1)


def _read(path: Path, reader):  # type: ignore[no-untyped-def]
    """Read one file; anything unexpected becomes an :class:`InputError` naming the file."""
    try:
        return reader(path)
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


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


@cli.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """列出全部规则；给出规则代码时显示其说明与示例。"""
    from auditor.checks.docs import rule_doc, rule_table

    if code is None:
        click.echo(rule_table(), nl=False)
        return
    doc = rule_doc(code)
    if doc is None:
        _fail(f"未知的规则代码：{code}（用 auditor rules 查看全部规则）")
        sys.exit(2)
    click.echo(doc, nl=False)


def main() -> None:
    cli(prog_name="auditor")
