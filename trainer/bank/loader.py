"""Find, read and validate bank files; the one entry point everything else uses.

`load_bank()` is called by every CLI subcommand and by the app. It either returns a fully
validated `Bank` or raises `BankError` carrying every problem found, so callers print
them and exit 2 instead of showing a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import cache
from .bank import Bank, Location
from .convert import Converter, Problem
from .lines import LineDict, YamlProblem
from .models import BankFile, FollowUp, Question, Scenario, Term

BANK_SUFFIXES = (".yaml", ".yml")


class BankError(Exception):
    """A bank that failed to load; `problems` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


def builtin_bank_dir() -> Path:
    """Where the built-in bank lives: inside the installed package, or in a checkout."""
    try:
        from importlib.resources import files

        installed = Path(str(files("trainer.builtin_bank")))
        if installed.is_dir():
            return installed
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "question_bank"


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def expand_paths(paths: Iterable[Path], problems: list[Problem]) -> list[Path]:
    """Files named directly, plus every YAML file under each folder, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix in BANK_SUFFIXES
                            and not _skipped(p.relative_to(path)) and p.is_file())
            if not inside:
                problems.append(Problem(_display(path), 0, "folder holds no .yaml bank files"))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            problems.append(Problem(_display(path), 0, "not a regular file or folder "
                                    "(a pipe or a device cannot be a bank)"))
        else:
            problems.append(Problem(_display(path), 0, "no such file or folder"))
    unique: dict[Path, None] = {}
    for p in found:
        unique.setdefault(p.resolve(), None)
    return list(unique)


READ_LIMIT = 11 * 1024 * 1024  # a little past the 10 MB limit, so decode() can say so


def read_bytes(path: Path) -> bytes | None:
    try:
        with path.open("rb") as fh:
            return fh.read(READ_LIMIT)
    except OSError:
        return None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


# Inside a bank folder these are never banks: version control, editors' and tools' own
# folders, and other people's code (a cloned repository's CI files are YAML too).
SKIPPED_FOLDERS = frozenset("node_modules venv site-packages __pycache__".split())


def _skipped(relative: Path) -> bool:
    return any(part.startswith(".") or part in SKIPPED_FOLDERS for part in relative.parts)


def parse_file(path: Path, problems: list[Problem],
               data: bytes | None = None) -> tuple[BankFile, dict[str, int]] | None:
    """Convert one file (its `data`, or what is read now), with the line of each id;
    problems are appended."""
    from .yamlread import decode, read_yaml  # PyYAML only when a file must be parsed

    name = _display(path)
    try:
        if data is None:
            with path.open("rb") as fh:
                data = fh.read(READ_LIMIT)
        raw = read_yaml(decode(data, _size(path) if len(data) >= READ_LIMIT else None))
    except OSError as exc:
        problems.append(Problem(name, 0, f"cannot read: {exc.strerror or exc}"))
        return None
    except YamlProblem as exc:
        problems.append(Problem(name, exc.line, exc.message))
        return None
    if raw is None:
        problems.append(Problem(name, 1, "file is empty"))
        return None
    if not isinstance(raw, LineDict):
        problems.append(
            Problem(name, 1, "a bank file must be a mapping with questions, scenarios, "
                    "glossary or notes lists")
        )
        return None
    converted = Converter(name, problems).model(BankFile, raw, raw.line, "")
    if converted is not None and not any(
        raw.get(k) for k in ("questions", "scenarios", "glossary", "notes", "lexicon")
    ):
        problems.append(Problem(name, raw.line, "file holds no questions, scenarios, glossary "
                                "terms, notes or lexicon"))
    if converted is None:
        return None
    lines = _id_lines(raw)
    # Checked here, per file, so a cached file (which passed) skips importing the simulator.
    for scenario in converted.scenarios:
        if scenario.simulation is not None:
            where = lines.get(f"simulation:{scenario.id}", lines.get(scenario.id, 0))
            _check_simulation(scenario, name, where, problems)
    return converted, lines


def _term_id(term: Term) -> str:
    if term.id:
        return term.id
    slug = re.sub(r"[^a-z0-9]+", "-", term.term.lower()).strip("-")
    return f"term-{slug or 'unnamed'}"


def assemble(parsed: list[tuple[str, BankFile, dict[str, int]]], problems: list[Problem]) -> Bank:
    """Merge converted files into one bank, checking what spans items and files."""
    bank = Bank()
    for name, bf, lines in parsed:
        for q in bf.questions:
            bank.add("question", q, Location(name, lines.get(q.id, 0)), problems)
            _check_rubric_refs(q, name, lines.get(q.id, 0), problems)
            for fu in q.follow_ups:
                bank.add("follow_up", fu, Location(name, lines.get(fu.id, 0)), problems, q.id)
                _check_rubric_refs(fu, name, lines.get(fu.id, 0), problems)
        for s in bf.scenarios:
            bank.add("scenario", s, Location(name, lines.get(s.id, 0)), problems)
        for t in bf.glossary:
            tid = _term_id(t)
            bank.add("term", t, Location(name, lines.get(f"term:{t.term}", 0)), problems, tid=tid)
        for n in bf.notes:
            bank.add("note", n, Location(name, lines.get(n.id, 0)), problems)
        bank.lexicon.extend(c.terms for c in bf.lexicon)
    for item_id, entry in bank.entries.items():
        for ref in entry.item.related:
            if ref not in bank.entries:
                problems.append(
                    Problem(entry.location.file, entry.location.line,
                            f"{item_id}: related id '{ref}' does not exist in the bank")
                )
    return bank


def _check_simulation(scenario: Scenario, file: str, line: int,
                      problems: list[Problem]) -> None:
    """What types cannot say about a simulation block: known actions, times inside the
    run, the parameters each strategy needs. The rules live in `simcheck`."""
    from .simcheck import validate_simulation

    problems.extend(Problem(file, line, message) for message in validate_simulation(scenario))


def _check_rubric_refs(item: Question | FollowUp, file: str, line: int,
                       problems: list[Problem]) -> None:
    names = [c.concept for c in item.rubric]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            problems.append(Problem(file, line, f"{item.id}: rubric concept '{n}' appears twice"))
        seen.add(n)
    if item.answer_outline:
        for step in item.answer_outline.steps:
            if step.concept and step.concept not in seen:
                problems.append(Problem(file, line, f"{item.id}: outline step '{step.step}' "
                                        f"names unknown rubric concept '{step.concept}'"))
            if not step.concept and not step.keywords:
                problems.append(Problem(file, line, f"{item.id}: outline step '{step.step}' "
                                        "needs keywords or a rubric concept to be recognised"))


def _id_lines(raw: LineDict) -> dict[str, int]:
    """Line of each item id (and term name), for messages about cross-file problems."""
    lines: dict[str, int] = {}
    for section in ("questions", "scenarios", "glossary", "notes"):
        items = raw.get(section)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, LineDict):
                continue
            if isinstance(item.get("id"), str):
                lines[item["id"]] = item.key_lines["id"]
            if isinstance(item.get("term"), str):
                lines[f"term:{item['term']}"] = item.key_lines["term"]
            if isinstance(item.get("id"), str) and "simulation" in item:
                lines[f"simulation:{item['id']}"] = item.key_lines["simulation"]
            follow_ups = item.get("follow_ups")
            for fu in follow_ups if isinstance(follow_ups, list) else ():
                if isinstance(fu, LineDict) and isinstance(fu.get("id"), str):
                    lines[fu["id"]] = fu.key_lines["id"]
    return lines


LEXICON_FILE = "lexicon.yaml"


def check_bank(paths: Sequence[Path] = (), *, builtin: bool = True,
               trust_cache: bool = True) -> tuple[Bank, list[Problem]]:
    """Load and validate; return the bank (possibly partial) and every problem found.
    `trust_cache=False` parses every file: the vetting command must judge what is on
    disk, not what an entry in the cache says about it."""
    problems: list[Problem] = []
    # The built-in lexicon is language, not questions: it comes along with --no-builtin.
    lexicon = builtin_bank_dir() / LEXICON_FILE
    roots = [builtin_bank_dir() if builtin else lexicon] + [Path(p) for p in paths]
    if not builtin and not paths:
        problems.append(Problem("<bank>", 0, "no bank to load: --no-builtin and no --bank PATH"))
    files = expand_paths(roots, problems)
    # The bytes are read once: the cache is keyed by a hash of exactly the bytes that are
    # parsed, so a file saved while it loads can never leave stale or invalid content
    # behind a valid-looking entry.
    contents = {path: read_bytes(path) for path in files}
    digests = {p: cache.digest(d) if d is not None else None for p, d in contents.items()}
    cached: dict[Path, tuple[BankFile, dict[str, int]] | None] = {}
    for path in files:
        key = digests[path]
        cached[path] = cache.get(path, key) if key and trust_cache else None
    fresh = _parse_all([(p, contents[p]) for p, got in cached.items() if got is None])
    parsed: list[tuple[str, BankFile, dict[str, int]]] = []
    for path in files:
        got = cached[path]
        if got is None:
            got, file_problems = fresh[path]
            digest = digests[path]
            if got is not None and not file_problems and digest:
                cache.put(path, digest, got)
            problems.extend(file_problems)
        if got is not None:
            parsed.append((_display(path), *got))
    bank = assemble(parsed, problems)
    return bank, problems


ParseResult = tuple[tuple[BankFile, dict[str, int]] | None, list[Problem]]
# Parsing is CPU-bound Python; past this much YAML, spreading files over the cores pays for
# starting the workers.
PARALLEL_BYTES = 1_000_000


def _parse_one(job: tuple[Path, bytes | None]) -> ParseResult:
    path, data = job
    file_problems: list[Problem] = []
    return parse_file(path, file_problems, data), file_problems


def _parse_all(jobs: list[tuple[Path, bytes | None]]) -> dict[Path, ParseResult]:
    """Parse files, in worker processes when there is enough YAML to make it worth it."""
    workers = min(len(jobs), os.cpu_count() or 1)
    size = sum(len(d) for _, d in jobs if d is not None)
    if workers > 1 and size >= PARALLEL_BYTES:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                return dict(zip([p for p, _ in jobs], pool.map(_parse_one, jobs),
                                strict=True))
        except (OSError, BrokenProcessPool):
            pass  # no processes to be had (sandbox, limits): parse here instead
    return {job[0]: _parse_one(job) for job in jobs}


def load_bank(paths: Sequence[Path] = (), *, builtin: bool = True) -> Bank:
    """The validated bank, or `BankError` with every problem."""
    bank, problems = check_bank(paths, builtin=builtin)
    if problems:
        raise BankError(problems)
    return bank



def builtin_lexicon() -> list[tuple[str, ...]]:
    """The built-in synonym classes alone (for scoring with no bank loaded)."""
    path = builtin_bank_dir() / LEXICON_FILE
    data = read_bytes(path)
    digest = cache.digest(data) if data is not None else None
    got = cache.get(path, digest) if digest else None
    problems: list[Problem] = []
    if got is None:
        got = parse_file(path, problems, data)
        if got is not None and not problems and digest:
            cache.put(path, digest, got)
    if problems or got is None:
        raise BankError(problems)
    return [c.terms for c in got[0].lexicon]
