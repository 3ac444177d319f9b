"""Helpers shared by subcommands: loading the bank the user asked for, reporting problems."""

from __future__ import annotations

import argparse
import sys

from trainer.bank import Bank, BankError, Problem, load_bank


def report(problems: list[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)
    n = len(problems)
    print(f"{n} problem{'s' if n != 1 else ''} found", file=sys.stderr)


def bank_from_args(args: argparse.Namespace) -> Bank | None:
    """The bank named by --bank/--no-builtin, or None after printing every problem."""
    try:
        return load_bank(args.banks, builtin=not args.no_builtin)
    except BankError as exc:
        report(exc.problems)
        return None
