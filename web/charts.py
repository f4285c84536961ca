"""Small server-side SVG charts (no JavaScript, no third-party code): volume and sentiment."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from search.wording import plural

WIDTH, HEIGHT = 900, 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 14, 34
COLOURS = {"negative": "#c2410c", "neutral": "#8a94a6", "positive": "#15803d"}


@dataclass(frozen=True)
class Point:
    """One time bucket: its label, post counts per sentiment, mean sentiment, spike flag."""

    label: str
    total: int
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    mean: float | None = None
    spike: bool = False


def _nice_max(value: float, ticks: int = 4) -> float:
    """Return a round axis maximum at or above ``value`` whose ``ticks`` steps are whole."""
    if value <= 0:
        return float(ticks)
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        size = step * magnitude
        if raw <= size and float(size).is_integer():
            return float(ticks * size)
    return float(ticks * 10 * magnitude)


def signed(value: float) -> str:
    """Return a mean sentiment with its sign, never "-0.00"."""
    return f"{value:+.2f}" if round(value, 2) else "0.00"


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _svg(title: str, desc: str, body: list[str], chart_id: str) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-t">{escape(title)}</title>'
            f'<desc id="{chart_id}-d">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _x_labels(points: Sequence[Point], xs: Sequence[float]) -> list[str]:
    step = max(1, math.ceil(len(points) / 8))
    out = []
    for i, (p, x) in enumerate(zip(points, xs, strict=True)):
        if i % step == 0 or (i == len(points) - 1 and len(points) <= 8):
            out.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" '
                       f'text-anchor="middle">{escape(p.label)}</text>')
    return out


def _grid(y_max: float, low: float = 0.0, ticks: int = 4) -> list[str]:
    out = []
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    for i in range(ticks + 1):
        value = low + (y_max - low) * i / ticks
        y = HEIGHT - PAD_BOTTOM - plot_h * i / ticks
        out.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
                   f'y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="axis" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" '
                   f'text-anchor="end">{escape(_fmt(value))}</text>')
    return out


def _empty(title: str, chart_id: str) -> Markup:
    return _svg(title, "No posts in this period.", [
        f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">'
        "No posts in this period</text>"], chart_id)


def volume_chart(points: Sequence[Point], chart_id: str = "volume") -> Markup:
    """Return stacked bars of post volume per bucket, split by sentiment."""
    title = "Posts per period, by sentiment"
    if not points or not any(p.total for p in points):
        return _empty(title, chart_id)
    y_max = _nice_max(max(p.total for p in points))
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / len(points)
    bar = max(2.0, min(48.0, slot * 0.7))
    body = _grid(y_max)
    xs = []
    for i, p in enumerate(points):
        x = PAD_LEFT + slot * i + (slot - bar) / 2
        xs.append(x + bar / 2)
        base = float(HEIGHT - PAD_BOTTOM)
        parts = [("negative", p.negative), ("neutral", p.neutral), ("positive", p.positive)]
        other = p.total - sum(v for _k, v in parts)
        if other > 0:
            parts.append(("neutral", other))
        for name, value in parts:
            if value <= 0:
                continue
            h = plot_h * value / y_max
            base -= h
            body.append(f'<rect class="bar {name}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" '
                        f'height="{h:.1f}" fill="{COLOURS[name]}"><title>{escape(p.label)}: '
                        f'{value} {name}</title></rect>')
        if p.spike:
            body.append(f'<text class="spike-mark" x="{x + bar / 2:.1f}" y="{base - 4:.1f}" '
                        f'text-anchor="middle">▲<title>Spike in {escape(p.label)}</title></text>')
    body += _x_labels(points, xs)
    total = sum(p.total for p in points)
    desc = (f"{plural(total, 'post')} over {plural(len(points), 'period')}; the busiest period is "
            f"{max(points, key=lambda p: p.total).label} with {max(p.total for p in points)}.")
    return _svg(title, desc, body, chart_id)


def sentiment_chart(points: Sequence[Point], chart_id: str = "sentiment") -> Markup:
    """Return a line of mean sentiment (−1 … +1) per bucket, with a zero line."""
    title = "Average sentiment per period (−1 negative … +1 positive)"
    scored = [(i, p) for i, p in enumerate(points) if p.mean is not None and p.total]
    if not scored:
        return _empty(title, chart_id)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = plot_w / len(points)

    def y_of(value: float) -> float:
        return HEIGHT - PAD_BOTTOM - plot_h * (max(-1.0, min(1.0, value)) + 1) / 2

    body = _grid(1.0, -1.0)
    zero = y_of(0.0)
    body.append(f'<line class="zero" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{zero:.1f}" '
                f'y2="{zero:.1f}"/>')
    coords = [(PAD_LEFT + slot * i + slot / 2, y_of(p.mean or 0.0)) for i, p in scored]
    # a period without posts has no mean: the line breaks there rather than bridging it
    path = " ".join(f"{'L' if n and scored[n - 1][0] == i - 1 else 'M'}{x:.1f},{y:.1f}"
                    for n, ((x, y), (i, _p)) in enumerate(zip(coords, scored, strict=True)))
    body.append(f'<path class="line" d="{path}" fill="none"/>')
    for (x, y), (_i, p) in zip(coords, scored, strict=True):
        tone = "positive" if (p.mean or 0) > 0.05 else "negative" if (p.mean or 0) < -0.05 \
            else "neutral"
        body.append(f'<circle class="dot {tone}" cx="{x:.1f}" cy="{y:.1f}" r="4" '
                    f'fill="{COLOURS[tone]}"><title>{escape(p.label)}: {signed(p.mean or 0.0)} '
                    f'({plural(p.total, "post")})</title></circle>')
    xs = [PAD_LEFT + slot * i + slot / 2 for i in range(len(points))]
    body += _x_labels(points, xs)
    means = [p.mean or 0.0 for _i, p in scored]
    desc = (f"Average sentiment ranges from {signed(min(means))} to {signed(max(means))} over "
            f"{plural(len(points), 'period')}.")
    return _svg(title, desc, body, chart_id)


def mix_bar(negative: int, neutral: int, positive: int, chart_id: str = "mix") -> Markup:
    """Return a thin horizontal bar splitting posts into negative, neutral and positive."""
    total = negative + neutral + positive
    desc = (f"{negative} negative, {neutral} neutral, {positive} positive" if total
            else "No posts.")
    body: list[str] = []
    x = 0.0
    for name, value in (("negative", negative), ("neutral", neutral), ("positive", positive)):
        if total and value:
            width = 300 * value / total
            body.append(f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="10" '
                        f'fill="{COLOURS[name]}"/>')
            x += width
    if not total:
        body.append('<rect x="0" y="0" width="300" height="10" fill="#eef0f4"/>')
    return Markup(
        f'<svg class="mix-bar" viewBox="0 0 300 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(desc)}" xmlns="http://www.w3.org/2000/svg">{"".join(body)}</svg>')
