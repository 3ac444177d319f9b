"""`trainer scheduler fit`: fit FSRS's parameters to your own review log."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .common import EXIT_BAD_INPUT, add_bank_options, bank_from_args, open_history

DESCRIPTION = """\
fit: learn FSRS's 21 parameters from your own reviews (as Anki's "optimize" does), so
intervals follow how fast you actually forget. It needs at least 64 reviews that came a
day or more after an earlier review of the same card; below that it says so and changes
nothing. Otherwise it shows, over your log, the recall each parameter set predicted
against what you actually recalled, stores the new parameters in your history and the
scheduler uses them from then on. --dry-run shows the comparison without storing."""


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("scheduler", help="fit the spaced-repetition scheduler to you",
                              description=DESCRIPTION)
    p.set_defaults(handler=__name__)
    p.add_argument("action", choices=["fit"], help="fit: fit FSRS to your review log")
    p.add_argument("--dry-run", action="store_true", help="show the fit, store nothing")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_bank_options(p)


def run(args: argparse.Namespace) -> int:
    from trainer.application import Workspace

    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    history = open_history("scheduler")
    if history is None:
        return EXIT_BAD_INPUT
    with history:
        before = history.fitted_parameters()
        result = Workspace(bank, history).fit_scheduler(save=not args.dry_run)
    saved = result.enough and not args.dry_run
    if args.json:
        data: dict[str, Any] = {"enough": result.enough, "items": result.items,
                                "set_aside": result.set_aside,
                                "needed": result.needed, "reviews": result.reviews,
                                "saved": saved}
        if result.enough and result.old and result.new:
            data.update(actual=result.actual, parameters=list(result.parameters),
                        old={"predicted": result.old.predicted,
                             "log_loss": result.old.log_loss, "rmse": result.old.rmse},
                        new={"predicted": result.new.predicted,
                             "log_loss": result.new.log_loss, "rmse": result.new.rmse})
        print(json.dumps(data, indent=2))
        return 0
    if result.set_aside:
        print(f"not enough reviews to learn from ({result.items} of {result.needed} would "
              "do, but FSRS's optimizer sets aside first ratings and delays that fewer "
              "than six cards share, and that left too few). Nothing was changed; review "
              "more cards and try again.")
        return 0
    if not result.enough:
        print(f"not enough reviews ({result.items} of {result.needed}): the fit needs "
              f"{result.needed} reviews that came a day or more after an earlier review "
              f"of the same card ({result.reviews} reviews in your log). Nothing was "
              "changed; the scheduler keeps its current parameters.")
        return 0
    assert result.old is not None and result.new is not None and result.actual is not None
    old_name = "your last fit" if before else "default parameters"
    print(f"Fitted FSRS to {result.items} reviews (of {result.reviews} in your log).\n")
    print(f"  {'':<20}  {'predicted recall':>16}  {'log loss':>8}  {'RMSE':>6}")
    print(f"  {'you actually':<20}  {result.actual:>16.1%}")
    for name, e in ((old_name, result.old), ("fitted parameters", result.new)):
        print(f"  {name:<20}  {e.predicted:>16.1%}  {e.log_loss:>8.3f}  {e.rmse:>6.1%}")
    print()
    print("Saved: the scheduler uses the fitted parameters from now on." if saved else
          "Dry run: nothing was stored.")
    return 0
