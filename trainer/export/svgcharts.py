"""Charts as inline SVG for the HTML study sheet: no scripts, fonts or files to fetch.

Called by `sheets.render_html` when the export carries history (`--with-history`); the
numbers come from `trainer.study.trends`, the same the app's Progress plots show. Every
piece of text is escaped; the SVG is a plain string the template marks safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from trainer.study.trends import Trends

W, H = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 34
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
FUTURE = "#ff7f0e"


def _frame(title: str, body: list[str], y_max: float, y_unit: str = "") -> str:
    plot_h = H - TOP - BOTTOM
    grid = []
    for n in range(5):
        value = y_max * n / 4
        y = TOP + plot_h - plot_h * n / 4
        grid.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" '
                    'stroke="#ddd" stroke-width="1"/>')
        grid.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" '
                    f'font-size="10">{value:.0f}{y_unit}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
            f'class="chart" font-family="sans-serif"><title>{escape(title)}</title>'
            f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>'
            + "".join(grid) + "".join(body) + "</svg>")


def _x(index: float, count: int) -> float:
    span = W - LEFT - RIGHT
    return LEFT + span * (index + 0.5) / max(count, 1)


def _y(value: float, y_max: float) -> float:
    plot_h = H - TOP - BOTTOM
    return TOP + plot_h - plot_h * (value / y_max if y_max else 0)


def _label(x: float, text: str) -> str:
    return (f'<text x="{x:.1f}" y="{H - BOTTOM + 14}" text-anchor="middle" '
            f'font-size="10">{escape(text)}</text>')


def score_chart(t: Trends) -> Markup:
    days = sorted({d for s in t.scores for d, _ in s.points})
    if not days:
        return Markup("")
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)

    def x_of(d: date) -> float:
        return LEFT + (W - LEFT - RIGHT) * (d - first).days / span

    body = []
    for n, series in enumerate(t.scores):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{x_of(d):.1f},{_y(v, 100):.1f}" for d, v in series.points)
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{points}"/>')
        body += [f'<circle cx="{x_of(d):.1f}" cy="{_y(v, 100):.1f}" r="2.5" '
                 f'fill="{colour}"/>' for d, v in series.points]
        body.append(f'<text x="{W - RIGHT}" y="{TOP + 12 * n + 10}" text-anchor="end" '
                    f'font-size="11" fill="{colour}">{escape(series.topic)}</text>')
    body += [_label(LEFT, first.isoformat()), _label(W - RIGHT - 30, last.isoformat())]
    return Markup(_frame("Score over time (mean per day), most practised topics", body, 100))


def load_chart(t: Trends) -> Markup:
    past, ahead = t.load.past, t.load.ahead[1:]  # today's count is the first of `ahead`
    values: Sequence[int] = [n for _, n in past] + [n for _, n in ahead]
    if not any(values) and not t.load.ahead[0][1]:
        return Markup("")
    count = len(values)
    y_max = max([*values, t.load.ahead[0][1], 1])
    bar_w = (W - LEFT - RIGHT) / count * 0.7
    body = []
    for i, v in enumerate(values):
        future = i >= len(past)
        colour = FUTURE if future else COLOURS[0]
        x = _x(i, count) - bar_w / 2
        y = _y(v, y_max)
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                    f'height="{_y(0, y_max) - y:.1f}" fill="{colour}"/>')
    today = len(past) - 1
    due_today = t.load.ahead[0][1]
    x = _x(today, count)
    body.append(f'<circle cx="{x:.1f}" cy="{_y(due_today, y_max):.1f}" r="4" '
                f'fill="{FUTURE}"><title>due today: {due_today}</title></circle>')
    body += [_label(_x(0, count), past[0][0].isoformat()), _label(x, "today"),
             _label(_x(count - 1, count) - 20, ahead[-1][0].isoformat() if ahead else "")]
    body.append(f'<text x="{W - RIGHT}" y="{TOP + 10}" text-anchor="end" font-size="11">'
                f'<tspan fill="{COLOURS[0]}">reviews done</tspan> · '
                f'<tspan fill="{FUTURE}">cards coming due</tspan></text>')
    return Markup(_frame("Reviews per day, and the forecast of reviews to come", body,
                         y_max))


def retention_chart(t: Trends) -> Markup:
    weeks = t.retention[-12:]
    if not weeks:
        return Markup("")
    count = len(weeks)
    bar_w = (W - LEFT - RIGHT) / count * 0.6
    body = []
    for i, p in enumerate(weeks):
        x = _x(i, count)
        y = _y(100 * p.rate, 100)
        body.append(f'<rect x="{x - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                    f'height="{_y(0, 100) - y:.1f}" fill="{COLOURS[2]}">'
                    f'<title>{p.recalled} of {p.reviews}</title></rect>')
        body.append(_label(x, p.week.strftime("%m-%d")))
    return Markup(_frame("Recalled per week (reviews a day or more after the last)", body,
                         100, "%"))


def charts(t: Trends | None) -> list[Markup]:
    """The charts worth drawing for this history (none without history)."""
    if t is None:
        return []
    return [c for c in (score_chart(t), load_chart(t), retention_chart(t)) if c]
