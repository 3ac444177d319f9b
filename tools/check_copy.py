"""Find runs of 12 or more words that a bank file shares with the seed documents.

Usage: python tools/check_copy.py [--seeds DIR] [BANK_FILE_OR_DIR ...]

The content rule is "paraphrase, never copy": no run of 12 words in common with a seed.
This is a development aid (the seeds are not part of the project), so it is not a test.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

N = 12
WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'").replace("'", ""))


def grams(ws: list[str]) -> set[tuple[str, ...]]:
    return {tuple(ws[i : i + N]) for i in range(len(ws) - N + 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=str(Path(__file__).resolve().parents[2] / "shared/seeds"))
    ap.add_argument("paths", nargs="*", default=["question_bank"])
    args = ap.parse_args()
    seed_grams: set[tuple[str, ...]] = set()
    for f in sorted(Path(args.seeds).glob("*")):
        seed_grams |= grams(words(f.read_text(encoding="utf-8", errors="replace")))
    files: list[Path] = []
    for p in map(Path, args.paths):
        files += sorted(p.rglob("*.y*ml")) if p.is_dir() else [p]
    bad = 0
    for f in files:
        ws = words(f.read_text(encoding="utf-8"))
        hits = [i for i in range(len(ws) - N + 1) if tuple(ws[i : i + N]) in seed_grams]
        # Merge overlapping hits into runs so one copied sentence is reported once.
        runs: list[tuple[int, int]] = []
        for i in hits:
            if runs and i <= runs[-1][1]:
                runs[-1] = (runs[-1][0], i + N)
            else:
                runs.append((i, i + N))
        for a, b in runs:
            bad += 1
            print(f"{f}: copied run of {b - a} words: {' '.join(ws[a:b])}")
    print(f"{bad} copied run(s) in {len(files)} file(s)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
