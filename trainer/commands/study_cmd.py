"""`trainer locate` (where data and config live) and `trainer stats` (progress)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from trainer import paths

from .common import EXIT_BAD_INPUT, add_bank_options, bank_from_args, open_history

STATS_HELP = """\
mastery: mean of each item's latest score over every question, follow-up and scenario
of a topic or level (unattempted items count 0; a scenario's score is its run's);
streak: days in a row with an attempt or review, ending today or yesterday; most
missed: rubric concepts missed most often across all attempts; leeches: cards failed
(rated Again) on 4+ separate days; calibration: your self-ratings (1-4) against the
rating your score earned, per week (bias > 0: you rate yourself higher than you
score)."""


def add_parser(subparsers: Any) -> None:
    locate = subparsers.add_parser("locate", help="print where history, config and caches live")
    locate.set_defaults(handler=__name__)
    locate.add_argument("--json", action="store_true", help="print JSON")
    locate.set_defaults(study_command="locate")
    stats = subparsers.add_parser(
        "stats", help="progress: mastery, streak, reviews per day, misses, leeches",
        description=STATS_HELP)
    stats.set_defaults(handler=__name__)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.add_argument("--days", type=int, default=30, metavar="N",
                       help="days of reviews-per-day to show (default 30)")
    stats.set_defaults(study_command="stats")
    add_bank_options(stats)


def run(args: argparse.Namespace) -> int:
    command = args.study_command
    return _locate(args) if command == "locate" else _stats(args)


def locations() -> dict[str, str]:
    from trainer.study import default_path

    return {"data_dir": str(paths.data_dir()), "config_dir": str(paths.config_dir()),
            "cache_dir": str(paths.cache_dir()), "history": str(default_path())}


def _locate(args: argparse.Namespace) -> int:
    where = locations()
    if args.json:
        print(json.dumps(where, indent=2))
    else:
        width = max(map(len, where))
        for key, value in where.items():
            print(f"{key.replace('_', ' '):<{width}}  {value}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from trainer.study import stats

    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    history = open_history("stats")
    if history is None:
        return EXIT_BAD_INPUT
    with history:
        progress = stats(history, bank, days=max(1, args.days))
    if args.json:
        print(json.dumps({"history": str(history.path), **progress.to_dict()}, indent=2,
                         ensure_ascii=False))
    else:
        print(format_progress(progress))
    return 0


def format_progress(p: Any) -> str:
    from trainer.study.wording import plural

    t = p.totals
    lines = [f"{t.attempts} attempts on {t.items_attempted} items, {t.reviews} reviews, "
             f"{t.sheets} feedback sheets, {t.scenario_runs} scenario runs; "
             f"{p.due_now} cards due now"]
    s = p.streak
    lines.append(f"streak: {plural(s.current, 'day')} "
                 f"(longest {s.longest}, {plural(s.study_days, 'study day')}"
                 + (f", last {s.last_day})" if s.last_day else ")"))
    recent = [d for d in p.per_day if d.attempts or d.reviews][-7:]
    if recent:
        lines.append("recent days: " + ", ".join(
            f"{d.day.isoformat()} {d.attempts}a/{d.reviews}r" for d in recent))
    for title, rows in (("mastery by level", p.mastery_by_level),
                        ("mastery by topic", p.mastery_by_topic)):
        lines.append(f"\n{title} (latest score, unattempted = 0):")
        width = max((len(m.key) for m in rows), default=0)
        for m in rows:
            bar = "#" * round(m.mastery / 10)
            lines.append(f"  {m.key:<{width}}  {m.mastery:5.1f}  {bar:<10}  "
                         f"{m.attempted}/{m.items} attempted")
    if p.most_missed:
        lines.append("\nmost missed concepts:")
        for c in p.most_missed:
            lines.append(f"  {c.misses:>3}/{c.asked:<3} {c.concept}  ({', '.join(c.item_ids[:3])})")
    if p.leeches:
        lines.append("\nleeches (failed again and again; rewrite or rethink them):")
        for lch in p.leeches:
            lines.append(f"  {plural(lch.lapses, 'lapse')}  {lch.item_id}  {lch.title}")
    cal = p.calibration
    if cal.n:
        from trainer.study.calibration import answers_calibration

        lines.append(f"\ncalibration: {answers_calibration(cal)} (bias {cal.bias:+.2f}; "
                     "> 0: you rate yourself above your scores)")
        for pt in cal.points[-6:]:
            lines.append(f"  week of {pt.week.isoformat()}: self {pt.mean_self:.2f} vs "
                         f"measured {pt.mean_measured:.2f} (n={pt.n})")
    return "\n".join(lines)
