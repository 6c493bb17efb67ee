"""``spark lint``: files → the export's tables, with the CLI's readers and rules.

The driver lists the inputs as ``auditor lint`` does (:func:`list_inputs`: the same files, the same
spelling of their paths, so findings name them alike); the files are spread over tasks
(``files_per_task`` a partition) and each task reads and lints them with
:func:`auditor.run._lint_input` — the function the CLI's own worker processes call — then turns the
result into rows with :func:`auditor.export.tables.submission_rows`. A URI input (``hdfs://…``,
``s3a://…``) is read with ``binaryFiles`` instead: each file's bytes into a temporary file of the
same name, reported under its URI.

The configuration is the CLI's (``select``/``ignore``/``extend_select``, a configuration file or
none) and is rebuilt in every task, where the rule packs and limits are process state.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from auditor.export.tables import SCHEMAS, TABLES, Row, error_row, submission_rows

_SETUP: dict[str, Any] = {}


def list_inputs(arguments: Iterable[str]) -> tuple[list[tuple[str, bool]], list[str], list[str]]:
    """(path, found in a folder) of every local file, as ``auditor.run.run`` lists and orders them;
    URI arguments; one-line errors of arguments that cannot be listed."""
    from auditor.errors import InputError
    from auditor.readers import iter_inputs

    found: list[tuple[Path, bool]] = []
    remote: list[str] = []
    errors: list[str] = []
    for argument in arguments:
        if "://" in argument and not argument.startswith("file://"):
            remote.append(argument)
            continue
        path = Path(argument.removeprefix("file://"))
        try:
            files, _ = iter_inputs(path)
        except InputError as error:
            errors.append(error.one_line())
            continue
        found += [(file, path.is_dir()) for file in files]
    unique: dict[Path, tuple[Path, bool]] = {}
    for path, in_folder in found:
        first, folder_only = unique.get(path.resolve(), (path, True))
        unique[path.resolve()] = (min(first, path, key=str), folder_only and in_folder)
    listed = sorted(unique.values(), key=lambda item: str(item[0]))
    return [(str(path), in_folder) for path, in_folder in listed], remote, errors


def _setup(config: dict[str, Any] | None) -> tuple[Any, Any, list[Any]]:
    """The run's configuration, selection and rules, built once per Python worker."""
    key = repr(sorted((config or {}).items()))
    if _SETUP.get("key") != key:
        from auditor.checks.engine import Selection, selected_rules
        from auditor.config import load_config
        from auditor.readers.limits import set_limits
        from auditor.resources import configure

        settings = config or {}
        path = settings.get("config")
        loaded = load_config(Path(path) if path else None)
        for name in ("select", "ignore", "extend_select"):
            if settings.get(name):
                setattr(loaded, name, tuple(settings[name]))
        overrides, extra = loaded.pack_overrides(), loaded.extra_lexicons()
        if overrides or extra:
            configure(overrides, extra)
        else:
            configure()
        set_limits(loaded.limits)
        selection = Selection(loaded.select, loaded.ignore, loaded.extend_select, {"severity": loaded.severity})
        _SETUP.update(key=key, value=(loaded, selection, selected_rules(selection)))
    return _SETUP["value"]  # type: ignore[no-any-return]


def lint_files(
    items: Iterable[tuple[str, bool, bytes | None]], config: dict[str, Any] | None
) -> Iterator[tuple[str, Row]]:
    """(table, row) of every file: read from its path, or (``bytes`` given) from a temporary copy."""
    from auditor.errors import InputError
    from auditor.run import _lint_input

    loaded, selection, rules = _setup(config)
    for name, in_folder, data in items:
        if data is None:
            outcome = _lint_input(loaded, selection, rules, Path(name))
        else:
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / (name.rstrip("/").rsplit("/", 1)[-1] or "input")
                copy.write_bytes(data)
                outcome = _lint_input(loaded, selection, rules, copy)
                if outcome.error is not None:
                    outcome.error = outcome.error.replace(str(copy), name)
                elif outcome.result is not None:
                    outcome = _renamed(outcome, name, loaded, selection, rules, copy)
        if outcome.error is not None or outcome.result is None:
            yield "errors", {**error_row(outcome.error or f"{name}: {InputError('E104', name).message}"),
                             "in_folder": in_folder}  # fmt: skip
            continue
        for table, rows in submission_rows(outcome.result.submission, outcome.result.findings).items():
            for row in rows:
                yield table, row


def _renamed(outcome: Any, name: str, loaded: Any, selection: Any, rules: list[Any], copy: Path) -> Any:
    """A file read from a temporary copy, linted again under its own name (findings carry the name)."""
    from dataclasses import replace

    from auditor.checks.engine import lint
    from auditor.suppress import apply_in_source

    submission = replace(outcome.result.submission, path=name)
    findings, notices = apply_in_source(submission, lint(submission, selection, rules))
    outcome.result.submission, outcome.result.findings, outcome.notices = submission, findings, list(notices)
    return outcome


def run_lint(spark: Any, inputs: list[str], out: str, *, config: dict[str, Any] | None = None,
             files_per_task: int = 16) -> dict[str, int]:  # fmt: skip
    """Lint ``inputs`` on the cluster; the export's tables (plus ``errors``) written to ``out``."""
    from auditor.distributed.session import Output, spark_schema

    local, remote, errors = list_inputs(inputs)
    context = spark.sparkContext
    tasks = max(1, -(-len(local) // max(1, files_per_task)))
    rdd = context.parallelize([(path, in_folder, None) for path, in_folder in local], tasks)
    for uri in remote:
        rdd = rdd.union(context.binaryFiles(uri).map(lambda item: (item[0], True, item[1])))
    rows = rdd.mapPartitions(lambda part: lint_files(part, config)).persist()
    output = Output(spark, out)
    counts: dict[str, int] = {}
    try:
        for table in TABLES:
            columns = [name for name, _ in SCHEMAS[table]]
            picked = rows.filter(lambda item, t=table: item[0] == t).map(
                lambda item, c=columns: tuple(item[1].get(name) for name in c)
            )
            if table == "errors":
                picked = picked.union(context.parallelize([(error_row(e)["path"], e, None) for e in errors], 1))
            frame = spark.createDataFrame(picked, spark_schema(table))
            frame.write.partitionBy("year").parquet(output.path(table))
            counts[table] = frame.count()
        output.commit("# auditor spark lint 输出目录（与 auditor export 相同的表，结构见 docs/parquet.md）\n")
    except BaseException:
        output.discard()
        raise
    finally:
        rows.unpersist()
    return counts
