"""Benchmark: export the whole built-in bank in every format (md, html, anki, csv).

Target (issue 6): all four together in 2 s or less. Run: python benchmarks/bench_export.py [RUNS]
Prints the best and median wall time of each format over RUNS runs (default 5), after one
warm-up run that pays for imports and template compilation.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from trainer.bank import load_bank
from trainer.export import FORMATS, SUFFIXES, export

TARGET_S = 2.0


def main(runs: int) -> int:
    bank = load_bank()
    with tempfile.TemporaryDirectory() as tmp:
        out = {fmt: Path(tmp) / f"study{SUFFIXES[fmt]}" for fmt in FORMATS}
        for fmt in FORMATS:  # warm-up
            export(bank, fmt, out[fmt])
        times: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
        totals = []
        for _ in range(runs):
            total = 0.0
            for fmt in FORMATS:
                start = time.perf_counter()
                content = export(bank, fmt, out[fmt])
                took = time.perf_counter() - start
                times[fmt].append(took)
                total += took
            totals.append(total)
        print(f"bank: {len(content.questions)} questions, {len(content.cards)} cards, "
              f"{len(content.notes)} notes; {runs} runs")
        for fmt in FORMATS:
            size = out[fmt].stat().st_size
            print(f"  {fmt:<5} best {min(times[fmt]) * 1000:7.1f} ms  median "
                  f"{statistics.median(times[fmt]) * 1000:7.1f} ms  ({size / 1024:.0f} KiB)")
    median = statistics.median(totals)
    print(f"all four: best {min(totals):.3f} s, median {median:.3f} s "
          f"(target <= {TARGET_S} s): {'ok' if median <= TARGET_S else 'TOO SLOW'}")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
