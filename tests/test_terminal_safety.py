"""No escape sequence or bidi override from a bank reaches the terminal (reliability B1-B4)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.textsafe import visible

ROOT = Path(__file__).resolve().parent.parent
EVIL = "\x1b]52;c;ZXZpbA==\x07 \x1b[2J \x9b31m \u202e txt \r over"


def test_visible_escapes_controls_and_bidi_but_keeps_text() -> None:
    assert visible("tab\tnew\nline café 日本") == "tab\tnew\nline café 日本"
    shown = visible(EVIL)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\r" not in shown and "\x9b" not in shown
    assert "\\u001b]52;c;ZXZpbA==\\u0007" in shown and "\\u202e" in shown


@pytest.fixture
def evil_bank(tmp_path: Path) -> Path:
    path = tmp_path / "evil.yaml"
    text = json.dumps(EVIL)  # a YAML double-quoted scalar with the same escapes
    path.write_text(textwrap.dedent(f"""\
        questions:
          - id: evil
            prompt: {text}
            model_answer: {text}
            rubric:
              - concept: {text}
                keywords: [roll back]
                hint: {text}
            misconceptions:
              - keywords: [debug in production first]
                why: {text}
        """), encoding="utf-8")
    return path


@pytest.mark.parametrize("argv", [
    ["bank", "show", "evil"],
    ["bank", "list"],
    ["bank", "check"],
    ["grade", "--question", "evil"],
])
def test_cli_output_never_carries_raw_controls(evil_bank: Path, argv: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "trainer", *argv, "--no-builtin", "--bank",
                           str(evil_bank)], input="I would debug in production first.",
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), out
    for ch in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert ch not in out, (argv, repr(out[:300]))
    if argv[0] != "bank" or argv[1] == "show":
        assert "\\u001b" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["bank", "schema", "-o", "/"], "Is a directory"),
    (["bank", "schema", "-o", "/nonexistent-dir/s.json"], "No such file or directory"),
    (["export", "sheet", "\u00b2", "--format", "md"], "sheet ids are numbers"),
    (["export", "sheet", "99999999999999999999999", "--format", "md"], "sheet ids are numbers"),
    (["--timer", "-5", "stats"], "must be 0-1440 minutes"),
    (["--timer", "99999999999999999999", "stats"], "must be 0-1440 minutes"),
    (["--timer", "1.5", "stats"], "expected whole minutes"),
])
def test_cli_paths_end_with_one_line_not_a_traceback(argv: list[str], message: str,
                                                     data_dir: Path) -> None:
    """Reliability F13, F14, F16, J14."""
    import os

    proc = subprocess.run([sys.executable, "-m", "trainer", *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "TRAINER_HOME": str(data_dir)})
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_is_reported(data_dir: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "trainer", "bank", "list"], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "No space left" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_dumb_terminal_gets_a_message_not_escape_codes(data_dir: Path) -> None:
    import os

    proc = subprocess.run([sys.executable, "-m", "trainer"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env={**os.environ, "TERM": "dumb",
                                                      "TRAINER_HOME": str(data_dir)})
    assert proc.returncode == 2 and "TERM=dumb" in proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr
