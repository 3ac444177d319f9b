"""Two real processes on loopback: `trainer mock host` and `trainer join`, each in its own
pseudo-terminal, as the interviewer and the candidate run them."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pexpect
import pytest

from trainer.bank import load_bank
from trainer.study import History

ROOT = Path(__file__).resolve().parents[1]
CODE = "correct-horse-battery"
QID = "canary-basics"
DOWN, ENTER = "\x1b[B", "\r"


def spawn(data_dir: Path, *args: str) -> pexpect.spawn:
    """The real program in an 80x24 pseudo-terminal, on its own data directory."""
    env = {**os.environ, "TRAINER_HOME": str(data_dir), "TERM": "xterm-256color",
           "COLUMNS": "80", "LINES": "24"}
    return pexpect.spawn(sys.executable, ["-m", "trainer", *args], cwd=str(ROOT), env=env,
                         dimensions=(24, 80), encoding="utf-8", timeout=30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def host(data_dir: Path, small_bank: Path) -> Iterator[tuple[Term, int]]:
    port = free_port()
    child = spawn(data_dir, "mock", "host", "--listen", f"127.0.0.1:{port}", "--code", CODE,
                  "--question", QID, "--no-builtin", "--bank", str(small_bank))
    term = Term(child)
    (data_dir / "candidate").mkdir()
    try:
        term.wait("waiting for the candidate")
        yield term, port
    finally:
        child.close(force=True)


def join(data_dir: Path, port: int, code: str = CODE) -> Term:
    # Its own data folder: the candidate's process needs none, and shares nothing.
    home = data_dir / "candidate"
    return Term(spawn(home, "join", f"127.0.0.1:{port}", code))


class Term:
    """What a pseudo-terminal shows: the program's output replayed on a small grid.

    Textual redraws only what changed and may split a word across two writes with a
    cursor move between them, so the raw stream is no place to look for text."""

    CODE = re.compile(r"\x1b\[([0-9;?<>=]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                      r"|\x1b[()][0-9A-Za-z]|\x1b[=>78MNOPc]")

    def __init__(self, child: pexpect.spawn, rows: int = 24, cols: int = 80) -> None:
        self.child, self.rows, self.cols = child, rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0
        self.raw = ""
        self.exited = False
        self._pending = ""

    def feed(self, data: str) -> None:
        self.raw += data
        data, self._pending = self._pending + data, ""
        pos = 0
        while pos < len(data):
            ch = data[pos]
            if ch == "\x1b":
                m = self.CODE.match(data, pos)
                if m is None and len(data) - pos < 64:
                    self._pending = data[pos:]  # the rest of it comes with the next read
                    return
                if m is not None:
                    self._control(m.group(1) or "", m.group(2) or "")
                pos = m.end() if m is not None else pos + 1
                continue
            if ch == "\r":
                self.col = 0
            elif ch == "\n":
                self.row = min(self.row + 1, self.rows - 1)
            elif ch >= " " and 0 <= self.row < self.rows:
                if self.col < self.cols:
                    self.grid[self.row][self.col] = ch
                self.col += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            pos += 1

    def _control(self, params: str, final: str) -> None:
        if final == "H" and not params.startswith("?"):
            row, col = ([int(x or 1) for x in params.split(";")] + [1, 1])[:2]
            self.row, self.col = row - 1, col - 1
        elif final == "J" and params in ("2", "3"):
            self.grid = [[" "] * self.cols for _ in range(self.rows)]

    @property
    def text(self) -> str:
        return "\n".join("".join(row) for row in self.grid)

    def pump(self, timeout: float = 0.02) -> None:
        """Read what there is; at the program's exit, `exited` is set."""
        if self.exited:
            return
        try:
            self.feed(self.child.read_nonblocking(65536, timeout=timeout))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            self.exited = True

    def wait(self, text: str, *others: Term, timeout: float = 30) -> float:
        """Seconds until `text` is on the screen; the other terminals are read meanwhile,
        so no program stalls on a full terminal buffer."""
        return self.until(lambda: text in self.text, text, *others, timeout=timeout)

    def gone(self, text: str, *others: Term, timeout: float = 10) -> float:
        return self.until(lambda: text not in self.text, f"no {text}", *others,
                          timeout=timeout)

    def until(self, condition: Callable[[], bool], what: str, *others: Term,
              timeout: float) -> float:
        started = time.monotonic()
        while not condition():
            if time.monotonic() - started > timeout:
                raise AssertionError(f"{what!r} not shown; the screen:\n{self.text}")
            self.pump()
            if self.exited:
                tail = self.raw[-600:].replace("\r", "")
                raise AssertionError(f"exited while waiting for {what!r}: {tail}")
            for other in others:
                other.pump(0)
        return time.monotonic() - started

    def ended(self, *others: Term) -> str:
        """Everything up to the program's exit; its exit status is then set."""
        while not self.exited:
            self.pump(0.05)
            for other in others:
                other.pump(0)
        self.child.close()
        return self.raw.replace("\r", "")


def keys(term: Term, *sequence: str) -> None:
    for key in sequence:  # one at a time: a Select opens its list between two keys
        term.child.send(key)
        time.sleep(0.15)
        term.pump()


def test_a_whole_interview_across_two_processes(host: tuple[Term, int],
                                               data_dir: Path, small_bank: Path) -> None:
    interviewer, port = host
    candidate = join(data_dir, port)
    try:
        candidate.wait("canary release")
        interviewer.wait("candidate connected", candidate)
        # Live typing: what the candidate types shows on the interviewer's screen.
        delays = []
        for word in ("zebra", "quokka", "axolotl", "pangolin", "narwhal"):
            candidate.child.send(f" {word}")
            delays.append(interviewer.wait(word, candidate))
        print(f"keystrokes to the interviewer's screen: {[round(d, 3) for d in delays]} s")
        assert sorted(delays)[len(delays) // 2] < 0.5  # two ptys and two renders included
        interviewer.child.sendcontrol("n")  # the follow-up
        candidate.wait("How big should the first step be", interviewer)
        candidate.gone("zebra", interviewer)  # a fresh editor for the follow-up
        candidate.child.send("one percent")
        interviewer.wait("one percent", candidate)
        interviewer.child.sendcontrol("e")
        candidate.wait("The interview has ended", interviewer)
        interviewer.wait("waiting for the self-rating", candidate)
        keys(candidate, ENTER, *[DOWN] * 4, ENTER)  # rate the interviewer 4 (focused)
        candidate.child.sendcontrol("s")
        candidate.wait("Sent. Thank you", interviewer)
        interviewer.wait("rated the interview", candidate)
        interviewer.child.sendcontrol("e")  # the sheet now, without the self-rating
        interviewer.wait("Save sheet", candidate)
        interviewer.child.sendcontrol("s")
        interviewer.wait("Feedback sheet #1 saved", candidate)
        candidate.child.sendcontrol("q")
        out = candidate.ended(interviewer)
        assert candidate.child.exitstatus == 0 and "Traceback" not in out
        assert "You left the interview" in out
        interviewer.child.sendcontrol("q")
        interviewer.ended()
        assert interviewer.child.exitstatus == 0
    finally:
        candidate.child.close(force=True)
    with History.open() as history:
        sheets = history.sheets()
        transcript = history.transcript(sheets[0].id)
    assert [s.item_ids for s in sheets] == [(QID, f"{QID}.f1")]
    assert list((data_dir / "candidate").iterdir()) == []  # no history on the candidate's side
    # The timeline went with the sheet, and what came after the save (the candidate
    # leaving) was added when the interviewer quit.
    assert transcript is not None
    kinds = [e.kind for e in transcript]
    assert kinds.index("question") < kinds.index("follow-up") < kinds.index("ended")
    assert {"joined", "interviewer-rating", "left"} <= set(kinds)
    answers = {e.seq: e.text for e in transcript if e.kind == "answer"}
    assert "narwhal" in answers[1] and answers[2] == "one percent"
    export = subprocess.run([sys.executable, "-m", "trainer", "export", "sheet",
                             str(sheets[0].id), "--format", "md", "--no-builtin", "--bank",
                             str(small_bank)], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "TRAINER_HOME": str(data_dir)}, timeout=60)
    assert export.returncode == 0, export.stderr
    report = export.stdout.split("## Transcript", 1)[1]
    assert "Asked a follow-up: How big should the first step be?" in report
    assert "> one percent" in report and "rated the interviewer 4/4" in report


class Recorder:
    """A TCP relay between the candidate and the hub that keeps every byte the hub sends."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.server.getsockname()[1])
        self.to_candidate = bytearray()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, None),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, self.to_candidate),
                             daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, keep: bytearray | None) -> None:
        try:
            while data := src.recv(65536):
                if keep is not None:
                    keep += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.server.close()


def test_every_byte_to_the_real_candidate_is_free_of_rubric_text(
        host: tuple[Term, int], data_dir: Path, small_bank: Path) -> None:
    """The interviewer ticks, takes notes, asks both prompts; the candidate's process is
    killed and joins again; every byte the hub sent to the candidate is then searched."""
    interviewer, port = host
    relay = Recorder(port)
    candidate = join(data_dir, relay.port)
    try:
        candidate.wait("canary release")
        interviewer.wait("candidate connected", candidate)
        candidate.child.send("I would ship it slowly")
        interviewer.wait("ship it slowly", candidate)
        interviewer.child.send("hesitant on metrics")  # notes: the focus starts there
        interviewer.wait("hesitant on metrics", candidate)
        keys(interviewer, "\t", " ")  # to the rubric; tick the first concept
        interviewer.child.sendcontrol("n")
        candidate.wait("How big should the first step be", interviewer)
        candidate.child.kill(signal.SIGKILL)  # the candidate's laptop dies
        candidate.child.close(force=True)
        interviewer.wait("link closed", timeout=20)
        candidate = join(data_dir, relay.port)
        candidate.wait("How big should the first step be", interviewer)  # the current one
        candidate.gone("ship it slowly", interviewer)  # the old prompt's answer is not back
        interviewer.child.sendcontrol("e")
        candidate.wait("The interview has ended", interviewer)
        interviewer.child.sendcontrol("q")  # asked first: a candidate is still connected
        interviewer.wait("Quit trainer?", candidate)
        interviewer.child.send("y")  # the interviewer leaves: the candidate is told
        out = candidate.ended(interviewer)
        assert "The interviewer closed the session" in out and "Traceback" not in out
        assert candidate.child.exitstatus == 0
    finally:
        candidate.child.close(force=True)
        relay.close()
    stream = relay.to_candidate.decode("utf-8")
    assert stream.count('"type":"welcome"') == 2 and stream.count('"type":"ask"') == 3
    question = load_bank([small_bank], builtin=False).question(QID)
    assert question is not None
    secret = ["hesitant on metrics"]
    for item in (question, *question.follow_ups):
        for c in item.rubric:
            secret += [c.concept, *c.keywords, c.hint]
        for flag in item.red_flags:
            secret += [*flag.keywords, flag.why]
        secret += [item.model_answer, item.tests, item.notes, item.strong_answer]
    secret = [s for s in secret if s]
    assert len(secret) > 20
    found = [s for s in secret if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", stream, re.I)]
    assert found == []


def test_a_wrong_code_is_refused_with_a_message(host: tuple[Term, int],
                                               data_dir: Path) -> None:
    interviewer, port = host
    # Without the code on the command line (a ForceCommand account), it is asked for.
    candidate = Term(spawn(data_dir / "candidate", "join", f"127.0.0.1:{port}"))
    candidate.child.expect("Join code: ")
    candidate.child.sendline("not-the-code-at-all")
    out = candidate.ended(interviewer)
    assert candidate.child.exitstatus == 2
    assert "refused: the join code is wrong" in out and "Traceback" not in out
    interviewer.wait("wrong code was refused")


def test_five_wrong_codes_lock_the_session(host: tuple[Term, int], data_dir: Path) -> None:
    interviewer, port = host
    for _ in range(5):
        join(data_dir, port, "guessing-a-code").ended(interviewer)
    candidate = join(data_dir, port)  # the right code, too late
    out = candidate.ended(interviewer)
    assert candidate.child.exitstatus == 1 and "too many wrong codes" in out
    interviewer.wait("joining locked", timeout=10)


def test_a_second_candidate_is_refused_while_one_is_connected(
        host: tuple[Term, int], data_dir: Path) -> None:
    _, port = host
    first = join(data_dir, port)
    try:
        first.wait("canary release")
        second = join(data_dir, port)
        out = second.ended(first)
        assert second.child.exitstatus == 1 and "another candidate is already" in out
    finally:
        first.child.close(force=True)


def test_the_host_going_away_ends_the_candidate_cleanly(host: tuple[Term, int],
                                                        data_dir: Path) -> None:
    interviewer, port = host
    candidate = join(data_dir, port)
    try:
        candidate.wait("canary release")
        interviewer.child.kill(signal.SIGKILL)  # no goodbye: the process is simply gone
        out = candidate.ended()
    finally:
        candidate.child.close(force=True)
    assert candidate.child.exitstatus == 1
    assert "The interviewer's session is gone" in out and "Traceback" not in out


def test_a_public_address_is_refused_without_the_flag(data_dir: Path) -> None:
    term = Term(spawn(data_dir, "mock", "host", "--listen", "0.0.0.0:0"))
    out = term.ended()
    assert term.child.exitstatus == 2
    assert "--allow-remote" in out and "Traceback" not in out
