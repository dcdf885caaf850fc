"""Geometry of the monthly climate chart (precipitation bars, temperature lines) as plain
numbers for a server-rendered inline SVG. Pure: no Django, no numpy needed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 56, 28, 36
MONTH_ABBR = ("J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D")


@dataclass(frozen=True)
class Line:
    key: str
    points: str  # "x,y x,y …" for <polyline>
    dots: list[tuple[float, float, float]]  # x, y, value


@dataclass(frozen=True)
class Band:
    key: str
    points: str  # "x,y x,y …" for <polygon>: the upper edge left to right, then the lower back


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[dict]
    lines: list[Line]
    temperature_ticks: list[tuple[float, int]]  # y, °C
    precipitation_ticks: list[tuple[float, int]]  # y, mm
    months: list[tuple[float, str]]  # x, label
    zero_y: float | None = None
    extra: dict = field(default_factory=dict)
    bands: list[Band] = field(default_factory=list)


def _nice_step(span: float, target: int = 5) -> int:
    raw = max(span / target, 1e-9)
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return max(int(multiple * magnitude), 1)
    return int(10 * magnitude)


def climate_chart(
    temperature_lines: dict[str, list[float]],
    precipitation: list[float],
    bands: dict[str, tuple[list[float], list[float]]] | None = None,
) -> Chart:
    """Bars for ``precipitation`` (mm/month, right axis), one polyline per entry of
    ``temperature_lines`` and one shaded band per entry of ``bands`` (low, high: the models'
    range), all in °C on the left axis and on shared month positions."""
    bands = bands or {}
    all_t = [v for values in temperature_lines.values() for v in values]
    all_t += [v for low, high in bands.values() for v in (*low, *high)]
    t_step = _nice_step(max(all_t) - min(min(all_t), 0) + 1)
    t_min = math.floor(min(min(all_t), 0) / t_step) * t_step
    t_max = math.ceil(max(max(all_t), t_min + t_step) / t_step) * t_step
    p_step = _nice_step(max(max(precipitation), 10))
    p_max = math.ceil(max(max(precipitation), 10) / p_step) * p_step

    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / 12

    def x_at(month: int) -> float:
        return round(LEFT + slot * (month + 0.5), 1)

    def y_t(value: float) -> float:
        return round(TOP + plot_h * (t_max - value) / (t_max - t_min), 1)

    def y_p(value: float) -> float:
        return round(TOP + plot_h * (1 - value / p_max), 1)

    bars = []
    for month, value in enumerate(precipitation):
        y = y_p(value)
        bars.append(
            {
                "x": round(LEFT + slot * month + slot * 0.2, 1),
                "y": y,
                "width": round(slot * 0.6, 1),
                "height": round(TOP + plot_h - y, 1),
                "value": value,
            }
        )
    lines = []
    for key, values in temperature_lines.items():
        dots = [(x_at(m), y_t(v), v) for m, v in enumerate(values)]
        lines.append(Line(key, " ".join(f"{x},{y}" for x, y, _ in dots), dots))
    shaded = []
    for key, (low, high) in bands.items():
        upper = [f"{x_at(m)},{y_t(v)}" for m, v in enumerate(high)]
        lower = [f"{x_at(m)},{y_t(v)}" for m, v in reversed(list(enumerate(low)))]
        shaded.append(Band(key, " ".join(upper + lower)))
    return Chart(
        bands=shaded,
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=TOP + plot_h,
        bars=bars,
        lines=lines,
        temperature_ticks=[(y_t(v), v) for v in range(int(t_min), int(t_max) + 1, t_step)],
        precipitation_ticks=[(y_p(v), v) for v in range(0, int(p_max) + 1, p_step)],
        months=[(x_at(m), MONTH_ABBR[m]) for m in range(12)],
        zero_y=y_t(0) if t_min < 0 < t_max else None,
    )
