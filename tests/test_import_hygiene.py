"""What each layer loads. import-linter (in .ci/run) checks the static graph; this checks
what really ends up in sys.modules, lazy imports included, in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI = ("textual", "rich", "textual_plotext")
HEADLESS = [
    "trainer.bank", "trainer.scoring", "trainer.sim", "trainer.study", "trainer.export",
    "trainer.application", "trainer.application.session", "trainer.cli",
    "trainer.commands.bank_cmd", "trainer.commands.grade_cmd", "trainer.commands.study_cmd",
    "trainer.commands.export_cmd", "trainer.commands.sim_cmd",
]


def _loaded(code: str) -> list[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def _ui(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in UI]


def test_no_headless_module_loads_the_ui_toolkit() -> None:
    modules = _loaded("\n".join(f"import {m}" for m in HEADLESS))
    assert _ui(modules) == []


@pytest.mark.parametrize("argv", [["bank", "stats", "--json"], ["sim", "list"],
                                  ["grade", "-q", "deploy-error-spike-mid-rollout"], ["stats"]])
def test_headless_commands_run_without_the_ui_toolkit(argv: list[str], tmp_path: Path) -> None:
    code = ("import io, os\n"
            f"os.environ['TRAINER_HOME'] = {str(tmp_path)!r}\n"
            "sys.stdin = io.StringIO('roll back first')\n"
            "from trainer.cli import main\n"
            f"main({argv!r})\n"
            "sys.stdout = sys.__stdout__")
    assert _ui(_loaded(code)) == []


def test_loading_the_bank_does_not_load_the_simulator(tmp_path: Path) -> None:
    code = (f"import os; os.environ['TRAINER_HOME'] = {str(tmp_path)!r}; "
            "os.environ['TRAINER_NO_CACHE'] = '1'\n"
            "from trainer.bank import load_bank; load_bank()")
    assert [m for m in _loaded(code) if m.startswith("trainer.sim")] == []
