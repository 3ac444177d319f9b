"""`trainer grade`: score answers in bulk (JSONL) or one answer from stdin."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import IO, TYPE_CHECKING, Any

from trainer.bank import Bank, GradableItem, Grading
from trainer.scoring import Grader, ScoreResult
from trainer.scoring.wording import credit_note, drafted_confidence

from .common import EXIT_BAD_INPUT, add_bank_options, bank_from_args

if TYPE_CHECKING:
    from .grade_record import GradeRecorder


def add_parser(sub: Any) -> None:
    grade = sub.add_parser(
        "grade", help="score answers: JSONL in bulk, or one answer from stdin",
        description='Each input line is {"question": ID, "answer": TEXT}; each output line '
        "is the input plus score, verdict, matched, missed and red_flags. Bad lines become "
        "error lines naming their line number; exit 1 if any line failed.",
    )
    grade.set_defaults(handler=__name__)
    grade.add_argument("--input", "-i", metavar="FILE", help="JSONL answers (- for stdin)")
    grade.add_argument("--output", "-o", metavar="FILE", help="write JSONL here (default stdout)")
    grade.add_argument("--question", "-q", metavar="ID",
                       help="grade one answer read from stdin and explain the score")
    grade.add_argument("--record", action="store_true",
                       help="store each graded line as an attempt in your history (for "
                       "written mock interviews and transcripts)")
    add_bank_options(grade)


def run(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    if args.question:
        return _one(bank, args.question, sys.stdin.read())
    if not args.input:
        print("trainer grade: give --input FILE.jsonl (or - for stdin), or --question ID",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output and args.input != "-" and _same_file(args.input, args.output):
        print(f"trainer grade: --output {args.output} is the input file; it would be "
              "overwritten. Write the results somewhere else.", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8-sig",  # noqa: SIM115
                                                          errors="replace")
    except OSError as exc:
        print(f"trainer grade: cannot read {args.input}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    recorder = _recorder(args, bank)  # before any output: an unusable history stops here
    stopped: RunStopped | None = None
    try:
        with _output(args.output) as out, _stop_on_signals(recorder is not None) as signals:
            try:
                failed = grade_lines(bank, source, out, recorder, signals)
            except RunStopped as stop:
                stopped = stop  # the output so far is kept: it is what was recorded
        if stopped is not None:
            raise stopped
    except RunStopped as stop:
        # The output holds exactly the lines that were recorded, so a rerun from line
        # `stop.line` on records nothing twice.
        print(f"trainer grade: stopped at line {stop.line}: {stop.reason}. Lines before it "
              f"were graded and recorded; rerun from line {stop.line} to go on.",
              file=sys.stderr)
        return stop.code
    except OSError as exc:
        where = args.output or "standard output"
        print(f"trainer grade: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if source is not sys.stdin:
            source.close()
        if recorder is not None:
            recorder.close()
    if failed:
        print(f"trainer grade: {failed} line{'s' if failed != 1 else ''} could not be graded",
              file=sys.stderr)
    return 1 if failed else 0


class RunStopped(Exception):
    """A recorded run ends before `line`: the history refused a write (full disk, I/O
    error), or a signal asked it to stop."""

    def __init__(self, line: int, reason: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(line, reason)
        self.line, self.reason, self.code = line, reason, code


@contextmanager
def _stop_on_signals(recording: bool) -> Iterator[list[int]]:
    """While recording, SIGINT, SIGTERM and SIGHUP stop the run between two lines, so the
    output and the history agree; otherwise they end it as ctrl+c does, and an output
    file is left as it was."""
    caught: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        if not recording:
            raise KeyboardInterrupt
        caught.append(signum)

    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            previous[number] = signal.signal(number, handler)
        except ValueError:  # not the main thread: leave signals alone
            break
    try:
        yield caught
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    """Standard output, or a file written beside its final name and moved into place only
    when every line is written: an existing file is never left half-written or empty."""
    if not path:
        yield sys.stdout
        sys.stdout.flush()
        return
    if os.path.exists(path) and not os.path.isfile(path):
        # A device, a pipe or a terminal: write to it as it is, never replace it.
        with open(path, "w", encoding="utf-8") as fh:
            yield fh
        return
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".grade-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _recorder(args: argparse.Namespace, bank: Bank) -> GradeRecorder | None:
    """The recorder for --record (None without it); exit 2 when the history cannot take
    the answers, before a single line is graded."""
    if not args.record:
        return None
    from .grade_record import GradeRecorder

    recorder = GradeRecorder.open(bank)
    if isinstance(recorder, str):
        print(f"trainer grade: {recorder}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)
    return recorder


MAX_LINE_CHARS = 1_200_000  # an answer of about 1 MB fits; a 10 MB paste is refused
MAX_ANSWER_CHARS = 1_100_000


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# One decoder and one encoder for every line: json.loads and json.dumps with options
# build a new one per call, a third of the cost of a typical line's JSON.
_DECODE = json.JSONDecoder(parse_constant=_no_constant).decode
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _loads(line: str) -> Any:
    """json.loads(line, parse_constant=_no_constant), with the same errors."""
    if line.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
    return _DECODE(line)


def parse_line(n: int, line: str) -> tuple[int, dict[str, Any] | None, str]:
    """(line number, parsed object or None, error) for one non-blank input line. No line,
    however built, stops the run: it becomes an error row with its number."""
    if len(line) > MAX_LINE_CHARS:
        return n, None, (f"line is {len(line):,} characters long; the limit is "
                         f"{MAX_LINE_CHARS:,}")
    try:
        obj = _loads(line)
    except json.JSONDecodeError as exc:
        return n, None, f"not JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        return n, None, "not JSON we can read: nested too deeply"
    except ValueError as exc:  # huge integers, NaN/Infinity
        return n, None, f"not JSON we can read: {exc}"
    if not isinstance(obj, dict):
        return n, None, "expected a JSON object like {\"question\": ID, \"answer\": TEXT}"
    answer = obj.get("answer")
    if isinstance(answer, str) and len(answer) > MAX_ANSWER_CHARS:
        return n, None, (f"answer is {len(answer):,} characters long; the limit is "
                         f"{MAX_ANSWER_CHARS:,}")
    return n, obj, ""


# Past this many lines, answers are graded on every core: the workers are forked with the
# bank and the grader already loaded, so starting them costs little next to the grading.
PARALLEL_LINES = 2000
CHUNK = 500
WARM_LINES = 200  # past this, compiling every keyword up front (or from cache) pays


def grade_lines(bank: Bank, source: IO[str], out: IO[str], recorder: GradeRecorder | None = None,
                signals: list[int] | None = None) -> int:
    # The collector is set aside from the first line read: reading a batch and warming
    # the grader make hundreds of thousands of objects, none of them garbage, and every
    # full collection would walk them all (two did, a sixth of warm()'s time).
    with _collector_set_aside():
        grader = Grader(bank)
        raw = [(n, line) for n, line in enumerate(source, 1) if line.strip()]
        if len(raw) >= WARM_LINES:
            grader.warm(_items_named(bank, raw))
        workers = min(os.cpu_count() or 1, 8)
        if recorder is None and workers > 1 and len(raw) >= PARALLEL_LINES:
            # Workers parse their own lines: the JSON work is spread too.
            rows: Iterable[tuple[str, bool]] = _graded_in_parallel(grader, raw, workers)
        else:
            rows = (_graded(grader, parse_line(n, line), recorder) for n, line in raw)
        failed = 0
        write = out.write
        for done, (row, ok) in enumerate(rows, 1):
            failed += not ok
            write(row)
            if signals and done < len(raw):
                name = signal.Signals(signals[0]).name
                raise RunStopped(raw[done][0], f"{name} received", 128 + signals[0])
    return failed


# The id a line names, found without parsing it: it only chooses what to compile up front,
# so a line it misreads costs that line a lazy compile, never a wrong grade.
_QUESTION_ID = re.compile(r'"(?:question|id)"\s*:\s*"([^"\\]{1,200})"')


def _items_named(bank: Bank, raw: list[tuple[int, str]]) -> list[GradableItem]:
    ids = {m.group(1) for _, line in raw if (m := _QUESTION_ID.search(line))}
    return [e.item for i in ids if (e := bank.get(i)) is not None
            and isinstance(e.item, GradableItem)]


@contextmanager
def _collector_set_aside() -> Iterator[None]:
    """No cyclic garbage collection while grading. Grading makes no reference cycles (all
    it allocates is freed by reference counting), so the collector would only walk the
    objects again and again: the bank, the grader and their caches at every full
    collection, and a long answer's tokens (a 1 MB answer spent a fifth of its time
    there). The objects made before are frozen too (and those made since, before
    workers fork: `_graded_in_parallel`), so forked workers do not copy the heap page by
    page by collecting; both are undone when grading ends."""
    import gc

    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


Line = tuple[int, dict[str, Any] | None, str]
# A `grading: self` item has no rubric worth the name (imported prose): a number drafted
# from it would mislead, so it is refused, as the app shows it as a flashcard.
_FLASHCARD = ("'{}' is a flashcard (grading: self): it is not scored; practise it in the "
              "app and rate yourself")


def _graded(grader: Grader, line: Line, recorder: GradeRecorder | None = None) -> tuple[str, bool]:
    """The output line for one input line (JSON), and whether it was graded."""
    n, obj, error = line
    if obj is not None:
        qid = obj.get("question", obj.get("id"))
        answer = obj.get("answer")
        bank = grader.bank
        entry = bank.get(qid) if isinstance(qid, str) and bank is not None else None
        if not isinstance(qid, str) or not qid:
            error = "missing \"question\" (the id of a question or follow-up)"
        elif entry is None or entry.kind not in ("question", "follow_up", "scenario"):
            error = f"unknown question id '{qid}'"
        elif getattr(entry.item, "grading", None) == Grading.self:
            error = _FLASHCARD.format(qid)
        elif not isinstance(answer, str) or not answer.strip():
            error = "missing \"answer\" text"
        else:
            result = grader.grade(entry.item, answer, entry.id)  # type: ignore[arg-type]
            if recorder is not None:
                try:
                    recorder.record(entry.id, answer, result, obj)
                except sqlite3.Error as exc:
                    raise RunStopped(n, f"cannot record it ({exc})") from exc
            return _json({**obj, **result.to_dict()}), True
    row: dict[str, Any] = {"line": n, "error": error}
    if obj is not None:
        row = {**obj, **row}
    return _json(row), False


def _json(row: dict[str, Any]) -> str:
    text = _ENCODE(row)  # json.dumps(row, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from the input: keep it, escaped
        text = json.dumps(row)
    return text + "\n"


_WORKER_GRADER: Grader | None = None


def _chunks(lines: list[tuple[int, str]], workers: int) -> list[list[tuple[int, str]]]:
    """CHUNK lines at a time, then smaller ones towards the end, so that the workers run
    out of lines together: with equal chunks one worker may still grade a whole one while
    the other waits (a tenth of a second of 10,000 lines)."""
    chunks = []
    i = 0
    while i < len(lines):
        size = min(CHUNK, max(CHUNK // 10, (len(lines) - i) // (2 * workers), 1))
        chunks.append(lines[i : i + size])
        i += size
    return chunks


def _grade_chunk(chunk: list[tuple[int, str]]) -> list[tuple[str, bool]]:
    assert _WORKER_GRADER is not None
    return [_graded(_WORKER_GRADER, parse_line(n, line)) for n, line in chunk]


def _graded_in_parallel(grader: Grader, lines: list[tuple[int, str]],
                        workers: int) -> Iterator[tuple[str, bool]]:
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORKER_GRADER
    _WORKER_GRADER = grader
    chunks = _chunks(lines, workers)
    gc.freeze()  # what warm() made too (see _collector_set_aside)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_grade_chunk, chunks))
    except (OSError, ValueError, BrokenProcessPool):
        # No fork here (another platform, a sandbox, limits): grade in this process.
        results = [_grade_chunk(chunk) for chunk in chunks]
    finally:
        _WORKER_GRADER = None
    for chunk_rows in results:
        yield from chunk_rows


def explain(result: ScoreResult, answer: str) -> str:
    """The explanation for a person, as `grade --question` prints it."""
    lines = [f"Score {result.score}/100 - {result.verdict}"
             + (f" (level: {result.level})" if result.level else "")]
    if result.drafted:
        lines.append(f"(no rubric in the bank: scored against a rubric drafted from the model "
                     f"answer; {drafted_confidence(result)})")
    lines += [f"Note: {n}" for n in result.notices]
    if result.matched:
        lines.append("\nMatched:")
        for c in result.matched:
            where = "; ".join(f'"{s.text}"' for s in c.spans)
            lines.append(f"  + [{c.weight}] {c.concept}{credit_note(c)}: {where}")
    if result.missed:
        lines.append("\nMissed:")
        for c in result.missed:
            extra = ""
            if c.status == "negated":
                extra = f' - you said it negatively: "{c.spans[0].text}" in a negated clause'
            hint = f" - hint: {c.hint}" if c.hint else ""
            lines.append(f"  - [{c.weight}] {c.concept}{extra}{hint}")
    if result.misconceptions:
        lines.append("\nMisconceptions:")
        for f in result.misconceptions:
            lines.append(f'  ! "{f.span.text}" (-{f.penalty}): {f.why}')
            if f.correction:
                lines.append(f"    correct: {f.correction}")
    if result.order_problems:
        lines.append("\nOrder:")
        for p in result.order_problems:
            lines.append(f"  ~ {p.message}")
    return "\n".join(lines)


def _one(bank: Bank, qid: str, answer: str) -> int:
    entry = bank.get(qid)
    if entry is None or entry.kind not in ("question", "follow_up", "scenario"):
        print(f"trainer grade: unknown question id '{qid}'", file=sys.stderr)
        return EXIT_BAD_INPUT
    if getattr(entry.item, "grading", None) == Grading.self:
        print(f"trainer grade: {_FLASHCARD.format(qid)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not answer.strip():
        print("trainer grade: no answer on standard input", file=sys.stderr)
        return EXIT_BAD_INPUT
    if len(answer) > MAX_ANSWER_CHARS:
        print(f"trainer grade: the answer is {len(answer):,} characters long; the limit is "
              f"{MAX_ANSWER_CHARS:,}", file=sys.stderr)
        return EXIT_BAD_INPUT
    with _collector_set_aside():
        result = Grader(bank).grade(entry.item, answer, entry.id)  # type: ignore[arg-type]
    try:
        print(explain(result, answer))
        sys.stdout.flush()
    except OSError as exc:
        print(f"trainer grade: cannot write standard output: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
