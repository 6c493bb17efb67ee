"""``auditor train``: rebuild every shipped model from ``corpus/labels`` and write ``models/REPORT.md``.

Deterministic: fixed seeds, a stratified 80/20 held-out split, 5-fold stratified cross-validation
on the training part. The shipped models are then fitted on all labelled data. The report gives
per-class precision/recall/F1, the confusion matrix, and — on the measurability decision — rules
only, model only, and the two combined.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from auditor.ml.linear import LinearTextModel

SEED = 0
#: model name → (label column, regularisation C).
MODELS = {"category": ("category", 10.0), "quality": ("quality", 4.0)}
MEASURABLE = frozenset({"measurable", "graded_qualitative"})


@dataclass
class Labelled:
    texts: list[str]
    sides: list[str]
    labels: dict[str, list[str]]


def load_labels(path: Path) -> Labelled:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return Labelled(
        texts=[r["text"] for r in rows],
        sides=[r["side"] for r in rows],
        labels={column: [r[column] for r in rows] for column, _ in MODELS.values()},
    )


def _subset(data: Labelled, index: list[int], column: str) -> tuple[list[str], list[str], list[str]]:
    return [data.texts[i] for i in index], [data.sides[i] for i in index], [data.labels[column][i] for i in index]


def rules_measurable(text: str, category: str) -> bool:
    """What the MS rules decide: a figure, deadline, zero target, or a graded scale."""
    from auditor.checks.measure.common import graded
    from auditor.text.nlp import analyze

    facts = analyze(text)
    return bool(facts.has_measure or graded(facts))


def train(labels_path: Path, models_dir: Path, echo=print) -> str:  # type: ignore[no-untyped-def]
    from sklearn.metrics import classification_report, confusion_matrix, f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

    data = load_labels(labels_path)
    lines = [
        "# 模型报告 / Model report",
        "",
        f"训练数据：`{labels_path.name}`，{len(data.texts)} 条。随机种子 {SEED}。",
        "",
    ]
    held: dict[str, tuple[list[int], list[str]]] = {}
    for name, (column, c) in MODELS.items():
        y = data.labels[column]
        train_index, test_index = train_test_split(list(range(len(y))), test_size=0.2, stratify=y, random_state=SEED)
        texts, sides, truth = _subset(data, train_index, column)
        model = LinearTextModel(C=c, random_state=SEED)
        from auditor.ml.linear import table

        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        cv = cross_val_score(model.pipeline(), table(texts, sides), truth, cv=folds, scoring="f1_macro")
        model.fit(texts, sides, truth)
        test_texts, test_sides, test_truth = _subset(data, test_index, column)
        predicted = model.predict(test_texts, test_sides)
        held[name] = (test_index, predicted)
        macro = f1_score(test_truth, predicted, average="macro")
        echo(f"{name}: 5-fold CV macro-F1 {cv.mean():.3f} ± {cv.std():.3f}; held-out macro-F1 {macro:.3f}")
        lines += [
            f"## {name}（{column}）",
            "",
            f"- 5 折分层交叉验证（训练部分）macro-F1：{cv.mean():.3f} ± {cv.std():.3f}",
            f"- 留出集（20%，{len(test_index)} 条）macro-F1：**{macro:.3f}**；温度标定 T = {model.temperature_}",
            "",
            "```",
            classification_report(test_truth, predicted, digits=3, zero_division=0).rstrip(),
            "```",
            "",
            "混淆矩阵（行：真实，列：预测）：",
            "",
            "```",
            _matrix(model.classes_, confusion_matrix(test_truth, predicted, labels=model.classes_)),
            "```",
            "",
        ]
        final = LinearTextModel(C=c, random_state=SEED).fit(data.texts, data.sides, y)
        target = models_dir / f"{name}.json"
        target.write_text(final.to_json(), encoding="utf-8")
        echo(f"wrote {target} ({target.stat().st_size // 1024} KB)")
    lines += _measurability(data, held)
    report = "\n".join(lines) + "\n"
    (models_dir / "REPORT.md").write_text(report, encoding="utf-8")
    return report


def _measurability(data: Labelled, held: dict[str, tuple[list[int], list[str]]]) -> list[str]:
    """Rules only vs model only vs combined, on whether a held-out text is measurable."""
    from sklearn.metrics import accuracy_score, f1_score

    index, predicted_quality = held["quality"]
    truth = [data.labels["quality"][i] in MEASURABLE for i in index]
    applicable = [data.labels["quality"][i] != "not_applicable" for i in index]
    rules = [rules_measurable(data.texts[i], data.labels["category"][i]) for i in index]
    model = [q in MEASURABLE for q in predicted_quality]
    combined = [r or m for r, m in zip(rules, model, strict=True)]
    keep = [k for k, ok in enumerate(applicable) if ok]
    lines = [
        "## 可衡量性判断：规则 / 模型 / 结合（留出集，不含“不适用”）",
        "",
        "| 方法 | 准确率 | F1（可衡量） |",
        "|---|---|---|",
    ]
    for name, decision in (("仅规则", rules), ("仅模型", model), ("规则或模型", combined)):
        y = [truth[k] for k in keep]
        p = [decision[k] for k in keep]
        lines.append(f"| {name} | {accuracy_score(y, p):.3f} | {f1_score(y, p):.3f} |")
    return [*lines, ""]


def _matrix(classes: list[str], matrix: np.ndarray) -> str:
    width = max(len(c) for c in classes) + 2
    head = " " * width + "".join(f"{c[:4]:>6}" for c in classes)
    rows = [f"{c:<{width}}" + "".join(f"{v:>6}" for v in row) for c, row in zip(classes, matrix, strict=True)]
    return "\n".join([head, *rows])
