"""Lint speed and memory on ≥100,000 generated indicators, beside bare jieba in the same run.

Texts come from the bundled corpus, recombined into synthetic submissions with the exact and near
repeats real corpora have (the same boilerplate in many projects; figures and filler varied).
Prints indicators/second and peak memory for the whole lint (rules + NLP, texts analysed once
each) and for bare ``jieba.lcut`` over the same texts, then the ratio; and the cold-start time
of ``auditor lint`` on one file beside ``python -c "import spacy, jieba; jieba.initialize()"``.

Run: python bench/lint_speed.py [--indicators 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks.engine import lint  # noqa: E402
from auditor.model import CATEGORIES  # noqa: E402
from auditor.readers import iter_inputs, read_submission  # noqa: E402
from auditor.records import build_submission  # noqa: E402

FILLER = ["已", "及时", "全部", "", "", ""]


def corpus_pool() -> dict[str, list[tuple[str, str]]]:
    """(target, completion) pairs by category, and goals, from every corpus file."""
    pool: dict[str, list[tuple[str, str]]] = {category: [] for category in CATEGORIES}
    pool["goal"] = []
    files, _ = iter_inputs(ROOT / "corpus")
    for path in files:
        if path.parent not in (ROOT / "corpus", ROOT / "corpus" / "real"):
            continue  # the held-out tables are kept out of everything tuned on the corpus
        for project in read_submission(path).projects:
            pool["goal"].append((project.goal.text, project.goal_completion.text))
            for indicator in project.indicators:
                pool[indicator.category].append((indicator.target.text, indicator.completion.text))
    return {key: value for key, value in pool.items() if value}


def vary(text: str, rng: random.Random, others: list[str]) -> str:
    """An exact repeat (40%), a near repeat (another figure, filler) or a new recombination."""
    roll = rng.random()
    if roll < 0.4:
        return text
    if roll < 0.65:
        digits = [i for i, ch in enumerate(text) if ch.isdigit()]
        if digits:
            i = rng.choice(digits)
            return text[:i] + str(rng.randint(1, 9)) + text[i + 1 :]
    if roll < 0.8:
        return rng.choice(FILLER) + text
    # Clauses of two texts of the same kind recombined: new text, familiar wording.
    other = rng.choice(others)
    head = re.split(r"[，,；;]", text)[0]
    tail = re.split(r"[，,；;]", other)[-1]
    return f"{head}，{tail}" if head != tail else text


def generate(n_indicators: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    pool = corpus_pool()
    categories = [c for c in CATEGORIES if c in pool]
    goals = [g for g, _ in pool["goal"]]
    targets = {c: [t for t, _ in pool[c]] for c in categories}
    completions = {c: [x for _, x in pool[c]] for c in categories}
    records, count = [], 0
    while count < n_indicators:
        projects = []
        for index in range(1, 11):
            goal, goal_completion = rng.choice(pool["goal"])
            indicators = []
            for category in categories:
                target, completion = rng.choice(pool[category])
                indicators.append({
                    "category": category,
                    "target": vary(target, rng, targets[category]),
                    "completion": vary(completion, rng, completions[category]),
                })  # fmt: skip
            count += len(indicators)
            annual = rng.randint(10, 2000)
            executed = round(annual * rng.uniform(0.8, 1.02), 2)
            projects.append({
                "index": index, "goal": vary(goal, rng, goals), "goal_completion": goal_completion,
                "budget": {"annual": annual, "executed": executed, "rate": f"{executed / annual * 100:.2f}%"},
                "indicators": indicators,
            })  # fmt: skip
        records.append({"projects": projects})
    return records


def texts_of(records: list[dict]) -> list[str]:
    out = []
    for record in records:
        for project in record["projects"]:
            out += [project["goal"], project["goal_completion"]]
            for indicator in project["indicators"]:
                out += [indicator["target"], indicator["completion"]]
    return out


def timed(function, *args):  # type: ignore[no-untyped-def]
    """Result, seconds, and the process's peak resident memory (MiB) after the call."""
    start = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - start
    return result, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_lint(records: list[dict]) -> int:
    total = 0
    for i, record in enumerate(records):
        total += len(lint(build_submission(record, path=f"synthetic-{i}.xlsx")))
    return total


def run_jieba(texts: list[str]) -> int:
    import jieba

    return sum(len(jieba.lcut(text)) for text in texts)


def cold_start() -> tuple[float, float]:
    sample = ROOT / "corpus" / "transport-2021-wide.csv"
    floor_cmd = [sys.executable, "-c", "import jieba; jieba.initialize()"]
    lint_cmd = [sys.executable, "-m", "auditor", "lint", "--format", "json", str(sample)]
    times = {}
    for name, command in (("floor", floor_cmd), ("lint", lint_cmd)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
            best = min(best, time.perf_counter() - start)
        times[name] = best
    return times["lint"], times["floor"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    records = generate(args.indicators, args.seed)
    n_indicators = sum(len(p["indicators"]) for r in records for p in r["projects"])
    texts = texts_of(records)
    distinct = len(set(texts))
    print(f"generated: {len(records)} submissions, {n_indicators} indicators, {len(texts)} texts ({distinct} distinct)")

    import jieba

    jieba.initialize()
    from auditor.text.nlp import analyze

    analyze("预热")  # load the segmenter outside the timed region for both
    _, jieba_s, jieba_peak = timed(run_jieba, texts)
    findings, lint_s, lint_peak = timed(run_lint, records)
    print(f"bare jieba.lcut : {n_indicators / jieba_s:10.0f} indicators/s  {len(texts) / jieba_s:9.0f} texts/s  "
          f"{jieba_s:6.1f} s  process peak RSS {jieba_peak:6.0f} MiB")  # fmt: skip
    print(f"auditor lint    : {n_indicators / lint_s:10.0f} indicators/s  {len(texts) / lint_s:9.0f} texts/s  "
          f"{lint_s:6.1f} s  process peak RSS {lint_peak:6.0f} MiB  ({findings} findings)")  # fmt: skip
    print(f"ratio lint/jieba speed: {jieba_s / lint_s:.2f} (target >= 1.00, issue 15)")
    lint_cold, floor_cold = cold_start()
    print(f"cold start: auditor lint one file {lint_cold:.2f} s, import jieba; jieba.initialize() {floor_cold:.2f} s, "
          f"ratio {lint_cold / floor_cold:.2f} (target <= 0.75; paired medians: bench/cold_start.py)")  # fmt: skip


if __name__ == "__main__":
    main()
