"""`trainer export`: study sheets, Anki decks and CSV; `trainer export sheet ID`: a
mock-interview feedback report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainer.bank import Bank

from .common import EXIT_BAD_INPUT, add_bank_options, bank_from_args

DESCRIPTION = """\
Export study material: md (answers folded in <details>), html (printable, self-contained),
anki (.apkg; notes keep their identity across re-imports), csv (Anki's import format).
Filters combine: --topic (any of, repeatable) and --level, then --due (cards due for
review), then --weakest N (lowest mean of the last three scores). Or:
`trainer export sheet SHEET_ID --format html|md` for a mock-interview feedback report,
with the transcript of a hosted interview (`trainer sheets` lists the ids)."""


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("export", help="export study sheets, Anki decks, CSV, reports",
                              description=DESCRIPTION,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=__name__)
    p.add_argument("what", nargs="*", metavar="sheet SHEET_ID",
                   help="export a mock-interview feedback sheet instead")
    p.add_argument("--format", "-f", dest="format", required=True,
                   choices=["md", "html", "anki", "csv"])
    p.add_argument("--topic", dest="topics", action="append", default=[], metavar="T",
                   help="keep cards with this topic (repeatable: any of them)")
    p.add_argument("--level", choices=["junior", "mid", "senior", "staff"])
    p.add_argument("--due", action="store_true", help="only cards due for review now")
    p.add_argument("--weakest", type=_positive, metavar="N",
                   help="only the N weakest attempted cards")
    p.add_argument("--with-history", action="store_true",
                   help="add your last score and missed concepts")
    p.add_argument("--output", "-o", type=Path, metavar="PATH",
                   help="file to write (md, html, csv and sheets default to stdout)")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    add_bank_options(p)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _fail(message: str) -> int:
    print(f"trainer export: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    what = list(args.what)
    if what and (what[0] != "sheet" or len(what) != 2):
        return _fail("the only thing to name is a feedback sheet: export sheet SHEET_ID")
    bank = bank_from_args(args)
    if bank is None:
        return EXIT_BAD_INPUT
    if what:
        return _sheet(args, bank, what[1])
    return _study(args, bank)


def _refuse_overwrite(args: argparse.Namespace, out: Path) -> int:
    """Exit code 2 with a message when `out` is an existing file and --force is not given:
    an export is cheap to redo, the file it would replace may not be."""
    if args.force or not out.is_file():
        return 0
    return _fail(f"{out} exists; add --force to replace it")


def _open_history() -> Any:
    from trainer.study import History

    history = History.open()
    if history.notice:
        print(f"trainer export: warning: {history.notice}", file=sys.stderr)
    return history


def _study(args: argparse.Namespace, bank: Bank) -> int:
    from trainer.export import SUFFIXES, ExportOptions, export
    from trainer.study import HistoryError, card_items

    topics = tuple(args.topics)
    known = {t for item in card_items(bank).values() for t in item.topics}
    unknown = [t for t in topics if t not in known]
    if unknown:
        return _fail(f"no cards have topic {', '.join(unknown)}; topics: "
                     f"{', '.join(sorted(known))}")
    out: Path | None = args.output
    if args.format == "anki" and (out is None or str(out) == "-"):
        return _fail("an Anki deck is a file: give -o PATH.apkg")
    options = ExportOptions(topics=topics, level=args.level,
                            due=args.due,
                            weakest=args.weakest,
                            with_history=args.with_history)
    needs_history = options.due or options.weakest is not None or options.with_history
    try:
        history = _open_history() if needs_history else None
    except HistoryError as exc:
        return _fail(str(exc))
    try:
        if out is None or str(out) == "-":
            from trainer.export import build_content, render_csv, render_html, render_markdown

            content = build_content(bank, options, history)
            render = {"md": render_markdown, "html": render_html, "csv": render_csv}
            sys.stdout.write(render[args.format](content))
            target = "stdout"
        else:
            if out.is_dir():
                out = out / f"trainer-study{SUFFIXES[args.format]}"
            if refused := _refuse_overwrite(args, out):
                return refused
            content = export(bank, args.format, out, options, history)
            target = str(out)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror}")
    finally:
        if history is not None:
            history.close()
    n = len(content.cards)
    note = "" if n else " (nothing matched the filters)"
    print(f"trainer export: {n} card{'s' if n != 1 else ''} from {len(content.questions)} "
          f"question{'s' if len(content.questions) != 1 else ''} to {target}{note}",
          file=sys.stderr)
    return 0


def _sheet(args: argparse.Namespace, bank: Bank, ref: str) -> int:
    from trainer.export import SHEET_FORMATS, render_sheet
    from trainer.study import HistoryError

    if args.format not in SHEET_FORMATS:
        return _fail(f"a feedback sheet exports as {' or '.join(SHEET_FORMATS)}")
    # ASCII digits only ("²" and "١٢" are digits to str.isdigit), within SQLite's range.
    if not (ref.isascii() and ref.isdigit()) or len(ref) > 18:
        return _fail(f"sheet ids are numbers like 7, not '{ref}'")
    try:
        with _open_history() as history:
            sheet = history.sheet(int(ref))
            transcript = history.transcript(int(ref))
    except HistoryError as exc:
        return _fail(str(exc))
    if sheet is None:
        return _fail(f"no feedback sheet {ref}")
    text = render_sheet(sheet, bank, args.format, transcript)
    out: Path | None = args.output
    if out is None or str(out) == "-":
        sys.stdout.write(text)
        return 0
    if refused := _refuse_overwrite(args, out):
        return refused
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror}")
    print(f"trainer export: feedback sheet {ref} to {out}", file=sys.stderr)
    return 0
