"""Server-rendered SVG line charts of approval and deployment rates over time.

The geometry is computed here and drawn by templates/compliance/_trend_chart.html,
so pages need no JavaScript and no charting library from the internet.
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 28
SERIES = (
    ("approval", _("Approval rate"), "approval_rate"),
    ("deployment", _("Deployment rate"), "deployment_rate"),
)
MAX_X_LABELS = 6


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    lines: list = field(default_factory=list)
    x_ticks: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def is_empty(self):
        return not any(line["markers"] for line in self.lines)


def _x_scale(first, last):
    span = (last - first).days
    usable = WIDTH - LEFT - RIGHT
    if span == 0:
        return lambda day: LEFT + usable / 2
    return lambda day: round(LEFT + usable * (day - first).days / span, 1)


def _y(rate):
    usable = HEIGHT - TOP - BOTTOM
    return round(TOP + usable * (1 - float(rate) / 100), 1)


def trend_chart(points, deadlines=()):
    """Chart geometry for TrendPoints (oldest first) and deadlines (with due_date) in range."""
    chart = Chart()
    chart.y_ticks = [{"y": _y(rate), "label": f"{rate}%"} for rate in (0, 25, 50, 75, 100)]
    if not points:
        return chart
    first, last = points[0].as_of, points[-1].as_of
    x = _x_scale(first, last)
    for key, label, attribute in SERIES:
        markers = [_marker(point, x(point.as_of), getattr(point, attribute)) for point in points]
        markers = [marker for marker in markers if marker is not None]
        polyline = " ".join(f"{m['x']},{m['y']}" for m in markers)
        chart.lines.append({"key": key, "label": label, "points": polyline, "markers": markers})
    chart.x_ticks = _x_ticks(points, x)
    chart.deadlines = [
        {"x": x(d.due_date), "label": d.name, "due": date_format(d.due_date, "d/m/Y")}
        for d in deadlines
        if first <= d.due_date <= last
    ]
    return chart


def _marker(point, x, rate):
    if rate is None:
        return None
    return {
        "x": x,
        "y": _y(rate),
        "rate": rate,
        "date": date_format(point.as_of, "d/m/Y"),
        "published": point.source == "published",
        "live": point.live,
    }


def _x_ticks(points, x):
    step = max(1, -(-len(points) // MAX_X_LABELS))
    chosen = points[::step]
    if chosen[-1] is not points[-1]:
        chosen = (
            chosen[:-1] + [points[-1]] if len(chosen) >= MAX_X_LABELS else chosen + [points[-1]]
        )
    return [{"x": x(p.as_of), "label": p.as_of.strftime("%m/%Y")} for p in chosen]
