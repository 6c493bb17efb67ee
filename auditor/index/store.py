"""The SQLite corpus index: submissions, their texts, distinct normalised texts and LSH bands.

Schema (one file, no server)::

    submissions(id, path, department, year)
    norms(id, hash UNIQUE, norm)                 -- each distinct normalised text once
    texts(id, submission, norm, project_index, project, category, field, text)
    bands(band, key, length, norm)               -- MinHash LSH buckets of each distinct text; the length
                                                 -- lets a lookup skip texts too long or short to match
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
CREATE TABLE IF NOT EXISTS bands (band INTEGER, key INTEGER, length INTEGER, norm INTEGER);
CREATE INDEX IF NOT EXISTS texts_norm ON texts(norm);
CREATE INDEX IF NOT EXISTS bands_key ON bands(band, key, length);
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
                "INSERT INTO bands(band, key, length, norm) VALUES (?, ?, ?, ?)",
                (
                    (band, int(keys[i, band]), len(norm), norm_id)
                    for i, (norm_id, norm) in enumerate(chunk)
                    for band in range(BANDS)
                ),
            )
        self.db.commit()
        return len(text_rows)

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


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
