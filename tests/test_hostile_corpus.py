"""The hostile corpus (tests/data/hostile): every input handled with its exit code and
message, no traceback, no raw control character on the terminal, nothing recorded lost."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from trainer.cli import main

HOSTILE = Path(__file__).parent / "data" / "hostile"
BANKS = sorted((HOSTILE / "banks").glob("*.yaml"))
# What must never reach a terminal raw: ESC, BEL, C1 CSI, bidi override, NUL.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x00")


def _expectation(path: Path) -> tuple[int, str]:
    head = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
    code, _, piece = head.removeprefix("# expect:").partition("|")
    return int(code), piece.strip()


def _clean(text: str) -> None:
    assert "Traceback" not in text
    for ch in RAW:
        assert ch not in text, repr(text[:300])


@pytest.mark.parametrize("bank", BANKS, ids=[p.stem for p in BANKS])
def test_every_hostile_bank_gets_its_exit_code_and_message(
        bank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, piece = _expectation(bank)
    for _ in range(2):  # the second run may come from the cache: the same verdict
        assert main(["--no-builtin", "--bank", str(bank), "bank", "check"]) == code
        out = capsys.readouterr()
        assert piece in out.out + out.err
        _clean(out.out + out.err)
        if code:
            assert f"{bank.name}:" in out.err  # file:line: message


LOADABLE = [p for p in BANKS if _expectation(p)[0] == 0]


@pytest.mark.parametrize("bank", LOADABLE, ids=[p.stem for p in LOADABLE])
def test_bank_text_is_shown_as_text_by_every_command(
        bank: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    base = ["--no-builtin", "--bank", str(bank)]
    question = json.loads(_run_json(base + ["bank", "list", "--json"], capsys))[0]["id"]
    runs = [["bank", "show", question], ["bank", "list"], ["stats"],
            ["export", "--format", "md", "-o", "-"]]
    for argv in runs:
        assert main(base + argv) == 0, argv
        out = capsys.readouterr()
        _clean(out.out + out.err)
    monkeypatch.setattr("sys.stdin", io.StringIO("I would roll back first."))
    assert main(base + ["grade", "-q", question]) in (0, 1)
    out = capsys.readouterr()
    _clean(out.out + out.err)


def _run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


ANSWER_BANK = """\
questions:
  - id: q1
    prompt: A deploy raises the error rate. What do you do first?
    model_answer: Roll back first, then look at the error rate and the logs.
    rubric:
      - concept: Roll back first
        keywords: [roll back, rollback, revert]
"""


def test_every_hostile_answer_line_gets_its_row_and_the_good_ones_are_recorded(
        tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(ANSWER_BANK, encoding="utf-8")
    expected = [line.rstrip("\n") for line in
                (HOSTILE / "answers.expect").read_text(encoding="utf-8").splitlines()
                if not line.startswith("#")]
    out = tmp_path / "out.jsonl"
    code = main(["grade", "-i", str(HOSTILE / "answers.jsonl"), "-o", str(out), "--record",
                 "--no-builtin", "--bank", str(bank)])
    err = capsys.readouterr().err
    _clean(err)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 1 and len(rows) == len(expected)
    for n, (row, want) in enumerate(zip(rows, expected, strict=True), 1):
        if want == "graded":
            assert "score" in row and "error" not in row, (n, row)
        else:
            assert row["line"] == n and want in row["error"], (n, row)
    graded = expected.count("graded")
    with sqlite3.connect(data_dir / "history.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == graded
    assert f"recorded {graded} attempts" in err


ACTIONS = [line.split("\t") for line in
           (HOSTILE / "actions.txt").read_text(encoding="utf-8").splitlines()
           if line and not line.startswith("#")]


@pytest.mark.parametrize(("action", "piece"), ACTIONS, ids=[a[:30] for a, _ in ACTIONS])
def test_every_hostile_action_is_refused_in_a_short_line(
        action: str, piece: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", "run", "S-01", "--action", action]) == 2
    err = capsys.readouterr().err
    assert "bad --action" in err and piece in err and len(err) < 400
    _clean(err)
