"""`trainer mock host`: interview a candidate who joins from their own terminal.

The listening socket is bound here, before the app starts, so a port in use or a refused
address is one line on the terminal and exit code 2. The app then opens on the
interviewer's screen (`tui.screens.remote_host`) as soon as the bank is loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .common import EXIT_BAD_INPUT, add_bank_options

DESCRIPTION = """\
Host a mock interview for a candidate on another terminal or machine. Your screen shows
the rubric, the candidate's answer as they type, the scorer's suggestions and your notes;
theirs (`trainer join HOST:PORT CODE`) shows only the question, the follow-ups you ask,
a clock and their editor. ctrl+n asks the next follow-up, ctrl+b another question, ctrl+e
ends with the feedback sheet, saved with the session's transcript (`trainer sheets`,
`trainer export sheet ID`); ctrl+w then swaps roles for a second round.

By default it listens on 127.0.0.1 only: across machines, the candidate comes in through
SSH (see the README, "Mock interviews on two machines"). --listen with another address
also needs --allow-remote, because a bare port is not encrypted and anyone who reaches it
may try codes (five wrong ones lock the session)."""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("mock", help="host a mock interview for a candidate who joins remotely",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=__name__)
    actions = p.add_subparsers(dest="mock_action", metavar="ACTION", required=True)
    host = actions.add_parser("host", help="open the interviewer's view and wait for the "
                              "candidate", description=DESCRIPTION,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    host.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT",
                      help="where to listen (default: 127.0.0.1 and a free port; give a "
                      "fixed port for an SSH ForceCommand account)")
    host.add_argument("--allow-remote", action="store_true",
                      help="allow --listen on an address other machines can reach")
    host.add_argument("--code", metavar="CODE",
                      help="your own join code, at least 12 letters or digits (default: a "
                      "random 50-bit code; a code given here shows in the process list)")
    host.add_argument("--question", metavar="ID",
                      help="start with this question (a follow-up: with its question)")
    add_bank_options(host)


def run(args: argparse.Namespace) -> int:
    from trainer.remote import AccessError, bind, new_code, parse_address
    from trainer.remote.access import custom_code, is_loopback, remote_warning

    if os.environ.get("TERM", "") == "dumb":
        print("trainer mock: this terminal (TERM=dumb) cannot show the app", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        host, port = parse_address(args.listen)
        code = custom_code(args.code) if args.code is not None else new_code()
        sock = bind(host, port, allow_remote=args.allow_remote)
    except AccessError as exc:
        print(f"trainer mock host: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    warning = ""
    if not is_loopback(host):
        warning = "Warning: " + remote_warning(host, sock.getsockname()[1])
        print(f"trainer mock host: {warning}", file=sys.stderr)
    try:
        return _host(args, sock, code, warning)
    finally:
        sock.close()


def _host(args: argparse.Namespace, sock: Any, code: str, warning: str) -> int:
    from trainer.application import Workspace
    from trainer.tui.app import TrainerApp
    from trainer.tui.screens.remote_host import RemoteHostScreen

    banks, builtin = list(args.banks), not args.no_builtin
    question = args.question

    def load() -> Workspace:  # in the app's loader worker
        return Workspace.open(banks, builtin=builtin)

    app = TrainerApp(load=load)

    def open_host() -> None:
        workspace = app.workspace
        bank = workspace.bank
        if question and bank.question(question) is None and bank.follow_up(question) is None:
            app.failure = f"trainer mock host: no question {question!r} in the bank"
            app.exit(return_code=EXIT_BAD_INPUT)
            return
        session = workspace.practice(start_id=question, mode="mock")
        app.push_screen(RemoteHostScreen(session, sock=sock, code=code, warning=warning))

    app.when_loaded(open_host)
    try:
        app.run()
    finally:
        if app.loaded:
            app.workspace.close()
    if app.failure:
        print(app.failure, file=sys.stderr)
        return EXIT_BAD_INPUT
    if app.crash_report:
        print(app.crash_report, file=sys.stderr)
    if app.then_join is not None:  # roles swapped: this terminal joins the partner's host
        from .join_cmd import join_swapped

        return join_swapped(*app.then_join)
    return app.return_code or 0
