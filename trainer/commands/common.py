"""Helpers shared by subcommands: loading the bank the user asked for, reporting problems."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the bank is imported when a command needs it, not to parse arguments
    from trainer.bank import Bank, Problem


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
