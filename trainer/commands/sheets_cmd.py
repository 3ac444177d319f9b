"""`trainer sheets [--json]`: the saved mock-interview feedback sheets, newest first."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from .common import EXIT_BAD_INPUT, add_bank_options, open_history

if TYPE_CHECKING:
    from trainer.bank import Bank
    from trainer.study import FeedbackSheet

DESCRIPTION = """\
List the feedback sheets saved after mock interviews, newest first: the id, the date, the
question asked (and how many follow-ups), the candidate and the interviewer, and the
score (the interviewer's mean rating out of 4 and the concepts ticked). "transcript"
marks a hosted interview (`trainer mock host`) whose timeline was saved with the sheet.
`trainer export sheet ID --format md|html` writes one out, with its transcript."""

TITLE_WIDTH = 34


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("sheets", help="list saved mock-interview feedback sheets",
                              description=DESCRIPTION)
    p.set_defaults(handler=__name__)
    p.add_argument("--json", action="store_true", help="print JSON")
    add_bank_options(p)


def _bank(args: argparse.Namespace) -> Bank | None:
    """The bank, for question titles; a listing of the history works without one."""
    from trainer.bank import BankError, load_bank

    try:
        return load_bank(args.banks or [], builtin=not args.no_builtin)
    except BankError as exc:
        print(f"trainer sheets: warning: the bank has {len(exc.problems)} problem(s); "
              "showing question ids", file=sys.stderr)
        return None


def _title(bank: Bank | None, item_id: str) -> str:
    entry = bank.get(item_id) if bank is not None else None
    return entry.title if entry is not None else item_id


def _score(sheet: FeedbackSheet) -> str:
    ticked = f"{sum(t.ticked for t in sheet.ticks)}/{len(sheet.ticks)} ticked"
    mean = sheet.mean_rating
    return f"{mean:.1f}/4 · {ticked}" if mean is not None else f"unrated · {ticked}"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def run(args: argparse.Namespace) -> int:
    history = open_history("sheets")
    if history is None:
        return EXIT_BAD_INPUT
    with history:
        sheets = history.sheets()
        with_transcript = history.sheets_with_transcript()
    bank = _bank(args) if sheets else None
    if args.json:
        print(json.dumps({"count": len(sheets), "sheets": [
            {"id": s.id, "created_at": s.created_at.isoformat(), "items": list(s.item_ids),
             "question": _title(bank, s.item_ids[0]) if s.item_ids else "",
             "candidate": s.candidate, "interviewer": s.interviewer,
             "mean_rating": s.mean_rating, "ticked": sum(t.ticked for t in s.ticks),
             "concepts": len(s.ticks), "self_rating": s.self_rating,
             "would_hire": s.would_hire, "hire_level": s.hire_level,
             "transcript": s.id in with_transcript} for s in sheets]},
            indent=2, ensure_ascii=False))
        return 0
    if not sheets:
        print("No feedback sheets yet: a mock interview (m in the app, or trainer mock "
              "host) ends with one.")
        return 0
    n = len(sheets)
    print(f"{n} feedback sheet{'s' if n != 1 else ''}, newest first:")
    rows = []
    for s in sheets:
        first = _title(bank, s.item_ids[0]) if s.item_ids else "-"
        more = len(s.item_ids) - 1
        question = _cut(first, TITLE_WIDTH - (5 if more else 0)) + (f" (+{more})" if more
                                                                    else "")
        who = " / ".join(p or "-" for p in (s.candidate, s.interviewer))
        mark = " · transcript" if s.id in with_transcript else ""
        date = s.created_at.astimezone().date().isoformat()
        rows.append((str(s.id), date, question, _cut(who, 24), _score(s) + mark))
    header = ("id", "date", "question", "candidate / interviewer", "score")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    for r in (header, *rows):
        print(f"  {r[0]:>{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  "
              f"{r[3]:<{widths[3]}}  {r[4]}".rstrip())
    print("Export one: trainer export sheet ID --format md|html [-o PATH]")
    return 0
