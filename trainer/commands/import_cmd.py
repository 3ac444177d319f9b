"""`trainer import KIND PATH`: other people's material as a bank file of your own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_BAD_INPUT

DESCRIPTION = """\
Import questions into a YAML bank file that `trainer --bank FILE` practises:
  devops-exercises PATH   a local clone of the devops-exercises repository
  anki DECK.apkg          an Anki deck export
  csv FILE                Anki's "Notes in Plain Text" export (its #header lines are read)
  markdown FILE           trainer's own Markdown export, Q:/A: pairs, or headings with answers
Ids are stable: importing the same source again updates the file in place, and your
history for its questions is kept. Items are scored against a rubric drafted from their
answer where the draft is good enough, and are self-rated flashcards otherwise
(--grading to choose)."""


def add_parser(sub: Any) -> None:
    from trainer.importers import KINDS

    p = sub.add_parser("import", help="import devops-exercises, Anki decks, CSV, Markdown",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=__name__)
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("-o", "--output", type=Path, default=Path("."), metavar="FILE|DIR",
                   help="the bank file to write, or a folder for NAME.yaml (default: .)")
    p.add_argument("--prefix", metavar="P", help="id prefix (default: from the source name)")
    p.add_argument("--grading", choices=["auto", "rubric", "self"], default="auto",
                   help="auto: a drafted rubric when its quality passes, else self-rated")


def run(args: argparse.Namespace) -> int:
    from trainer.bank import check_bank
    from trainer.importers import ImportError_, read, write_bank

    try:
        result = read(args.kind, str(args.path))
    except ImportError_ as exc:
        print(f"trainer import: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not result.items:
        print(f"trainer import: nothing to import ({result.skipped_no_answer} questions "
              "have no answer)", file=sys.stderr)
        return EXIT_BAD_INPUT
    target = write_bank(result, args.output, prefix=args.prefix)
    bank, problems = check_bank([target], builtin=False, trust_cache=False)
    grading = _grading(bank, args.grading)
    if any(mode == "self" for mode in grading.values()):
        target = write_bank(result, args.output, prefix=args.prefix, grading=grading)
        bank, problems = check_bank([target], builtin=False, trust_cache=False)
    if problems:  # a bug of the importer, never of the input: say so plainly
        for p in problems[:10]:
            print(p, file=sys.stderr)
        print(f"trainer import: the written bank has {len(problems)} problems", file=sys.stderr)
        return EXIT_BAD_INPUT
    selfs = sum(mode == "self" for mode in grading.values())
    print(f"trainer import: {len(result.items)} questions to {target}"
          f" ({len(result.items) - selfs} scored on a drafted rubric, {selfs} self-rated)",
          file=sys.stderr)
    if result.skipped_no_answer:
        print(f"  skipped {result.skipped_no_answer} without an answer", file=sys.stderr)
    if result.duplicates:
        print(f"  skipped {len(result.duplicates)} duplicates, e.g. "
              f"{result.duplicates[0][:70]!r}", file=sys.stderr)
    for note in result.notes:
        print(f"  {note}", file=sys.stderr)
    if result.licence:
        print(f"  licence: {result.licence}; keep the file for your own study",
              file=sys.stderr)
    print(f"  practise it: trainer --bank {target}", file=sys.stderr)
    return 0


def _grading(bank: Any, choice: str) -> dict[str, str]:
    """Per question: "self" where no rubric fits (`choice` auto: the drafted rubric's
    quality estimate is low, as imported prose often makes it)."""
    if choice == "rubric":
        return {}
    if choice == "self":
        return {q.id: "self" for q in bank.questions}
    from trainer.scoring import Grader

    grader = Grader(bank)
    return {q.id: "self" for q in bank.questions if grader.draft_for(q).low_confidence}
