"""The SQLite corpus index: submissions, their texts, distinct normalised texts and LSH bands.

Schema (one file, no server)::

    submissions(id, path, department, year)
    norms(id, hash UNIQUE, norm)                 -- each distinct normalised text once
    texts(id, submission, norm, project_index, project, category, field, text)
    bands(band, key, norm)                       -- MinHash LSH buckets of each distinct text
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from auditor.index.minhash import BANDS, band_keys, signatures, text_hash
from auditor.model import Submission
from auditor.text.normalize import normalize

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (id INTEGER PRIMARY KEY, path TEXT, department TEXT, year INTEGER);
CREATE TABLE IF NOT EXISTS norms (id INTEGER PRIMARY KEY, hash INTEGER UNIQUE, norm TEXT);
CREATE TABLE IF NOT EXISTS texts (
    id INTEGER PRIMARY KEY, submission INTEGER, norm INTEGER, project_index INTEGER, project TEXT,
    category TEXT, field TEXT, text TEXT);
CREATE TABLE IF NOT EXISTS bands (band INTEGER, key INTEGER, norm INTEGER);
CREATE INDEX IF NOT EXISTS texts_norm ON texts(norm);
CREATE INDEX IF NOT EXISTS bands_key ON bands(band, key);
"""
#: Texts shorter than this many Chinese characters are not indexed (bare words are VG002's).
MIN_CJK = 8


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


def cjk_length(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def indexable(submission: Submission) -> Iterator[IndexedText]:
    """The texts of a submission worth indexing: targets, completions, goals, overall completions."""
    from auditor.checks.options import is_not_applicable

    for project in submission.projects:
        name = project.name.text
        for field, cell in (("goal", project.goal), ("goal_completion", project.goal_completion)):
            if cjk_length(cell.text) >= MIN_CJK:
                yield IndexedText(project.index, name, None, field, cell.text)
        for indicator in project.indicators:
            for field, cell in (("target", indicator.target), ("completion", indicator.completion)):
                if cjk_length(cell.text) >= MIN_CJK and not is_not_applicable(cell.text):
                    yield IndexedText(project.index, name, indicator.category, field, cell.text)


class CorpusIndex:
    """Open (creating if needed) an index file; ``add`` submissions; ``matches`` for one text."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path))
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.commit()
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
        in ``norms`` (and one set of bands); only new distinct texts get signatures."""
        cursor = self.db.cursor()
        known: dict[int, int] = {}
        new_norms: list[tuple[int, str]] = []
        text_rows: list[tuple[int, int, int | None, str, str | None, str, str]] = []
        next_norm = int(cursor.execute("SELECT COALESCE(MAX(id), 0) FROM norms").fetchone()[0]) + 1
        for path, department, year, items in groups:
            cursor.execute("INSERT INTO submissions(path, department, year) VALUES (?, ?, ?)", (path, department, year))
            submission_id = int(cursor.lastrowid or 0)
            for item in items:
                norm = normalize(item.text)
                digest = text_hash(norm)
                norm_id = known.get(digest)
                if norm_id is None:
                    row = cursor.execute("SELECT id FROM norms WHERE hash = ?", (digest,)).fetchone()
                    if row is None:
                        norm_id, next_norm = next_norm, next_norm + 1
                        new_norms.append((norm_id, norm))
                        cursor.execute("INSERT INTO norms(id, hash, norm) VALUES (?, ?, ?)", (norm_id, digest, norm))
                    else:
                        norm_id = int(row[0])
                    known[digest] = norm_id
                text_rows.append(
                    (submission_id, norm_id, item.project_index, item.project, item.category, item.field, item.text)
                )
        cursor.executemany(
            "INSERT INTO texts(submission, norm, project_index, project, category, field, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            text_rows,
        )
        for start in range(0, len(new_norms), 50_000):
            chunk = new_norms[start : start + 50_000]
            keys = band_keys(signatures([norm for _, norm in chunk]))
            cursor.executemany(
                "INSERT INTO bands(band, key, norm) VALUES (?, ?, ?)",
                ((band, int(keys[i, band]), norm_id) for i, (norm_id, _) in enumerate(chunk) for band in range(BANDS)),
            )
        self.db.commit()
        return len(text_rows)

    def candidates(self, norm: str) -> list[tuple[int, str]]:
        """Distinct indexed texts sharing an LSH bucket (or the exact hash) with ``norm``."""
        keys = band_keys(signatures([norm]))[0]
        clauses = " OR ".join("(band = ? AND key = ?)" for _ in range(BANDS))
        params: list[int] = [v for band in range(BANDS) for v in (band, int(keys[band]))]
        rows = self.db.execute(
            f"SELECT DISTINCT n.id, n.norm FROM bands b JOIN norms n ON n.id = b.norm WHERE {clauses}", params
        ).fetchall()
        exact = self.db.execute("SELECT id, norm FROM norms WHERE hash = ?", (text_hash(norm),)).fetchone()
        found = dict(rows)
        if exact is not None:
            found[exact[0]] = exact[1]
        return list(found.items())

    def matches(
        self, text: str, threshold: float, *, exclude: tuple[str, str | None, int | None] | None = None, limit: int = 20
    ) -> Lookup:
        """Uses of (nearly) the same text elsewhere in the index, most similar first.

        ``exclude`` is the asking submission (path, department, year): its own table, and its own
        department in the same or a later year, are not "elsewhere". At most ``limit`` uses per
        distinct text are returned; ``uses`` and ``departments`` count them all, so boilerplate
        used 100,000 times costs one aggregate query, not 100,000 rows.
        """
        from rapidfuzz import fuzz

        norm = normalize(text)
        where, params = "t.norm = ?", []
        if exclude is not None:
            path, department, year = exclude
            where += (
                " AND s.path != ? AND (s.department IS NOT ? OR (s.year IS NOT NULL AND ? IS NOT NULL AND s.year < ?))"
            )
            params = [path, department, year, year]
        found: list[Match] = []
        uses = 0
        departments: set[str | None] = set()
        for norm_id, other in self.candidates(norm):
            similarity = 100.0 if other == norm else float(fuzz.ratio(norm, other, score_cutoff=threshold))
            if similarity < threshold:
                continue
            base = f"FROM texts t JOIN submissions s ON s.id = t.submission WHERE {where}"
            count = self.db.execute(f"SELECT COUNT(*) {base}", [norm_id, *params]).fetchone()[0]
            if not count:
                continue
            uses += int(count)
            departments |= {r[0] for r in self.db.execute(f"SELECT DISTINCT s.department {base}", [norm_id, *params])}
            rows = self.db.execute(
                f"SELECT s.department, s.year, s.path, t.project, t.category, t.field {base}"
                " ORDER BY s.year DESC, s.department LIMIT ?",
                [norm_id, *params, limit],
            )
            found += [Match(r[0], r[1], r[2], r[3], r[4], r[5], similarity) for r in rows]
        found.sort(key=lambda m: (-m.similarity, m.department or "", -(m.year or 0), m.project))
        return Lookup(found, uses, len(departments))

    def stats(self) -> dict[str, int]:
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "submissions": one("SELECT COUNT(*) FROM submissions"),
            "departments": one("SELECT COUNT(DISTINCT department) FROM submissions"),
            "texts": one("SELECT COUNT(*) FROM texts"),
            "distinct_texts": one("SELECT COUNT(*) FROM norms"),
            "band_rows": one("SELECT COUNT(*) FROM bands"),
        }
