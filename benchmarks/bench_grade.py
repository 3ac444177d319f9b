"""Benchmarks for the scorer (issue 4). Run: python benchmarks/bench_grade.py

1. Per-answer latency: a 300-word answer against a 12-concept rubric (target p99 <= 5 ms).
2. `trainer grade` on 10,000 answers including process start (target >= 2,000 answers/s on
   real typed answers of 15-300 words).
3. Hostile answers: 1 MB, 10,000 lines, control characters, and 1 MB to a contrast
   question with a drafted rubric (target <= 1 s each).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trainer.bank import Question, load_bank
from trainer.scoring import Grader

ROOT = Path(__file__).resolve().parents[1]


def _answer(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n))


def latency(bank, grader: Grader) -> None:  # noqa: ANN001
    rng = random.Random(7)
    items = [q for q in bank.questions if len(q.rubric) >= 10]
    q = max(items, key=lambda x: len(x.rubric))
    vocab = " ".join(x.model_answer for x in bank.questions).split()
    answers = [_answer(rng, vocab, 300) for _ in range(500)]
    for a in answers[:20]:
        grader.grade(q, a)  # warm caches (compiled keywords), as in a typing session
    times = []
    for a in answers:
        t0 = time.perf_counter()
        grader.grade(q, a)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50, p99 = statistics.median(times), times[int(len(times) * 0.99) - 1]
    print(f"latency: 300-word answers vs {len(q.rubric)}-concept rubric ({q.id}): "
          f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {times[-1]:.2f} ms over {len(times)}")


GRADED = ROOT / "tests" / "data" / "graded" / "answers.yaml"
# The installed trainer, as a user runs it: -I keeps the source tree in the working
# directory off the path, so a compiled build (setup.py) is what gets timed.
TRAINER = [sys.executable, "-I", "-m", "trainer"]


def throughput(bank) -> None:  # noqa: ANN001
    """10,000 lines of real typed answers (the dev set's, 15-300 words, cycled in random
    order), then the same count of 30-120-word salads of bank vocabulary (a worst case:
    every word is a rubric term)."""
    import yaml

    rng = random.Random(11)
    real = [(a["item"], a["answer"]) for a in yaml.safe_load(GRADED.read_text())["answers"]
            if bank.get(a["item"]) is not None]
    ids = [e.id for e in bank.entries.values() if e.kind in ("question", "follow_up")]
    vocab = " ".join(x.model_answer for x in bank.questions).split()
    sets = {
        "real typed answers (dev set, cycled)": [rng.choice(real) for _ in range(10_000)],
        "word salads of bank vocabulary (30-120 words)": [
            (rng.choice(ids), _answer(rng, vocab, rng.randint(30, 120)))
            for _ in range(10_000)],
    }
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TRAINER_HOME": str(Path(tmp) / "home")}
        # One run to fill the bank cache, as any earlier command would have.
        subprocess.run([*TRAINER, "bank", "check"], env=env, cwd=tmp,
                       capture_output=True, check=True)
        build = subprocess.run([*TRAINER, "--version"], env=env, cwd=tmp,
                               capture_output=True, text=True, check=True).stdout.strip()
        print(f"trainer grade as installed: {build}")
        for label, rows in sets.items():
            src = Path(tmp) / "answers.jsonl"
            with src.open("w") as fh:
                for qid, answer in rows:
                    fh.write(json.dumps({"question": qid, "answer": answer}) + "\n")
            best = None
            for _ in range(3):
                t0 = time.perf_counter()
                proc = subprocess.run([*TRAINER, "grade", "--input", str(src), "--output",
                                       str(Path(tmp) / "out.jsonl")],
                                      env=env, cwd=tmp, capture_output=True, text=True)
                elapsed = time.perf_counter() - t0
                assert proc.returncode == 0, proc.stderr
                best = elapsed if best is None else min(best, elapsed)
            lines = len((Path(tmp) / "out.jsonl").read_text().splitlines())
            print(f"trainer grade, {label}: 10,000 in {best:.2f} s including process start "
                  f"= {10_000 / best:,.0f} answers/s (best of 3; {lines} output lines)")


def hostile(bank, grader: Grader) -> None:  # noqa: ANN001
    q = max(bank.questions, key=lambda x: len(x.rubric))
    cases = {
        "1 MB answer": ("rollback canary baseline " * 45_000)[:1_000_000],
        "10,000-line answer": "roll back first\n" * 10_000,
        "control characters": "".join(chr(i) for i in range(32)) * 30_000,
    }
    for name, answer in cases.items():
        t0 = time.perf_counter()
        r = grader.grade(q, answer)
        print(f"hostile: {name} ({len(answer):,} chars): {time.perf_counter() - t0:.3f} s, "
              f"score {r.score}")
    # A contrast question with no rubric: every drafted phrase is bound to a side, and
    # each of thousands of matches asks which side it is said of.
    contrast = Question(id="contrast", prompt="How does a stack differ from a queue?",
                        model_answer="A stack is LIFO: the most recently pushed element is "
                        "popped first. A queue is FIFO: the earliest enqueued element is "
                        "dequeued first.")
    answer = ("a queue is LIFO and a stack is FIFO popped first dequeued first earliest "
              "enqueued element " * 11_000)[:1_000_000]
    t0 = time.perf_counter()
    r = Grader().grade(contrast, answer)
    print(f"hostile: 1 MB answer to a contrast question with a drafted rubric: "
          f"{time.perf_counter() - t0:.3f} s, score {r.score}")


def main() -> None:
    from trainer.build_info import describe

    print(f"in this process: {describe()}")
    bank = load_bank()
    grader = Grader(bank)
    latency(bank, grader)
    hostile(bank, grader)
    throughput(bank)


if __name__ == "__main__":
    main()
