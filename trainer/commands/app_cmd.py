"""`trainer` with no subcommand: open the app on the chosen banks.

The app draws its home screen before the bank and the history are loaded (see
`trainer.tui.app`); when either cannot be loaded, the app ends at once and every problem
is printed here, on the terminal, with exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys


def run(args: argparse.Namespace) -> int:
    if os.environ.get("TERM", "") == "dumb":
        # Such a terminal would show the app's escape codes as text.
        print("trainer: this terminal (TERM=dumb) cannot show the app; run it in a "
              "terminal emulator, or use the commands (trainer --help)", file=sys.stderr)
        return 2
    from trainer.application import Workspace
    from trainer.tui.app import TrainerApp

    banks, builtin = list(args.banks), not args.no_builtin

    def load() -> Workspace:  # runs in the app's loader worker
        # BankError lists every problem, file:line; an unusable history still opens.
        return Workspace.open(banks, builtin=builtin)

    app = TrainerApp(load=load, timer_seconds=args.timer * 60)
    try:
        app.run()
    finally:
        if app.loaded:
            app.workspace.close()
    if app.failure:
        print(app.failure, file=sys.stderr)
        return 2
    if app.crash_report:
        print(app.crash_report, file=sys.stderr)
    if app.then_join is not None:  # roles swapped: this terminal joins the partner's host
        from .join_cmd import join_swapped

        return join_swapped(*app.then_join)
    return app.return_code or 0
