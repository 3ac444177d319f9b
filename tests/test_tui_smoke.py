"""Start the real program in a pseudo-terminal, wait for the home screen, quit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

ROOT = Path(__file__).resolve().parents[1]


def spawn(data_dir: Path, *args: str) -> pexpect.spawn:
    """The real program in an 80x24 pseudo-terminal, on its own data directory."""
    env = {**os.environ, "TRAINER_HOME": str(data_dir), "TERM": "xterm-256color",
           "COLUMNS": "80", "LINES": "24"}
    return pexpect.spawn(sys.executable, ["-m", "trainer", *args], cwd=str(ROOT), env=env,
                         dimensions=(24, 80), encoding="utf-8", timeout=30)


def test_real_program_starts_and_quits(data_dir: Path) -> None:
    child = spawn(data_dir)
    try:
        child.expect("Mock interview")
        child.expect("Due today")
        child.sendcontrol("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before


def test_a_broken_bank_ends_the_app_with_file_line_messages(data_dir: Path,
                                                            tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - id: q1\n    prompt: p\n    levle: senior\n")
    child = spawn(data_dir, "--no-builtin", "--bank", str(bad))
    try:
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 2
    output = child.before.replace("\r", "")
    assert f"{bad}:4: question 'q1': unknown key 'levle'; did you mean 'level'?" in output
    assert f"{bad}:2: question 'q1': missing required key 'model_answer'" in output
    assert "Traceback" not in output


def test_sigterm_keeps_the_draft_and_restores_the_terminal(data_dir: Path) -> None:
    """A closed terminal or `kill` loses nothing typed (reliability: signals)."""
    import signal

    from trainer.study import History

    child = spawn(data_dir)
    try:
        child.expect("Due today")
        child.send("p")
        child.expect("ctrl\\+s submits|Submit")
        child.send("roll back first then look at the logs")
        child.expect("logs")
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0 and child.signalstatus is None
    assert "\x1b[?1049l" in child.before  # left the alternate screen
    with History.open() as history:
        drafts = history.drafts()
    assert [d.text for d in drafts] == ["roll back first then look at the logs"]


def test_an_unusable_history_still_opens_the_app_for_practice(data_dir: Path) -> None:
    """A newer trainer's (or a read-only) history: practise anyway, told nothing is kept,
    and the file is left exactly as it was (reliability H12, H13)."""
    import sqlite3

    from trainer.study import History
    from trainer.study.migrations import LATEST

    with History.open() as h:
        path = h.path
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    before = path.read_bytes()
    child = spawn(data_dir)
    try:
        child.expect("cannot be saved")
        child.send("p")
        child.expect("Submit")
        child.sendcontrol("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert path.read_bytes() == before


@pytest.mark.parametrize("signame", ["SIGHUP", "SIGQUIT"])
def test_a_signal_after_rating_keeps_the_review_and_self_rating(data_dir: Path,
                                                                signame: str) -> None:
    """Reliability J10-J12: submit, rate 3, then the terminal closes (or ctrl+\\): the
    card review and the self-rating are written, and the terminal is restored."""
    import signal

    from trainer.study import History

    child = spawn(data_dir)
    try:
        child.expect("Due today")
        child.send("p")
        child.expect("ctrl\\+s submits|Submit")
        child.send("roll back first, then compare the canary with the baseline")
        child.expect("baseline")
        child.sendcontrol("s")
        child.expect("rate it yourself")
        child.send("3")
        child.expect("your rating")
        child.kill(getattr(signal, signame))
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0 and child.signalstatus is None
    assert "\x1b[?1049l" in child.before
    with History.open() as history:
        attempts, reviews = history.attempts(), history.reviews()
    assert [a.self_rating for a in attempts] == [3]
    assert [(r.self_rating, r.attempt_id) for r in reviews] == [(3, attempts[0].id)]


def test_review_serves_a_failed_follow_up_once_it_is_due(data_dir: Path,
                                                         small_bank: Path) -> None:
    """Issue 17: a follow-up rated Again used to come back only with its question, days
    later. Now Review asks it on its own once due, with its question shown above it."""
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from trainer.study import History

    child = spawn(data_dir, "--no-builtin", "--bank", str(small_bank))
    try:
        child.expect("Due today")
        child.send("p")
        child.expect("Submit")
        child.send("a small slice of traffic, compare with the baseline, roll back")
        child.expect("roll back")
        child.sendcontrol("s")
        child.expect("rate it yourself")
        child.send("4")  # Easy: the question itself is days away
        child.expect("your rating")
        child.sendcontrol("n")
        child.expect("How big should the first step be")
        child.send("no idea")
        child.expect("idea")
        child.sendcontrol("s")
        child.expect("rate it yourself")
        child.send("1")  # Again
        child.expect("your rating")
        child.send("\x1b")  # escape: the review is written
        child.expect("Due today")
        child.sendcontrol("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    with History.open() as history:
        card = history.card("canary-basics.f1")
        assert card is not None and card.due - datetime.now(UTC) < timedelta(minutes=2)
        path = history.path
    # The one-minute learning step passes.
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat(timespec="microseconds")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE cards SET due = ? WHERE item_id = 'canary-basics.f1'", (past,))
    conn.close()
    child = spawn(data_dir, "--no-builtin", "--bank", str(small_bank))
    try:
        child.expect("Due today")
        child.send("r")
        child.expect("The question was")  # the question, as context
        child.expect("How big should the first step be")
        child.expect("1 of 1")
        child.sendcontrol("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
