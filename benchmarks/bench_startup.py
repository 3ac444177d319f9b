"""Startup benchmark (issue 7): time until the home screen is drawn and takes keys,
against a bare Textual app showing one label, in the same run. Target: <= 1.5x.

Run: python benchmarks/bench_startup.py [RUNS]
Both programs run in a real pseudo-terminal (pexpect, 80x24); the clock stops when the
screen shows the marker text ("Due today" is written once the due count and streak are
known), then ctrl+q must end the program (so it took the key).
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


def measure(argv: list[str], marker: str, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], cwd=str(ROOT), env=env, dimensions=(24, 80),
                          encoding="utf-8", timeout=60)
    child.expect(marker)
    elapsed = time.perf_counter() - t0
    child.sendcontrol("q")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


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
        measure(app_cmd, "Due today", env)  # first run fills the bank cache and the db
        bare, app = [], []
        for _ in range(runs):  # alternate so machine load affects both alike
            bare.append(measure(bare_cmd, "bare app ready", env))
            app.append(measure(app_cmd, "Due today", env))
        os.unlink(fh.name)
    b, a = statistics.median(bare), statistics.median(app)
    print(f"bare Textual app: median {b:.3f} s; trainer home screen: median {a:.3f} s; "
          f"ratio {a / b:.2f}x (target <= 1.5x) over {runs} runs each")


if __name__ == "__main__":
    main()
