"""kill -9 at random points of ``index build``, ``index add`` and ``report``; parallel reports.

Issue 13, part 5. Each kill test first runs the command once to completion (its time T sets the
range of the random delays, 0.2·T–1.05·T, so kills land in reading, writing and swapping alike),
then repeats: start the command in a child process, SIGKILL it after a random delay, and check
that what is on disk is whole — the previous state or the new one, never a mixture:
``PRAGMA integrity_check`` is ok, ``lint --index`` still uses the index, the report folder's
manifest, pages and report.json belong to one run. Set AUDITOR_KILL_SEED to replay a sequence.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.index.store import APPLICATION_ID, CorpusIndex
from tests.conftest import CORPUS, ROOT

A = CORPUS / "transport-2021-wide.csv"
B = CORPUS / "civil-2022-wide-gbk.txt"
KILLS = int(os.environ.get("AUDITOR_KILLS", 6))  # more for a stress run
SEED = int(os.environ.get("AUDITOR_KILL_SEED", random.randrange(1 << 30)))


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    return {"a": Path(shutil.copy2(A, folder / A.name)), "b": Path(shutil.copy2(B, folder / B.name))}


def auditor(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "auditor", *map(str, args)]


def timed(command: list[str]) -> float:
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    return time.monotonic() - start


def kill_after(command: list[str], delay: float) -> bool:
    """Run ``command``; SIGKILL it after ``delay`` seconds. True when it was killed (still running)."""
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        child.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return True
    stderr = child.stderr.read().decode() if child.stderr else ""
    assert child.returncode in (0, 1), stderr
    return False


# ---------------------------------------------------------------- the index


def index_state(db: Path) -> frozenset[str]:
    """The tables the index holds, after checking it is whole and usable as ``lint --index`` uses it."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    with CorpusIndex(db, readonly=True) as store:
        paths = frozenset(Path(row[0]).name for row in store.db.execute("SELECT path FROM submissions"))
        stats = store.stats()
    assert stats["texts"] > 0 and stats["band_rows"] == 16 * stats["distinct_texts"]
    result = CliRunner().invoke(cli, ["lint", "--isolated", "-q", "--index", str(db), str(A)])
    assert result.exit_code in (0, 1), result.stderr
    return paths


def test_kill_9_of_index_build_leaves_the_previous_index_whole(inputs, tmp_path):
    rng = random.Random(SEED)
    db = tmp_path / "索引.sqlite"
    took = timed(auditor("index", "build", inputs["a"], "--db", db))
    state = index_state(db)
    assert state == {A.name}
    killed = 0
    for attempt in range(KILLS):
        source = inputs["b"] if state == {A.name} else inputs["a"]
        delay = rng.uniform(0.2 * took, 1.05 * took)
        killed += kill_after(auditor("index", "build", source, "--db", db), delay)
        after = index_state(db)
        assert after in (state, {source.name}), f"seed {SEED}, attempt {attempt}, {delay:.2f} s: {after}"
        state = after
    assert killed, f"seed {SEED}: no run was killed"
    # the next build clears the temporary files the killed ones left
    assert CliRunner().invoke(cli, ["index", "build", str(inputs["a"]), "--db", str(db)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "索引.sqlite"]


def test_kill_9_of_index_add_leaves_the_index_whole(inputs, tmp_path):
    rng = random.Random(SEED + 1)
    db = tmp_path / "索引.sqlite"
    assert CliRunner().invoke(cli, ["index", "build", str(inputs["a"]), "--db", str(db)]).exit_code == 0
    copy = tmp_path / "copy.sqlite"
    shutil.copy2(db, copy)
    took = timed(auditor("index", "add", inputs["b"], "--db", copy))
    count = len(index_state(db))
    for attempt in range(KILLS // 2):
        delay = rng.uniform(0.2 * took, 1.05 * took)
        kill_after(auditor("index", "add", inputs["b"], "--db", db), delay)
        with CorpusIndex(db, readonly=True) as store:  # reads through (and rolls back) a hot journal
            now = store.stats()["submissions"]
        assert now in (count, count + 1), f"seed {SEED}, attempt {attempt}, {delay:.2f} s"
        index_state(db)
        count = now


def test_two_index_adds_at_once_both_land(inputs, tmp_path):
    """The second waits for the first's transaction (no "database is locked" internal error)."""
    db = tmp_path / "索引.sqlite"
    assert CliRunner().invoke(cli, ["index", "build", str(inputs["a"]), "--db", str(db)]).exit_code == 0
    runs = [
        subprocess.Popen(auditor("index", "add", inputs[key], "--db", db), cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for key in ("a", "b")
    ]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
    with CorpusIndex(db, readonly=True) as store:
        assert store.stats()["submissions"] == 3
    index_state(db)


# ---------------------------------------------------------------- the report


def report_state(out: Path) -> str:
    """Which input the report in ``out`` is of, after checking it is one run's, whole."""
    marker = out / ".auditor-report"
    assert marker.is_file()
    listed = [line for line in marker.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    present = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p != marker)
    assert sorted(listed) == present
    files = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]
    (name,) = {Path(item["path"]).name for item in files}
    pages = [p for p in present if p.startswith("dept-")]
    assert len(pages) == 1 and (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    department = files[0]["department"]
    assert department in (out / pages[0]).read_text(encoding="utf-8")
    assert department in (out / "summary.md").read_text(encoding="utf-8")
    workbooks = [p for p in present if p.startswith("annotated/")]
    assert workbooks == [f"annotated/{Path(name).stem}.annotated.xlsx"]
    return name


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".auditor-" in p.name)


def test_kill_9_of_report_leaves_the_previous_report_whole(inputs, tmp_path):
    rng = random.Random(SEED + 2)
    out = tmp_path / "审核报告"
    took = timed(auditor("report", "--isolated", "-q", inputs["a"], "-o", out))
    (out / "说明.txt").write_text("复核人员的笔记", encoding="utf-8")  # the reviewer's own file
    state = report_state_with_notes(out)
    assert state == A.name
    killed = 0
    for attempt in range(KILLS - 1):
        source = inputs["b"] if state == A.name else inputs["a"]
        delay = rng.uniform(0.2 * took, 1.05 * took)
        killed += kill_after(auditor("report", "--isolated", "-q", source, "-o", out), delay)
        after = report_state_with_notes(out)
        assert after in (state, source.name), f"seed {SEED}, attempt {attempt}, {delay:.2f} s: {after}"
        state = after
    assert killed, f"seed {SEED}: no run was killed"
    assert CliRunner().invoke(cli, ["report", "--isolated", "-q", str(inputs["b"]), "-o", str(out)]).exit_code == 0
    assert report_state_with_notes(out) == B.name
    assert leftovers(tmp_path) == []  # staging folders of killed runs and the lock file are gone


def report_state_with_notes(out: Path) -> str:
    notes = out / "说明.txt"
    text = notes.read_text(encoding="utf-8") if notes.exists() else None
    if text is not None:
        notes.rename(out.parent / "notes.tmp")
    try:
        return report_state(out)
    finally:
        if text is not None:
            (out.parent / "notes.tmp").rename(notes)
            assert notes.read_text(encoding="utf-8") == "复核人员的笔记"


def test_two_reports_into_one_folder_at_once_do_not_mix(inputs, tmp_path):
    out = tmp_path / "审核报告"
    runs = [
        subprocess.Popen(
            auditor("report", "--isolated", "-q", "--no-xlsx", inputs[key], "-o", out),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key in ("a", "b")
    ]
    results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
    assert any(code == 0 for code, _ in results), results
    for code, stderr in results:
        assert code == 0 or (code == 2 and "[E146]" in stderr and len(stderr.splitlines()) == 1), results
    files = json.loads((out / "report.json").read_text(encoding="utf-8"))["files"]
    assert len({item["path"] for item in files}) == 1
    assert len(list(out.glob("dept-*.html"))) == 1
    assert leftovers(tmp_path) == []


def test_a_held_report_lock_is_a_clear_error_and_wait_waits(inputs, tmp_path):
    import threading

    from auditor.reporters.bundle import report_lock

    out = tmp_path / "审核报告"
    args = ["report", "--isolated", "-q", "--no-xlsx", str(inputs["a"]), "-o", str(out)]
    waited: list = []
    with report_lock(out):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2 and "[E146]" in result.stderr and str(out) in result.stderr
        assert len(result.stderr.splitlines()) == 1 and not out.exists()
        waiter = threading.Thread(target=lambda: waited.append(CliRunner().invoke(cli, [*args, "--wait", "30"])))
        waiter.start()
        time.sleep(1.0)
        assert waiter.is_alive() and not out.exists()  # waiting for the lock
    waiter.join(timeout=60)
    assert waited and waited[0].exit_code == 0, waited
    assert (out / "index.html").is_file() and (out / ".auditor-report").is_file()
    assert leftovers(tmp_path) == []


def test_without_an_atomic_exchange_two_renames_and_a_retired_report_is_restored(inputs, tmp_path, monkeypatch):
    """Systems without renameat2: the old folder is renamed aside, the new one into place; a run killed
    between the two leaves the old report under a ``.auditor-old-`` name, which the next run puts back."""
    import errno

    import auditor.reporters.bundle as bundle

    def unsupported(*_):
        raise OSError(errno.ENOSYS, "no renameat2")

    monkeypatch.setattr(bundle, "_exchange", unsupported)
    out = tmp_path / "审核报告"
    for source in (inputs["a"], inputs["b"]):
        result = CliRunner().invoke(cli, ["report", "--isolated", "-q", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        assert report_state(out) == source.name and leftovers(tmp_path) == []
    out.rename(tmp_path / f".{out.name}{bundle.RETIRED}12345")  # as if killed between the renames
    with bundle.report_lock(out):
        pass
    assert report_state(out) == B.name and leftovers(tmp_path) == []
