"""Helpers shared by subcommands: loading the bank the user asked for, reporting problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the bank is imported when a command needs it, not to parse arguments
    from trainer.bank import Bank, Problem
    from trainer.study import History


EXIT_BAD_INPUT = 2
"""Bad input of any kind (a bank problem, a bad argument, an unusable file)."""


def add_bank_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--bank PATH (repeatable) and --no-builtin, on the top parser or a subcommand's."""
    # Sub-parsers use SUPPRESS so an option given before the subcommand is not reset by the
    # subcommand's own default (argparse copies sub-parser defaults over the namespace).
    default = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("banks")
    group.add_argument(
        "--bank", dest="banks", action="append", type=Path, metavar="PATH", default=default,
        help="add a bank file or folder (repeatable)",
    )
    group.add_argument(
        "--no-builtin", dest="no_builtin", action="store_true",
        default=False if top else argparse.SUPPRESS, help="leave the built-in bank out",
    )


def report(problems: list[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)
    n = len(problems)
    print(f"{n} problem{'s' if n != 1 else ''} found", file=sys.stderr)


def bank_from_args(args: argparse.Namespace) -> Bank | None:
    """The bank named by --bank/--no-builtin, or None after printing every problem."""
    from trainer.bank import BankError, load_bank

    try:
        return load_bank(args.banks or [], builtin=not args.no_builtin)
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
