"""Progress charts: the numbers (trainer.study.trends) and the inline SVG of the HTML
export, which must need nothing from outside the file."""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta
from pathlib import Path
from xml.etree import ElementTree

from study_support import FakeClock, bank_at, graded

from trainer.export import ExportOptions, export
from trainer.export.svgcharts import charts
from trainer.study import History, SpacedRepetition, record_answer
from trainer.study.trends import RetentionPoint, ReviewLoad, TopicSeries, Trends, trends


def test_trends_and_the_html_charts(small_bank: Path, tmp_path: Path) -> None:
    clock = FakeClock()
    bank = bank_at(small_bank)
    history = History.open(tmp_path / "h.sqlite3", clock=clock)
    srs = SpacedRepetition.deterministic(history, bank, clock=clock)
    for text, rating in (("roll back", 1), ("small slice, roll back", 3),
                         ("small slice, compare with the baseline, roll back", 3)):
        record_answer(srs, "canary-basics", text, graded(bank, "canary-basics", text),
                      self_rating=rating)
        clock.advance(days=2)
    t = trends(history, bank, tz=UTC, days=7, ahead=5)
    (series,) = t.scores
    assert series.topic == "canary" and series.answers == 3
    assert [p[1] for p in series.points] == [a.score for a in reversed(history.attempts())]
    assert sum(n for _, n in t.load.past) == 3  # one review each answer, within 7 days
    assert len(t.load.past) == 7 and len(t.load.ahead) == 5
    assert t.load.past[-1][0] == clock.now.date()
    # Two reviews came two days after the one before: one failed card recalled, one more.
    assert sum(p.reviews for p in t.retention) == 2
    assert sum(p.recalled for p in t.retention) == 2

    out = tmp_path / "sheet.html"
    export(bank, "html", out, ExportOptions(with_history=True), history)
    html = out.read_text(encoding="utf-8")
    svgs = re.findall(r"<svg.*?</svg>", html, re.DOTALL)
    assert len(svgs) == 3 and "Your progress" in html
    for svg in svgs:
        ElementTree.fromstring(svg)  # well-formed
    outside = re.findall(r'(?:src|href)="[^"]*"|url\(|<script|@import', html)
    assert outside == []
    plain = tmp_path / "plain.html"
    export(bank, "html", plain, ExportOptions(), history)
    assert "<svg" not in plain.read_text(encoding="utf-8")
    history.close()


def test_chart_text_is_escaped() -> None:
    day = date(2024, 3, 4)
    t = Trends(scores=(TopicSeries("<script>x</script>", ((day, 50.0),
                                                            (day + timedelta(1), 70.0)), 2),),
               load=ReviewLoad(((day, 1),), ((day, 2), (day + timedelta(1), 3))),
               retention=(RetentionPoint(day, 4, 3),))
    out = "".join(charts(t))
    assert "<script>" not in out and "&lt;script&gt;" in out
    for svg in re.findall(r"<svg.*?</svg>", out, re.DOTALL):
        ElementTree.fromstring(svg)
