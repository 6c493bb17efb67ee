"""Inline SVG charts drawn on the server: bars, a score histogram and an execution-rate scatter.

The pages must open offline with nothing fetched, so no chart library: each chart is a small SVG
string built here, every label passed through :func:`markupsafe.escape`, every number formatted by
us. Each chart carries a ``<title>`` and a ``<desc>`` (read by screen readers), and every bar or
point its own ``<title>`` so hovering it names the figure. Colours come from CSS classes
(``fam-VG``, ``g-a`` for 优 …) so the print stylesheet can restyle them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from auditor.scoring import grade

WIDTH = 560


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str = ""
    note: str = ""  # extra words for the bar's hover title


@dataclass(frozen=True)
class Point:
    x: float  # 执行率 in %
    y: float  # 质量分
    label: str
    css: str = ""


def number(value: float) -> str:
    """12 → "12", 55.62 → "55.6"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


GRADE_CSS = {"优": "g-a", "良": "g-b", "中": "g-c", "差": "g-d"}


def grade_css(name: str) -> str:
    """CSS class of a grade name (names come from the scoring pack, so unknown ones get ``g-x``)."""
    return GRADE_CSS.get(name, "g-x")


def grade_class(score: float) -> str:
    return grade_css(grade(score))


def _open(key: str, title: str, desc: str, width: int, height: int) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{key}-t {key}-d" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{key}-t">{escape(title)}</title><desc id="{key}-d">{escape(desc)}</desc>'
        f'<text class="chart-title" x="0" y="16">{escape(title)}</text>'
    )


def _empty(key: str, title: str) -> Markup:
    return Markup(_open(key, title, "无数据", WIDTH, 60) + '<text class="muted" x="0" y="44">无数据</text></svg>')


def bar_chart(key: str, title: str, bars: Sequence[Bar], unit: str = "个", label_width: int = 150) -> Markup:
    """Horizontal bars, one per item, largest scale fitted to the widest value."""
    if not bars or not any(bar.value for bar in bars):
        return _empty(key, title)
    row, top = 22, 30
    height = top + row * len(bars) + 8
    largest = max(bar.value for bar in bars)
    span = WIDTH - label_width - 60
    desc = "，".join(f"{bar.label} {number(bar.value)}{unit}" for bar in bars)
    parts = [_open(key, title, desc, WIDTH, height)]
    for position, bar in enumerate(bars):
        y = top + position * row
        length = span * bar.value / largest if largest else 0
        tip = f"{bar.label}：{number(bar.value)}{unit}" + (f"（{bar.note}）" if bar.note else "")
        parts.append(
            f'<g class="bar {escape(bar.css)}"><title>{escape(tip)}</title>'
            f'<text class="label" x="{label_width - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_clip(bar.label, (label_width - 10) // 12))}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" rx="2"></rect>'
            f'<text class="value" x="{label_width + length + 4:.1f}" y="{y + 15}">{number(bar.value)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def histogram(key: str, title: str, scores: Sequence[float], bins: int = 10) -> Markup:
    """Counts of scores in ``bins`` equal bands of 0–100 (100 falls in the top band)."""
    if not scores:
        return _empty(key, title)
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score // (100 / bins))))] += 1
    left, bottom, top, height = 40, 40, 30, 220
    plot_h = height - top - bottom
    width = (WIDTH - left - 10) / bins
    tallest = max(counts)
    desc = "，".join(f"{_band(n, bins)}分 {count}个" for n, count in enumerate(counts) if count)
    parts = [_open(key, title, f"共{len(scores)}个项目：{desc}", WIDTH, height)]
    parts += _y_axis(left, top, plot_h, tallest, WIDTH - 10)
    for n, count in enumerate(counts):
        bar_h = plot_h * count / tallest if tallest else 0
        x, y = left + n * width, top + plot_h - bar_h
        parts.append(
            f'<g class="bar {grade_class(n * 100 / bins)}"><title>{_band(n, bins)}分：{count}个项目</title>'
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{width - 4:.1f}" height="{bar_h:.1f}"></rect>'
            + (
                f'<text class="value" x="{x + width / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{count}</text>'
                if count
                else ""
            )
            + "</g>"
        )
    for n in range(bins + 1):
        x = left + n * width
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
            f"{number(n * 100 / bins)}</text>"
        )
    parts.append(
        f'<text class="axis" x="{left + (WIDTH - left) / 2:.1f}" y="{height - 6}" '
        f'text-anchor="middle">项目质量分</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def scatter(key: str, title: str, points: Sequence[Point], missing: int = 0) -> Markup:
    """执行率 (x) against 质量分 (y); ``missing`` counts projects whose rate is unknown."""
    note = f"另有{missing}个项目无法计算执行率，未画出" if missing else ""
    if not points:
        return _empty(key, title + (f"（{note}）" if note else ""))
    left, bottom, top, right, height = 40, 40, 30, 14, 260
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    x_max = min(200.0, max(100.0, math.ceil(max(point.x for point in points) / 10) * 10))
    x_min = max(0.0, min(80.0, math.floor(min(point.x for point in points) / 10) * 10 - 10))
    desc = f"共{len(points)}个项目。" + note
    parts = [_open(key, title, desc, WIDTH, height)]
    parts += _y_axis(left, top, plot_h, 100, WIDTH - right)
    step = 10 if x_max - x_min <= 60 else 20
    for n in range(int(x_min), int(x_max) + 1, step):
        x = left + plot_w * (n - x_min) / (x_max - x_min)
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}"></line>'
            f'<text class="tick" x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{n}</text>'
        )
    for point in points:
        x = left + plot_w * (min(max(point.x, x_min), x_max) - x_min) / (x_max - x_min)
        y = top + plot_h * (1 - min(max(point.y, 0.0), 100.0) / 100)
        tip = f"{point.label}：执行率 {number(point.x)}%，质量分 {number(point.y)}"
        parts.append(
            f'<g class="pt {escape(point.css)}"><title>{escape(tip)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5"></circle></g>'
        )
    parts.append(
        f'<text class="axis" x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">预算执行率（%）</text>'
    )
    if note:
        parts.append(f'<text class="muted" x="{WIDTH - right}" y="16" text-anchor="end">{escape(note)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _y_axis(left: int, top: int, plot_h: int, largest: float, right: float) -> list[str]:
    """Horizontal grid lines with their values, five steps up to ``largest``."""
    step = max(1, math.ceil(largest / 5)) if largest < 100 else 20
    parts = []
    value = 0
    while value <= largest:
        y = top + plot_h * (1 - value / largest) if largest else top + plot_h
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}"></line>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
        value += step
    return parts


def _band(n: int, bins: int) -> str:
    low, high = n * 100 / bins, (n + 1) * 100 / bins
    return f"{number(low)}–{number(high)}"


def _clip(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
