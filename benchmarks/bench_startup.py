"""Startup benchmark (issue 7): time until the home screen is drawn and takes keys,
against a bare Textual app showing one label, in the same run. Target: <= 1.5x.

Run: python benchmarks/bench_startup.py [RUNS]
Both programs run in a real pseudo-terminal (pexpect, 80x24); the clock stops when the
screen shows the marker text, then ctrl+q must end the program (so it took the key). For
the trainer two moments are reported: the first frame (the modes list, focused and taking
keys) and the complete home screen (due count and streak, computed right after).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
BARE = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("bare app ready")
Bare().run()
"""


def measure(argv: list[str], markers: list[str], env: dict[str, str]) -> list[float]:
    """Seconds until each marker shows, in order."""
    t0 = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], cwd=str(ROOT), env=env, dimensions=(24, 80),
                          encoding="utf-8", timeout=60)
    times = []
    for marker in markers:
        child.expect(marker)
        times.append(time.perf_counter() - t0)
    child.sendcontrol("q")
    child.expect(pexpect.EOF)
    child.close()
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TRAINER_HOME": home, "TERM": "xterm-256color"}
        # Both programs keep compiled bytecode, as any installed package does (textual's
        # wheel is compiled at install). Some sandboxes set PYTHONDONTWRITEBYTECODE, which
        # would make every start recompile trainer's own modules from source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
            fh.write(BARE)
        bare_cmd = [sys.executable, fh.name]
        app_cmd = [sys.executable, "-m", "trainer"]
        # The modes list is the first frame: from then on keys work. "Due today" is written
        # just after, once the scheduler has counted the due cards.
        markers = ["Mock interview", "Due today"]
        measure(app_cmd, markers, env)  # first run fills the bank cache and the db
        bare, ready, complete = [], [], []
        for _ in range(runs):  # alternate so machine load affects both alike
            bare.append(measure(bare_cmd, ["bare app ready"], env)[0])
            first, full = measure(app_cmd, markers, env)
            ready.append(first)
            complete.append(full)
        os.unlink(fh.name)
    b = statistics.median(bare)
    r, c = statistics.median(ready), statistics.median(complete)
    print(f"bare Textual app: median {b:.3f} s over {runs} runs")
    print(f"trainer home screen interactive (modes drawn, keys work): median {r:.3f} s = "
          f"{r / b:.2f}x (target <= 1.5x)")
    print(f"trainer home screen complete (due count and streak drawn): median {c:.3f} s = "
          f"{c / b:.2f}x")


if __name__ == "__main__":
    main()
