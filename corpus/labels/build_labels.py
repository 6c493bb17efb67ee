#!/usr/bin/env python3
"""Assemble indicators.tsv from the hand-written sources in src/.

Each source file starts with a header line `# <department_kind> <id-prefix>`; every other
non-empty line is `<code> <text>` where <code> is three letters:
  category  N 数量指标  Q 质量指标  T 时效指标  C 成本指标  E 经济效益指标
            S 社会效益指标  G 生态效益指标  K 可持续影响指标  M 满意度指标
  side      t target  c completion
  quality   m measurable  v vague  n name_only  b boilerplate  g graded_qualitative
            x not_applicable
A leading `!` marks a hard (boundary) case; its id gets an `h` after the prefix.
The text is written by hand; this script only expands the codes and numbers the rows.
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
CAT = {"N": "数量指标", "Q": "质量指标", "T": "时效指标", "C": "成本指标", "E": "经济效益指标",
       "S": "社会效益指标", "G": "生态效益指标", "K": "可持续影响指标", "M": "满意度指标"}
SIDE = {"t": "target", "c": "completion"}
QUAL = {"m": "measurable", "v": "vague", "n": "name_only", "b": "boilerplate",
        "g": "graded_qualitative", "x": "not_applicable"}


def parse(path):
    rows, dept, prefix = [], None, None
    n = h = 0
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("# "):
            dept, prefix = line[2:].split()
            continue
        hard = line.startswith("!")
        if hard:
            line = line[1:]
        code, _, text = line.partition(" ")
        text = text.strip()
        if len(code) != 3 or code[0] not in CAT or code[1] not in SIDE or code[2] not in QUAL or not text:
            sys.exit(f"{path.name}:{lineno}: bad line: {raw!r}")
        if "\t" in text:
            sys.exit(f"{path.name}:{lineno}: tab in text")
        if hard:
            h += 1
            rid = f"{prefix}-h{h:02d}"
        else:
            n += 1
            rid = f"{prefix}-{n:03d}"
        rows.append((rid, dept, CAT[code[0]], SIDE[code[1]], QUAL[code[2]], text))
    return rows


def main():
    rows = []
    for path in sorted((HERE / "src").glob("*.txt")):
        rows.extend(parse(path))
    out = HERE / "indicators.tsv"
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write("\t".join(["id", "department_kind", "category", "side", "quality", "text"]) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} rows to {out.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
