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
    from trainer.tui.app import TrainerApp

    banks, builtin = list(args.banks), not args.no_builtin

    def load():  # noqa: ANN202 - runs in the app's loader worker
        from trainer.bank import load_bank
        from trainer.study import History, HistoryError

        bank = load_bank(banks, builtin=builtin)  # BankError: every problem, file:line
        try:
            history = History.open()
        except HistoryError as exc:
            # A read-only or full disk, a newer trainer's file: practise anyway, and say
            # at once that nothing will be kept. The file itself is left as it is.
            return bank, History.unsaved(str(exc))
        problem = history.write_problem()  # readable but not writable (a read-only file)
        if problem:
            history.close()
            return bank, History.unsaved(problem)
        return bank, history

    app = TrainerApp(load=load, timer_seconds=getattr(args, "timer", 0) * 60)
    try:
        app.run()
    finally:
        if app.history is not None:
            app.history.close()
    if app.failure:
        print(app.failure, file=sys.stderr)
        return 2
    return app.return_code or 0
