"""The loader: valid banks load, malformed ones give `file:line: message` and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.bank import BankError, check_bank, load_bank
from trainer.cli import main


def test_small_bank_loads(small_bank: Path) -> None:
    bank = load_bank([small_bank], builtin=False)
    assert [q.id for q in bank.questions] == ["canary-basics"]
    assert bank.get("canary-basics.f1").parent == "canary-basics"
    assert bank.get("term-canary").kind == "term"
    q = bank.questions[0]
    assert q.rubric[0].weight == 3 and q.rubric[2].weight == 1
    assert q.level == "mid"


def _write(tmp_path: Path, text: str, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


Q = """\
questions:
  - id: q1
    prompt: A question?
    model_answer: An answer.
"""

MALFORMED = [
    ("syntax", "questions: [\n", 2, "YAML syntax error"),
    ("wrong type", "questions:\n  - id: q1\n    prompt: [a, b]\n    model_answer: x\n", 3,
     "prompt: expected text, got a list"),
    ("missing field", "questions:\n  - id: q1\n    prompt: x\n", 2,
     "missing required key 'model_answer'"),
    ("unknown key", Q + "    levle: senior\n", 5, "unknown key 'levle'; did you mean 'level'?"),
    ("empty keywords", Q + "    rubric:\n      - concept: A\n        keywords: []\n", 7,
     "empty keyword list"),
    ("weight < 1", Q + "    rubric:\n      - concept: A\n        keywords: [a]\n"
     "        weight: 0\n", 8, "must be an integer >= 1, got 0"),
    ("follow-up without prompt", Q + "    follow_ups:\n      - id: q1.f1\n"
     "        model_answer: y\n", 6, "follow-up 'q1.f1': missing required key 'prompt'"),
    ("dangling related", Q + "    related: [nowhere]\n", 2,
     "related id 'nowhere' does not exist"),
    ("raw escape byte", "questions:\n  - id: q1\n    prompt: \"a \x1b[2J b\"\n", 3,
     "control character U+001B is not allowed"),
    ("empty file", "", 1, "file is empty"),
    ("only comments", "# nothing here\n", 1, "file is empty"),
    ("empty lists", "questions: []\n", 1, "holds no questions"),
    ("object tag", "questions: !!python/object/apply:os.system [ls]\n", 1,
     "tag !!python/object/apply:os.system is not allowed"),
    ("custom tag", "questions:\n  - !Question {id: q}\n", 2, "tag !Question is not allowed"),
    ("not a mapping", "- a\n- b\n", 1, "must be a mapping"),
    ("bad level", Q + "    level: Senior\n", 5, "must be one of junior, mid, senior, staff"),
    ("bad id", "questions:\n  - id: Not An Id\n    prompt: x\n    model_answer: y\n", 2,
     "is not a valid id"),
    ("duplicate key", "questions:\n  - id: q1\n    id: q2\n", 3, "duplicate key 'id'"),
    ("two documents", Q + "---\n" + Q, 5, "more than one YAML document"),
    ("outline concept", Q + "    answer_outline:\n      steps:\n        - step: a\n"
     "          concept: Nope\n        - step: b\n          keywords: [b]\n", 2,
     "unknown rubric concept 'Nope'"),
]


@pytest.mark.parametrize(("case", "text", "line", "message"), MALFORMED,
                         ids=[m[0] for m in MALFORMED])
def test_malformed_bank_reports_file_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, text: str, line: int,
    message: str,
) -> None:
    path = _write(tmp_path, text)
    code = main(["bank", "check", "--no-builtin", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:{line}: " in err, err
    assert message in err, err
    assert "Traceback" not in err


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    a = _write(tmp_path, Q, "a.yaml")
    b = _write(tmp_path, Q, "b.yaml")
    _, problems = check_bank([a, b], builtin=False)
    assert [str(p) for p in problems] == [
        f"{b}:2: duplicate id 'q1' (first defined at {a}:2)"
    ]


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = Q + "    levle: x\n    rubric:\n      - concept: A\n        keywords: []\n"
    other = _write(tmp_path, "questions:\n  - id: q2\n", "other.yaml")
    _, problems = check_bank([_write(tmp_path, text), other], builtin=False)
    assert len(problems) == 4  # unknown key, empty keywords, two missing fields


def test_binary_and_non_utf8(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "latin1.yaml").write_bytes("questions:\n  - id: caf\xe9\n".encode("latin-1"))
    _, problems = check_bank([tmp_path], builtin=False)
    messages = sorted(str(p) for p in problems)
    assert any("bin.yaml:1: not UTF-8" in m for m in messages), messages
    assert any("latin1.yaml:2: not UTF-8" in m for m in messages), messages


def test_hostile_deep_nesting(tmp_path: Path) -> None:
    """The contract, not the wording: PyYAML (>= 6.0.4) or our own depth check may refuse
    the file first, and either way the user gets one `file:line` problem and exit 2."""
    path = tmp_path / "deep.yaml"
    path.write_text("questions: " + "[" * 10_000 + "]" * 10_000 + "\n")
    _, problems = check_bank([path], builtin=False)
    assert len(problems) == 1 and problems[0].line == 1
    proc = subprocess.run([sys.executable, "-m", "trainer", "bank", "check", "--no-builtin",
                           str(path)], capture_output=True, text=True, timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2
    assert "Traceback" not in out
    problem_lines = [line for line in out.splitlines() if line.startswith(f"{path}:")]
    assert len(problem_lines) == 1 and problem_lines[0].startswith(f"{path}:1: ")


def test_hostile_alias_bomb(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    _, problems = check_bank([path], builtin=False)
    assert "alias bomb" in problems[0].message


def test_hostile_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w") as fh:
        fh.write("notes:\n")
        for _ in range(120_000):
            fh.write("  - {id: n, title: t, body: " + "x" * 80 + "}\n")
    _, problems = check_bank([path], builtin=False)
    assert "limited to 10 MB" in problems[0].message


def test_missing_path(tmp_path: Path) -> None:
    _, problems = check_bank([tmp_path / "nope.yaml"], builtin=False)
    assert problems[0].message == "no such file or folder"


def test_folder_of_banks(tmp_path: Path, small_bank: Path) -> None:
    sub = tmp_path / "more"
    sub.mkdir()
    _write(sub, Q.replace("q1", "extra"), "extra.yml")
    bank = load_bank([tmp_path], builtin=False)
    assert {"canary-basics", "extra"} <= set(bank.entries)


def test_load_bank_raises_bank_error(tmp_path: Path) -> None:
    with pytest.raises(BankError) as info:
        load_bank([_write(tmp_path, "questions: 3\n")], builtin=False)
    assert "expected a list" in str(info.value)


def test_list_and_stats_json(small_bank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-builtin", "--bank", str(small_bank), "bank", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[1] == {"id": "canary-basics.f1", "kind": "follow_up",
                       "title": "How big should the first step be?", "topics": [],
                       "level": None, "parent": "canary-basics"}
    assert main(["bank", "stats", "--json", "--no-builtin", "--bank", str(small_bank)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["kinds"] == {"question": 1, "follow_up": 1, "scenario": 0, "term": 1, "note": 0}
    assert stats["levels"] == {"mid": 2}
    assert stats["topics"] == {"canary": 1}


def test_show(small_bank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "show", "canary-basics", "--no-builtin", "--bank", str(small_bank)]) == 0
    out = capsys.readouterr().out
    assert "What is a canary release" in out and "[3] Small slice of traffic" in out
    assert main(["bank", "show", "canary-basic", "--no-builtin", "--bank", str(small_bank)]) == 2
    assert "did you mean canary-basics" in capsys.readouterr().err


def test_parallel_parsing_gives_the_same_bank_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINER_NO_CACHE", "1")
    for f in range(3):
        body = "".join(f"  - id: q{f}-{i}\n    prompt: p\n    model_answer: a\n"
                       for i in range(2000))
        (tmp_path / f"b{f}.yaml").write_text("questions:\n" + body)
    (tmp_path / "bad.yaml").write_text("questions:\n  - id: x\n")
    import trainer.bank.loader as loader

    monkeypatch.setattr(loader, "PARALLEL_BYTES", 1)
    bank_p, problems_p = check_bank([tmp_path], builtin=False)
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 10**12)
    bank_s, problems_s = check_bank([tmp_path], builtin=False)
    assert list(bank_p.entries) == list(bank_s.entries) and len(bank_p) == 6000
    assert [str(p) for p in problems_p] == [str(p) for p in problems_s] and problems_p


def test_text_fields_keep_the_literal_text_of_plain_scalars(tmp_path: Path) -> None:
    """YAML 1.1 reads `012` as 10, `1.10` as 1.1 and `1:30` as 90; text fields keep what
    the author wrote (reliability C-series)."""
    path = _write(tmp_path, """\
        questions:
          - id: 012
            title: 1.10
            prompt: 1:30
            model_answer: 0x1F
        """)
    q = load_bank([path], builtin=False).get("012").item
    assert (q.id, q.title, q.prompt, q.model_answer) == ("012", "1.10", "1:30", "0x1F")


def test_numbers_are_finite_and_bounded(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        questions:
          - id: q
            prompt: p
            model_answer: m
            rubric:
              - concept: c
                keywords: [a b]
                weight: 99999999999999999999999999
        """)
    _, problems = check_bank([path], builtin=False)
    assert [p.message for p in problems] == [
        "question 'q'.rubric[1].weight: must be an integer <= 10, "
        "got 99999999999999999999999999"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused_in_number_fields(bad: float) -> None:
    from trainer.bank.convert import Converter, Problem

    problems: list[Problem] = []
    Converter("b.yaml", problems).value(float, bad, 7, "simulation.traffic.rps", {})
    assert [str(p) for p in problems] == [
        f"b.yaml:7: simulation.traffic.rps: must be a finite number, got {bad}"]


def test_the_cache_never_makes_a_changed_file_look_valid(tmp_path: Path) -> None:
    """Keyed by the bytes parsed, not by size and mtime (reliability E1)."""
    import os

    good = "questions:\n  - {id: q1, prompt: p, model_answer: aaaa}\n"
    bad = "questions:\n  - {id: q1, prompt: p, modelXanswer: aaaa}\n"
    assert len(good) == len(bad)
    path = tmp_path / "b.yaml"
    path.write_text(good)
    st = path.stat()
    assert not check_bank([path], builtin=False)[1]  # cached now
    path.write_text(bad)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    _, problems = check_bank([path], builtin=False)
    assert problems and "modelXanswer" in problems[0].message


def test_bank_folders_skip_hidden_and_vendor_folders(tmp_path: Path) -> None:
    good = "questions:\n  - {id: q1, prompt: p, model_answer: m}\n"
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "mine.yaml").write_text(good)
    for junk in (".git", ".github/workflows", "node_modules/pkg", ".venv/lib", "__pycache__"):
        folder = tmp_path / "bank" / junk
        folder.mkdir(parents=True)
        (folder / "ci.yaml").write_text("on: push\njobs: {}\n")
    bank, problems = check_bank([tmp_path / "bank"], builtin=False)
    assert not problems and "q1" in bank


def _forge_entry(path: Path) -> Path:
    """Store, under the real key of `path`'s bytes, a file whose only question has an
    invalid id and markup: built from allowed classes, so the unpickler accepts it."""
    import dataclasses
    import pickle

    from trainer.bank import cache

    got = cache.get(path, cache.digest(path.read_bytes()))
    assert got is not None
    bank_file, lines = got
    q = dataclasses.replace(bank_file.questions[0], id="../../ NOT A SLUG",
                            prompt="[@click=app.quit]forged[/]")
    forged = (cache._key(path, cache.digest(path.read_bytes())),
              (dataclasses.replace(bank_file, questions=[q]), lines))
    entry = cache._entry_path(path)
    entry.write_bytes(pickle.dumps(forged))
    return entry


def test_a_forged_cache_entry_never_passes_bank_check(tmp_path: Path, capsys) -> None:
    """Reliability E2: `bank check` judges the file on disk, whatever the cache holds."""
    path = _write(tmp_path, Q)
    assert not check_bank([path], builtin=False)[1]
    _forge_entry(path)
    assert main(["--no-builtin", "--bank", str(path), "bank", "check"]) == 0
    assert "ok: 1 questions" in capsys.readouterr().out
    assert "../../ NOT A SLUG" not in load_bank([path], builtin=False)  # check re-stored it


def test_a_cache_entry_others_could_write_is_not_trusted(tmp_path: Path) -> None:
    path = _write(tmp_path, Q)
    assert not check_bank([path], builtin=False)[1]
    entry = _forge_entry(path)
    entry.chmod(0o666)  # as if another user of a shared data folder wrote it
    assert [q.id for q in load_bank([path], builtin=False).questions] == ["q1"]
    assert entry.stat().st_mode & 0o777 == 0o600  # replaced by a fresh, private entry
    assert [q.id for q in load_bank([path], builtin=False).questions] == ["q1"]


def test_a_pipe_or_device_is_named_as_such_and_a_huge_file_by_its_real_size(
        tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024)
    _, problems = check_bank([fifo, big], builtin=False)
    assert [p.message for p in problems] == [
        "not a regular file or folder (a pipe or a device cannot be a bank)",
        "file is 20.0 MB; bank files are limited to 10 MB"]
