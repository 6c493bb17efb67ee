"""Outputs never land on inputs, devices or folders; foreign and locked indexes; failing output folders.

Issue 13, part 2 and the folder errors of part 5: every output path (``-o`` of lint/score/clones,
``--write-baseline``, ``index build/add --db``, the report folder) is checked before anything is read.
Each case asserts the exit code (2), one Chinese line naming the path and the problem with its code,
no traceback, and that every input is untouched (sha256 and mtime).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.index.store import APPLICATION_ID, CorpusIndex
from tests.conftest import CORPUS

TABLE = CORPUS / "transport-2021-wide.csv"
OTHER = CORPUS / "civil-2022-wide-gbk.txt"

#: Every command that writes one file, with ``{in}`` and ``{out}`` filled in per case.
FILE_WRITERS = {
    "lint -o": ["lint", "--isolated", "{in}", "-o", "{out}"],
    "lint --write-baseline": ["lint", "--isolated", "{in}", "--write-baseline", "{out}"],
    "score -o": ["score", "--isolated", "-q", "{in}", "-o", "{out}"],
    "clones -o": ["clones", "{in}", "-o", "{out}"],
    "index build --db": ["index", "build", "{in}", "--db", "{out}"],
    "index add --db": ["index", "add", "{in}", "--db", "{out}"],
}


def fingerprint(*paths: Path) -> dict[str, tuple[str, int, int]]:
    """sha256, mtime and kind of each path (not following a symlink for the kind)."""
    out = {}
    for path in paths:
        st = os.lstat(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else ""
        out[str(path)] = (digest, st.st_mtime_ns, stat.S_IFMT(st.st_mode))
    return out


def invoke(template: list[str], source: Path, out: Path | str) -> object:
    args = [str(source) if part == "{in}" else str(out) if part == "{out}" else part for part in template]
    return CliRunner().invoke(cli, args)


def assert_refused(result, code: str, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f"[{code}]" in lines[0] and "Traceback" not in result.stderr and "内部错误" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert result.stdout == ""


@pytest.fixture()
def table(tmp_path: Path) -> Path:
    folder = tmp_path / "输入"
    folder.mkdir()
    copy = folder / "表.csv"
    shutil.copy2(TABLE, copy)
    return copy


# ---------------------------------------------------------------- inputs are never written


@pytest.mark.parametrize("command", FILE_WRITERS)
@pytest.mark.parametrize("alias", ["same", "symlink", "hardlink", "relative"])
def test_an_output_that_is_an_input_under_any_name_is_refused(command, alias, table, tmp_path, monkeypatch):
    out: Path | str = table
    if alias == "symlink":
        out = tmp_path / "链接.csv"
        out.symlink_to(table)
    elif alias == "hardlink":
        out = tmp_path / "硬链接.csv"
        os.link(table, out)
    elif alias == "relative":
        monkeypatch.chdir(tmp_path)
        out = "输入/../输入/表.csv"
    before = fingerprint(table)
    result = invoke(FILE_WRITERS[command], table, out)
    assert_refused(result, "E140", str(out), "输入文件")
    if alias != "same" and alias != "relative":
        assert str(table) in result.stderr  # the input it is, named
    assert fingerprint(table) == before


@pytest.mark.parametrize("command", FILE_WRITERS)
def test_a_table_found_in_an_input_folder_is_an_input(command, table):
    before = fingerprint(table)
    result = invoke(FILE_WRITERS[command], table.parent, table)
    assert_refused(result, "E140", "表.csv")
    assert fingerprint(table) == before


def test_the_baseline_read_is_not_the_baseline_written(table, tmp_path):
    baseline = tmp_path / "基线.json"
    assert CliRunner().invoke(cli, ["lint", "--isolated", str(table), "--write-baseline", str(baseline)]).exit_code == 1
    before = fingerprint(table, baseline)
    result = CliRunner().invoke(
        cli, ["lint", "--isolated", str(table), "--baseline", str(baseline), "--write-baseline", str(baseline)]
    )
    assert_refused(result, "E140", "基线.json")
    assert fingerprint(table, baseline) == before


def test_two_outputs_of_one_run_must_differ(table, tmp_path):
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["lint", "--isolated", str(table), "-o", str(out), "--write-baseline", str(out)])
    assert_refused(result, "E143", "同一个文件")
    assert not out.exists()


def test_index_build_over_a_table_it_does_not_read_is_refused(table, tmp_path):
    other = tmp_path / "其他.xlsx"
    shutil.copy2(CORPUS / "clean-2022-standard.xlsx", other)
    before = fingerprint(table, other)
    result = CliRunner().invoke(cli, ["index", "build", str(table), "--db", str(other)])
    assert_refused(result, "E144", "其他.xlsx", "压缩文件")
    assert fingerprint(table, other) == before


# ---------------------------------------------------------------- devices, FIFOs, folders


@pytest.fixture()
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "管道"
    os.mkfifo(path)
    return path


@pytest.fixture()
def null_device(tmp_path: Path) -> Path:
    """A character device like /dev/null (1, 3), made in tmp_path: a regression replaces this node,
    never the system's /dev/null."""
    path = tmp_path / "null"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("mknod needs root (the /dev/null case only arises as root)")
    return path


@pytest.mark.parametrize("command", FILE_WRITERS)
@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_an_output_that_is_a_device_fifo_or_folder_is_refused(command, kind, table, tmp_path, request):
    if kind == "fifo":
        out, word = request.getfixturevalue("fifo"), "命名管道"
    elif kind == "device":
        out, word = request.getfixturevalue("null_device"), "字符设备"
    else:
        out, word = tmp_path / "目录", "是目录"
        out.mkdir()
        (out / "keep.txt").write_text("x", encoding="utf-8")
    before = fingerprint(table, out)
    start = time.monotonic()
    result = invoke(FILE_WRITERS[command], table, out)
    assert time.monotonic() - start < 10  # a FIFO is never opened (that would block)
    assert_refused(result, "E141", str(out), word)
    assert fingerprint(table, out) == before
    if kind == "folder":
        assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_symlink_to_a_device_is_refused_and_the_device_kept(table, tmp_path, null_device):
    link = tmp_path / "out.json"
    link.symlink_to(null_device)
    result = CliRunner().invoke(cli, ["lint", "--isolated", str(table), "-o", str(link)])
    assert_refused(result, "E141", "字符设备")
    assert stat.S_ISCHR(os.stat(null_device).st_mode) and link.is_symlink()


def test_the_atomic_writer_itself_never_replaces_a_device(tmp_path, null_device):
    """The last line of defence, for every file auditor writes (also inside the report folder)."""
    from auditor.errors import InputError
    from auditor.fileio import write_atomic

    with pytest.raises(InputError) as caught:
        write_atomic(null_device, "x")
    assert caught.value.code == "E141"
    assert stat.S_ISCHR(os.stat(null_device).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]  # no temporary file left


@pytest.mark.parametrize("target", ["file", "fifo", "device"])
def test_a_report_folder_that_is_not_a_folder_is_refused(target, table, tmp_path, request):
    if target == "file":
        out, word = tmp_path / "报告.txt", "普通文件"
        out.write_text("x", encoding="utf-8")
    else:
        out = request.getfixturevalue("fifo" if target == "fifo" else "null_device")
        word = "命名管道" if target == "fifo" else "字符设备"
    before = fingerprint(table, out)
    result = CliRunner().invoke(cli, ["report", "--isolated", str(table), "-o", str(out)])
    assert_refused(result, "E143", str(out), "不是目录", word)
    assert fingerprint(table, out) == before


@pytest.mark.parametrize("command", ["lint -o", "score -o", "clones -o"])
def test_dash_is_standard_output(command, table):
    result = invoke(FILE_WRITERS[command], table, "-")
    assert result.exit_code in (0, 1) and result.stdout and not Path("-").exists()


# ---------------------------------------------------------------- missing, read-only, too deep


ALL_WRITERS = {**FILE_WRITERS, "report -o": ["report", "--isolated", "-q", "--no-xlsx", "{in}", "-o", "{out}"]}


@pytest.mark.parametrize("command", ALL_WRITERS)
def test_a_missing_parent_folder_is_a_clear_error(command, table, tmp_path):
    out = tmp_path / "不存在" / "子目录" / "out.json"
    before = fingerprint(table)
    result = invoke(ALL_WRITERS[command], table, out)
    assert_refused(result, "E142", str(out), "上级目录不存在", str(tmp_path / "不存在"))
    assert fingerprint(table) == before and not (tmp_path / "不存在").exists()


@pytest.mark.parametrize("command", ALL_WRITERS)
def test_a_1500_level_deep_output_path_is_a_clear_error(command, table, tmp_path):
    deep = tmp_path.joinpath(*["d"] * 1500, "out.json")  # missing: ~3,000 characters
    too_long = tmp_path.joinpath(*["dd"] * 1500, "out.json")  # beyond PATH_MAX
    before = fingerprint(table)
    for out, code, word in ((deep, "E142", "上级目录不存在"), (too_long, "E143", "路径过长")):
        result = invoke(ALL_WRITERS[command], table, out)
        assert result.exit_code == 2 and f"[{code}]" in result.stderr and word in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert fingerprint(table) == before


def test_an_existing_1500_level_tree_receives_the_output(table, tmp_path, request):
    deep = tmp_path
    for _ in range(1500):  # Path.mkdir(parents=True) recurses once per level
        deep = deep / "d"
        deep.mkdir()
    request.addfinalizer(lambda: remove_deep(tmp_path / "d"))
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--format", "json", str(table), "-o", str(deep / "o.json")])
    assert result.exit_code == 1 and (deep / "o.json").is_file()
    result = CliRunner().invoke(cli, ["report", "--isolated", "-q", "--no-xlsx", str(table), "-o", str(deep / "r")])
    assert result.exit_code == 0, result.stderr
    assert (deep / "r" / "index.html").is_file()


def remove_deep(top: Path) -> None:
    """Remove a very deep tree without recursion (shutil.rmtree, os.walk before 3.12 and pytest's
    clean-up of old temporary folders recurse once per level)."""
    folders, stack = [], [str(top)]
    while stack:
        folder = stack.pop()
        folders.append(folder)
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder nobody can write into — for root too (the immutable attribute), else by mode."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode:
            pytest.skip("no way to make a folder read-only for root here")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


@pytest.mark.parametrize("command", ALL_WRITERS)
def test_a_read_only_output_folder_is_a_clear_error(command, table, tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    out = folder / "out.json"
    before = fingerprint(table)
    with read_only(folder):
        result = invoke(ALL_WRITERS[command], table, out)
    assert_refused(result, "E143", str(out), "没有写入权限")
    assert fingerprint(table) == before and list(folder.iterdir()) == []


def test_a_read_only_report_folder_is_a_clear_error_and_stays_whole(table, tmp_path):
    out = tmp_path / "报告"
    assert (
        CliRunner().invoke(cli, ["report", "--isolated", "-q", "--no-xlsx", str(table), "-o", str(out)]).exit_code == 0
    )
    before = fingerprint(table, *sorted(out.iterdir()))
    with read_only(out):
        result = CliRunner().invoke(cli, ["report", "--isolated", "-q", "--no-xlsx", str(table), "-o", str(out)])
    assert_refused(result, "E143", str(out), "没有写入权限")
    assert fingerprint(table, *sorted(out.iterdir())) == before
    assert not [p for p in tmp_path.iterdir() if ".auditor-" in p.name]


# ---------------------------------------------------------------- the corpus index


@pytest.fixture()
def index_db(tmp_path: Path) -> Path:
    db = tmp_path / "索引.sqlite"
    assert CliRunner().invoke(cli, ["index", "build", str(OTHER), "--db", str(db)]).exit_code == 0
    return db


def test_a_new_index_is_marked_as_an_auditor_index(index_db):
    with contextlib.closing(sqlite3.connect(index_db)) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1


@pytest.mark.parametrize("content", ["empty", "table", "foreign-sqlite", "fifo"])
@pytest.mark.parametrize("command", ["lint", "score", "clones", "stats", "add", "build"])
def test_a_file_that_is_not_an_index_is_refused_and_untouched(content, command, table, tmp_path):
    fake = tmp_path / "fake.db"
    if content == "empty":
        fake.write_bytes(b"")
    elif content == "fifo":
        os.mkfifo(fake)  # opening it would block: refused by kind
    elif content == "table":
        shutil.copy2(TABLE, fake)
    else:
        with contextlib.closing(sqlite3.connect(fake)) as db:
            db.execute("CREATE TABLE accounts (id INTEGER, balance REAL)")
            db.execute("INSERT INTO accounts VALUES (1, 99.5)")
            db.commit()
    args = {
        "lint": ["lint", "--isolated", "--index", str(fake), str(table)],
        "score": ["score", "--isolated", "-q", "--index", str(fake), str(table)],
        "clones": ["clones", "--index", str(fake), str(table)],
        "stats": ["index", "stats", "--db", str(fake)],
        "add": ["index", "add", str(table), "--db", str(fake)],
        "build": ["index", "build", str(table), "--db", str(fake)],
    }[command]
    before = fingerprint(table, fake)
    start = time.monotonic()
    result = CliRunner().invoke(cli, args)
    assert time.monotonic() - start < 10
    if content == "empty" and command in ("add", "build"):
        assert result.exit_code == 0, result.stderr  # an empty file is a new index
        return
    words = {
        "empty": "空文件",
        "table": "不是 SQLite 数据库",
        "foreign-sqlite": "不是 auditor index build 生成的索引",
        "fifo": "命名管道",
    }
    code = "E141" if content == "fifo" and command in ("add", "build") else "E144"
    assert_refused(result, code, "fake.db", words[content])
    assert fingerprint(table, fake) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake.db", "输入"]  # no journal, no temp file


def test_lint_opens_the_index_read_only(index_db, table):
    index_db.chmod(0o444)
    folder_before = sorted(p.name for p in index_db.parent.iterdir())
    before = fingerprint(index_db)
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--index", str(index_db), str(table)])
    assert result.exit_code in (0, 1), result.stderr
    assert fingerprint(index_db) == before
    assert sorted(p.name for p in index_db.parent.iterdir()) == folder_before


def test_an_index_written_before_the_mark_is_still_accepted(index_db, table):
    with contextlib.closing(sqlite3.connect(index_db)) as db:
        db.execute("PRAGMA application_id = 0")
        db.execute("PRAGMA user_version = 0")
        db.commit()
    result = CliRunner().invoke(cli, ["lint", "--isolated", "--index", str(index_db), str(table)])
    assert result.exit_code in (0, 1), result.stderr
    assert CliRunner().invoke(cli, ["index", "add", str(table), "--db", str(index_db)]).exit_code == 0


@contextlib.contextmanager
def locked(db_path: Path, seconds: float | None = None) -> Iterator[None]:
    """Another process's write transaction on the index (held here, in a second connection)."""
    db = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    db.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(seconds, lambda: db.execute("ROLLBACK")) if seconds else None
    if release:
        release.start()
    try:
        yield
    finally:
        if release:
            release.join()
        elif db.in_transaction:
            db.execute("ROLLBACK")
        db.close()


def test_index_add_waits_for_the_lock_then_gives_a_clear_error(index_db, table):
    before = fingerprint(index_db)
    with locked(index_db):
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["index", "add", str(table), "--db", str(index_db), "--wait", "0.5"])
        waited = time.monotonic() - start
    assert_refused(result, "E145", str(index_db), "0.5 秒")
    assert 0.4 < waited < 10
    assert fingerprint(index_db) == before
    with CorpusIndex(index_db, readonly=True) as store:
        assert store.stats()["submissions"] == 1


def test_index_add_that_gets_the_lock_in_time_succeeds(index_db, table):
    with locked(index_db, seconds=0.5):
        result = CliRunner().invoke(cli, ["index", "add", str(table), "--db", str(index_db), "--wait", "20"])
    assert result.exit_code == 0, result.stderr
    with CorpusIndex(index_db, readonly=True) as store:
        assert store.stats()["submissions"] == 2


def test_index_build_waits_for_an_add_and_a_waiting_add_moves_to_the_new_file(index_db, table):
    """A build swapping its file in while an add waits: the add lands in the new index, not in the
    replaced file."""
    from auditor.index.store import CorpusIndex as Store

    waiting = Store(index_db, timeout=20)  # an add that opened the old file
    with locked(index_db, seconds=0.3):
        builder = threading.Thread(
            target=lambda: CliRunner().invoke(cli, ["index", "build", str(OTHER), str(table), "--db", str(index_db)])
        )
        builder.start()
        builder.join()
    from auditor.readers import read_submission

    waiting.add([read_submission(table)])
    waiting.close()
    with CorpusIndex(index_db, readonly=True) as store:
        assert store.stats()["submissions"] == 3  # the build's two, then the add


def test_index_add_is_one_transaction(index_db, table, monkeypatch):
    """An error part-way through an add (here while writing the bands) keeps nothing of it."""
    import auditor.index.store as store_module

    def broken(*_):
        raise RuntimeError("boom")

    monkeypatch.setattr(store_module, "band_keys", broken)
    store = CorpusIndex(index_db)
    from auditor.readers import read_submission

    with pytest.raises(RuntimeError):
        store.add([read_submission(table)])
    store.close()
    with CorpusIndex(index_db, readonly=True) as check:
        assert check.stats()["submissions"] == 1
