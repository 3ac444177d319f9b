"""Command-line entry point: `trainer` opens the app, subcommands do the rest.

Only the parser lives here; each subcommand's work is in `trainer.commands.*`, imported
when that subcommand runs. Non-UI subcommands never import textual, so `--help`, `bank
check` and batch grading start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from trainer import __version__

EXIT_BAD_INPUT = 2


def _bank_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Practise deployment, release-engineering and networking interviews. "
        "With no subcommand, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    parser.add_argument(
        "--data-dir", type=Path, metavar="PATH",
        help="keep history, drafts and caches here (default: the platform's user data "
        "folder; the TRAINER_HOME environment variable does the same)",
    )
    parser.add_argument("--timer", type=_minutes, default=0, metavar="MINUTES",
                        help="count down MINUTES per practice answer (default: a stopwatch)")
    _bank_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    bank = sub.add_parser("bank", help="check, list and show bank items")
    bank_sub = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    check = bank_sub.add_parser("check", help="validate the bank (and any PATHs)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    _bank_options(check, top=False)
    listing = bank_sub.add_parser("list", help="every item: id, kind, title, topics, level")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--kind", choices=["question", "follow_up", "scenario", "term", "note"])
    _bank_options(listing, top=False)
    stats = bank_sub.add_parser("stats", help="counts by kind, topic and level")
    stats.add_argument("--json", action="store_true", help="print JSON")
    _bank_options(stats, top=False)
    show = bank_sub.add_parser("show", help="print one item")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print JSON")
    _bank_options(show, top=False)
    schema = bank_sub.add_parser("schema", help="print the JSON Schema of bank files")
    schema.add_argument("-o", "--output", type=Path, help="write to a file")
    draft = bank_sub.add_parser(
        "draft-rubric", help="draft a rubric from model answers, as YAML to edit",
        description="Print a rubric drafted from the model answer of item ID, or of every "
        "question and follow-up in a YAML bank file that has no rubric.",
    )
    draft.add_argument("target", metavar="ID_OR_PATH")
    _bank_options(draft, top=False)
    suggest = bank_sub.add_parser(
        "suggest-aliases", help="alias suggestions from \"I covered that\" claims, as YAML",
        description="Turn the concepts candidates said they covered (the 'c' key after a "
        "scored answer) into a YAML patch of keyword suggestions for bank authors: for each "
        "claimed concept, phrases from the claiming answers that no keyword of the item "
        "matches, most claimed first.")
    suggest.add_argument("--min-claims", type=int, default=1, metavar="N",
                         help="only concepts claimed at least N times (default 1)")
    _bank_options(suggest, top=False)

    grade = sub.add_parser(
        "grade", help="score answers: JSONL in bulk, or one answer from stdin",
        description='Each input line is {"question": ID, "answer": TEXT}; each output line '
        "is the input plus score, verdict, matched, missed and red_flags. Bad lines become "
        "error lines naming their line number; exit 1 if any line failed.",
    )
    grade.add_argument("--input", "-i", metavar="FILE", help="JSONL answers (- for stdin)")
    grade.add_argument("--output", "-o", metavar="FILE", help="write JSONL here (default stdout)")
    grade.add_argument("--question", "-q", metavar="ID",
                       help="grade one answer read from stdin and explain the score")
    grade.add_argument("--record", action="store_true",
                       help="store each graded line as an attempt in your history (for "
                       "written mock interviews and transcripts)")
    _bank_options(grade, top=False)

    # The other command groups describe their own arguments; importing these modules
    # costs little (they import their heavy parts when run).
    from trainer.commands import export_cmd, sim_cmd, study_cmd

    study_cmd.add_parser(sub)
    export_cmd.add_parser(sub)
    sim_cmd.add_parser(sub)
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
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)  # type: ignore[assignment]
    try:
        code = _run(args)
        sys.stdout.flush()  # a full disk shows here, as a message, not at interpreter exit
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
    try:
        if args.command == "bank":
            from trainer.commands import bank_cmd

            return bank_cmd.run(args)
        if args.command == "grade":
            from trainer.commands import grade_cmd

            return grade_cmd.run(args)
        if args.command in ("locate", "stats"):
            from trainer.commands import study_cmd

            return study_cmd.run(args)
        if args.command == "export":
            from trainer.commands import export_cmd

            return export_cmd.run(args)
        if args.command == "sim":
            from trainer.commands import sim_cmd

            return sim_cmd.run(args)
        from trainer.commands import app_cmd

        return app_cmd.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `trainer bank list | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
