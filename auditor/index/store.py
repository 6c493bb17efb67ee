"""The SQLite corpus index: submissions, their texts, distinct normalised texts and LSH bands.

Schema (one file, no server)::

    submissions(id, path, department, year)
    norms(id, hash UNIQUE, norm)                 -- each distinct normalised text once
    texts(id, submission, norm, project_index, project, category, field, text)
    bands(band, key, length, norm)               -- MinHash LSH buckets of each distinct text; the length
                                                 -- lets a lookup skip texts too long or short to match

``bands`` is a ``WITHOUT ROWID`` table keyed on all four columns, so a bucket lookup reads one
B-tree range and nothing else (files written before had a rowid table and an index on
``(band, key, length)``: every query works on both). ``index build`` writes into an empty file
with the journal and syncs off and a larger page cache, inserts texts as they stream in, and
writes the bands sorted and the secondary indexes only at the end (see :func:`build_index`).

The file is marked with ``PRAGMA application_id`` (:data:`APPLICATION_ID`) and ``user_version``;
a file that is neither such an index, an index written before the mark, nor empty is refused
(E144), never written into. Readers (``lint --index``, ``clones``, ``index stats``) open it with
``mode=ro``. ``index add`` is one ``BEGIN IMMEDIATE`` transaction that waits for another writer up
to a timeout (E145 after it); ``index build`` (:func:`build_index`) writes a new file beside the old
one and swaps it in with :func:`os.replace` only when complete, so a kill at any point leaves the
previous index whole.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TypeVar

import numpy as np

from auditor.errors import InputError
from auditor.fileio import current_umask
from auditor.index.lsh import MIN_CJK as MIN_CJK
from auditor.index.lsh import cjk_length as cjk_length
from auditor.index.lsh import indexable_text
from auditor.index.minhash import BANDS, band_keys, signatures, text_hash
from auditor.model import Submission
from auditor.text.normalize import normalize

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS submissions (id INTEGER PRIMARY KEY, path TEXT, department TEXT, year INTEGER);
CREATE TABLE IF NOT EXISTS norms (id INTEGER PRIMARY KEY, hash INTEGER, norm TEXT);
CREATE TABLE IF NOT EXISTS texts (
    id INTEGER PRIMARY KEY, submission INTEGER, norm INTEGER, project_index INTEGER, project TEXT,
    category TEXT, field TEXT, text TEXT);
CREATE TABLE IF NOT EXISTS bands (
    band INTEGER, key INTEGER, length INTEGER, norm INTEGER, PRIMARY KEY (band, key, length, norm)) WITHOUT ROWID;
"""
#: Created with the tables, or (``index build``) after the bulk insert, which is then cheaper.
INDEXES_SQL = """
CREATE UNIQUE INDEX IF NOT EXISTS norms_hash ON norms(hash);
CREATE INDEX IF NOT EXISTS texts_norm ON texts(norm, submission);
"""
SCHEMA = TABLES_SQL + INDEXES_SQL
#: ``index build``'s temporary file: a half-built file is never used, so no journal and no syncs
#: (the finished file is fsynced before it is swapped in); pages and cache measured on 10⁵–10⁶ texts.
BUILD_PRAGMAS = ("page_size = 8192", "journal_mode = OFF", "synchronous = OFF", "cache_size = -131072")
#: Every connection: a 64 MiB page cache (SQLite's default is 2 MiB), allocated only as used.
CACHE_PRAGMA = "cache_size = -65536"
#: Rows per ``executemany`` and distinct texts per signature batch while adding.
TEXT_BATCH = 20_000
NORM_BATCH = 50_000
#: Band rows turned into Python integers at a time: 8192 measured 2-4% less CPU than 100k at 10⁶.
BAND_CHUNK = 8192
T = TypeVar("T")
#: ``PRAGMA application_id`` of an auditor index ("AUIX") and the schema version in ``user_version``.
APPLICATION_ID = 0x41554958
SCHEMA_VERSION = 1
TABLES = frozenset({"submissions", "norms", "texts", "bands"})
#: Seconds a writer (or a reader during another's commit) waits for the lock by default.
DEFAULT_TIMEOUT = 30.0
BUILDING = ".building"


@dataclass(frozen=True)
class IndexedText:
    project_index: int | None
    project: str
    category: str | None
    field: str
    text: str


@dataclass(frozen=True)
class Lookup:
    """What the index knows about one text: the closest uses, and how widely it is used."""

    matches: list[Match]
    uses: int
    departments: int


@dataclass(frozen=True)
class Match:
    """Another submission's use of (nearly) the same text."""

    department: str | None
    year: int | None
    path: str
    project: str
    category: str | None
    field: str
    similarity: float


def indexable(submission: Submission) -> Iterator[IndexedText]:
    """The texts of a submission worth indexing: targets, completions, goals, overall completions."""
    for project in submission.projects:
        name = project.name.text
        for field, cell in (("goal", project.goal), ("goal_completion", project.goal_completion)):
            if indexable_text(field, cell.text):
                yield IndexedText(project.index, name, None, field, cell.text)
        for indicator in project.indicators:
            for field, cell in (("target", indicator.target), ("completion", indicator.completion)):
                if indexable_text(field, cell.text):
                    yield IndexedText(project.index, name, indicator.category, field, cell.text)


class CorpusIndex:
    """Open an index file; ``add`` submissions; ``matches`` for one text.

    ``readonly``: the file must exist and be an index; it is opened with ``mode=ro``. Otherwise it
    is created when missing or empty, and refused (E144) when it is anything but an index.
    ``timeout``: seconds to wait for another process's lock (E145 after it).
    """

    def __init__(
        self, path: Path, *, readonly: bool = False, timeout: float = DEFAULT_TIMEOUT, bulk: bool = False
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.readonly = readonly
        #: ``bulk`` (``index build``'s new file): BUILD_PRAGMAS, and while the file is still empty of
        #: texts, the secondary indexes and the bands are written after the rows (see ``_add_texts``).
        self.bulk = bulk
        self.deferred = False
        self.opened: tuple[int, int] | None = None  # (st_dev, st_ino) of the file the connection is on
        self.db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        mode = "ro" if self.readonly else "rwc"
        before = _identity(self.path)
        try:
            kind_of_file = os.stat(self.path).st_mode
        except OSError:
            kind_of_file = None
        if kind_of_file is not None and not stat.S_ISREG(kind_of_file):  # a FIFO would block the open
            from auditor.outputs import kind_problem

            raise InputError("E144", str(self.path), kind_problem(kind_of_file) or "不是普通文件")
        try:
            db = self._open(mode)
            try:
                kind = _kind(db)
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorname", "") != "SQLITE_READONLY_ROLLBACK":
                    raise
                db.close()  # a hot journal left by an interrupted ``index add``: let SQLite roll it back
                recover = self._open("rw")
                recover.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                recover.close()
                db = self._open(mode)
                kind = _kind(db)
        except sqlite3.DatabaseError as error:
            raise self._problem(error) from None
        self.opened = before or _identity(self.path)
        if kind == "foreign" or (kind == "empty" and self.readonly):
            db.close()
            raise InputError("E144", str(self.path), "空文件" if kind == "empty" else _describe(self.path))
        if kind == "empty":
            self._create_schema(db)
        return db

    def _open(self, mode: str) -> sqlite3.Connection:
        uri = f"file:{urllib.parse.quote(os.path.abspath(self.path))}?mode={mode}"
        db = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
        db.execute(f"PRAGMA {CACHE_PRAGMA}")
        return db

    def _create_schema(self, db: sqlite3.Connection) -> None:
        try:
            if self.bulk:  # page_size only takes effect before the first table
                for pragma in BUILD_PRAGMAS:
                    db.execute(f"PRAGMA {pragma}")
            db.execute("BEGIN IMMEDIATE")
            kind = _kind(db)  # another process may have created it while we waited for the lock
            if kind == "empty":
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                for statement in (TABLES_SQL if self.bulk else SCHEMA).split(";"):
                    if statement.strip():
                        db.execute(statement)
                self.deferred = self.bulk
            db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            db.close()
            raise self._problem(error) from None
        if kind == "foreign":
            db.close()
            raise InputError("E144", str(self.path), _describe(self.path))

    def _problem(self, error: sqlite3.DatabaseError) -> InputError:
        name = getattr(error, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_BUSY") or "locked" in str(error):
            return InputError("E145", str(self.path), f"{self.timeout:g}")
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return InputError("E144", str(self.path), _describe(self.path))
        if name.startswith("SQLITE_CANTOPEN"):
            return InputError("E101", str(self.path), "无法打开语料索引文件")
        if name.startswith("SQLITE_READONLY"):
            return InputError("E143", str(self.path), "语料索引文件或其所在目录只读")
        if name.startswith("SQLITE_FULL"):
            return InputError("E143", str(self.path), "磁盘空间不足")
        return InputError("E101", str(self.path), f"语料索引文件无法使用（{error}）")

    def begin(self) -> None:
        """Take the write lock now (``BEGIN IMMEDIATE``, waiting up to the timeout).

        Should ``index build`` have swapped a new file in while we waited, the connection is on the
        replaced file: reopen on the new one, so that nothing is added to a file no longer there.
        """
        for _ in range(5):
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as error:
                raise self._problem(error) from None
            if _identity(self.path) == self.opened:
                return
            self.db.execute("ROLLBACK")
            self.db.close()
            self.db = self._connect()
        raise InputError("E145", str(self.path), f"{self.timeout:g}")

    def close(self) -> None:
        """Close; a transaction still open (an error part-way) is rolled back, never half kept."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add(self, submissions: Iterable[Submission]) -> int:
        """Index submissions; returns the number of texts added."""
        return self.add_texts((s.path, s.department, s.year, list(indexable(s))) for s in submissions)

    def add_texts(self, groups: Iterable[tuple[str, str | None, int | None, list[IndexedText]]]) -> int:
        """Bulk path: (path, department, year, texts) per submission. Exact duplicates share one row
        in ``norms`` (and one set of bands); only new distinct texts get signatures.

        All of it is one transaction: the lock is taken first (waiting up to the timeout), and an
        error or a kill part-way leaves the index as it was."""
        if not self.db.in_transaction:
            self.begin()
        try:
            added = self._add_texts(groups)
            self.db.execute("COMMIT")
        except BaseException as error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(error, sqlite3.DatabaseError):
                raise self._problem(error) from None
            raise
        return added

    def _add_texts(self, groups: Iterable[tuple[str, str | None, int | None, list[IndexedText]]]) -> int:
        """Rows are written as they stream in, ``TEXT_BATCH`` at a time; signatures are computed per
        ``NORM_BATCH`` new distinct texts. Held for the whole run: the maps of texts and hashes met
        (to ids), and in a bulk file the band keys (numpy, 18 integers a distinct text), which are
        written at the end, sorted, before the indexes are built: both are then sequential writes
        instead of random B-tree inserts.

        (Signatures in a worker thread, overlapping the inserts, measured 10% more CPU and no
        steadier wall time on the shared 2-core machine: executemany hands the GIL over per row.)"""
        cursor = self.db.cursor()
        deferred = self.deferred
        known: dict[int, int] = {}  # hash of a normalised text → its id
        seen: dict[str, int] = {}  # a text as written → the id of its normalised form
        fresh: list[tuple[int, int, str]] = []  # (id, hash, norm) of new distinct texts, not yet written
        text_rows: list[tuple[int, int, int | None, str, str | None, str, str]] = []
        kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # bulk: (ids, lengths, band keys)
        added = 0
        next_norm = int(cursor.execute("SELECT COALESCE(MAX(id), 0) FROM norms").fetchone()[0]) + 1

        def write_norms() -> None:
            _insert_rows(cursor, "norms(id, hash, norm)", 3, fresh)
            ids = np.fromiter((row[0] for row in fresh), dtype=np.int64, count=len(fresh))
            lengths = np.fromiter((len(row[2]) for row in fresh), dtype=np.int64, count=len(fresh))
            # 2048 texts' signatures at a time (1 MB, kept in cache) rather than all of them in one array
            keys = np.concatenate([band_keys(signatures(part)) for part in _chunks([row[2] for row in fresh], 2048)])
            if deferred:
                kept.append((ids, lengths, keys))
            else:
                _insert_bands(cursor, ids, lengths, keys)
            fresh.clear()

        def write_texts() -> None:
            _insert_rows(cursor, "texts(submission, norm, project_index, project, category, field, text)", 7, text_rows)
            text_rows.clear()

        for path, department, year, items in groups:
            cursor.execute("INSERT INTO submissions(path, department, year) VALUES (?, ?, ?)", (path, department, year))
            submission_id = int(cursor.lastrowid or 0)
            for item in items:
                norm_id = seen.get(item.text)
                if norm_id is not None:  # a text met before: no normalising or hashing again
                    text_rows.append(
                        (submission_id, norm_id, item.project_index, item.project, item.category, item.field, item.text)
                    )
                    added += 1
                    continue
                norm = normalize(item.text)
                digest = text_hash(norm)
                norm_id = known.get(digest)
                if norm_id is None:
                    row = (
                        None
                        if deferred
                        else cursor.execute("SELECT id FROM norms WHERE hash = ?", (digest,)).fetchone()
                    )
                    if row is None:
                        norm_id, next_norm = next_norm, next_norm + 1
                        fresh.append((norm_id, digest, norm))
                    else:
                        norm_id = int(row[0])
                    known[digest] = norm_id
                seen[item.text] = norm_id
                text_rows.append(
                    (submission_id, norm_id, item.project_index, item.project, item.category, item.field, item.text)
                )
                added += 1
            if len(text_rows) >= TEXT_BATCH:
                write_texts()
            if len(fresh) >= NORM_BATCH:
                write_norms()
        write_texts()
        if fresh:
            write_norms()
        if deferred:
            del known, seen
            if kept:
                ids, lengths, keys = (np.concatenate(part) for part in zip(*kept, strict=True))
                kept.clear()
                _insert_bands(cursor, ids, lengths, keys)
            for statement in INDEXES_SQL.split(";"):
                if statement.strip():
                    cursor.execute(statement)
            self.deferred = False
        return added

    def candidates(self, norms: list[str], threshold: float = 90.0) -> list[dict[int, str]]:
        """For each text, the distinct indexed texts sharing an LSH bucket (or the exact hash) with it.

        Signatures are computed for all texts at once; each text is then one statement of 16
        index range scans. Only lengths that can still reach ``threshold`` are read — a rapidfuzz
        ratio r needs ``2·min(a, b) / (a + b) ≥ r/100`` — via the (band, key, length) index.
        (A single join of all texts through a temporary table measured slower.)
        """
        if not norms:
            return []
        keys = band_keys(signatures(norms))
        share = threshold / 100
        one_band = "SELECT norm FROM bands WHERE band = ? AND key = ? AND length BETWEEN ? AND ?"
        union = " UNION ".join([one_band] * BANDS)
        found: list[set[int]] = []
        for i, norm in enumerate(norms):
            low, high = int(len(norm) * share / (2 - share)), int(len(norm) * (2 - share) / share) + 1
            params = [v for band in range(BANDS) for v in (band, int(keys[i, band]), low, high)]
            found.append({int(r[0]) for r in self.db.execute(union, params)})
        by_hash = {text_hash(norm): i for i, norm in enumerate(norms)}
        for chunk in _chunks(list(by_hash), 500):
            marks = ",".join("?" * len(chunk))
            for norm_id, digest in self.db.execute(f"SELECT id, hash FROM norms WHERE hash IN ({marks})", chunk):
                found[by_hash[digest]].add(int(norm_id))
        texts: dict[int, str] = {}
        for chunk in _chunks(sorted(set().union(*found)), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id, norm FROM norms WHERE id IN ({marks})", chunk)
            texts.update((int(r[0]), str(r[1])) for r in rows)
        return [{norm_id: texts[norm_id] for norm_id in ids} for ids in found]

    def matches(
        self, text: str, threshold: float, *, exclude: tuple[str, str | None, int | None] | None = None, limit: int = 20
    ) -> Lookup:
        """Uses of (nearly) the same text elsewhere in the index (see :meth:`lookup_many`)."""
        return self.lookup_many([text], threshold, exclude=exclude, limit=limit)[0]

    def lookup_many(
        self,
        texts: list[str],
        threshold: float,
        *,
        exclude: tuple[str, str | None, int | None] | None = None,
        limit: int = 20,
    ) -> list[Lookup]:
        """For each text, its uses elsewhere in the index, most similar first.

        ``exclude`` is the asking submission (path, department, year): its own table, and its own
        department in the same or a later year, are not "elsewhere". At most ``limit`` uses are
        returned per text; ``uses`` and ``departments`` count them all, in one aggregate query, so
        boilerplate used 100,000 times costs no more than a rare text.
        """
        from rapidfuzz import fuzz

        norms = [normalize(text) for text in texts]
        filters, params = "", []
        if exclude is not None:
            path, department, year = exclude
            filters = (
                " AND s.path != ? AND (s.department IS NOT ? OR (s.year IS NOT NULL AND ? IS NOT NULL AND s.year < ?))"
            )
            params = [path, department, year, year]
        joined = "FROM texts t JOIN submissions s ON s.id = t.submission"
        rows_sql = (
            f"SELECT s.department, s.year, s.path, t.project, t.category, t.field {joined} WHERE t.norm = ?{filters}"
            " ORDER BY s.year DESC, s.department LIMIT ?"
        )
        results = []
        for norm, candidates in zip(norms, self.candidates(norms, threshold), strict=True):
            similar: dict[int, float] = {}
            for norm_id, other in candidates.items():
                score = 100.0 if other == norm else float(fuzz.ratio(norm, other, score_cutoff=threshold))
                if score >= threshold:
                    similar[norm_id] = score
            if not similar:
                results.append(Lookup([], 0, 0))
                continue
            ids = sorted(similar)
            marks = ",".join("?" * len(ids))
            totals = f"SELECT COUNT(*), COUNT(DISTINCT s.department) {joined} WHERE t.norm IN ({marks}){filters}"
            uses, departments = self.db.execute(totals, [*ids, *params]).fetchone()
            found: list[Match] = []
            for norm_id in sorted(ids, key=lambda i: -similar[i]):  # the most similar texts first
                if len(found) >= limit or not uses:
                    break
                rows = self.db.execute(rows_sql, [norm_id, *params, limit - len(found)])
                found += [Match(r[0], r[1], r[2], r[3], r[4], r[5], similar[norm_id]) for r in rows]
            found.sort(key=lambda m: (-m.similarity, m.department or "", -(m.year or 0), m.project))
            results.append(Lookup(found, int(uses or 0), int(departments or 0)))
        return results

    def stats(self) -> dict[str, int]:
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "submissions": one("SELECT COUNT(*) FROM submissions"),
            "departments": one("SELECT COUNT(DISTINCT department) FROM submissions"),
            "texts": one("SELECT COUNT(*) FROM texts"),
            "distinct_texts": one("SELECT COUNT(*) FROM norms"),
            "band_rows": one("SELECT COUNT(*) FROM bands"),
        }


def _insert_bands(cursor: sqlite3.Cursor, ids: np.ndarray, lengths: np.ndarray, keys: np.ndarray) -> None:
    """The LSH rows of distinct texts (``keys``: texts × BANDS), inserted band by band in the order
    of the ``bands`` key, so that the B-tree is appended to rather than written at random (sorted by
    key alone: texts sharing a bucket may go in out of (length, norm) order, which costs a little
    locality and does not change what is stored)."""
    for band in range(BANDS):
        column = keys[:, band]
        order = np.argsort(column)
        for start in range(0, len(order), BAND_CHUNK):
            part = order[start : start + BAND_CHUNK]
            rows = np.column_stack([np.full(len(part), band, dtype=np.int64), column[part], lengths[part], ids[part]])
            _insert_flat(cursor, "bands(band, key, length, norm)", 4, rows.reshape(-1))


#: Rows per INSERT statement: one ``VALUES (…), (…), …`` of this many rows binds in one step,
#: which measured 2.6× less CPU than ``executemany`` row by row (bands at 10⁶ texts: 8M rows).
ROWS_PER_STATEMENT = 128


def _insert_rows(cursor: sqlite3.Cursor, table: str, width: int, rows: list[tuple[object, ...]]) -> None:
    """Insert ``rows`` (tuples of ``width`` values) into ``table`` (``name(columns)``), in order."""
    full = len(rows) - len(rows) % ROWS_PER_STATEMENT
    values = ", ".join([f"({', '.join('?' * width)})"] * ROWS_PER_STATEMENT)
    if full:
        cursor.executemany(
            f"INSERT INTO {table} VALUES {values}",
            (list(chain.from_iterable(rows[i : i + ROWS_PER_STATEMENT])) for i in range(0, full, ROWS_PER_STATEMENT)),
        )
    if full < len(rows):
        cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows[full:])


def _insert_flat(cursor: sqlite3.Cursor, table: str, width: int, flat: np.ndarray) -> None:
    """:func:`_insert_rows` for integer rows laid end to end in one array."""
    step = width * ROWS_PER_STATEMENT
    full = len(flat) - len(flat) % step
    values = ", ".join([f"({', '.join('?' * width)})"] * ROWS_PER_STATEMENT)
    if full:
        cursor.executemany(f"INSERT INTO {table} VALUES {values}", flat[:full].reshape(-1, step).tolist())
    if full < len(flat):
        cursor.executemany(
            f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", flat[full:].reshape(-1, width).tolist()
        )


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _kind(db: sqlite3.Connection) -> str:
    """``"index"`` (ours, marked or written before the mark), ``"empty"`` (a new or 0-byte file) or
    ``"foreign"`` (any other SQLite database). A file that is not SQLite raises ``DatabaseError``."""
    application_id = int(db.execute("PRAGMA application_id").fetchone()[0])
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    tables = {str(row[0]) for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if application_id == APPLICATION_ID and TABLES <= tables and version <= SCHEMA_VERSION:
        return "index"
    if application_id == 0 and version == 0 and not tables:
        return "empty"
    if application_id == 0 and version == 0 and tables == TABLES:
        columns = {str(row[1]) for row in db.execute("PRAGMA table_info(texts)")}
        if {"submission", "norm", "project", "field", "text"} <= columns:
            return "index"  # an index written before application_id was set
    return "foreign"


def _describe(path: Path) -> str:
    """What a refused file looks like, for the message."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return "无法读取"
    if head.startswith(b"SQLite format 3\0"):
        return "是 SQLite 数据库，但不是 auditor index build 生成的索引"
    if head.startswith(b"PK\x03\x04"):
        return "是 xlsx/docx 等压缩文件"
    return "不是 SQLite 数据库"


def build_index(
    path: Path, submissions: Iterable[Submission], *, timeout: float = DEFAULT_TIMEOUT
) -> tuple[int, dict[str, int]]:
    """A new index of ``submissions`` at ``path`` (see :func:`build_index_texts`)."""
    groups = ((s.path, s.department, s.year, list(indexable(s))) for s in submissions)
    return build_index_texts(path, groups, timeout=timeout)


def build_index_texts(
    path: Path,
    groups: Iterable[tuple[str, str | None, int | None, list[IndexedText]]],
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[int, dict[str, int]]:
    """A new index of ``groups`` (path, department, year, texts per submission) at ``path``: written
    to a temporary file in the same folder (bulk: see :class:`CorpusIndex`), made durable, then
    swapped in with :func:`os.replace`.

    A kill at any point leaves the previous index (or no file) in place; the temporary file it
    leaves is removed by the next build. An existing file must be an index (E144). While swapping,
    the old file's write lock is held, so an ``index add`` waiting for it moves to the new file.
    Returns the number of texts added and the new index's statistics.
    """
    old = CorpusIndex(path, timeout=timeout) if path.is_file() and path.stat().st_size else None
    try:
        _remove_stale_builds(path)
        temporary = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{BUILDING}"
        try:
            store = CorpusIndex(temporary, timeout=timeout, bulk=True)
            try:
                added = store.add_texts(groups)
                stats = store.stats()
            finally:
                store.close()
            with open(temporary, "rb+") as handle:
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o666 & ~current_umask())
            if old is not None:
                old.begin()  # no add is half-way through the old file while it is replaced
            os.replace(temporary, path)
        except BaseException:
            for leftover in (temporary, Path(f"{temporary}-journal")):
                leftover.unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
    finally:
        if old is not None:
            old.close()
    return added, stats


def _remove_stale_builds(path: Path) -> None:
    """Temporary files of builds that were killed (their process no longer runs)."""
    for leftover in path.parent.glob(f".{glob_escape(path.name)}.*{BUILDING}*"):
        pid = leftover.name[len(path.name) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
