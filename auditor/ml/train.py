"""``auditor train``: rebuild every shipped model from ``corpus/labels`` and write ``models/REPORT.md``.

Two label files: the hand-written ``indicators.tsv`` (every model), and ``real_indicators.tsv`` beside it —
(text, category) pairs read from the real tables, one ``source`` table each — for the category model only
(they carry no quality or side label).

Deterministic: fixed seeds, a stratified 80/20 held-out split of the hand-written texts, and a split of
the real-table texts *by table* (all texts of one table on the same side; stratified group folds, the
first fold held out), so no table is both learnt and scored; 5-fold cross-validation on the training
part, grouped the same way. The shipped models are then fitted on all labelled data. The report gives
macro-F1 per source (hand-written vs real tables), the real tables' texts also scored leave-tables-out
(every table predicted by a model that never saw it) and by a model trained on hand-written texts only. It gives
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
#: The ``source`` of a hand-written text; a real-table text's source is its table's name.
HAND = "hand"
REAL_LABELS = "real_indicators.tsv"
#: Folds of the real tables (by table): the first is the held-out part, all are the leave-tables-out scores.
REAL_FOLDS = 5


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
    """Texts, the side each is given as input, the label columns (``None`` where a source has none) and sources."""

    texts: list[str]
    sides: list[str]
    labels: dict[str, list[str | None]]
    sources: list[str] | None = None

    def source(self, i: int) -> str:
        return HAND if self.sources is None else self.sources[i]

    def __add__(self, other: Labelled) -> Labelled:
        return Labelled(
            texts=self.texts + other.texts,
            sides=self.sides + other.sides,
            labels={k: self.labels[k] + other.labels[k] for k in self.labels},
            sources=[self.source(i) for i in range(len(self.texts))]
            + [other.source(i) for i in range(len(other.texts))],
        )


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


def load_real(path: Path) -> Labelled:
    """``real_indicators.tsv``: a category for each name or target of a real table (given the target side,
    as ST005 asks the model), and nothing for the quality and side models."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return Labelled(
        texts=[r["text"] for r in rows],
        sides=["target"] * len(rows),
        labels={
            spec.column: [r["category"] if spec.column == "category" else None for r in rows]
            for spec in MODELS.values()
        },
        sources=[r["source"] for r in rows],
    )


def split(data: Labelled, usable: list[int], y: list) -> tuple[list[int], list[int], list[list[int]]]:
    """(train, held out, real folds): hand-written texts stratified 80/20 (as before the real tables came);
    real-table texts by table — stratified group folds, the first held out — so a table is on one side only."""
    from sklearn.model_selection import StratifiedGroupKFold, train_test_split

    hand = [i for i in usable if data.source(i) == HAND]
    real = [i for i in usable if data.source(i) != HAND]
    train_index, test_index = train_test_split(hand, test_size=0.2, stratify=[y[i] for i in hand], random_state=SEED)
    folds: list[list[int]] = []
    if real:
        groups = StratifiedGroupKFold(n_splits=REAL_FOLDS, shuffle=True, random_state=SEED)
        labels, tables = [y[i] for i in real], [data.source(i) for i in real]
        folds = [[real[k] for k in part] for _, part in _quiet(groups.split, real, labels, tables)]
        train_index = train_index + [i for i in real if i not in set(folds[0])]
        test_index = test_index + folds[0]
    return train_index, test_index, folds


def _quiet(split_: Callable, *args: object) -> list:
    """A splitter's folds without the warning that a rare class has fewer members than folds."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return list(split_(*args))


def _cv_groups(data: Labelled, index: list[int]) -> list[str]:
    """Cross-validation groups: a real table's texts together, each hand-written text on its own."""
    return [data.source(i) if data.source(i) != HAND else f"{HAND}-{i}" for i in index]


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
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_score

    data = load_labels(labels_path)
    hand_count = len(data.texts)
    real_path = labels_path.with_name(REAL_LABELS)
    if real_path.is_file():
        data = data + load_real(real_path)
    real_tables = sorted({data.source(i) for i in range(len(data.texts))} - {HAND})
    lengths = [len(text) for text in data.texts[:hand_count]]
    long_count = sum(n >= 25 for n in lengths)
    source = f"训练数据：`{labels_path.name}`，{hand_count} 条手写标注（其中 ≥25 字的长文本 {long_count} 条）"
    if real_tables:
        source += (
            f"；`{real_path.name}`，{len(data.texts) - hand_count} 条取自 {len(real_tables)} 份真实表格"
            "（`corpus/real/*.tsv` 的三级指标名称和目标值，带所在的二级指标，仅用于 category 模型）"
        )
    lines = ["# 模型报告 / Model report", "", f"{source}。随机种子 {SEED}。", ""]
    if real_tables:
        lines += [
            "**留出集的划分**：手写标注按类别分层随机留出 20%（与加入真实表格之前相同的划分）；真实表格的文字"
            f"**按表格分组**留出——分层分组 {REAL_FOLDS} 折（StratifiedGroupKFold，按表格分组、按类别分层，"
            "随机种子固定）的第一折整份表格留出，同一份表格的文字全在训练一侧或全在留出一侧，"
            "否则同一表格里相似的名称会同时出现在两侧，分数偏高。训练部分的交叉验证同样按表格分组。",
            "",
        ]
    held: dict[str, HeldOut] = {}
    everything = list(range(len(data.texts)))
    for name, spec in MODELS.items():
        y = data.labels[spec.column]
        usable = [i for i in everything if y[i] is not None]
        train_index, test_index, real_folds = split(data, usable, y)
        texts, truth = [data.texts[i] for i in train_index], [y[i] for i in train_index]
        sides = model_sides(data, train_index, spec)
        model = LinearTextModel(C=spec.C, random_state=SEED)
        if real_folds:  # a real table's texts in one fold
            folds = _quiet(
                StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED).split,
                train_index, truth, _cv_groups(data, train_index),
            )  # fmt: skip
        else:
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
            *(_sources(data, spec, test_index, test_truth, predicted, real_folds) if real_folds else []),
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
        final.fit([data.texts[i] for i in usable], model_sides(data, usable, spec), [y[i] for i in usable])
        target = models_dir / f"{name}.json"
        target.write_text(final.to_json(), encoding="utf-8")
        echo(f"wrote {target} ({target.stat().st_size // 1024} KB)")
    lines += _measurability(data, held["quality"])
    lines += _category_gate(data, held["category"])
    lines += _side_columns(data, held["side"])
    report = "\n".join(lines) + "\n"
    (models_dir / "REPORT.md").write_text(report, encoding="utf-8")
    return report


def _macro(truth: list[str], predicted: list[str]) -> float:
    """Macro-F1 over the classes the truth has (a source with few classes is not charged for absent ones)."""
    from sklearn.metrics import f1_score

    return float(f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0))


def _sources(
    data: Labelled, spec: Spec, test_index: list[int], truth: list[str], predicted: list[str], folds: list[list[int]]
) -> list[str]:
    """Held-out macro-F1 per source, and the real tables' texts leave-tables-out and by a hand-only model."""
    y = data.labels[spec.column]
    lines = [
        "| 来源 | 留出条数 | 留出表格 | macro-F1（留出集） | 准确率 |",
        "|---|---|---|---|---|",
    ]
    for label, is_real in (("手写标注", False), ("真实表格", True)):
        rows = [k for k, i in enumerate(test_index) if (data.source(i) != HAND) == is_real]
        if not rows:
            continue
        tables = sorted({data.source(test_index[k]) for k in rows}) if is_real else []
        t, p = [truth[k] for k in rows], [predicted[k] for k in rows]
        accuracy = float(np.mean([a == b for a, b in zip(t, p, strict=True)]))
        where = "、".join(name.split("_")[0] for name in tables) if tables else "—"
        lines.append(f"| {label} | {len(rows)} | {where} | {_macro(t, p):.3f} | {accuracy:.3f} |")
    hand = [i for i in range(len(data.texts)) if data.source(i) == HAND and y[i] is not None]
    real = [i for fold in folds for i in fold]
    schemes = {
        "只用手写标注训练": [(hand, real)],
        f"留出一组表格（{REAL_FOLDS} 折，按表格分组）": [
            (hand + [i for i in real if i not in set(fold)], fold) for fold in folds
        ],
    }
    scores = []
    for label, parts in schemes.items():
        truth_all, predicted_all = [], []
        for train_part, test_part in parts:
            pipeline = LinearTextModel(C=spec.C, random_state=SEED).pipeline()
            frame = table([data.texts[i] for i in train_part], model_sides(data, train_part, spec))
            pipeline.fit(frame, [y[i] for i in train_part])
            frame = table([data.texts[i] for i in test_part], model_sides(data, test_part, spec))
            predicted_all += [str(c) for c in pipeline.predict(frame)]
            truth_all += [str(y[i]) for i in test_part]
        accuracy = float(np.mean([a == b for a, b in zip(truth_all, predicted_all, strict=True)]))
        scores.append(f"| {label} | {len(truth_all)} | {_macro(truth_all, predicted_all):.3f} | {accuracy:.3f} |")
    return [
        *lines,
        "",
        "真实表格的全部文字，每份表格由没有见过它的模型预测（上表只有第一折的几份表格，条数少、类别少，波动大）：",
        "",
        "| 真实表格文字的预测模型 | 条数 | macro-F1 | 准确率 |",
        "|---|---|---|---|",
        *scores,
        "",
        "macro-F1 只在该来源真实出现的类别上平均（真实表格的文字以数量指标为主，有的类别只有一两条）。",
        "",
    ]


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
        if data.sides[i] != "target" or data.labels["quality"][i] in ("not_applicable", None):
            continue  # hand-written targets only (real-table texts have no quality label)
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
