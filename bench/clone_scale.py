"""Corpus-index scale: build and query times, memory, and near-duplicate recall/precision.

Generates 10⁴, 10⁵ and 10⁶ indicator texts (20–200 characters, recombined from corpus/ and
corpus/labels with exact and near duplicates), indexes each size into a fresh SQLite file and
prints: build time (wall and CPU, as ``auditor index build`` builds: a new file swapped in), query
time for one ~200-text submission, the time to add one more 200-text submission, peak memory, and
the growth ratios; ``--repeat N`` builds each size N times and prints the fastest figures.
On a 10⁴ sample it compares the LSH candidates (confirmed with rapidfuzz) with exact all-pairs
rapidfuzz: recall and precision for pairs at ratio ≥ 90.

Run: python bench/clone_scale.py [--sizes 10000 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from rapidfuzz.process import cdist  # noqa: E402

from auditor.index.minhash import BANDS, band_keys, signatures  # noqa: E402
from auditor.index.store import CorpusIndex, IndexedText, build_index_texts  # noqa: E402
from auditor.text.normalize import normalize, to_simplified  # noqa: E402


def pool() -> list[str]:
    texts = []
    with (ROOT / "corpus" / "labels" / "indicators.tsv").open(encoding="utf-8") as handle:
        texts += [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    from auditor.readers import iter_inputs, read_submission

    for path in iter_inputs(ROOT / "corpus")[0]:
        for project in read_submission(path).projects:
            texts += [project.goal.text, project.goal_completion.text]
            texts += [i.target.text for i in project.indicators] + [i.completion.text for i in project.indicators]
    return [t for t in texts if len(t) >= 4]


def generate(n: int, seed: int = 7) -> list[str]:
    """20–200-character texts: 40% exact repeats, 30% near repeats, 30% new recombinations."""
    rng = random.Random(seed)
    base = pool()
    made: list[str] = []
    while len(made) < n:
        roll = rng.random()
        if made and roll < 0.4:
            made.append(rng.choice(made))
            continue
        if made and roll < 0.7:
            text = list(rng.choice(made))
            for _ in range(rng.randint(1, 2)):
                i = rng.randrange(len(text))
                text[i] = rng.choice("的和已完成及时提高12345，。")
            made.append("".join(text))
            continue
        text = ""
        while len(text) < 20:
            text += ("，" if text else "") + rng.choice(base)
        made.append(text[:200])
    return made


def groups(texts: list[str]) -> Iterator[tuple[str, str, int, list[IndexedText]]]:
    """Submissions of 200 texts each, made as they are consumed (as ``index build`` reads files)."""
    size = 200
    for g, offset in enumerate(range(0, len(texts), size)):
        items = [
            IndexedText(i, f"项目{i}", "社会效益指标", "target", t) for i, t in enumerate(texts[offset : offset + size])
        ]
        yield (f"synthetic-{g}.xlsx", f"部门{g % 97}", 2015 + g % 8, items)


def build(texts: list[str], db: Path) -> tuple[float, float, int]:
    """What ``auditor index build`` does with the texts: a new file, swapped in when complete.
    Returns wall and CPU seconds (the machine is shared: CPU time is the steadier figure) and the
    number of distinct texts."""
    start, cpu = time.perf_counter(), time.process_time()
    _, stats = build_index_texts(db, groups(texts))
    return time.perf_counter() - start, time.process_time() - cpu, stats["distinct_texts"]


def add_one(texts: list[str], db: Path) -> float:
    """``auditor index add`` of one more 200-text submission (one transaction) into the built index."""
    items = [IndexedText(i, f"项目{i}", "社会效益指标", "target", t + "（续）") for i, t in enumerate(texts)]
    with CorpusIndex(db) as store:
        start = time.perf_counter()
        store.add_texts([("added.xlsx", "追加部门", 2024, items)])
        return time.perf_counter() - start


def query(texts: list[str], db: Path) -> float:
    with CorpusIndex(db) as store:
        start = time.perf_counter()
        store.lookup_many(texts, 90, exclude=("probe.xlsx", "提交部门", 2024))  # one submission's texts at once
        return time.perf_counter() - start


def pair_quality(texts: list[str]) -> tuple[float, float, int]:
    norms = sorted({normalize(t) for t in texts})
    scores = cdist(norms, norms, scorer=fuzz.ratio, score_cutoff=90, dtype=np.uint8, workers=2)
    truth = {(i, j) for i, j in np.argwhere(np.triu(scores, 1) > 0)}
    keys = band_keys(signatures(norms))
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(len(norms)):
        for band in range(BANDS):
            buckets[(band, int(keys[i, band]))].append(i)
    candidates = {(a, b) for members in buckets.values() for a in members for b in members if a < b}
    found = {(a, b) for a, b in candidates if fuzz.ratio(norms[a], norms[b], score_cutoff=90)}
    recall = len(found & truth) / len(truth) if truth else 1.0
    precision = len(found & truth) / len(found) if found else 1.0
    return recall, precision, len(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the fastest of each figure is printed")
    args = parser.parse_args()
    sample = generate(10_000)
    recall, precision, pairs = pair_quality(sample)
    print(f"near-duplicate pairs (ratio >= 90) on a 10^4 sample: {pairs} true pairs, "
          f"LSH+confirm recall {recall:.3f}, precision {precision:.3f}")  # fmt: skip
    previous: tuple[float, float] | None = None
    for n in args.sizes:
        texts = generate(n)
        probe = random.Random(1).sample(texts, 200)
        runs = []
        for _ in range(args.repeat):  # each a fresh file; the best of the repeats is printed
            normalize.cache_clear()  # a repeat must not find its texts already normalised (LRU of 65536)
            to_simplified.cache_clear()
            with tempfile.TemporaryDirectory() as folder:
                db = Path(folder) / "index.sqlite"
                build_s, cpu_s, distinct = build(texts, db)
                query_s = query(probe, db)
                size_mb = db.stat().st_size / 2**20
                add_s = add_one(probe, db)
            runs.append((build_s, cpu_s, query_s, add_s))
        build_s, cpu_s, query_s, add_s = (min(column) for column in zip(*runs, strict=True))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        growth = ""
        if previous:
            growth = f", build growth x{build_s / previous[0]:.1f} (cpu x{cpu_s / previous[1]:.1f}) for x10 texts"
        print(f"{n:>9} texts ({distinct} distinct): build {build_s:6.1f} s (cpu {cpu_s:5.1f} s), "
              f"query 200 texts {query_s:5.2f} s, add 200 {add_s:5.2f} s, db {size_mb:4.0f} MB, "
              f"process peak RSS {peak:5.0f} MiB{growth}")  # fmt: skip
        previous = build_s, cpu_s


if __name__ == "__main__":
    main()
