"""``auditor train``: rebuild every shipped model from ``corpus/labels`` and write ``models/REPORT.md``.

Deterministic: fixed seeds, a stratified 80/20 held-out split, 5-fold stratified cross-validation
on the training part. The shipped models are then fitted on all labelled data. The report gives
per-class precision/recall/F1, the confusion matrix, the scores and calibration of short and long
texts separately (long real-world cells are where the models used to be over-confident), and, for
each use of a model, what the use does on held-out texts: the measurability veto against the rules,
the ST005 gate on targets in their own and in foreign categories, and the side model's decision on
whole columns.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from auditor.ml.linear import LinearTextModel, table

SEED = 0


@dataclass(frozen=True)
class Spec:
    """One shipped model: the label column it predicts, its regularisation, and whether it reads the side."""

    column: str
    C: float
    reads_side: bool


MODELS = {
    "category": Spec("category", 10.0, True),
    "quality": Spec("quality", 4.0, True),
    # The side model predicts the side, so it must not be given it (an empty side to every text).
    "side": Spec("side", 4.0, False),
}
MEASURABLE = frozenset({"measurable", "graded_qualitative"})
#: Column sizes for the side model's column-level evaluation, and columns drawn per size.
COLUMN_SIZES = (1, 3, 5, 10)
COLUMN_DRAWS = 400


@dataclass
class Labelled:
    texts: list[str]
    sides: list[str]
    labels: dict[str, list[str]]


@dataclass
class HeldOut:
    """A model's held-out texts (indices into the labelled data), predictions and probabilities."""

    index: list[int]
    predicted: list[str]
    probabilities: np.ndarray
    classes: list[str]


def load_labels(path: Path) -> Labelled:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return Labelled(
        texts=[r["text"] for r in rows],
        sides=[r["side"] for r in rows],
        labels={spec.column: [r[spec.column] for r in rows] for spec in MODELS.values()},
    )


def model_sides(data: Labelled, index: list[int], spec: Spec) -> list[str]:
    """The side each text is given as input: its own, or nothing for a model that predicts it."""
    return [data.sides[i] if spec.reads_side else "" for i in index]


def rules_measurable(text: str, category: str) -> bool:
    """What the MS rules decide: a figure, deadline, zero target, or a graded scale."""
    from auditor.checks.measure.common import graded
    from auditor.text.nlp import analyze

    facts = analyze(text)
    return bool(facts.has_measure or graded(facts))


def train(labels_path: Path, models_dir: Path, echo: Callable[[str], object] = print) -> str:
    from sklearn.metrics import classification_report, confusion_matrix, f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split

    data = load_labels(labels_path)
    lengths = [len(text) for text in data.texts]
    lines = [
        "# 模型报告 / Model report",
        "",
        f"训练数据：`{labels_path.name}`，{len(data.texts)} 条（其中 ≥25 字的长文本 "
        f"{sum(n >= 25 for n in lengths)} 条）。随机种子 {SEED}。",
        "",
    ]
    held: dict[str, HeldOut] = {}
    everything = list(range(len(data.texts)))
    for name, spec in MODELS.items():
        y = data.labels[spec.column]
        train_index, test_index = train_test_split(everything, test_size=0.2, stratify=y, random_state=SEED)
        texts, truth = [data.texts[i] for i in train_index], [y[i] for i in train_index]
        sides = model_sides(data, train_index, spec)
        model = LinearTextModel(C=spec.C, random_state=SEED)
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        cv = cross_val_score(model.pipeline(), table(texts, sides), truth, cv=folds, scoring="f1_macro")
        model.fit(texts, sides, truth)
        test_texts, test_truth = [data.texts[i] for i in test_index], [y[i] for i in test_index]
        probabilities = model.predict_proba(test_texts, model_sides(data, test_index, spec))
        predicted = [model.classes_[k] for k in probabilities.argmax(axis=1)]
        held[name] = HeldOut(test_index, predicted, probabilities, model.classes_)
        macro = f1_score(test_truth, predicted, average="macro")
        echo(f"{name}: 5-fold CV macro-F1 {cv.mean():.3f} ± {cv.std():.3f}; held-out macro-F1 {macro:.3f}")
        lines += [
            f"## {name}（{spec.column}）",
            "",
            f"- 5 折分层交叉验证（训练部分）macro-F1：{cv.mean():.3f} ± {cv.std():.3f}",
            f"- 留出集（20%，{len(test_index)} 条）macro-F1：**{macro:.3f}**",
            f"- 温度标定（交叉验证预测上按长度分层拟合）：短文本（<{model.long_from} 字）T = {model.temperature_}，"
            f"长文本 T = {model.long_temperature_}",
            "",
            *_strata(model, test_texts, test_truth, predicted, probabilities),
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
        final = LinearTextModel(C=spec.C, random_state=SEED)
        final.fit(data.texts, model_sides(data, everything, spec), y)
        target = models_dir / f"{name}.json"
        target.write_text(final.to_json(), encoding="utf-8")
        echo(f"wrote {target} ({target.stat().st_size // 1024} KB)")
    lines += _measurability(data, held["quality"])
    lines += _category_gate(data, held["category"])
    lines += _side_columns(data, held["side"])
    report = "\n".join(lines) + "\n"
    (models_dir / "REPORT.md").write_text(report, encoding="utf-8")
    return report


def _strata(
    model: LinearTextModel, texts: list[str], truth: list[str], predicted: list[str], probabilities: np.ndarray
) -> list[str]:
    """Held-out macro-F1, accuracy and mean confidence of short and long texts (calibration by length)."""
    from sklearn.metrics import f1_score

    long = model.is_long(texts)
    lines = ["| 留出集分层 | 条数 | macro-F1 | 准确率 | 平均置信度（最大概率） |", "|---|---|---|---|---|"]
    for label, mask in ((f"短文本（<{model.long_from} 字）", ~long), (f"长文本（≥{model.long_from} 字）", long)):
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        y, p = [truth[k] for k in rows], [predicted[k] for k in rows]
        accuracy = float(np.mean([a == b for a, b in zip(y, p, strict=True)]))
        confidence = float(probabilities[rows].max(axis=1).mean())
        macro = f1_score(y, p, average="macro")
        lines.append(f"| {label} | {len(rows)} | {macro:.3f} | {accuracy:.3f} | {confidence:.3f} |")
    return [*lines, ""]


def _measurability(data: Labelled, held: HeldOut) -> list[str]:
    """Rules only vs model only vs combined vs the shipped veto, on whether a held-out target is measurable."""
    from sklearn.metrics import accuracy_score, f1_score

    from auditor.checks.measure.common import model_vouches

    keep = [
        k for k, i in enumerate(held.index)
        if data.labels["quality"][i] != "not_applicable" and data.sides[i] == "target"
    ]  # fmt: skip
    truth = [data.labels["quality"][held.index[k]] in MEASURABLE for k in keep]
    rules = [rules_measurable(data.texts[held.index[k]], data.labels["category"][held.index[k]]) for k in keep]
    model = [held.predicted[k] in MEASURABLE for k in keep]
    scores = [dict(zip(held.classes, map(float, held.probabilities[k]), strict=True)) for k in keep]
    veto = [r or model_vouches(s, data.texts[held.index[k]]) for r, s, k in zip(rules, scores, keep, strict=True)]
    combined = [r or m for r, m in zip(rules, model, strict=True)]
    long = [len(data.texts[held.index[k]]) >= 25 for k in keep]
    lines = [
        "## 可衡量性判断：规则 / 模型 / 结合（留出集的目标值，不含“不适用”）",
        "",
        "“规则+模型否决”是 MS001/MS005 实际的做法：规则判为不可衡量时，模型以 ≥ 阈值的概率认为可衡量，"
        "且文本含有规则未读作度量的数字或线索词（rules/structure.yaml：model_measurability_cues），才不报告。",
        "",
        "| 方法 | 准确率 | F1（可衡量） | 长文本准确率 | 长文本把不可衡量判为可衡量（条） |",
        "|---|---|---|---|---|",
    ]
    methods = (("仅规则", rules), ("仅模型", model), ("规则或模型", combined), ("规则+模型否决（实际使用）", veto))
    for name, decision in methods:
        long_rows = [k for k, is_long in enumerate(long) if is_long]
        long_accuracy = accuracy_score([truth[k] for k in long_rows], [decision[k] for k in long_rows])
        false_measurable = sum(1 for k in long_rows if decision[k] and not truth[k])
        lines.append(
            f"| {name} | {accuracy_score(truth, decision):.3f} | {f1_score(truth, decision):.3f} | "
            f"{long_accuracy:.3f} | {false_measurable} |"
        )
    return [*lines, ""]


def _category_gate(data: Labelled, held: HeldOut) -> list[str]:
    """ST005's gate on held-out targets: put in their own category, and in each category of another level."""
    from auditor.checks.options import structure
    from auditor.checks.structure.st005_category_mismatch import model_verdict
    from auditor.model import CATEGORIES

    options = structure()
    sure, own_max = float(options["model_category_threshold"]), float(options["model_category_own_max"])
    moves = options["model_category_moves"]
    counts = {key: [0, 0] for key in ("own", "own_raw", "foreign", "foreign_raw", "allowed", "allowed_raw")}
    for k, i in enumerate(held.index):
        if data.sides[i] != "target" or data.labels["quality"][i] == "not_applicable":
            continue
        text, truth = data.texts[i], data.labels["category"][i]
        scores = dict(zip(held.classes, map(float, held.probabilities[k]), strict=True))
        best = max(scores, key=scores.__getitem__)
        for key, flagged in (
            ("own", model_verdict(truth, text, scores) is not None),
            ("own_raw", best != truth and scores[best] >= sure and scores[truth] <= own_max),
        ):
            counts[key][0] += flagged
            counts[key][1] += 1
        for category, level in CATEGORIES.items():
            if level == CATEGORIES[truth]:
                continue
            gated = model_verdict(category, text, scores) is not None
            raw = best != category and scores[best] >= sure and scores[category] <= own_max
            allowed = CATEGORIES[truth].value in moves.get(level.value, ())
            for key, flagged, counted in (
                ("foreign", gated, True),
                ("foreign_raw", raw, True),
                ("allowed", gated, allowed),
                ("allowed_raw", raw, allowed),
            ):
                counts[key][0] += flagged and counted
                counts[key][1] += counted

    def cell(key: str) -> str:
        hit, total = counts[key]
        return f"{hit}/{total}（{hit / max(total, 1):.1%}）"

    return [
        "## ST005 模型门控（留出集的目标值，不含“不适用”）",
        "",
        "把每条留出的目标值放进它自己的类别（不应报告），以及另一个一级指标的每个类别（内容确实不属于那里），"
        "看 ST005 的模型判断报告多少。“门控前”只看概率（model_category_threshold、model_category_own_max）；"
        "“门控后”是实际使用的判断，另要求：模型给出的类别属于另一个一级指标且方向在 model_category_moves 之列"
        "（不含“产出→效益”：效益写在产出指标下是评审认可的写法），文本不含自身类别的线索词、含有模型所给类别的线索词"
        "（rules/categories.yaml：category_cues）。",
        "",
        "| | 放在自身类别时误报 | 放在其他一级指标类别时检出（全部方向） | 检出（允许的方向） |",
        "|---|---|---|---|",
        f"| 门控前 | {cell('own_raw')} | {cell('foreign_raw')} | {cell('allowed_raw')} |",
        f"| 门控后（实际使用） | {cell('own')} | {cell('foreign')} | {cell('allowed')} |",
        "",
    ]


def _side_columns(data: Labelled, held: HeldOut) -> list[str]:
    """The header help's decision on whole columns drawn from held-out texts (one target, one completion)."""
    from auditor.ml.side import combine, informative
    from auditor.resources import load_pack

    threshold = float(load_pack("labels")["model_sides_threshold"])
    column = held.classes.index("target")
    by_side: dict[str, list[float]] = {"target": [], "completion": []}
    usable = set(informative([data.texts[i] for i in held.index]))
    for k, i in enumerate(held.index):
        if data.texts[i] in usable:
            by_side[data.sides[i]].append(float(held.probabilities[k, column]))
    rng = random.Random(SEED)
    lines = [
        "## 表头辅助：side 模型对整列的判断（留出集）",
        "",
        f"从留出集随机抽取 n 条目标值组成一列、n 条完成值组成另一列（每种 n 各 {COLUMN_DRAWS} 次，列的顺序随机），"
        f"用与读表时相同的方法（auditor/ml/side.py）判断哪一列是目标值；概率 ≥ {threshold}"
        "（rules/labels.yaml：model_sides_threshold）时才采用。",
        "",
        "| 每列条数 n | 判断正确率（全部） | 采用比例（概率≥阈值） | 采用时正确率 |",
        "|---|---|---|---|",
    ]
    for size in COLUMN_SIZES:
        right = taken = taken_right = 0
        for _ in range(COLUMN_DRAWS):
            targets, completions = rng.sample(by_side["target"], size), rng.sample(by_side["completion"], size)
            swapped = rng.random() < 0.5
            call = combine([completions, targets] if swapped else [targets, completions])
            if call is None:
                continue
            correct = call.sides == (("completion", "target") if swapped else ("target", "completion"))
            right += correct
            if call.probability >= threshold:
                taken += 1
                taken_right += correct
        lines.append(
            f"| {size} | {right / COLUMN_DRAWS:.3f} | {taken / COLUMN_DRAWS:.3f} | {taken_right / max(taken, 1):.3f} |"
        )
    return [*lines, ""]


def _matrix(classes: list[str], matrix: np.ndarray) -> str:
    width = max(len(c) for c in classes) + 2
    head = " " * width + "".join(f"{c[:4]:>6}" for c in classes)
    rows = [f"{c:<{width}}" + "".join(f"{v:>6}" for v in row) for c, row in zip(classes, matrix, strict=True)]
    return "\n".join([head, *rows])
