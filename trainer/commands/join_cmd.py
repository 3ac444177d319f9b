"""`trainer join HOST:PORT [CODE]`: the candidate's side of a hosted mock interview.

The join is checked here, on the plain terminal, before the candidate's app starts: a
wrong code or an unreachable host is one line and an exit code, not a flash of a UI.
Nothing here opens a bank or a history (the candidate may be on a restricted account
whose only command this is, see the README), and the app imports neither.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .common import EXIT_BAD_INPUT

EXIT_NOT_JOINED = 1
"""The interview could not be joined or was lost (host gone, busy, locked, ended)."""

DESCRIPTION = """\
Join a mock interview that an interviewer hosts with `trainer mock host`. You see the
question and the follow-ups they ask, a clock, your answer and a scratchpad that only you
see; the interviewer sees your answer as you type. Across machines, reach the host through
SSH (see the README, "Mock interviews on two machines").

Exit status: 0 when the interview ended or you left, 1 when it could not be joined or the
connection was lost for good, 2 for a wrong code or a bad address."""


def add_parser(sub: Any) -> None:
    p = sub.add_parser("join", help="join a mock interview hosted by your interviewer",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=__name__)
    p.add_argument("address", metavar="HOST:PORT", help="what the interviewer's screen shows")
    p.add_argument("code", nargs="?", metavar="CODE",
                   help="the join code (asked for when left out)")


def join_swapped(host: str, port: int, code: str) -> int:
    """Round two of a role swap: the interviewer's terminal joins the partner's session
    (`tui.screens.remote_swap`), as `trainer join HOST:PORT CODE` would."""
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    print(f"trainer: roles swapped, joining {address} as the candidate", file=sys.stderr)
    return run(argparse.Namespace(address=address, code=code))


def run(args: argparse.Namespace) -> int:
    from trainer.remote import AccessError, JoinRefused, ProtocolError, join, parse_address

    try:
        host, port = parse_address(args.address)
    except AccessError as exc:
        print(f"trainer join: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if port == 0:
        print(f"trainer join: {args.address!r}: give the port too, as HOST:PORT",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    code = args.code
    if code is None:
        try:
            code = input("Join code: ")
        except (EOFError, KeyboardInterrupt):
            print(file=sys.stderr)
            return EXIT_BAD_INPUT
    if os.environ.get("TERM", "") == "dumb":
        print("trainer join: this terminal (TERM=dumb) cannot show the interview; use a "
              "terminal emulator (with ssh, add -t)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        sock = join(host, port, code)
    except JoinRefused as exc:
        print(f"trainer join: refused: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT if exc.reason == "wrong code" else EXIT_NOT_JOINED
    except ProtocolError:
        print(f"trainer join: {host}:{port} is not a trainer interview", file=sys.stderr)
        return EXIT_NOT_JOINED
    except OSError as exc:
        print(f"trainer join: cannot reach {host}:{port}: {exc.strerror or exc}. Is the "
              "interviewer's `trainer mock host` running (and your SSH tunnel open)?",
              file=sys.stderr)
        return EXIT_NOT_JOINED

    from trainer.tui.candidate import CandidateApp

    app = CandidateApp(host, port, code, sock)
    app.run()
    if app.finish is not None:
        print(f"trainer join: {app.finish.message}", file=sys.stderr)
    return app.return_code or 0
