"""`trainer grade`: JSONL in, JSONL out, bad lines reported, explanations for people."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _run(argv: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trainer", *argv], input=stdin, text=True,
                          capture_output=True, cwd=ROOT)


def test_grade_jsonl_in_order_with_error_lines(small_bank: Path, tmp_path: Path) -> None:
    lines = [
        {"question": "canary-basics", "answer": "Send 1% to the canary, compare with the "
         "baseline and roll back if worse."},
        "not json at all",
        {"question": "nope", "answer": "x"},
        {"question": "canary-basics.f1", "answer": "Five percent"},
        {"question": "canary-basics"},
        {"id": "canary-basics", "answer": "all users at once", "who": "kim"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n")
    out = tmp_path / "out.jsonl"
    code = main(["grade", "--input", str(src), "--output", str(out), "--no-builtin",
                 "--bank", str(small_bank)])
    assert code == 1
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 6
    assert rows[0]["score"] == 100 and rows[0]["verdict"] == "strong"
    assert {m["concept"] for m in rows[0]["matched"]} == {
        "Small slice of traffic", "Compare with the baseline", "Roll back when worse"}
    assert rows[1] == {"line": 2, "error": rows[1]["error"]} and "not JSON" in rows[1]["error"]
    assert rows[2]["line"] == 3 and "unknown question id 'nope'" in rows[2]["error"]
    assert rows[3]["question"] == "canary-basics.f1" and rows[3]["score"] == 100
    assert rows[4]["line"] == 5 and "missing \"answer\"" in rows[4]["error"]
    assert rows[5]["who"] == "kim" and rows[5]["misconceptions"][0]["why"].startswith("That is")
    assert rows[5]["score"] == 0


def test_grade_question_explains(small_bank: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("I would never roll back; just a small slice"))
    assert main(["grade", "--question", "canary-basics", "--no-builtin", "--bank",
                 str(small_bank)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Score ")
    assert "+ [3] Small slice of traffic (named, not explained: " in out
    assert "you said it negatively" in out


def test_grade_on_built_in_bank_via_process() -> None:
    line = json.dumps({"question": "deploy-error-spike-mid-rollout",
                       "answer": "Roll back immediately with kubectl rollout undo, confirm the "
                       "error rate returns to baseline, then investigate the diff."})
    proc = _run(["grade", "--input", "-"], line + "\n")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert 0 < row["score"] <= 100 and row["matched"]


def test_grade_model_answer_only_bank(tmp_path: Path) -> None:
    bank = tmp_path / "bio.yaml"
    bank.write_text(textwrap.dedent("""\
        questions:
          - id: photosynthesis
            prompt: What does photosynthesis produce?
            model_answer: >-
              Plants use light energy to turn carbon dioxide and water into glucose,
              releasing oxygen as a by-product in the chloroplasts.
          - id: mitosis
            prompt: What is the result of mitosis?
            model_answer: Two genetically identical daughter cells with the same number of
              chromosomes as the parent cell.
        """))
    answers = [
        {"question": "photosynthesis", "answer": "Light turns CO2 and water into glucose; "
         "oxygen is released from the chloroplast."},
        {"question": "photosynthesis", "answer": "It makes food for the plant."},
        {"question": "mitosis", "answer": "two identical daughter cells, same chromosome "
         "count"},
    ]
    proc = _run(["grade", "--no-builtin", "--bank", str(bank), "--input", "-"],
                "\n".join(map(json.dumps, answers)))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert rows[0]["drafted_rubric"] is True
    assert rows[0]["score"] > rows[1]["score"]
    assert rows[2]["score"] >= 50


def test_draft_rubric_prints_editable_yaml(small_bank: Path) -> None:
    proc = _run(["bank", "draft-rubric", "canary-basics", "--no-builtin", "--bank",
                 str(small_bank)])
    assert proc.returncode == 0, proc.stderr
    import yaml

    doc = yaml.safe_load(proc.stdout)
    assert doc[0]["id"] == "canary-basics"
    assert doc[0]["rubric"] and all(c["keywords"] for c in doc[0]["rubric"])


def test_bad_input_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "--input", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_parallel_grading_matches_serial(small_bank: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PARALLEL_LINES the lines are graded in forked workers: same output, in order."""
    from trainer.commands import grade_cmd

    rows = []
    for i in range(40):
        rows.append(json.dumps({"question": "canary-basics", "n": i,
                                "answer": "Send 1% to the canary and roll back if worse."}))
        rows.append("not json" if i % 7 == 0 else json.dumps(
            {"question": "canary-basics.f1", "n": i, "answer": "Five percent"}))
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(rows) + "\n")
    outputs = []
    for threshold in (10**9, 10):
        monkeypatch.setattr(grade_cmd, "PARALLEL_LINES", threshold)
        monkeypatch.setattr(grade_cmd, "CHUNK", 7)
        out = tmp_path / f"out{threshold}.jsonl"
        code = main(["grade", "--input", str(src), "--output", str(out), "--no-builtin",
                     "--bank", str(small_bank)])
        assert code == 1
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    lines = [json.loads(x) for x in outputs[1].splitlines()]
    assert len(lines) == 80 and lines[1]["line"] == 2 and "not JSON" in lines[1]["error"]
    assert [x.get("n") for x in lines[::2]] == list(range(40))


def test_output_never_overwrites_the_input(small_bank: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "same.jsonl"
    text = json.dumps({"question": "canary-basics", "answer": "roll back"}) + "\n"
    src.write_text(text)
    code = main(["grade", "-i", str(src), "-o", str(tmp_path / "." / "same.jsonl"),
                 "--no-builtin", "--bank", str(small_bank)])
    assert code == 2 and "is the input file" in capsys.readouterr().err
    assert src.read_text() == text


def test_pathological_lines_become_error_rows(small_bank: Path, tmp_path: Path) -> None:
    good = json.dumps({"question": "canary-basics", "answer": "Send 1% and roll back."})
    lines = [
        '{"question": "canary-basics", "answer": "x", "n": ' + "1" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        '{"question": "canary-basics", "answer": "roll back \\ud800 now"}',
        '{"question": "canary-basics", "answer": NaN}',
        json.dumps({"question": "canary-basics", "answer": "x" * 1_150_000}),
        good,
    ]
    src = tmp_path / "bad.jsonl"
    src.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["grade", "-i", str(src), "-o", str(out), "--no-builtin",
                 "--bank", str(small_bank)])
    assert code == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6
    assert [r.get("line") for r in rows[:2]] == [1, 2]
    assert "error" in rows[0] and "nested too deeply" in rows[1]["error"]
    assert rows[2]["score"] >= 0 and rows[2]["answer"] == "roll back \ud800 now"
    assert "NaN" in rows[3]["error"] and "limit is 1,100,000" in rows[4]["error"]
    assert rows[5]["score"] > 0


def test_a_failed_run_leaves_an_existing_output_untouched(small_bank: Path,
                                                          tmp_path: Path) -> None:
    import sqlite3

    from trainer.study import History
    from trainer.study.migrations import LATEST

    keep = tmp_path / "keep.jsonl"
    keep.write_text("earlier results\n")
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"question": "canary-basics", "answer": "roll back"}) + "\n")
    with History.open() as h:
        path = h.path
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")  # a newer trainer's database
    conn.close()
    with pytest.raises(SystemExit) as exc:
        main(["grade", "-i", str(src), "-o", str(keep), "--record", "--no-builtin",
              "--bank", str(small_bank)])
    assert exc.value.code == 2
    assert keep.read_text() == "earlier results\n"
    assert not list(tmp_path.glob(".grade-*"))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_reported_and_never_replaced(small_bank: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    import stat

    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"question": "canary-basics", "answer": "roll back"}) + "\n")
    code = main(["grade", "-i", str(src), "-o", "/dev/full", "--no-builtin",
                 "--bank", str(small_bank)])
    assert code == 2 and "No space left" in capsys.readouterr().err
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_a_disk_that_fills_mid_run_stops_at_that_line_and_keeps_what_was_recorded(
        small_bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Reliability H17: SQLite's own "database or disk is full", from a page limit that
    the history reaches after a few answers, ends the run with one message, not a
    traceback; the output holds exactly the lines that were recorded."""
    from trainer.commands import grade_record as recorder_module
    from trainer.study import History

    opened = History.open

    def small_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        history = opened(*args, **kwargs)
        pages = history.conn.execute("PRAGMA page_count").fetchone()[0]
        history.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        return history

    monkeypatch.setattr(recorder_module.History, "open", small_disk)
    long_answer = "roll back the canary and compare its error rate with the baseline " * 40
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"question": "canary-basics", "answer": long_answer})
                           + "\n" for _ in range(40)))
    out = tmp_path / "out.jsonl"
    code = main(["grade", "-i", str(src), "-o", str(out), "--record", "--no-builtin",
                 "--bank", str(small_bank)])
    err = capsys.readouterr().err
    assert code == 2 and "database or disk is full" in err and "Traceback" not in err
    written = out.read_text().splitlines()
    assert 0 < len(written) < 40
    assert f"stopped at line {len(written) + 1}" in err
    with opened() as history:
        assert history.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == len(written)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_mid_run_keeps_output_and_history_in_step(
        small_bank: Path, tmp_path: Path, data_dir: Path, signame: str) -> None:
    """Reliability G18, G19: a real process told to stop while recording ends between
    two lines; every recorded answer has its output line, and the message says where
    to go on."""
    import signal
    import sqlite3
    import time

    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"question": "canary-basics",
                                       "answer": f"roll back the canary, attempt {i}"}) + "\n"
                           for i in range(20_000)))
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "trainer", "grade", "-i", str(src), "-o", str(out),
         "--record", "--no-builtin", "--bank", str(small_bank)],
        stderr=subprocess.PIPE, text=True)
    db = data_dir / "history.sqlite3"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until some answers are recorded
        time.sleep(0.2)
        if db.exists():
            with sqlite3.connect(db) as conn:
                try:
                    if conn.execute("SELECT count(*) FROM attempts").fetchone()[0] > 20:
                        break
                except sqlite3.OperationalError:
                    pass
    proc.send_signal(getattr(signal, signame))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + getattr(signal, signame), err
    assert f"{signame} received" in err and "Traceback" not in err
    written = out.read_text().splitlines()
    with sqlite3.connect(db) as conn:
        recorded = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    assert 20 < recorded == len(written) < 20_000
    assert f"stopped at line {len(written) + 1}" in err
    assert not list(tmp_path.glob(".grade-*"))


def test_flashcards_are_refused_not_scored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A `grading: self` item has no rubric to trust: no drafted number is made up for it,
    in bulk (an error line) or alone (exit 2); other lines are still graded."""
    bank = tmp_path / "cards.yaml"
    bank.write_text("questions:\n  - id: fc-anycast\n    prompt: What is anycast?\n"
                    "    model_answer: One address announced from many places.\n"
                    "    grading: self\n"
                    "  - id: q-anycast\n    prompt: What is anycast?\n"
                    "    model_answer: One address announced from many places.\n",
                    encoding="utf-8")
    lines = [{"question": "fc-anycast", "answer": "one IP from many sites"},
             {"question": "q-anycast", "answer": "one IP from many sites"}]
    proc = _run(["grade", "--no-builtin", "--bank", str(bank), "--input", "-"],
                "\n".join(map(json.dumps, lines)))
    assert proc.returncode == 1
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert rows[0]["line"] == 1 and "flashcard" in rows[0]["error"] and "score" not in rows[0]
    assert "score" in rows[1]
    monkeypatch.setattr(sys, "stdin", io.StringIO("one IP from many sites"))
    assert main(["grade", "-q", "fc-anycast", "--no-builtin", "--bank", str(bank)]) == 2
    assert "is a flashcard (grading: self)" in capsys.readouterr().err


def test_a_batch_warms_the_items_its_lines_name(small_bank: Path) -> None:
    from trainer.bank import load_bank
    from trainer.commands.grade_cmd import _items_named

    bank = load_bank([small_bank], builtin=False)
    raw = list(enumerate([
        json.dumps({"question": "canary-basics", "answer": "x"}),
        '{"answer": "y", "question" :  "canary-basics.f1"}',
        json.dumps({"id": "canary-basics", "answer": "z"}),
        json.dumps({"question": "no-such-item", "answer": "z"}),
        "not json", '{"question": "a\\"quoted", "answer": "q"}',
    ], 1))
    got = {item.id for item in _items_named(bank, raw)}
    assert got == {bank.get("canary-basics").item.id, bank.get("canary-basics.f1").item.id}
