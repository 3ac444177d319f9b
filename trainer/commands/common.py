"""Helpers shared by subcommands: loading the bank the user asked for, reporting problems."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the bank is imported when a command needs it, not to parse arguments
    from trainer.bank import Bank, Problem
    from trainer.study import History


def report(problems: list[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)
    n = len(problems)
    print(f"{n} problem{'s' if n != 1 else ''} found", file=sys.stderr)


def bank_from_args(args: argparse.Namespace) -> Bank | None:
    """The bank named by --bank/--no-builtin, or None after printing every problem."""
    from trainer.bank import BankError, load_bank

    try:
        return load_bank(args.banks, builtin=not args.no_builtin)
    except BankError as exc:
        report(exc.problems)
        return None


def open_history(command: str) -> History | None:
    """The user's history, or None after saying why it cannot be opened."""
    from trainer.study import History, HistoryError

    try:
        history = History.open()
    except HistoryError as exc:
        print(f"trainer {command}: {exc}", file=sys.stderr)
        return None
    if history.notice:
        print(f"trainer {command}: warning: {history.notice}", file=sys.stderr)
    return history
