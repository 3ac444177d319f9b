"""`trainer import`: each format into a bank that passes `bank check`, with the right
counts, stable ids, honest grading modes, and hostile input handled like the loader's."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml

from trainer.bank import check_bank, load_bank
from trainer.cli import main

DATA = Path(__file__).parent / "data" / "imports"


def _import(kind: str, source: Path, out: Path, *extra: str) -> Path:
    assert main(["import", kind, str(source), "-o", str(out), *extra]) == 0
    (written,) = [p for p in out.iterdir() if p.suffix == ".yaml"] if out.is_dir() else [out]
    bank, problems = check_bank([written], builtin=False, trust_cache=False)
    assert not problems, problems
    return written


def _questions(path: Path) -> list[dict[str, object]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def test_devops_exercises_clone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clone = tmp_path / "devops-questions"
    import shutil

    shutil.copytree(DATA / "devops", clone)
    (clone / ".git").mkdir()
    (clone / ".git" / "config").write_text(
        '[remote "origin"]\n\turl = https://example.invalid/fixtures/devops-questions.git\n')
    out = tmp_path / "out"
    out.mkdir()
    written = _import("devops-exercises", clone, out)
    err = capsys.readouterr().err
    assert "4 questions" in err and "skipped 1 without an answer" in err
    assert "skipped 1 duplicates" in err
    qs = {q["prompt"]: q for q in _questions(written)}
    assert set(qs) == {
        "What does a canary release protect you from?",
        "Why keep the previous `ReplicaSet` around?", "What does a DNS TTL control?",
        "What happens to a pod's endpoints when it starts terminating?"}
    canary = qs["What does a canary release protect you from?"]
    assert canary["topics"] == ["deployments"]
    assert str(canary["model_answer"]).startswith("A canary sends a small share")
    assert "README.md:5" in str(canary["source"]) and "CC BY-NC-ND 3.0" in str(canary["source"])
    assert "example.invalid/fixtures/devops-questions.git" in str(canary["source"])
    pod = qs["What happens to a pod's endpoints when it starts terminating?"]
    assert pod["topics"] == ["kubernetes"] and "```yaml" in str(pod["model_answer"])
    assert all("<" not in str(q["model_answer"]).replace("```", "") or "```" in str(
        q["model_answer"]) for q in qs.values())
    assert "<code>" not in written.read_text() and "<b>" not in written.read_text()


def test_ids_are_stable_across_imports_and_history_is_kept(tmp_path: Path,
                                                            data_dir: Path) -> None:
    from trainer.application import Workspace
    from trainer.study import History

    out = tmp_path / "bank.yaml"
    first = [q["id"] for q in _questions(_import("csv", DATA / "anki.csv", out))]
    bank = load_bank([out], builtin=False)
    ws = Workspace(bank, History.open())
    session = ws.practice(start_id=first[0])
    item = session.next_item()
    assert item is not None
    session.record("two environments and a router switch", ws.grade(item, "two envs"), 3.0)
    session.flush()
    ws.close()
    again = [q["id"] for q in _questions(_import("csv", DATA / "anki.csv", out))]
    assert again == first
    with History.open() as history:
        assert [a.item_id for a in history.attempts()] == [first[0]]


def test_anki_csv_export_with_header_lines(tmp_path: Path) -> None:
    written = _import("csv", DATA / "anki.csv", tmp_path / "anki.yaml")
    qs = _questions(written)
    assert [q["prompt"] for q in qs] == ["What does **blue-green** deployment keep ready?",
                                          "What is a readiness probe for?"]
    assert qs[0]["topics"] == ["deploy-blue-green", "interview"]
    assert "*one switch*" in str(qs[0]["model_answer"]) and "<" not in str(qs[0]["model_answer"])


def _apkg(tmp_path: Path, notes: list[tuple[str, str, str]], *, modern: bool = False) -> Path:
    import genanki

    model = genanki.Model(1607392319, "Basic (fixture)", fields=[{"name": "Front"},
                                                                 {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                                      "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}])
    deck = genanki.Deck(2059400110, "Interview::Networking")
    for front, back, tags in notes:
        deck.add_note(genanki.Note(model=model, fields=[front, back], tags=tags.split(),
                                   guid=genanki.guid_for(front)))
    path = tmp_path / "deck.apkg"
    genanki.Package(deck).write_to_file(str(path))
    if modern:  # Anki 2.1.50+: a zstd collection beside a stub that says "update Anki"
        import zstandard

        with zipfile.ZipFile(path) as z:
            collection = z.read("collection.anki2")
        stub = tmp_path / "stub.anki2"
        conn = sqlite3.connect(stub)
        conn.execute("CREATE TABLE notes (x)")
        conn.close()
        modern_path = tmp_path / "modern.apkg"
        with zipfile.ZipFile(modern_path, "w") as z:
            z.writestr("collection.anki2", stub.read_bytes())
            z.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(collection))
            z.writestr("media", "{}")
        return modern_path
    return path


NOTES = [("What is <i>anycast</i>?", "One address announced from many places; routing "
          "picks the nearest.<br><br>Used by CDNs and DNS roots.", "networking routing"),
         ("Why lower a DNS TTL before a migration?", "So caches drop the old record soon "
          "after the switch.", "dns"),
         ("Empty back?", "", "dns")]


@pytest.mark.parametrize("modern", [False, True], ids=["anki2", "anki21b"])
def test_anki_deck(tmp_path: Path, modern: bool, capsys: pytest.CaptureFixture[str]) -> None:
    written = _import("anki", _apkg(tmp_path, NOTES, modern=modern), tmp_path / "deck.yaml")
    assert "skipped 1 without an answer" in capsys.readouterr().err
    qs = _questions(written)
    assert [q["prompt"] for q in qs] == ["What is *anycast*?",
                                          "Why lower a DNS TTL before a migration?"]
    assert qs[0]["topics"] == ["networking", "routing"]
    assert "Used by CDNs" in str(qs[0]["model_answer"]) and "<br>" not in written.read_text()
    assert "note" in str(qs[0]["source"])


@pytest.mark.parametrize("name", ["qa.md", "headings.md"])
def test_plain_markdown(tmp_path: Path, name: str) -> None:
    qs = _questions(_import("markdown", DATA / name, tmp_path / "md.yaml"))
    assert len(qs) == 2 and all(q["model_answer"] for q in qs)
    if name == "headings.md":
        assert qs[0]["prompt"] == "What is a rolling update?"
        assert qs[0]["topics"] == ["release-engineering"]


def test_trainers_own_markdown_export_imports_back(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.md"
    assert main(["export", "--format", "md", "--topic", "dns", "-o", str(sheet)]) == 0
    written = _import("markdown", sheet, tmp_path / "back.yaml")
    qs = _questions(written)
    builtin = {q.prompt for q in load_bank().questions if "dns" in q.topics}
    assert {q["prompt"] for q in qs} == builtin
    assert all("dns" in q["topics"] for q in qs)
    # and it exports again
    assert main(["--no-builtin", "--bank", str(written), "export", "--format", "md",
                 "-o", str(tmp_path / "again.md")]) == 0


def test_prose_no_rubric_fits_becomes_a_self_rated_flashcard(tmp_path: Path) -> None:
    written = _import("csv", DATA / "anki.csv", tmp_path / "selfs.yaml", "--grading", "self")
    assert {q["grading"] for q in _questions(written)} == {"self"}
    bank = load_bank([written], builtin=False)
    assert all(q.grading == "self" for q in bank.questions)


@pytest.mark.parametrize("body", [b"not a zip", b"PK\x03\x04garbage"])
def test_a_broken_deck_is_one_line_and_exit_2(tmp_path: Path, body: bytes,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "broken.apkg"
    deck.write_bytes(body)
    assert main(["import", "anki", str(deck), "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert "not an Anki deck" in err and "Traceback" not in err
    assert not (tmp_path / "x.yaml").exists()


def test_hostile_text_is_data(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.csv"
    hostile.write_text("#separator:tab\n#html:true\n"
                       "[@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07 <script>alert(1)</script>?"
                       "\t<img src=x onerror=alert(2)>Answer \u202e text\n", encoding="utf-8")
    written = _import("csv", hostile, tmp_path / "h.yaml")
    text = written.read_text(encoding="utf-8")
    for bad in ("\x1b", "\x07", "\u202e", "<script", "<img", "onerror"):
        assert bad not in text
    assert "[@click=app.quit]" in text  # kept as text: the app shows it literally


def test_a_large_import_loads_fast(tmp_path: Path) -> None:
    rows = "".join(f"Question number {i} about rollbacks?\tAnswer {i}: roll back first.\n"
                   for i in range(2500))
    big = tmp_path / "big.csv"
    big.write_text("#separator:tab\n" + rows, encoding="utf-8")
    written = _import("csv", big, tmp_path / "big.yaml", "--grading", "rubric")
    assert len(load_bank([written], builtin=False).questions) == 2500


def test_a_flashcard_is_rated_not_scored_and_the_rating_schedules_it(
        tmp_path: Path, data_dir: Path) -> None:
    from trainer.application import Workspace
    from trainer.study import History

    written = _import("csv", DATA / "anki.csv", tmp_path / "cards.yaml", "--grading", "self")
    ws = Workspace(load_bank([written], builtin=False), History.open())
    session = ws.practice()
    item = session.next_item()
    assert item is not None
    result = ws.grade(item, "two environments")
    assert result.verdict == "self-rated" and not result.concepts
    session.record("two environments", result, 4.0)
    session.self_rate(3)
    session.flush()
    (attempt,) = ws.history.attempts()
    assert attempt.score == 75 and attempt.self_rating == 3
    assert [r.rating for r in ws.history.reviews()] == [3]
    unrated = session.next_item()
    assert unrated is not None
    session.record("no idea", ws.grade(unrated, "no idea"), 2.0)
    session.flush()  # moved on without a rating: nothing to schedule it by
    assert len(ws.history.reviews()) == 1
    ws.close()
