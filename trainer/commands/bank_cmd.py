"""`trainer bank ...`: check, list, stats, show and schema."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import textwrap
from enum import Enum
from pathlib import Path
from typing import Any

from trainer.bank import Entry, check_bank
from trainer.bank.models import (
    Concept,
    FollowUp,
    Misconception,
    Outline,
    Question,
    RedFlag,
    Scenario,
)

from .common import EXIT_BAD_INPUT, add_bank_options, bank_from_args, open_history, report


def add_parser(sub: Any) -> None:
    bank = sub.add_parser("bank", help="check, list and show bank items")
    bank.set_defaults(handler=__name__)
    bank_sub = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    check = bank_sub.add_parser("check", help="validate the bank (and any PATHs)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    add_bank_options(check)
    listing = bank_sub.add_parser("list", help="every item: id, kind, title, topics, level")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--kind", choices=["question", "follow_up", "scenario", "term", "note"])
    add_bank_options(listing)
    stats = bank_sub.add_parser("stats", help="counts by kind, topic and level")
    stats.add_argument("--json", action="store_true", help="print JSON")
    add_bank_options(stats)
    show = bank_sub.add_parser("show", help="print one item")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print JSON")
    add_bank_options(show)
    schema = bank_sub.add_parser("schema", help="print the JSON Schema of bank files")
    schema.add_argument("-o", "--output", type=Path, help="write to a file")
    draft = bank_sub.add_parser(
        "draft-rubric", help="draft a rubric from model answers, as YAML to edit",
        description="Print a rubric drafted from the model answer of item ID, or of every "
        "question and follow-up in a YAML bank file that has no rubric.",
    )
    draft.add_argument("target", metavar="ID_OR_PATH")
    add_bank_options(draft)
    suggest = bank_sub.add_parser(
        "suggest-aliases", help="alias suggestions from \"I covered that\" claims, as YAML",
        description="Turn the concepts candidates said they covered (the 'c' key after a "
        "scored answer) into a YAML patch of keyword suggestions for bank authors: for each "
        "claimed concept, phrases from the claiming answers that no keyword of the item "
        "matches, most claimed first.")
    suggest.add_argument("--min-claims", type=int, default=1, metavar="N",
                         help="only concepts claimed at least N times (default 1)")
    add_bank_options(suggest)


def run(args: argparse.Namespace) -> int:
    return {
        "check": _check,
        "list": _list,
        "stats": _stats,
        "show": _show,
        "schema": _schema,
        "draft-rubric": _draft,
        "suggest-aliases": _suggest,
    }[args.bank_command](args)


def _check(args: argparse.Namespace) -> int:
    paths = list(args.banks) + list(args.paths)
    bank, problems = check_bank(paths, builtin=not args.no_builtin, trust_cache=False)
    if problems:
        report(problems)
        return EXIT_BAD_INPUT
    from trainer.scoring.lint import warnings

    found = warnings(bank)
    for w in found:
        print(w, file=sys.stderr)
    kinds = bank.stats()["kinds"]
    summary = ", ".join(f"{n} {k.replace('_', '-')}s" for k, n in kinds.items())
    tail = f" ({len(found)} warning{'s' if len(found) != 1 else ''})" if found else ""
    print(f"ok: {summary}{tail}")
    return 0


def entry_row(e: Entry) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind,
        "title": e.title,
        "topics": list(e.topics),
        "level": e.level,
        "parent": e.parent,
    }


def _list(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    rows = [entry_row(e) for e in bank.entries.values() if not args.kind or e.kind == args.kind]
    if args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        level = r["level"] or "-"
        print(f"{r['id']:<{width}}  {r['kind']:<9}  {level:<6}  {r['title']}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    stats = bank.stats()
    if args.json:
        json.dump(stats, sys.stdout, indent=2)
        print()
        return 0
    for title, key in (("Items", "kinds"), ("Levels", "levels"), ("Notes", "notes"),
                       ("Topics", "topics")):
        print(f"{title}:")
        for name, n in stats[key].items():
            print(f"  {name.replace('_', '-'):<24} {n:>5}")
    return 0


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _para(text: str, indent: str = "  ") -> str:
    out = []
    for block in text.strip().split("\n"):
        out.append(textwrap.fill(block, 88, initial_indent=indent, subsequent_indent=indent)
                   if block.strip() else "")
    return "\n".join(out)


def _rubric_lines(rubric: tuple[Concept, ...]) -> list[str]:
    return [f"  [{c.weight}] {c.concept}: {', '.join(c.keywords)}" for c in rubric]


def _flag_lines(flags: tuple[RedFlag, ...]) -> list[str]:
    return [f"  ! {', '.join(f.keywords)} - {f.why}" for f in flags]


def _misconception_lines(items: tuple[Misconception, ...]) -> list[str]:
    out = []
    for m in items:
        out.append(f"  ! {', '.join(m.keywords)} - {m.why}")
        if m.correction:
            out.append(f"    correct: {m.correction}")
    return out


def _outline_lines(outline: Outline | None) -> list[str]:
    if outline is None:
        return []
    head = "Outline (order matters):" if outline.order_matters else "Outline:"
    return [head] + [f"  {i}. {s.step}" for i, s in enumerate(outline.steps, 1)]


def describe(e: Entry) -> str:
    """A readable page for one item, as `bank show` prints it."""
    item = e.item
    lines = [f"{e.title}  ({e.kind}, {e.id})"]
    meta = [f"level: {e.level}" if e.level else "", "topics: " + ", ".join(e.topics) if e.topics
            else "", f"source: {item.source}" if getattr(item, "source", "") else "",
            f"parent: {e.parent}" if e.parent else ""]
    lines.append("  ".join(m for m in meta if m))
    sections: list[tuple[str, str]] = []
    for name in ("prompt", "tests", "briefing", "definition", "model_answer", "first_action",
                 "debrief", "body", "notes"):
        text = getattr(item, name, "")
        if text:
            sections.append((name.replace("_", " ").capitalize(), text))
    for name, text in sections:
        lines += ["", f"{name}:", _para(text)]
    if isinstance(item, Scenario) and item.signals:
        lines += ["", "Signals:"] + [f"  - {s}" for s in item.signals]
    if isinstance(item, Question | FollowUp | Scenario):
        if item.rubric:
            lines += ["", "Rubric ([weight] concept: keywords):"] + _rubric_lines(item.rubric)
        if item.misconceptions:
            lines += ["", "Misconceptions:"] + _misconception_lines(item.misconceptions)
        if item.red_flags:
            lines += ["", "Red flags:"] + _flag_lines(item.red_flags)
    if isinstance(item, Question | FollowUp) and item.answer_outline:
        lines += [""] + _outline_lines(item.answer_outline)
    if isinstance(item, Question) and item.follow_ups:
        lines += ["", "Follow-ups:"] + [f"  {f.id}: {f.prompt}" for f in item.follow_ups]
    if item.related:
        lines += ["", "Related: " + ", ".join(item.related)]
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    entry = bank.get(args.id)
    scenario = bank.find_scenario(args.id) if entry is None else None
    if scenario is not None:
        entry = bank.get(scenario.id)
    if entry is None:
        import difflib

        guess = difflib.get_close_matches(args.id, list(bank.entries), n=3)
        tip = f" (did you mean {', '.join(guess)}?)" if guess else ""
        print(f"trainer: no item with id '{args.id}'{tip}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        json.dump({**entry_row(entry), "item": _plain(entry.item)}, sys.stdout, indent=2,
                  ensure_ascii=False)
        print()
    else:
        print(describe(entry))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from trainer.bank.schema import schema_text

    text = schema_text()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _gradable(e: Entry) -> Question | FollowUp | Scenario:
    assert isinstance(e.item, Question | FollowUp | Scenario), e.kind  # callers filter kinds
    return e.item


def _draft(args: argparse.Namespace) -> int:
    """Print drafted rubrics as YAML an author can paste into the item and edit."""
    from pathlib import Path

    import yaml

    from trainer.scoring import Grader

    target = Path(args.target)
    extra = [target] if target.suffix in (".yaml", ".yml") and target.is_file() else []
    bank = bank_from_args(argparse.Namespace(**{**vars(args), "banks": args.banks + extra}))
    if bank is None:
        return EXIT_BAD_INPUT
    if extra:
        resolved = str(target.resolve())
        items = [e for e in bank.entries.values() if e.kind in ("question", "follow_up")
                 and Path(e.location.file).resolve() == Path(resolved)]
        items = [e for e in items if not _gradable(e).rubric] or items
    else:
        entry = bank.get(args.target)
        if entry is None or entry.kind not in ("question", "follow_up", "scenario"):
            print(f"trainer: no question, follow-up or scenario '{args.target}'", file=sys.stderr)
            return EXIT_BAD_INPUT
        items = [entry]
    grader = Grader(bank)
    docs = []
    for e in items:
        item = _gradable(e)
        if item.rubric:
            # Draft anyway: the author asked for it, and may want to compare.
            item = dataclasses.replace(item, rubric=())
        concepts, _ = grader.rubric_for(item)
        docs.append({"id": e.id, "rubric": [
            {"concept": c.concept, "weight": c.weight, "keywords": list(c.keywords),
             "hint": c.hint} for c in concepts]})
    print("# Drafted from the model answers: edit the concepts, add synonyms, fix weights.")
    print(yaml.safe_dump(docs, sort_keys=False, allow_unicode=True, width=88), end="")
    return 0


def _suggest(args: argparse.Namespace) -> int:
    import yaml

    from trainer.scoring.suggest import suggest_aliases

    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    history = open_history("bank suggest-aliases")
    if history is None:
        return EXIT_BAD_INPUT
    with history:
        claims = history.claims()
    patch = suggest_aliases(bank, claims, min_claims=args.min_claims)
    print(f"# Alias suggestions from {len(claims)} \"I covered that\" claim"
          f"{'s' if len(claims) != 1 else ''}. Read each answer before adding a keyword: a")
    print("# claim is a candidate's word, not a grade.")
    if patch:
        print(yaml.safe_dump(patch, sort_keys=False, allow_unicode=True, width=88), end="")
    else:
        print("[]")
    return 0
