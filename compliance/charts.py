"""Server-rendered SVG line charts of approval and deployment rates over time.

The geometry is computed here and drawn by templates/compliance/_trend_chart.html,
so pages need no JavaScript and no charting library from the internet.

Honest by construction: the points rebuilt from the registry and the points of the
published reports counted different sets of systems (3,086 systems in 12/2022 against
6,155 rebuilt), so they are separate series, drawn differently and never joined. The
legend names only what is drawn, deadlines carry their label, the time axis spans the
points. Each chart is drawn twice, for a wide screen and for a phone (CSS shows one),
and the page gives the figures behind it as a table.
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from compliance.forecast import PUBLISHED
from compliance.tables import rate_text


@dataclass(frozen=True)
class Frame:
    """The drawing's size and margins; `max_labels` dates fit under the axis."""

    width: int
    height: int
    left: int = 44
    right: int = 16
    top: int = 26
    bottom: int = 28
    max_labels: int = 6


WIDE = Frame(640, 250)
NARROW = Frame(340, 260, left=38, right=12, max_labels=3)
SERIES = (
    ("approval", _("Approval rate"), _("Approval rate, published reports"), "approval_rate"),
    (
        "deployment",
        _("Deployment rate"),
        _("Deployment rate, published reports"),
        "deployment_rate",
    ),
)


@dataclass
class Chart:
    frame: Frame
    lines: list = field(default_factory=list)
    x_ticks: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)

    width = property(lambda self: self.frame.width)
    height = property(lambda self: self.frame.height)
    plot_left = property(lambda self: self.frame.left)
    plot_right = property(lambda self: self.frame.width - self.frame.right)
    plot_top = property(lambda self: self.frame.top)
    plot_bottom = property(lambda self: self.frame.height - self.frame.bottom)

    @property
    def is_empty(self):
        return not any(line["markers"] for line in self.lines)


@dataclass
class TrendChart:
    """The wide and the narrow drawing of the same points, and the table behind them."""

    wide: Chart
    narrow: Chart
    rows: list  # [{date, approval, deployment, published}]
    legend: list  # [{key, label}]: only what is drawn

    @property
    def is_empty(self):
        return self.wide.is_empty

    @property
    def lines(self):
        return self.wide.lines

    @property
    def has_published(self):
        return any(row["published"] for row in self.rows)

    @property
    def deadlines(self):
        return self.wide.deadlines


def _x_scale(frame, first, last):
    usable = frame.width - frame.left - frame.right
    span = (last - first).days
    if span == 0:
        return lambda day: frame.left + usable / 2
    return lambda day: round(frame.left + usable * (day - first).days / span, 1)


def _y_scale(frame):
    usable = frame.height - frame.top - frame.bottom
    return lambda rate: round(frame.top + usable * (1 - float(rate) / 100), 1)


def trend_chart(points, deadlines=()):
    """Both drawings for TrendPoints (oldest first) and deadlines (with due_date) in range."""
    wide, narrow = _draw(points, deadlines, WIDE), _draw(points, deadlines, NARROW)
    legend = [
        {"key": line["key"], "label": line["label"]} for line in wide.lines if line["markers"]
    ]
    if wide.deadlines:
        legend.append({"key": "deadline", "label": _("deadline")})
    return TrendChart(wide, narrow, _table_rows(points), legend)


def _draw(points, deadlines, frame):
    chart = Chart(frame)
    y = _y_scale(frame)
    chart.y_ticks = [{"y": y(rate), "label": f"{rate}%"} for rate in (0, 25, 50, 75, 100)]
    if not points:
        return chart
    first, last = points[0].as_of, points[-1].as_of
    x = _x_scale(frame, first, last)
    rebuilt = [point for point in points if point.source != PUBLISHED]
    published = [point for point in points if point.source == PUBLISHED]
    for key, label, published_label, attribute in SERIES:
        chart.lines.append(_line(key, label, rebuilt, attribute, x, y))
        chart.lines.append(_line(f"{key} published", published_label, published, attribute, x, y))
    chart.x_ticks = _x_ticks(points, x, frame)
    shown = [d for d in deadlines if first <= d.due_date <= last]
    chart.deadlines = [_deadline(d, x(d.due_date), index, frame) for index, d in enumerate(shown)]
    return chart


def _deadline(deadline, x, index, frame):
    """A deadline line labelled with its date above the plot; neighbouring labels take
    alternate rows, and a label near the right edge reads leftward."""
    return {
        "x": x,
        "label": deadline.name,
        "due": date_format(deadline.due_date, "d/m/Y"),
        "label_y": frame.top - (14 if index % 2 == 0 else 3),
        "anchor": "end" if x > frame.width / 2 else "start",
    }


def _line(key, label, points, attribute, x, y):
    markers = [
        _marker(point, x(point.as_of), y, getattr(point, attribute))
        for point in points
        if getattr(point, attribute) is not None
    ]
    polyline = " ".join(f"{m['x']},{m['y']}" for m in markers)
    return {"key": key, "label": label, "points": polyline, "markers": markers}


def _marker(point, x, y, rate):
    return {
        "x": x,
        "y": y(rate),
        "rate": rate,
        "date": date_format(point.as_of, "d/m/Y"),
        "published": point.source == PUBLISHED,
        "live": point.live,
    }


def _x_ticks(points, x, frame):
    """Up to frame.max_labels month labels evenly spaced from the first point to the last, so
    that they never crowd; the first and last read inward so that none is clipped."""
    first, last = points[0].as_of, points[-1].as_of
    count = min(frame.max_labels, 1 + (last - first).days // 28)
    if count <= 1:
        return [{"x": x(last), "label": last.strftime("%m/%Y"), "anchor": "middle"}]
    days = [first + (last - first) * index / (count - 1) for index in range(count)]
    anchors = ["start"] + ["middle"] * (count - 2) + ["end"]
    return [
        {"x": x(day), "label": day.strftime("%m/%Y"), "anchor": anchor}
        for day, anchor in zip(days, anchors, strict=True)
    ]


def _table_rows(points):
    return [
        {
            "date": date_format(point.as_of, "d/m/Y"),
            "total": point.total,
            "approval": rate_text(point.approval_rate),
            "deployment": rate_text(point.deployment_rate),
            "published": point.source == PUBLISHED,
        }
        for point in points
    ]
