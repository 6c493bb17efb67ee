"""Accuracy on real published tables: recall and precision against reviewers' gold labels.

Lints every table of ``corpus/real/`` (the TSV and the XLSX copy of each, separately) and the seed
(``corpus/000_9d9dc482990db41b.txt``) in-process with the default configuration — what
``auditor lint --isolated --format json`` reports — and counts the findings against
``tests/data/real-gold/<name>.yaml`` and ``tests/data/seed-gold.yaml`` exactly as the gold evaluation
``eval_gold.py`` does (``auditor/evaluation.py``; conventions in ``tests/data/real-gold/CONVENTIONS.md``,
method in ``docs/accuracy.md``). Prints per table, per family, overall, and the Done-when check:

- corpus/real recall ≥ 0.90 and precision ≥ 0.90 (TSV and XLSX copies together);
- every family with ≥ 5 must entries in the gold of corpus/real at recall ≥ 0.80 (over both copies);
- seed recall ≥ 0.95 and precision ≥ 0.95.

Exit status 1 if any check fails.

    python bench/real_accuracy.py [--verbose] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor import __version__  # noqa: E402
from auditor.evaluation import Linted, Tally, compare, found_places, lint_file, load_gold  # noqa: E402

REAL = ROOT / "corpus" / "real"
GOLD = ROOT / "tests" / "data" / "real-gold"
SEED = ROOT / "corpus" / "000_9d9dc482990db41b.txt"
HELDOUT = ROOT / "corpus" / "real-heldout"
SEED_GOLD = ROOT / "tests" / "data" / "seed-gold.yaml"
FORMATS = ("tsv", "xlsx")

#: Done when (see docs/accuracy.md).
REAL_RECALL, REAL_PRECISION = 0.90, 0.90
FAMILY_MIN_MUST, FAMILY_RECALL = 5, 0.80
SEED_RECALL, SEED_PRECISION = 0.95, 0.95


def real_tables() -> list[str]:
    """Names of the real tables: those with a gold file."""
    return sorted(path.stem for path in GOLD.glob("*.yaml") if path.stem != "thresholds")


def measure(path: Path, gold: Path) -> tuple[Linted, Tally]:
    linted = lint_file(path)
    must, maybe = load_gold(gold)
    return linted, compare(must, maybe, found_places(linted.findings), path.name)


def commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fmt_ratio(value: float | None) -> str:
    return "    —" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list MISSED and EXTRA places like eval_gold.py")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    args = parser.parse_args()

    started = time.perf_counter()
    print(f"auditor {__version__}, commit {commit()}, {date.today().isoformat()}")
    rows: list[dict] = []
    by_format = {fmt: Tally() for fmt in FORMATS}
    for name in real_tables():
        for fmt in FORMATS:
            linted, tally = measure(REAL / f"{name}.{fmt}", GOLD / f"{name}.yaml")
            by_format[fmt] = by_format[fmt] + tally
            rows.append({"table": name, "format": fmt, "read": linted.error is None,
                         "error": linted.error_code, "layout": linted.layout, "projects": linted.projects,
                         **tally.to_dict(), "_tally": tally})  # fmt: skip
    real = by_format["tsv"] + by_format["xlsx"]
    seed_linted, seed = measure(SEED, SEED_GOLD)
    heldout = Tally()
    heldout_rows = []
    for gold in sorted((HELDOUT / "gold").glob("*.yaml")):
        linted, tally = measure(HELDOUT / f"{gold.stem}.tsv", gold)
        heldout = heldout + tally
        heldout_rows.append((gold.stem, linted, tally))

    width = max(len(row["table"]) for row in rows)
    print(f"\nper table (corpus/real, {len(rows) // 2} tables × tsv/xlsx)")
    print(f"{'table':<{width}}  fmt   read          tp  fn  fp  recall  precision")
    for row in rows:
        read = f"ok {row['layout'] or ''}"[:12] if row["read"] else f"ERROR {row['error']}"
        print(f"{row['table']:<{width}}  {row['format']:<4}  {read:<12} {row['tp']:3d} {row['fn']:3d} {row['fp']:3d}"
              f"   {row['recall']:.3f}      {row['precision']:.3f}")  # fmt: skip
    unreadable = [f"{row['table']}.{row['format']}" for row in rows if not row["read"]]
    print(f"read: {len(rows) - len(unreadable)}/{len(rows)} files")

    print("\nper family (corpus/real, tsv + xlsx; gold = must entries in the gold, each table once)")
    print("family  gold  found/must  recall   tp  fp  precision")
    for family in real.families:
        hit, must = real.family_hit[family], real.family_must[family]
        print(f"{family:<6}  {by_format['tsv'].family_must[family]:4d}  {f'{hit}/{must}':>10}   "
              f"{fmt_ratio(real.family_recall(family) if must else None)}"
              f"  {hit:3d} {real.family_fp[family]:3d}      {fmt_ratio(real.family_precision(family))}")  # fmt: skip

    print("\noverall")
    for label, tally in (("corpus/real tsv ", by_format["tsv"]), ("corpus/real xlsx", by_format["xlsx"]),
                         ("corpus/real     ", real), ("seed            ", seed)):  # fmt: skip
        print(f"{label}  {tally.summary_line()}")
    print(f"seed  {seed.family_line()}")
    if heldout_rows:
        print(f"\nheld-out (corpus/real-heldout, {len(heldout_rows)} tables collected later; reported, not a gate)")
        for name, linted, tally in heldout_rows:
            read = "ok" if linted.error is None else f"ERROR {linted.error_code}"
            print(f"  {name:<{width}}  {read:<9} {tally.tp:3d} {tally.fn:3d} {tally.fp:3d}")
        print(f"held-out          {heldout.summary_line()}")
        print(f"held-out  {heldout.family_line()}")

    if args.verbose:
        print()
        tallies = [row["_tally"] for row in rows] + [seed] + [tally for _, _, tally in heldout_rows]
        for tally in tallies:  # per file, missed then extra, as eval_gold (held-out tables last)
            for tag, place in tally.missed:
                print("MISSED", tag, *place)
            for tag, place in tally.extra:
                print("EXTRA ", tag, *place)

    checks: list[tuple[str, bool]] = [
        (f"corpus/real recall {real.recall:.3f} >= {REAL_RECALL}", real.recall >= REAL_RECALL),
        (f"corpus/real precision {real.precision:.3f} >= {REAL_PRECISION}", real.precision >= REAL_PRECISION),
    ]
    # A family's must entries are counted in the gold (each table once); its recall over both copies.
    gold_must = by_format["tsv"].family_must
    for family in real.families:
        if gold_must[family] >= FAMILY_MIN_MUST:
            value = real.family_recall(family)
            checks.append((f"corpus/real {family} recall {value:.3f} >= {FAMILY_RECALL} "
                           f"({gold_must[family]} must in the gold)", value >= FAMILY_RECALL))  # fmt: skip
    checks += [
        (f"seed recall {seed.recall:.3f} >= {SEED_RECALL}", seed.recall >= SEED_RECALL),
        (f"seed precision {seed.precision:.3f} >= {SEED_PRECISION}", seed.precision >= SEED_PRECISION),
    ]
    print("\nDone when")
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    passed = all(ok for _, ok in checks)
    print(f"{'PASS' if passed else 'FAIL'}  all ({time.perf_counter() - started:.1f} s)")

    if args.json:
        document = {
            "auditor": __version__,
            "commit": commit(),
            "date": date.today().isoformat(),
            "tables": [{k: v for k, v in row.items() if k != "_tally"} for row in rows],
            "unreadable": unreadable,
            "real": {"tsv": by_format["tsv"].to_dict(), "xlsx": by_format["xlsx"].to_dict(), "all": real.to_dict()},
            "seed": {"read": seed_linted.error is None, **seed.to_dict()},
            "checks": [{"check": text, "pass": ok} for text, ok in checks],
            "pass": passed,
        }
        args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
