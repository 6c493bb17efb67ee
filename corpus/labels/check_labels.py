#!/usr/bin/env python3
"""Validate corpus/labels/indicators.tsv and real_indicators.tsv, and print their count tables.

Usage:  python corpus/labels/check_labels.py [--markdown] [path/to/indicators.tsv [path/to/real_indicators.tsv]]
Exit status 0 when every check passes, 1 otherwise (the problems are listed on stderr).
"""
import collections
import pathlib
import re
import sys
import unicodedata

HEADER = ["id", "department_kind", "category", "side", "quality", "text"]
DEPARTMENTS = ["教育", "卫生", "农业", "水利", "交通", "应急", "信息化", "基建", "文化", "民政", "住建",
               "生态环境", "市场监管", "科技", "公安", "财政", "人社", "体育"]
CATEGORIES = ["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
              "生态效益指标", "可持续影响指标", "满意度指标"]
SIDES = ["target", "completion"]
QUALITIES = ["measurable", "vague", "name_only", "boilerplate", "graded_qualitative", "not_applicable"]

MIN_TOTAL = 2200
MIN_PER_DEPARTMENT = 80
MIN_PER_CATEGORY = 150
MIN_PER_CATEGORY_RELAXED = {"成本指标": 120, "可持续影响指标": 120}
MIN_HARD = 140                      # ids of the form <prefix>-hNN mark boundary cases
SIDE_SHARE = (0.40, 0.60)           # share of target rows
QUALITY_SHARE = {                   # (min, max) share of all rows
    "measurable": (0.35, 0.45), "vague": (0.12, 0.18), "name_only": (0.09, 0.15),
    "boilerplate": (0.09, 0.15), "graded_qualitative": (0.08, 0.14), "not_applicable": (0.05, 0.10),
}
MAX_LEN = 120
#: real_indicators.tsv: (text, category) pairs read from the real tables (corpus/_build/real_labels.py).
REAL_HEADER = ["id", "source", "field", "category", "text"]
REAL_FIELDS = ["name", "target"]
REAL_ID_RE = re.compile(r"^real-\d{3,}$")
REAL_SOURCE_RE = re.compile(r"^r\d{2}_[a-z0-9_]+$")
MAX_DIGIT_TEMPLATE_SHARE = 0.02     # rows that collide with another once digits are masked
ID_RE = re.compile(r"^[a-z]+-(?:\d{3}|h\d{2})$")


def normalise(text):
    """NFKC, lower-case, drop white space and punctuation (Unicode P* categories)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def mask_digits(norm):
    return re.sub(r"[0-9.]+|[零一二两三四五六七八九十百千万]+(?=[%个人家场次项期所座套批台件户名天年月日])", "#", norm)


def load(path, header=HEADER):
    problems, rows = [], []
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != header:
        problems.append(f"{path.name}: header must be {header!r}")
        return rows, problems
    for lineno, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != len(header):
            problems.append(f"{path.name} line {lineno}: {len(cells)} columns, expected {len(header)}")
            continue
        rows.append(dict(zip(header, cells), lineno=lineno))
    return rows, problems


def check(rows):
    problems = []
    seen_ids = {}
    for r in rows:
        where = f"line {r['lineno']} ({r['id']})"
        if not ID_RE.match(r["id"]):
            problems.append(f"{where}: bad id")
        if r["id"] in seen_ids:
            problems.append(f"{where}: id also on line {seen_ids[r['id']]}")
        seen_ids.setdefault(r["id"], r["lineno"])
        for col, allowed in (("department_kind", DEPARTMENTS), ("category", CATEGORIES),
                             ("side", SIDES), ("quality", QUALITIES)):
            if r[col] not in allowed:
                problems.append(f"{where}: {col} {r[col]!r} not allowed")
        text = r["text"]
        if not text.strip() or text != text.strip():
            problems.append(f"{where}: empty text or leading/trailing white space")
        if len(text) > MAX_LEN:
            problems.append(f"{where}: text longer than {MAX_LEN} characters ({len(text)})")

    by_norm = collections.defaultdict(list)
    for r in rows:
        by_norm[normalise(r["text"])].append(r)
    for norm, group in by_norm.items():
        if len(group) > 1:
            problems.append("duplicate after normalisation: " + " | ".join(f"{g['id']} {g['text']}" for g in group))

    by_mask = collections.defaultdict(list)
    for norm, group in by_norm.items():
        by_mask[mask_digits(norm)].append(group[0])
    templated = sum(len(g) for g in by_mask.values() if len(g) > 1)
    if rows and templated / len(rows) > MAX_DIGIT_TEMPLATE_SHARE:
        problems.append(f"{templated} rows differ from another only in their numbers "
                        f"({templated / len(rows):.1%} > {MAX_DIGIT_TEMPLATE_SHARE:.0%})")

    n = len(rows)
    if n < MIN_TOTAL:
        problems.append(f"{n} rows < {MIN_TOTAL}")
    count = lambda col: collections.Counter(r[col] for r in rows)
    for d, c in ((d, count("department_kind")[d]) for d in DEPARTMENTS):
        if c < MIN_PER_DEPARTMENT:
            problems.append(f"department {d}: {c} rows < {MIN_PER_DEPARTMENT}")
    for cat in CATEGORIES:
        need = MIN_PER_CATEGORY_RELAXED.get(cat, MIN_PER_CATEGORY)
        if count("category")[cat] < need:
            problems.append(f"category {cat}: {count('category')[cat]} rows < {need}")
    if n:
        share = count("side")["target"] / n
        if not SIDE_SHARE[0] <= share <= SIDE_SHARE[1]:
            problems.append(f"target share {share:.1%} outside {SIDE_SHARE}")
        for q, (lo, hi) in QUALITY_SHARE.items():
            s = count("quality")[q] / n
            if not lo <= s <= hi:
                problems.append(f"quality {q}: {s:.1%} outside {lo:.0%}–{hi:.0%}")
    hard = sum(1 for r in rows if re.search(r"-h\d+$", r["id"]))
    if hard < MIN_HARD:
        problems.append(f"{hard} hard cases < {MIN_HARD}")
    return problems


def check_real(rows, hand_rows, real_dir=None):
    """real_indicators.tsv: ids, sources, fields, the nine categories, text shape, no duplicates
    within the file or against the hand-written set (after the same normalisation)."""
    problems = []
    seen_ids = {}
    hand = {normalise(r["text"]) for r in hand_rows}
    seen_texts = {}
    for r in rows:
        where = f"real_indicators.tsv line {r['lineno']} ({r['id']})"
        if not REAL_ID_RE.match(r["id"]):
            problems.append(f"{where}: bad id")
        if r["id"] in seen_ids:
            problems.append(f"{where}: id also on line {seen_ids[r['id']]}")
        seen_ids.setdefault(r["id"], r["lineno"])
        if not REAL_SOURCE_RE.match(r["source"]):
            problems.append(f"{where}: source {r['source']!r} is not a table name")
        elif real_dir is not None and not (real_dir / f"{r['source']}.tsv").is_file():
            problems.append(f"{where}: no table {r['source']}.tsv in {real_dir}")
        if r["field"] not in REAL_FIELDS:
            problems.append(f"{where}: field {r['field']!r} not allowed")
        if r["category"] not in CATEGORIES:
            problems.append(f"{where}: category {r['category']!r} not allowed")
        text = r["text"]
        if not text.strip() or text != text.strip():
            problems.append(f"{where}: empty text or leading/trailing white space")
        if len(text) > MAX_LEN:
            problems.append(f"{where}: text longer than {MAX_LEN} characters ({len(text)})")
        norm = normalise(text)
        if norm in hand:
            problems.append(f"{where}: also in indicators.tsv after normalisation: {text}")
        if norm in seen_texts:
            problems.append(f"{where}: duplicate of line {seen_texts[norm]} after normalisation: {text}")
        seen_texts.setdefault(norm, r["lineno"])
    return problems


def table(rows, row_col, row_keys, col_col, col_keys, markdown):
    counts = collections.Counter((r[row_col], r[col_col]) for r in rows)
    head = [row_col] + list(col_keys) + ["合计"]
    body = []
    for k in row_keys:
        vals = [counts[(k, c)] for c in col_keys]
        body.append([k] + [str(v) for v in vals] + [str(sum(vals))])
    totals = [sum(counts[(k, c)] for k in row_keys) for c in col_keys]
    body.append(["合计"] + [str(t) for t in totals] + [str(sum(totals))])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(b) + " |" for b in body]
    else:
        widths = [max(_w(x[i]) for x in [head] + body) for i in range(len(head))]
        fmt = lambda cells: "  ".join(_pad(c, w) for c, w in zip(cells, widths))
        out = [fmt(head)] + [fmt(b) for b in body]
    return "\n".join(out)


def _w(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s, w):
    return s + " " * (w - _w(s))


def main(argv):
    markdown = "--markdown" in argv
    args = [a for a in argv if not a.startswith("--")]
    here = pathlib.Path(__file__).resolve().parent
    path = pathlib.Path(args[0]) if args else here / "indicators.tsv"
    real_path = pathlib.Path(args[1]) if len(args) > 1 else path.with_name("real_indicators.tsv")
    rows, problems = load(path)
    problems += check(rows)
    hard = sum(1 for r in rows if re.search(r"-h\d+$", r["id"]))
    print(f"{path.name}: {len(rows)} rows, {hard} hard cases, "
          f"target {sum(r['side'] == 'target' for r in rows)} / completion {sum(r['side'] == 'completion' for r in rows)}\n")
    print(table(rows, "category", CATEGORIES, "quality", QUALITIES, markdown), "\n")
    print(table(rows, "department_kind", DEPARTMENTS, "quality", QUALITIES, markdown), "\n")
    print(table(rows, "side", SIDES, "quality", QUALITIES, markdown), "\n")
    lengths = sorted(len(r["text"]) for r in rows)
    if lengths:
        print(f"text length: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")
    if real_path.is_file():
        real_rows, real_problems = load(real_path, REAL_HEADER)
        problems += real_problems + check_real(real_rows, rows, here.parent / "real")
        sources = sorted({r["source"] for r in real_rows})
        print(f"\n{real_path.name}: {len(real_rows)} rows from {len(sources)} tables, "
              f"name {sum(r['field'] == 'name' for r in real_rows)} / target "
              f"{sum(r['field'] == 'target' for r in real_rows)}\n")
        print(table(real_rows, "category", CATEGORIES, "field", REAL_FIELDS, markdown))
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
