"""Command line: ``auditor lint`` and ``auditor rules``.

Exit codes of ``lint``: 0 nothing at or above the fail level, 1 findings at or above it,
2 usage error or an input that could not be read (one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditor import __version__, clickzh
from auditor.config import Config
from auditor.errors import InputError
from auditor.fileio import write_atomic

if TYPE_CHECKING:
    from auditor.model import Finding, Submission
    from auditor.reporters import Report
    from auditor.suppress import Baseline

FAIL_LEVELS = ("error", "warning", "info", "none")
FORMAT_NAMES = ("text", "json", "sarif", "github", "junit", "csv")
JOBS_HELP = "并行处理文件的进程数（默认：本机核数；输出与 --jobs 1 相同）"


def _fail(message: str) -> None:
    from auditor.reporters.sanitize import display

    click.echo(f"auditor: {display(message)}", err=True)


clickzh.install()


class AuditorCommand(clickzh.ContextMixin, click.Command):
    """A command whose usage line reads ``auditor lint [选项] …`` (click's own words are in :mod:`auditor.clickzh`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", clickzh.OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class AuditorGroup(clickzh.ContextMixin, click.Group):
    """Turns unexpected exceptions into one line (set AUDITOR_DEBUG=1 for the traceback); usage errors
    are one Chinese line with a hint, never click's English block."""

    command_class = AuditorCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", clickzh.OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", clickzh.SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        from auditor.reporters.sanitize import display

        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            value = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError" and error.ctx is not None:
                click.echo(error.ctx.get_help(), err=True)  # a group named alone: its help
            else:
                click.echo(display(clickzh.usage_line(error)), err=True)
            sys.exit(2)
        except click.ClickException as error:
            _fail(f"错误：{' '.join(error.format_message().split())}")
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            _fail("已中断")
            sys.exit(130)
        sys.exit(value if isinstance(value, int) else 0)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except InputError as error:  # a refused output, a foreign or locked index…: one line, exit 2
            _fail(f"错误：{error.one_line()}")
            sys.exit(2)
        except KeyboardInterrupt:
            _fail("已中断")
            sys.exit(130)
        except Exception as exc:  # a bug: still one line for the user
            if os.environ.get("AUDITOR_DEBUG"):
                raise
            _fail(f"内部错误：{type(exc).__name__}: {exc}（设置 AUDITOR_DEBUG=1 可查看详细信息）")
            sys.exit(2)


AuditorGroup.group_class = AuditorGroup


@click.group(cls=AuditorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="auditor", message="%(prog)s %(version)s")
def cli() -> None:
    """auditor：部门预算项目绩效自评表文本质量检查。"""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), help="输出格式（默认 text，或配置文件中的 format）")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="写入文件（原子写入；- 为标准输出）而非标准输出"
)
@click.option("--select", multiple=True, help="只运行这些规则：代码、前缀（ST、NM00）或名称，可逗号分隔、可多次指定")
@click.option("--extend-select", multiple=True, help="在已选规则之外再运行这些规则")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码、前缀或名称）")
@click.option(
    "--fail-on",
    "--fail-level",
    "fail_on",
    type=click.Choice(FAIL_LEVELS),
    help="达到此级别的问题使退出码为 1（默认 error；none 表示从不）",
)
@click.option("--statistics", is_flag=True, help="只输出按规则代码统计的问题数")
@click.option("-q", "--quiet", is_flag=True, help="不输出提示信息；文本格式只列问题")
@click.option("--stdin-filename", help="从标准输入读表时（路径写 -），用于报告和判断格式的文件名")
@click.option(
    "--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), help="只报告基线文件中没有的新问题"
)
@click.option("--write-baseline", type=click.Path(path_type=Path), help="把当前问题写入基线文件")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="配置文件（默认：向上查找 auditor.toml 或含 [tool.auditor] 的 pyproject.toml）",
)
@click.option("--isolated", is_flag=True, help="忽略所有配置文件")
@click.option(
    "--index",
    "index_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="语料索引文件（auditor index build 生成），启用 CP005 跨部门/跨年度克隆检查",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), help=JOBS_HELP)
def lint(paths: tuple[Path, ...], fmt: str | None, output: Path | None, select: tuple[str, ...],
         extend_select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None, statistics: bool,
         quiet: bool, stdin_filename: str | None, baseline_path: Path | None, write_baseline: Path | None,
         config_path: Path | None, isolated: bool, index_path: Path | None, jobs: int | None) -> None:  # fmt: skip
    """检查一个或多个绩效自评表文件（或目录；- 表示标准输入）。"""
    from auditor.model import Severity
    from auditor.reporters import get_reporter
    from auditor.reporters.sanitize import display
    from auditor.run import run
    from auditor.suppress import baseline_document

    config = _effective_config(config_path, isolated, select, extend_select, ignore, fail_on, fmt)
    if not paths:
        _fail("用法错误：请给出要检查的文件或目录（- 表示标准输入）")
        sys.exit(2)
    stdin = None
    if Path("-") in paths:
        from auditor.readers import read_stdin
        from auditor.run import STDIN_NAME

        name = stdin_filename or STDIN_NAME
        try:
            stdin = (read_stdin(sys.stdin.buffer, name), name)
        except InputError as error:
            _fail(f"错误：{error.one_line()}")
            sys.exit(2)
        paths = tuple(p for p in paths if p != Path("-"))
    baseline, index = _open_baseline_and_index(baseline_path, index_path)
    output, write_baseline = _output_files(
        (output, write_baseline), paths, baseline_path, index_path, config_path or config.path, *config.extra_lexicons()
    )

    said: set[str] = set()

    def echo(line: str) -> None:  # a warning is said once, however many times a run meets it
        if not quiet and line not in said:
            said.add(line)
            _fail(line)

    result = run(config, paths, stdin=stdin, baseline=baseline, index=index, echo=echo, jobs=_jobs(jobs))
    if index is not None:
        index.close()
    report = result.report
    for error in report.errors:
        _fail(f"错误：{error}")
    if baseline is not None:
        echo(f"已按基线忽略 {result.baseline_suppressed} 个问题")
        for entry in result.baseline_stale:
            echo(f"基线中已不存在的条目：{entry.get('code')} {entry.get('project') or ''} "
                 f"{entry.get('indicator') or entry.get('field')}“{entry.get('text', '')}”")  # fmt: skip
    if write_baseline is not None:
        _write_output(write_baseline, baseline_document(report.findings))
        echo(f"已写入基线文件 {write_baseline}（{len(report.active)} 个问题）")
    if statistics:
        rendered = _statistics(report)
    elif quiet and config.format == "text":
        rendered = "".join(f"{_where(f)}: {f.code} {display(f.message, newline=False)}\n" for f in report.active)
    else:
        rendered = get_reporter(config.format)(report)
    rendered = scrub(rendered)
    if output is not None:
        _write_output(output, rendered)
    elif config.format == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        click.echo(_colour(rendered), nl=False, color=True)
    else:
        click.echo(rendered, nl=False)
    if report.errors:
        sys.exit(2)
    _no_input(report)
    if config.fail_on != "none":
        threshold = Severity(config.fail_on).rank
        if any(finding.severity.rank >= threshold for finding in report.active):
            sys.exit(1)


def _jobs(jobs: int | None) -> int:
    """``--jobs``, or the cores this process may use."""
    from auditor.run import default_jobs

    return jobs if jobs is not None else default_jobs()


def _open_baseline_and_index(baseline_path: Path | None, index_path: Path | None) -> tuple[Baseline | None, Any]:
    """The baseline and corpus index named on the command line (exit 2, one line, when unusable)."""
    from auditor.suppress import Baseline

    try:
        baseline = Baseline.load(baseline_path) if baseline_path is not None else None
    except InputError as error:
        _fail(f"错误：{error.one_line()}")
        sys.exit(2)
    if index_path is None:
        return baseline, None
    if not index_path.exists():
        _fail(f"错误：{InputError('E113', str(index_path)).one_line()}")
        sys.exit(2)
    from auditor.index.store import CorpusIndex

    return baseline, CorpusIndex(index_path, readonly=True)


def _output_files(outputs: tuple[Path | None, ...], arguments: tuple[Path, ...],
                  *others: Path | None) -> tuple[Path | None, ...]:  # fmt: skip
    """Each output checked before anything is read (E140–E143: an input under any name, a device,
    FIFO or folder, a missing or read-only folder); ``-`` (standard output) and ``None`` pass."""
    from auditor.outputs import Inputs, check_distinct, check_output_file

    if all(path is None or str(path) == "-" for path in outputs):
        return tuple(None for _ in outputs)
    inputs = Inputs.of(arguments, *others)
    check_distinct(*outputs)
    return tuple(None if path is None or str(path) == "-" else check_output_file(path, inputs) for path in outputs)


def _write_output(path: Path, text: str) -> None:
    """Atomic write; an OSError (disk full, folder gone or read-only, path too long) is one line, exit 2."""
    from auditor.outputs import os_problem

    try:
        write_atomic(path, text)
    except (OSError, RecursionError) as error:
        raise os_problem(error, path) from None


def _effective_config(config_path: Path | None, isolated: bool, select: tuple[str, ...],
                      extend_select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None,
                      fmt: str | None) -> Config:  # fmt: skip
    """File (or defaults), then flags on top; rule options applied to the rule packs."""
    from auditor.checks.engine import unknown_tokens
    from auditor.config import find_config, load_config
    from auditor.resources import configure

    try:
        path = None if isolated else (config_path or find_config(Path.cwd()))
        config = load_config(path)
    except InputError as error:
        _fail(f"错误：{error.one_line()}")
        sys.exit(2)
    for key, values in (("select", select), ("extend-select", extend_select), ("ignore", ignore)):
        if values:
            setattr(config, key.replace("-", "_"), _codes(values))
            config.sources[key] = "命令行"
    if fail_on:
        config.fail_on, config.sources["fail-on"] = fail_on, "命令行"
    if fmt:
        config.format, config.sources["format"] = fmt, "命令行"
    if config.format not in FORMAT_NAMES:
        _fail(f"配置错误：未知的输出格式“{config.format}”（可用：{'、'.join(FORMAT_NAMES)}）")
        sys.exit(2)
    tokens = [*config.select, *config.extend_select, *config.ignore, *config.severity]
    tokens += [code for codes in config.per_file_ignores.values() for code in codes]
    unknown = unknown_tokens(tokens)
    if unknown:
        _fail(f"未知的规则代码或名称：{'、'.join(unknown)}（用 auditor rules 查看全部规则）")
        sys.exit(2)
    overrides, extra = config.pack_overrides(), config.extra_lexicons()
    missing = [p for p in extra if not p.is_file()]
    if missing:
        _fail(f"配置错误：词表文件不存在：{missing[0]}")
        sys.exit(2)
    if overrides or extra:
        configure(overrides, extra)
    from auditor.readers.limits import set_limits

    set_limits(config.limits)
    return config


def scrub(text: str) -> str:
    """Last guard before output: undecodable file-name bytes as ``\\xXX`` (valid UTF-8 whatever the format).

    The reporters sanitise their own text (:mod:`auditor.reporters.sanitize`); JSON ones escape
    surrogates inside their strings, so this changes nothing there.
    """
    from auditor.reporters.sanitize import unescape_surrogates

    return unescape_surrogates(text)


_SEVERITY_COLOURS = {"错误": "red", "警告": "yellow", "提示": "cyan"}


def _colour(text: str) -> str:
    """Colour codes and severities of the text report for a terminal."""

    def paint(match: re.Match[str]) -> str:
        code, severity = match.group(1), match.group(2)
        return click.style(code, bold=True) + " " + click.style(severity, fg=_SEVERITY_COLOURS[severity])

    return re.sub(r"\b([A-Z]{2}\d{3}) (错误|警告|提示)", paint, text)


def _where(finding: Finding) -> str:
    from auditor.reporters.sanitize import display

    loc = finding.location
    cell = (f"{loc.sheet}!{loc.cell}" if loc.sheet else loc.cell) if loc else "-"
    return display(f"{finding.file}:{cell}", newline=False, tab=False)


def _statistics(report: Report) -> str:
    from collections import Counter

    from auditor.checks.registry import all_rules

    rules = all_rules()
    counts = Counter(finding.code for finding in report.active)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines = [f"{count:>6}  {code}  {rules[code].name}" for code, count in ordered]
    lines.append(f"{sum(counts.values()):>6}  合计")
    return "\n".join(lines) + "\n"


def _scoring_options(function: Callable[..., None]) -> Callable[..., None]:
    """Options shared by ``score`` and ``report``: which rules run, under which configuration."""
    for option in reversed((
        click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option("--select", multiple=True, help="只运行这些规则（代码、前缀或名称）"),
        click.option("--ignore", multiple=True, help="不运行这些规则（代码、前缀或名称）"),
        click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="基线文件中已有的问题不扣分"),
        click.option("--index", "index_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="语料索引文件，启用 CP005"),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="配置文件"),
        click.option("--isolated", is_flag=True, help="忽略所有配置文件"),
        click.option("-q", "--quiet", is_flag=True, help="不输出提示信息和进度条"),
        click.option("--decisions", "decisions_paths", multiple=True, type=click.Path(path_type=Path),
                     help="复核问题清单.xlsx（auditor report 写出、复核人员填写）：不采纳的问题不扣分"),
        click.option("-j", "--jobs", type=click.IntRange(min=1), help=JOBS_HELP),
    )):  # fmt: skip
        function = option(function)
    return function


def _scored_run(paths: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...],
                baseline_path: Path | None, index_path: Path | None, config_path: Path | None,
                isolated: bool, quiet: bool, decisions_paths: tuple[Path, ...] = (),
                jobs: int | None = None) -> Report:  # fmt: skip
    """Lint for scoring: the configuration, baseline and index as ``lint`` uses them, plus a progress bar."""
    from auditor.progress import Progress
    from auditor.run import run
    from auditor.scoring import weights

    if Path("-") in paths:
        _fail("用法错误：score 和 report 不读标准输入，请给出文件或目录")
        sys.exit(2)
    config = _effective_config(config_path, isolated, select, (), ignore, None, None)
    try:
        weights()
    except ValueError as error:
        _fail(f"配置错误：{error}")
        sys.exit(2)
    baseline, index = _open_baseline_and_index(baseline_path, index_path)
    decisions = _load_decisions(decisions_paths)

    said: set[str] = set()

    def echo(line: str) -> None:  # a warning is said once, however many times a run meets it
        if not quiet and line not in said:
            said.add(line)
            _fail(line)

    with Progress(quiet=quiet) as bar:
        result = run(config, paths, baseline=baseline, index=index, echo=echo, progress=bar, jobs=_jobs(jobs))
    if index is not None:
        index.close()
    for error in result.report.errors:
        _fail(f"错误：{error}")
    if decisions is not None:
        from auditor.review import apply_to_report

        unmatched = apply_to_report(result.report, decisions)
        if unmatched:
            echo(f"复核问题清单中有 {unmatched} 条复核结论本次没有对应的问题（表格已修改或未参与本次检查）")
    _no_input(result.report)
    return result.report


def _load_decisions(paths: tuple[Path, ...]) -> Any:
    """The reviewer's decisions (exit 2, one line, for a workbook auditor did not write or cannot use)."""
    if not paths:
        return None
    from auditor.review import load_all

    try:
        return load_all(paths)
    except InputError as error:
        _fail(f"错误：{error.one_line()}")
        sys.exit(2)


def _no_input(report: Report) -> None:
    """Nothing could be read (every file unreadable or skipped): one line, exit 2."""
    if report.files or not (report.errors or report.skipped):
        return
    _fail(f"错误：没有可读取的自评表（{len(report.unreadable)} 个文件均无法读取，见上方说明）")
    sys.exit(2)


@cli.command()
@_scoring_options
@click.option("--format", "fmt", type=click.Choice(("text", "json", "csv")), default="text", show_default=True,
              help="输出格式")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件（原子写入；- 为标准输出）")
def score(paths: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...], baseline_path: Path | None,
          index_path: Path | None, config_path: Path | None, isolated: bool, quiet: bool,
          decisions_paths: tuple[Path, ...], jobs: int | None, fmt: str, output: Path | None) -> None:  # fmt: skip
    """给部门、自评表和项目打质量分（0–100，优/良/中/差）并排名（算法见 docs/scoring.md）。"""
    from auditor.reporters import scores
    from auditor.scoring import rank_departments

    (output,) = _output_files((output,), paths, baseline_path, index_path, config_path, *decisions_paths)
    report = _scored_run(paths, select, ignore, baseline_path, index_path, config_path, isolated, quiet,
                         decisions_paths, jobs)  # fmt: skip
    render = {"text": scores.render_text, "json": scores.render_json, "csv": scores.render_csv}[fmt]
    rendered = scrub(render(rank_departments(report), report))
    if output is not None:
        _write_output(output, rendered)
    else:
        click.echo(rendered, nl=False)
    if report.errors:
        sys.exit(2)


@cli.command()
@_scoring_options
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="报告目录（不存在则创建；上级目录须已存在）")
@click.option("--no-html", is_flag=True, help="不生成 HTML 报告")
@click.option("--no-xlsx", is_flag=True, help="不生成批注工作簿和复核问题清单")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="另一个 auditor report 正在写同一目录时，最多等待的秒数")
def report(paths: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...], baseline_path: Path | None,
           index_path: Path | None, config_path: Path | None, isolated: bool, quiet: bool,
           decisions_paths: tuple[Path, ...], jobs: int | None, out_dir: Path, no_html: bool, no_xlsx: bool,
           wait: float) -> None:  # fmt: skip
    """生成审核报告：部门排名 index.html、每个部门一页 HTML、批注工作簿、CSV 与 Markdown 汇总。"""
    from auditor.outputs import check_report_folder, os_problem
    from auditor.progress import Progress
    from auditor.reporters.bundle import destination_problem, report_lock, write_bundle

    check_report_folder(out_dir)
    with report_lock(out_dir, wait):
        problem = destination_problem(out_dir, list(paths)) or _decisions_in_report(decisions_paths, out_dir)
        if problem is not None:
            _fail(f"错误：{problem}")
            sys.exit(2)
        lint_report = _scored_run(paths, select, ignore, baseline_path, index_path, config_path, isolated, quiet,
                                  decisions_paths, jobs)  # fmt: skip
        with Progress(quiet=quiet) as bar:
            try:
                bundle = write_bundle(lint_report, out_dir, html=not no_html, workbooks=not no_xlsx, progress=bar,
                                      jobs=_jobs(jobs))
            except (OSError, RecursionError) as error:
                raise os_problem(error, out_dir) from None
    for problem in bundle.problems:
        _fail(f"错误：{problem}")
    if not quiet:
        files = sum(len(department.submissions) for department in bundle.departments)
        click.echo(
            f"auditor: 已写入 {out_dir}：{len(bundle.departments)} 个部门、{files} 份自评表、"
            f"{len(lint_report.active)} 个问题（{len(bundle.written)} 个文件）",
            err=True,
        )
        if not no_html:
            click.echo(str(out_dir / "index.html"))
    if lint_report.errors or bundle.problems:
        sys.exit(2)


def _decisions_in_report(paths: tuple[Path, ...], out_dir: Path) -> str | None:
    """A decisions workbook inside the report folder would be replaced by the new report: refused."""
    from auditor.errors import InputError as Refused

    target = out_dir.resolve()
    for path in paths:
        if path.resolve().is_relative_to(target):
            return Refused("E114", str(path), "在报告目录中，新报告会替换它；请先把它复制到报告目录之外，"
                                              "再用 --decisions 指定复制后的文件").one_line()  # fmt: skip
    return None


@cli.command()
@click.option("--decisions", "decisions_paths", multiple=True, required=True, type=click.Path(path_type=Path),
              help="复核问题清单.xlsx（可多次指定，如各年度、各复核人员的清单）")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="输出格式：text 对齐的表，json 供门户和脚本，csv 供 Excel/WPS")  # fmt: skip
def stats(decisions_paths: tuple[Path, ...], fmt: str) -> None:
    """按规则统计复核结论：确认、已整改、不采纳的次数与采纳率（规则在实际复核中的准确率）。"""
    from auditor.review import render_stats, render_stats_csv, render_stats_json, rule_stats

    decisions = _load_decisions(decisions_paths)
    render = {"text": render_stats, "json": render_stats_json, "csv": render_stats_csv}[fmt]
    click.echo(render(rule_stats(decisions)), nl=False)


@cli.command(name="config")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="配置文件")
@click.option("--isolated", is_flag=True, help="忽略所有配置文件")
def show_config(config_path: Path | None, isolated: bool) -> None:
    """显示生效的配置及每一项的来源。"""
    from auditor.config import describe

    config = _effective_config(config_path, isolated, (), (), (), None, None)
    click.echo(describe(config), nl=False)


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


@cli.command()
@click.argument("code", required=False)
@click.option("--write-docs", type=click.Path(file_okay=False, path_type=Path),
              help="把每条规则的说明写成 Markdown（CODE.md）到此目录，供 SARIF 帮助链接使用")  # fmt: skip
def rules(code: str | None, write_docs: Path | None) -> None:
    """列出全部规则；给出规则代码时显示其说明与示例，给出规则族（NM 或 数字）时只列该族。"""
    from auditor.checks.docs import chinese_table, family_of, rule_doc, rule_table, rule_text
    from auditor.checks.registry import all_rules

    if write_docs is not None:
        write_docs.mkdir(parents=True, exist_ok=True)
        for rule_code in all_rules():
            write_atomic(write_docs / f"{rule_code}.md", rule_doc(rule_code) or "")
        write_atomic(write_docs / "README.md", "# 规则目录\n\n```\n" + rule_table() + "```\n")
        click.echo(f"已写入 {len(all_rules())} 条规则的说明到 {write_docs}")
        return
    if code is None:
        click.echo(chinese_table(), nl=False)
        return
    text = rule_text(code.strip().upper())
    if text is not None:
        click.echo(text, nl=False)
        return
    family = family_of(code)
    if family is None:
        _fail(f"未知的规则代码或规则族：{code}（用 auditor rules 查看全部规则）")
        sys.exit(2)
    click.echo(chinese_table(family), nl=False)


@cli.command()
@click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("corpus/labels/indicators.tsv"),
    show_default=True,
    help="标注数据",
)
@click.option("--models", "models_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("models"),
              show_default=True, help="模型输出目录")  # fmt: skip
def train(labels: Path, models_dir: Path) -> None:
    """用标注数据重新训练全部模型，并写出 models/REPORT.md。"""
    from auditor.ml.train import train as run_training

    models_dir.mkdir(parents=True, exist_ok=True)
    run_training(labels, models_dir, echo=lambda line: click.echo(line, err=True))


@cli.group()
def index() -> None:
    """语料索引：跨部门、跨年度的文本克隆检查（CP005）所需。"""


def _read_all(paths: tuple[Path, ...]) -> list[Submission]:
    """Every readable table under the arguments; unreadable ones skipped with a notice."""
    from auditor.readers import iter_inputs
    from auditor.run import read_safely

    submissions = []
    for argument in paths:
        try:
            files, _ = iter_inputs(argument)
        except InputError as error:
            _fail(f"错误：{error.one_line()}")
            sys.exit(2)
        for path in files:
            try:
                submissions.append(read_safely(path))
            except InputError as error:
                click.echo(f"auditor: 已跳过：{error.one_line()}", err=True)
    return submissions


def _index_files(paths: tuple[Path, ...], db: Path, fresh: bool, wait: float) -> None:
    """``build``: a new file swapped in when complete; ``add``: one transaction, waiting ``wait`` seconds
    for another writer. The database is checked (not an input, an index or a new file) before reading."""
    from auditor.index.store import CorpusIndex, build_index

    (real,) = _output_files((db,), paths)
    assert real is not None
    if real.is_file() and real.stat().st_size:
        CorpusIndex(real, readonly=True, timeout=wait).close()  # E144 for anything but an index
    submissions = _read_all(paths)
    if fresh:
        added, stats = build_index(real, submissions, timeout=wait)
    else:
        with CorpusIndex(real, timeout=wait) as store:
            added = store.add(submissions)
            stats = store.stats()
    click.echo(f"已索引 {len(submissions)} 份自评表、{added} 段文字；索引共 {stats['submissions']} 份、"
               f"{stats['texts']} 段（{stats['distinct_texts']} 段不重复）：{db}")  # fmt: skip


_PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
_DB = click.option("--db", type=click.Path(path_type=Path), default=Path("auditor-index.sqlite"),
                   show_default=True, help="索引文件（SQLite）")  # fmt: skip
_WAIT = click.option("--wait", type=click.FloatRange(min=0), default=30, show_default=True,
                     help="索引正被另一个进程写入时，最多等待的秒数")  # fmt: skip


@index.command(name="build")
@_PATHS
@_DB
@_WAIT
def index_build(paths: tuple[Path, ...], db: Path, wait: float) -> None:
    """新建索引（写完后替换同名索引；中断时原索引不变）。"""
    _index_files(paths, db, fresh=True, wait=wait)


@index.command(name="add")
@_PATHS
@_DB
@_WAIT
def index_add(paths: tuple[Path, ...], db: Path, wait: float) -> None:
    """向已有索引追加自评表（一个事务；中断时索引不变）。"""
    _index_files(paths, db, fresh=False, wait=wait)


@index.command(name="stats")
@click.option("--db", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("auditor-index.sqlite"), show_default=True, help="索引文件（SQLite）")  # fmt: skip
def index_stats(db: Path) -> None:
    """索引概况。"""
    from auditor.index.store import CorpusIndex

    with CorpusIndex(db, readonly=True) as store:
        for key, value in store.stats().items():
            click.echo(f"{key:>15}  {value}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--index", "index_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="同时纳入语料索引中的全部文字")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--min-departments", type=int, default=1, show_default=True, help="只列出至少涉及这么多部门的簇")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="写入文件（原子写入；- 为标准输出）")
def clones(paths: tuple[Path, ...], index_path: Path | None, fmt: str, min_departments: int,
           output: Path | None) -> None:  # fmt: skip
    """列出语料中近似相同的文字簇（跨部门、跨年度），供分析人员查看。"""
    import csv
    import io
    import json
    from collections import defaultdict

    from auditor.index.clusters import Use, cluster
    from auditor.index.store import CorpusIndex, indexable
    from auditor.reporters.sanitize import csv_cell, display, json_text
    from auditor.text.normalize import normalize

    (output,) = _output_files((output,), paths, index_path)
    uses: dict[str, list[Use]] = defaultdict(list)
    for sub in _read_all(paths):
        for item in indexable(sub):
            uses[normalize(item.text)].append(
                Use(item.text, sub.department, sub.year, sub.path, item.project, item.category, item.field)
            )
    if index_path is not None:
        with CorpusIndex(index_path, readonly=True) as store:
            for row in store.db.execute(
                "SELECT n.norm, t.text, s.department, s.year, s.path, t.project, t.category, t.field"
                " FROM texts t JOIN norms n ON n.id = t.norm JOIN submissions s ON s.id = t.submission"
            ):
                uses[row[0]].append(Use(*row[1:]))
    if not uses:
        _fail("用法错误：请给出自评表文件、目录或 --index")
        sys.exit(2)
    found = [c for c in cluster(uses) if len(c.departments) >= min_departments]
    if fmt == "json":
        rendered = json_text(json.dumps([
            {"representative": c.representative, "size": len(c.uses), "departments": c.departments, "years": c.years,
             "uses": [u.__dict__ for u in c.uses], **({"common": True} if c.common else {})} for c in found
        ], ensure_ascii=False, indent=1)) + "\n"  # fmt: skip
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["簇", "代表文字", "部门", "年度", "文件", "项目", "指标", "字段", "原文"])
        for number, c in enumerate(found, start=1):
            for u in c.uses:
                row = [number, c.representative, u.department, u.year, u.path, u.project, u.category, u.field, u.text]
                writer.writerow([csv_cell("" if value is None else value) for value in row])
        rendered = "\ufeff" + buffer.getvalue()
    else:
        lines = []
        for number, c in enumerate(found, start=1):
            years = "、".join(map(str, c.years)) or "年度未知"
            common = "（全库通用）" if c.common else ""
            lines.append(f"簇{number}{common}：{len(c.uses)}处，{len(c.departments)}个部门（{years}）：{c.representative[:60]}")
            for department in c.departments[:10]:
                lines.append(f"    {department}")
        lines.append(f"共 {len(found)} 个跨自评表的相似文字簇")
        rendered = display("\n".join(lines) + "\n")
    rendered = scrub(rendered)
    if output is not None:
        _write_output(output, rendered)
    else:
        click.echo(rendered, nl=False)


# ------------------------------------------------------------------ columnar export and Spark (issue 17)


@cli.command(name="export")
@_scoring_options
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="导出目录（Parquet，按 year 分区；不存在则创建，上级目录须已存在）")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="另一个 auditor 正在写同一目录时，最多等待的秒数")
def export(paths: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...], baseline_path: Path | None,
           index_path: Path | None, config_path: Path | None, isolated: bool, quiet: bool,
           decisions_paths: tuple[Path, ...], jobs: int | None, out_dir: Path, wait: float) -> None:  # fmt: skip
    """导出为 Parquet 表（submissions、projects、indicators、findings、scores、errors；结构见 docs/parquet.md）。"""
    from auditor.export.parquet import check_destination, write_export
    from auditor.export.tables import TABLES, error_row, submission_rows
    from auditor.outputs import os_problem
    from auditor.reporters.bundle import report_lock

    check_destination(out_dir, paths)
    with report_lock(out_dir, wait):
        check_destination(out_dir, paths)
        report = _scored_run(paths, select, ignore, baseline_path, index_path, config_path, isolated, quiet,
                             decisions_paths, jobs)  # fmt: skip
        tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for result in report.files:
            for name, rows in submission_rows(result.submission, result.findings).items():
                tables[name] += rows
        tables["errors"] = [error_row(message) for message in report.unreadable]
        try:
            write_export(out_dir, tables)
        except (OSError, RecursionError) as error:
            raise os_problem(error, out_dir) from None
    if not quiet:
        click.echo(f"auditor: 已导出 {out_dir}：{len(tables['submissions'])} 份自评表、"
                   f"{len(tables['indicators'])} 段文字、{len(tables['findings'])} 个问题", err=True)  # fmt: skip
    if report.errors:
        sys.exit(2)


@cli.group()
def spark() -> None:
    """在 Spark 上运行全国规模的检查、克隆簇和索引导出（需要 pip install 'auditor[spark]' 和 Java）。"""


def _spark_options(function: Callable[..., None]) -> Callable[..., None]:
    """Where and how a Spark job runs: here (local[N]) or as a spark-submit command line."""
    for option in reversed((
        click.option("--master", default="local[2]", show_default=True,
                     help="Spark master：local[N] 在本机运行；yarn、spark://… 等则生成 spark-submit 命令行"),
        click.option("--deploy-mode", type=click.Choice(("client", "cluster")), help="spark-submit 的 --deploy-mode"),
        click.option("--shuffle-partitions", type=click.IntRange(min=1), help="spark.sql.shuffle.partitions"),
        click.option("--conf", multiple=True, help="Spark 配置 KEY=VALUE，可多次指定"),
        click.option("--env-archive", help="打包的 Python 环境（venv-pack），随作业分发给执行器"),
        click.option("--submit", is_flag=True, help="非本地 master：直接运行 spark-submit（默认只打印命令行）"),
    )):  # fmt: skip
        function = option(function)
    return function


def _run_spark(job_args: list[str], master: str, deploy_mode: str | None, shuffle_partitions: int | None,
               conf: tuple[str, ...], env_archive: str | None, submit: bool) -> None:  # fmt: skip
    """One line and exit 2 without PySpark or Java; else the job, here or through spark-submit."""
    from auditor.distributed.session import spark_available

    missing = spark_available() if master.startswith("local") else None  # a cluster has its own Java
    if missing is not None:
        _fail(f"错误：{missing}")
        sys.exit(2)
    bad = [item for item in conf if "=" not in item]
    if bad:
        _fail(f"用法错误：--conf 应为 KEY=VALUE：{bad[0]}")
        sys.exit(2)
    from auditor.distributed.command import launch

    code, line = launch(job_args, master=master, deploy_mode=deploy_mode, shuffle_partitions=shuffle_partitions,
                        conf=conf, env_archive=env_archive, submit=submit)  # fmt: skip
    click.echo(line, err=code != 0)
    sys.exit(code)


def _spark_output(path: str, inputs: tuple[str, ...] = ()) -> None:
    """A local output folder is checked as ``export -o`` checks its folder (E143, one line)."""
    from auditor.distributed.session import is_local, local_path
    from auditor.export.parquet import check_destination

    if is_local(path):
        check_destination(Path(local_path(path)), [Path(local_path(p)) for p in inputs if is_local(p)])


def _spark_missing_guard() -> None:
    import importlib.util

    from auditor.distributed.session import MISSING_SPARK

    if importlib.util.find_spec("pyspark") is None:
        _fail(f"错误：{MISSING_SPARK}")
        sys.exit(2)


@spark.command(name="lint")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="输出目录（本地路径或 hdfs://、s3a:// 等）")
@click.option("--select", multiple=True, help="只运行这些规则（代码、前缀或名称）")
@click.option("--ignore", multiple=True, help="不运行这些规则（代码、前缀或名称）")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="配置文件")
@click.option("--isolated", is_flag=True, help="忽略所有配置文件")
@click.option("--files-per-task", type=click.IntRange(min=1), default=16, show_default=True,
              help="每个任务处理的文件数")  # fmt: skip
@_spark_options
def spark_lint(inputs: tuple[str, ...], output: str, select: tuple[str, ...], ignore: tuple[str, ...],
               config_path: Path | None, isolated: bool, files_per_task: int, **options: Any) -> None:  # fmt: skip
    """在 Spark 上检查自评表（文件或目录，或 hdfs:// 等存储上的目录），写出与 auditor export 相同的表。"""
    from auditor.config import find_config
    from auditor.distributed.command import config_json

    _spark_missing_guard()
    config = _effective_config(config_path, isolated, select, (), ignore, None, None)
    _spark_output(output, inputs)
    path = None if isolated else (config_path or find_config(Path.cwd()))
    settings = config_json(_codes(select) if select else config.select, _codes(ignore) if ignore else config.ignore,
                           path)  # fmt: skip
    _run_spark(["lint", *inputs, "-o", output, "--config-json", settings, "--files-per-task", str(files_per_task)],
               **options)  # fmt: skip


@spark.command(name="clones")
@click.argument("source")
@click.option("-o", "--output", required=True, help="输出目录：clusters、cluster_uses、pairs、norms、bands、texts")
@click.option("--threshold", type=click.FloatRange(0, 100), help="相似度阈值（默认 90，与 auditor clones 相同）")
@_spark_options
def spark_clones(source: str, output: str, threshold: float | None, **options: Any) -> None:
    """全国克隆簇：读 auditor export（或 spark lint）的 indicators 表，结果与 SQLite 索引的 auditor clones 相同。"""
    _spark_missing_guard()
    _spark_output(output, (source,))
    extra = ["--threshold", str(threshold)] if threshold is not None else []
    _run_spark(["clones", source, "-o", output, *extra], **options)


@spark.command(name="index-export")
@click.argument("clones_dir", metavar="CLONES")
@click.option("--db", required=True, type=click.Path(path_type=Path), help="写出的 SQLite 索引文件（供 lint --index）")
@click.option("--department", multiple=True, help="单位（部门名称，完全相同），可多次指定")
@click.option("--path-prefix", multiple=True, help="路径前缀（如一个省的目录），可多次指定")
@_spark_options
def spark_index_export(clones_dir: str, db: Path, department: tuple[str, ...], path_prefix: tuple[str, ...],
                       **options: Any) -> None:  # fmt: skip
    """把全国 norms/bands 中一个省或一个部门相关的部分导出为 SQLite 索引，供 auditor lint --index 离线使用。"""
    _spark_missing_guard()
    if not department and not path_prefix:
        _fail("用法错误：请用 --department 或 --path-prefix 指定要导出的单位")
        sys.exit(2)
    (real,) = _output_files((db,), ())
    assert real is not None
    if real.is_file() and real.stat().st_size:
        from auditor.index.store import CorpusIndex

        CorpusIndex(real, readonly=True).close()  # E144 for anything but an index
    args = ["index-export", clones_dir, "--db", str(real)]
    args += [item for name in department for item in ("--department", name)]
    args += [item for prefix in path_prefix for item in ("--path-prefix", prefix)]
    _run_spark(args, **options)


def main() -> None:
    cli(prog_name="auditor")
