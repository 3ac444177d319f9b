"""`trainer due [--at TIME|+1d] [--json]`: the cards whose review is due, soonest first."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime, time, timedelta
from typing import Any

from .common import EXIT_BAD_INPUT, add_bank_options, bank_from_args, open_history

DESCRIPTION = """\
List the questions and follow-ups whose spaced-repetition review is due, soonest first:
the cards Review serves. --at takes 'now' (the default), a time ahead such as +1d, +12h,
+30m or +2w, a date (2026-12-03: due by the end of that day) or a date and time
(2026-12-03T09:00, local time unless it gives an offset)."""

_AHEAD = re.compile(r"^\+(\d{1,5})([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("due", help="list the cards due for review (now or by a time)",
                              description=DESCRIPTION)
    p.set_defaults(handler=__name__)
    p.add_argument("--at", type=parse_time, default="now", metavar="TIME",
                   help="now (default), +1d, +12h, +30m, +2w, 2026-12-03 or 2026-12-03T09:00")
    p.add_argument("--topic", metavar="T", help="only cards of this topic")
    p.add_argument("--level", choices=["junior", "mid", "senior", "staff"])
    p.add_argument("--json", action="store_true", help="print JSON")
    add_bank_options(p)


def parse_time(text: str, now: datetime | None = None) -> datetime:
    now = now or datetime.now(UTC)
    text = text.strip()
    if text == "now":
        return now
    ahead = _AHEAD.match(text)
    if ahead:
        return now + timedelta(**{_UNITS[ahead.group(2)]: int(ahead.group(1))})
    try:
        if len(text) == 10:  # a date: due by the end of that local day
            day = datetime.fromisoformat(text).date()
            return datetime.combine(day, time.max).astimezone().astimezone(UTC)
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected now, +1d, +12h, +30m, +2w, a date or a date and time; got {text!r}"
        ) from None
    if when.tzinfo is None:
        when = when.astimezone()  # local time
    return when.astimezone(UTC)


def run(args: argparse.Namespace) -> int:
    from trainer.application import Workspace
    from trainer.study.wording import interval_long, plural

    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    if args.topic and args.topic not in {t for q in bank.questions for t in q.topics}:
        print(f"trainer due: no topic {args.topic!r}", file=sys.stderr)
        return EXIT_BAD_INPUT
    history = open_history("due")
    if history is None:
        return EXIT_BAD_INPUT
    workspace = Workspace(bank, history)
    at: datetime = args.at
    now = datetime.now(UTC)
    with history:
        rows = workspace.due_by(at, topic=args.topic, level=args.level)
    if args.json:
        print(json.dumps({"at": at.isoformat(), "count": len(rows), "cards": [
            {"id": r.item_id, "code": r.code, "kind": r.kind, "title": r.title,
             "parent": r.parent, "topics": list(r.topics), "level": r.level,
             "due": r.due.isoformat() if r.due else None,
             "last_score": r.last_score, "best_score": r.best_score} for r in rows]},
            indent=2, ensure_ascii=False))
        return 0
    by = "now" if abs((at - now).total_seconds()) < 1 else (
        at.astimezone().strftime("%Y-%m-%d %H:%M"))
    print(f"{plural(len(rows), 'card')} due by {by}" + (":" if rows else "."))
    width = max((len(r.code) for r in rows), default=0)
    for r in rows:
        assert r.due is not None
        when = (f"overdue {interval_long(now - r.due)}" if r.due <= now
                else f"in {interval_long(r.due - now)}")
        print(f"  {r.code:<{width}}  {when:<22}  {r.title}")
    return 0
