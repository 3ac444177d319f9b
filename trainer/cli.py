"""Command-line entry point: `trainer` opens the app, subcommands do the rest.

Only the parser lives here; each subcommand's work is in `trainer.commands.*`, imported
when that subcommand runs. Non-UI subcommands never import textual, so `--help`, `bank
check` and batch grading start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from trainer import __version__

# Each command module offers add_parser(subparsers) and run(args); it is imported to build
# the parser, and imports its heavy parts only when it runs.
COMMANDS = ("bank", "grade", "study", "export", "sim", "import", "mock", "join", "sheets",
            "due", "scheduler")


def build_parser() -> argparse.ArgumentParser:
    from importlib import import_module

    from trainer.commands.common import add_bank_options

    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Practise deployment, release-engineering and networking interviews. "
        "With no subcommand, opens the app.",
    )
    from trainer.build_info import describe

    parser.add_argument("--version", action="version",
                        version=f"trainer {__version__} ({describe()})")
    parser.add_argument(
        "--data-dir", type=Path, metavar="PATH",
        help="keep history, drafts and caches here (default: the platform's user data "
        "folder; the TRAINER_HOME environment variable does the same)",
    )
    parser.add_argument("--timer", type=_minutes, default=0, metavar="MINUTES",
                        help="count down MINUTES per practice answer (default: a stopwatch)")
    add_bank_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"trainer.commands.{name}_cmd").add_parser(sub)
    return parser


def _minutes(text: str) -> int:
    """A practice countdown: whole minutes, 0 (a stopwatch) up to a day."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole minutes, got {text!r}") from None
    if not 0 <= value <= 24 * 60:
        raise argparse.ArgumentTypeError(f"must be 0-1440 minutes, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.banks = getattr(args, "banks", None) or []
    if args.data_dir is not None:
        os.environ["TRAINER_HOME"] = str(args.data_dir.expanduser().resolve())
    if args.command is None:
        return _run(args)  # the app draws the terminal itself and shows text literally
    from trainer.textsafe import SafeStream

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        code = _run(args)
        out.flush()  # a full disk shows here, as a message, not at interpreter exit
        return code
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # Any file the command had to read or write (a folder given as a file, a missing
        # directory, a full disk): one line and exit 2, never a traceback.
        name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"trainer: cannot use{name}: {exc.strerror or exc}", file=err)
        return 2
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args: argparse.Namespace) -> int:
    from importlib import import_module

    # Every parser sets `handler` to its module's run(); no subcommand opens the app.
    module = getattr(args, "handler", "trainer.commands.app_cmd")
    try:
        run: Callable[[argparse.Namespace], int] = import_module(module).run
        return run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `trainer bank list | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0


def entry() -> None:
    """The `trainer` command and `python -m trainer`: main(), then the process ends. All
    it made is frozen first, out of the collector's reach, so the interpreter's shutdown
    does not walk it all once more (about 50 ms after a batch of 10,000 answers); it is
    freed with the process."""
    code = main()
    import gc

    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
