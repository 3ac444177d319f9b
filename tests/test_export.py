"""Exports beyond the golden files: escaping, stable Anki GUIDs, filters, templates shipped."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import genanki
import pytest
from study_support import EXPORT_BANK, FakeClock, bank_at
from test_export_golden import apkg_notes

from trainer.bank import Bank
from trainer.export import ExportOptions, build_content, export, render_csv
from trainer.export.render import markdown_text
from trainer.study import History, SpacedRepetition

SCRIPT = "<script>alert('x')</script>"
ROOT = Path(__file__).resolve().parents[1]


def _bank(tmp_path: Path, text: str = EXPORT_BANK) -> Bank:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return bank_at(path)


@pytest.fixture
def hostile(tmp_path: Path) -> Bank:
    text = (EXPORT_BANK
            .replace("What is a canary release and why use one?",
                     f"What is a canary {SCRIPT} release?")
            .replace("One to five percent of traffic.", f"One to five percent {SCRIPT}.")
            .replace("definition: A release", f"definition: {SCRIPT} A release")
            .replace("why: That is a big-bang", f"why: {SCRIPT} That is a big-bang")
            .replace("title: Canary numbers", 'title: "Canary <img src=x onerror=alert(1)>"')
            .replace("code: Q-90", 'code: "Q-<b><script>alert(1)</script>"'))
    return _bank(tmp_path, text)


def test_every_field_is_escaped_in_markdown(hostile: Bank, tmp_path: Path) -> None:
    """Reliability F3: the code in a heading was the one field passed through raw."""
    out = tmp_path / "s.md"
    export(hostile, "md", out)
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "## Q-&lt;b>&lt;script>alert(1)&lt;/script> · " in text


def test_script_is_escaped_in_html(hostile: Bank, tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    export(hostile, "html", out)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;alert(") == 6  # code (twice), prompt, answer, flag, term
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_script_is_escaped_in_anki_fields(hostile: Bank, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    export(hostile, "anki", out)
    fields = [f for note in apkg_notes(out) for f in note["fields"]]  # type: ignore[union-attr]
    joined = "\n".join(fields)  # type: ignore[arg-type]
    assert "<script" not in joined and "<img" not in joined
    assert "&lt;script&gt;" in joined
    rows = list(csv.reader(io.StringIO(render_csv(build_content(hostile, ExportOptions())))))
    assert all("<script" not in cell for row in rows for cell in row)


def test_markdown_escapes_html_outside_code() -> None:
    text = "Use `<head>` and\n```\n<b>kept</b>\n```\nbut not <script>x</script>"
    assert markdown_text(text) == (
        "Use `<head>` and\n```\n<b>kept</b>\n```\nbut not &lt;script>x&lt;/script>")


def test_apkg_guids_are_stable_across_exports(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export(bank, "anki", first)
    edited = _bank(tmp_path, EXPORT_BANK.replace("Caches keep the old record",
                                                 "Resolvers keep the old record"))
    export(edited, "anki", second)
    one, two = apkg_notes(first), apkg_notes(second)
    assert [n["guid"] for n in one] == [n["guid"] for n in two]
    assert [n["guid"] for n in one] == [genanki.guid_for(i) for i in
                                        ("canary-basics", "canary-basics.f1", "dns-ttl",
                                         "term-canary")]
    # Glossary terms are their own note type: term, definition, aliases.
    assert one[3]["fields"][1:3] == ["Canary", "A release that goes to a small share of "
                                     "traffic first."]
    assert len({n["guid"] for n in one}) == len(one)  # no duplicates on re-import
    assert one[2]["fields"] != two[2]["fields"]  # the edit is in, under the same guid


def test_csv_guid_column_matches_the_deck(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    text = render_csv(build_content(bank, ExportOptions()))
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert header[:2] == ["#separator:Comma", "#html:true"]
    assert "#tags column:5" in header and "#guid column:1" in header
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[len(header):]))))
    assert [r[0] for r in rows] == [genanki.guid_for(r[1]) for r in rows]
    assert rows[0][4] == "topic::canary level::mid"


def test_topic_and_level_filters(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    ids = lambda o: [c.id for c in build_content(bank, o).cards]  # noqa: E731
    assert ids(ExportOptions()) == ["canary-basics", "canary-basics.f1", "dns-ttl"]
    assert ids(ExportOptions(topics=("dns",))) == ["dns-ttl"]
    assert ids(ExportOptions(level="mid")) == ["canary-basics", "canary-basics.f1"]
    assert ids(ExportOptions(topics=("dns",), level="mid")) == []


def test_due_and_weakest_need_and_use_history(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    with pytest.raises(ValueError, match="history"):
        build_content(bank, ExportOptions(due=True))
    clock = FakeClock()
    with History.open(clock=clock) as h:
        srs = SpacedRepetition.deterministic(h, bank, clock=clock)
        srs.review("canary-basics.f1", score=10)   # Again: due in a minute
        srs.review("dns-ttl", score=95)            # Easy: due in days
        for score in (30, 50, 70):
            h.add_attempt(_attempt("dns-ttl", score, clock))
        h.add_attempt(_attempt("canary-basics", 40, clock))
        h.add_attempt(_attempt("canary-basics.f1", 90, clock))
        clock.advance(minutes=5)
        due = build_content(bank, ExportOptions(due=True), h)
        # The parent is shown for context but is not itself a card of the export.
        assert [c.id for c in due.cards] == ["canary-basics.f1"]
        assert [q.id for q in due.questions] == ["canary-basics"]
        assert not due.questions[0].selected
        weakest = build_content(bank, ExportOptions(weakest=2), h)
        assert [c.id for c in weakest.cards] == ["canary-basics", "dns-ttl"]  # 40 and 50


def _attempt(item_id: str, score: int, clock: FakeClock):  # type: ignore[no-untyped-def]
    from trainer.study import Attempt

    clock.advance(seconds=1)
    return Attempt(item_id=item_id, answer="x", score=score, at=clock.now)


