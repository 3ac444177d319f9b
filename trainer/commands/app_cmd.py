"""`trainer` with no subcommand: open the app on the chosen banks."""

from __future__ import annotations

import argparse
import sys

from .common import bank_from_args


def run(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    if bank is None:
        return 2
    print("The app is not built yet; try `trainer bank list`.", file=sys.stderr)
    return 1
