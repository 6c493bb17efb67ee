"""A linear text classifier stored as JSON and evaluated with numpy.

Fitting builds a scikit-learn ``Pipeline`` (TF-IDF over character n-grams and jieba words, plus
scaled NLP facts → multinomial logistic regression) and exports what prediction needs. Two
temperatures, each fitted on the cross-validated predictions of its own length stratum (texts shorter
than ``long_from`` characters, and the rest), calibrate the probabilities: long multi-clause cells are
rarer in the labelled data and unlike its short sentences, and a single temperature fitted mostly on
short texts need not suit them (the first models were over-confident there). ``fit`` and
``predict_proba`` follow scikit-learn's estimator conventions; nothing happens in ``__init__``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from auditor.ml.features import DENSE_NAMES, char_ngrams, dense, words
from auditor.text.normalize import normalize

#: Version 2: length-stratified temperatures and a capped length feature (a version-1 reader would
#: silently apply one temperature to every length, so the version is bumped rather than extended).
FORMAT = "auditor-linear/2"
#: Fewer cross-validated predictions than this in a length stratum: it gets the overall temperature.
MIN_STRATUM = 40


def _sparse_tfidf(tokens: list[str], vocabulary: dict[str, int], idf: np.ndarray) -> dict[int, float]:
    """Sublinear TF × IDF, L2-normalised — what TfidfVectorizer(sublinear_tf=True) computes."""
    counts = Counter(token for token in tokens if token in vocabulary)
    weights = {vocabulary[t]: (1.0 + math.log(n)) * float(idf[vocabulary[t]]) for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {i: w / norm for i, w in weights.items()} if norm else {}


class LinearTextModel:
    """Predicts a label for (text, side); ``classes_`` are the labels, in column order."""

    def __init__(self, C: float = 4.0, random_state: int = 0, min_df: int = 2, long_from: int = 25) -> None:
        self.C = C
        self.random_state = random_state
        self.min_df = min_df
        self.long_from = long_from  # texts this long (normalised characters) use the long-text temperature

    # --- training (scikit-learn) -------------------------------------------------------------
    def pipeline(self) -> Any:
        from sklearn.compose import ColumnTransformer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer, StandardScaler

        features = ColumnTransformer([
            ("chars", TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=self.min_df), 0),
            ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=self.min_df), 0),
            ("facts", Pipeline([("dense", FunctionTransformer(_dense_rows)), ("scale", StandardScaler())]), [0, 1]),
        ])  # fmt: skip
        classifier = LogisticRegression(C=self.C, max_iter=3000, random_state=self.random_state)
        return Pipeline([("features", features), ("classifier", classifier)])

    def fit(self, texts: list[str], sides: list[str], labels: list[str]) -> LinearTextModel:
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        frame = table(texts, sides)
        pipeline = self.pipeline()
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=self.random_state)
        logits = cross_val_predict(pipeline, frame, labels, cv=folds, method="decision_function")
        pipeline.fit(frame, labels)
        self.pipeline_ = pipeline
        self.classes_ = [str(c) for c in pipeline.classes_]
        truth = np.asarray([self.classes_.index(y) for y in labels])
        logits = np.asarray(logits)
        if logits.ndim == 1:  # two classes: scikit-learn gives the positive class's score only
            logits = np.column_stack([np.zeros_like(logits), logits])
        overall = _fit_temperature(logits, truth)
        long = self.is_long(texts)
        self.temperature_ = _fit_temperature(logits[~long], truth[~long]) if (~long).sum() >= MIN_STRATUM else overall
        self.long_temperature_ = _fit_temperature(logits[long], truth[long]) if long.sum() >= MIN_STRATUM else overall
        self._export()
        return self

    def is_long(self, texts: list[str]) -> np.ndarray:
        """Which texts fall in the long stratum (its own calibration temperature)."""
        return np.asarray([len(normalize(text)) >= self.long_from for text in texts], dtype=bool)

    def _export(self) -> None:
        features = self.pipeline_.named_steps["features"]
        chars, words_, facts = (features.named_transformers_[k] for k in ("chars", "words", "facts"))
        classifier = self.pipeline_.named_steps["classifier"]
        self.char_vocabulary_ = {str(k): int(v) for k, v in chars.vocabulary_.items()}
        self.char_idf_ = np.asarray(chars.idf_)
        self.word_vocabulary_ = {str(k): int(v) for k, v in words_.vocabulary_.items()}
        self.word_idf_ = np.asarray(words_.idf_)
        scaler = facts.named_steps["scale"]
        self.dense_mean_, self.dense_scale_ = np.asarray(scaler.mean_), np.asarray(scaler.scale_)
        self.coef_ = np.asarray(classifier.coef_)
        self.intercept_ = np.asarray(classifier.intercept_)
        if len(self.classes_) == 2:  # scikit-learn keeps one row (the second class); store both
            self.coef_ = np.vstack([np.zeros_like(self.coef_[0]), self.coef_[0]])
            self.intercept_ = np.asarray([0.0, float(self.intercept_[0])])

    # --- prediction (numpy only) -------------------------------------------------------------
    def decision_function(self, texts: list[str], sides: list[str]) -> np.ndarray:
        """Per-class scores; for two classes a (n, 2) matrix too (0 for the first class), unlike scikit-learn."""
        n_chars, n_words = len(self.char_idf_), len(self.word_idf_)
        out = np.tile(self.intercept_, (len(texts), 1)).astype(float)
        for row, (text, side) in enumerate(zip(texts, sides, strict=True)):
            chars = _sparse_tfidf(char_ngrams(text), self.char_vocabulary_, self.char_idf_)
            words_ = _sparse_tfidf(words(text), self.word_vocabulary_, self.word_idf_)
            columns = [*chars, *(n_chars + i for i in words_)]
            if columns:
                # Each feature's column times its weight, added to the row one feature after another: one
                # numpy call for all of a text's features instead of one per feature, and the very sums
                # (add.accumulate adds in order) of the loop it replaces, so the probabilities are unchanged.
                weights = np.fromiter([*chars.values(), *words_.values()], dtype=float, count=len(columns))
                terms = np.vstack([out[row : row + 1], self.coef_[:, columns].T * weights[:, None]])
                out[row] = np.add.accumulate(terms, axis=0)[-1]
            scaled = (np.asarray(dense(text, side)) - self.dense_mean_) / self.dense_scale_
            out[row] += self.coef_[:, n_chars + n_words :] @ scaled
        return out

    def predict_proba(self, texts: list[str], sides: list[str]) -> np.ndarray:
        temperatures = np.where(self.is_long(texts), self.long_temperature_, self.temperature_)
        return _softmax(self.decision_function(texts, sides) / temperatures[:, None])

    def predict(self, texts: list[str], sides: list[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts, sides).argmax(axis=1)]

    # --- storage -----------------------------------------------------------------------------
    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "classes": self.classes_,
            "temperature": round(float(self.temperature_), 6),
            "long_temperature": round(float(self.long_temperature_), 6),
            "dense_features": list(DENSE_NAMES),
            "dense_mean": [round(float(x), 8) for x in self.dense_mean_],
            "dense_scale": [round(float(x), 8) for x in self.dense_scale_],
            "char_vocabulary": dict(sorted(self.char_vocabulary_.items(), key=lambda kv: kv[1])),
            "char_idf": [round(float(x), 6) for x in self.char_idf_],
            "word_vocabulary": dict(sorted(self.word_vocabulary_.items(), key=lambda kv: kv[1])),
            "word_idf": [round(float(x), 6) for x in self.word_idf_],
            "intercept": [round(float(x), 6) for x in self.intercept_],
            "coef": [[round(float(x), 6) for x in row] for row in self.coef_],
            "params": {
                "C": self.C,
                "random_state": self.random_state,
                "min_df": self.min_df,
                "long_from": self.long_from,
            },
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Load a model from its JSON (safe: plain data, validated shapes)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or list(data["dense_features"]) != list(DENSE_NAMES):
            raise ValueError(f"{path}: not an {FORMAT} model for these features")
        model = cls(**data["params"])
        model.classes_ = list(data["classes"])
        model.temperature_ = float(data["temperature"])
        model.long_temperature_ = float(data["long_temperature"])
        model.dense_mean_, model.dense_scale_ = np.asarray(data["dense_mean"]), np.asarray(data["dense_scale"])
        model.char_vocabulary_, model.char_idf_ = data["char_vocabulary"], np.asarray(data["char_idf"])
        model.word_vocabulary_, model.word_idf_ = data["word_vocabulary"], np.asarray(data["word_idf"])
        model.intercept_, model.coef_ = np.asarray(data["intercept"]), np.asarray(data["coef"])
        width = len(model.char_idf_) + len(model.word_idf_) + len(DENSE_NAMES)
        if model.coef_.shape != (len(model.classes_), width):
            raise ValueError(f"{path}: coefficient matrix has the wrong shape")
        return model


def table(texts: list[str], sides: list[str]) -> np.ndarray:
    """The (text, side) input the scikit-learn pipeline takes, as a two-column object array."""
    frame = np.empty((len(texts), 2), dtype=object)
    frame[:, 0], frame[:, 1] = texts, sides
    return frame


def _dense_rows(frame: np.ndarray) -> np.ndarray:
    return np.asarray([dense(str(text), str(side)) for text, side in frame])


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _fit_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """The temperature minimising the log loss of cross-validated logits (a 1-D grid search)."""
    best, best_loss = 1.0, float("inf")
    index = np.arange(len(truth))
    for temperature in np.arange(0.3, 6.01, 0.05):
        probabilities = _softmax(logits / temperature)
        loss = -float(np.mean(np.log(probabilities[index, truth] + 1e-12)))
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return round(best, 2)
