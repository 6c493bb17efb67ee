"""How often does the row aligner put a lost cell back in the right place?

For every wide-layout corpus table, every data row and every non-empty cell from the goal onwards,
drop that one cell (as PDF/HTML extraction does), re-read the table, and check that every remaining
cell of the row lands in the same place as in the intact table. Prints the recovery rate per table
and overall. Run: python bench/realign_accuracy.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.model import Project  # noqa: E402
from auditor.readers import load_grids, read_submission  # noqa: E402
from auditor.readers.header import find_wide_header  # noqa: E402


def places(project: Project) -> dict[str, str]:
    out = {"goal": project.goal.text, "goal_completion": project.goal_completion.text}
    for key in ("problems", "rectification"):
        cell = getattr(project, key)
        out[key] = cell.text if cell is not None else ""
    for indicator in project.indicators:
        out[f"{indicator.category}.target"] = indicator.target.text
        out[f"{indicator.category}.completion"] = indicator.completion.text
    return out


def as_rows(path: Path) -> list[list[str]]:
    _, grids = load_grids(path)
    grid = next(g for g in grids if find_wide_header(g))
    rows = []
    for row in grid.rows:
        texts, seen = [], set()
        for cell in row:
            # Merged cells repeat; a text export writes them once.
            if cell.location is not None and cell.location in seen:
                texts.append("")
                continue
            seen.add(cell.location)
            texts.append(cell.text.replace("\t", " ").replace("\n", " "))
        rows.append(texts)
    return rows


def main() -> None:
    tables = [p for p in sorted((ROOT / "corpus").iterdir()) if p.suffix in {".txt", ".csv", ".xlsx", ".xls"}]
    total_ok = total = 0
    with tempfile.TemporaryDirectory() as folder:
        for path in tables:
            try:
                rows = as_rows(path)
            except StopIteration:
                continue  # not a wide table
            intact = Path(folder) / "intact.tsv"
            intact.write_text("\n".join("\t".join(r) for r in rows), encoding="utf-8")
            truth = read_submission(intact).projects
            header_end = find_wide_header(load_grids(intact)[1][0])[1]
            ok = count = 0
            data_rows = [i for i in range(header_end + 1, len(rows)) if sum(bool(t) for t in rows[i]) >= 4]
            for order, r in enumerate(data_rows):
                row = rows[r]
                goal_col = next((c for c, t in enumerate(row) if t == truth[order].goal.text), 7)
                last = max(c for c, t in enumerate(row) if t)
                for drop in range(goal_col, last):
                    if not row[drop]:
                        continue
                    damaged = [*rows[:r], row[:drop] + row[drop + 1 :], *rows[r + 1 :]]
                    path_damaged = Path(folder) / "damaged.tsv"
                    path_damaged.write_text("\n".join("\t".join(x) for x in damaged), encoding="utf-8")
                    got = read_submission(path_damaged).projects[order]
                    want = places(truth[order])
                    have = places(got)
                    lost_key = next(k for k, v in want.items() if v == row[drop])
                    same = all(have.get(k) == v for k, v in want.items() if k != lost_key and v != row[drop])
                    ok += same
                    count += 1
            total_ok, total = total_ok + ok, total + count
            print(f"{path.name:<45} rows {len(data_rows):>3}  drops {count:>4}  recovered {ok / count:6.1%}")
    print(f"overall: {total_ok}/{total} single-cell drops recovered = {total_ok / total:.1%}")


if __name__ == "__main__":
    main()
