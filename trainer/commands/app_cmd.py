"""`trainer` with no subcommand: open the app on the chosen banks."""

from __future__ import annotations

import argparse
import sys

from .common import bank_from_args


def run(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    if bank is None:
        return 2
    from trainer.study import History, HistoryError

    try:
        history = History.open()
    except HistoryError as exc:
        print(f"trainer: {exc}", file=sys.stderr)
        return 2
    from trainer.tui.app import TrainerApp

    try:
        TrainerApp(bank, history, timer_seconds=getattr(args, "timer", 0) * 60).run()
    finally:
        history.close()
    return 0
