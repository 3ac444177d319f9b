"""Project-level guarantees: import hygiene, schema freshness, installability."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from trainer.bank.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
def test_schema_json_is_current() -> None:
    committed = (ROOT / "question_bank" / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: trainer bank schema -o question_bank/schema.json"
    schema = json.loads(committed)
    assert schema["$defs"]["Question"]["required"] == ["id", "prompt", "model_answer"]
    assert schema["$defs"]["Concept"]["properties"]["weight"]["minimum"] == 1


def test_python_dash_m_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "trainer", "--version"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("trainer ")


def test_plain_install_carries_bank_and_templates(tmp_path: Path) -> None:
    """`pip install .` (not editable) must carry the bank and every template in the package.

    The only test that runs pip: one install covers all package data."""
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(target), str(ROOT)], capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import trainer.bank.loader as l; d = l.builtin_bank_dir(); "
            "print(d); from trainer.bank import load_bank; print(len(load_bank()))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    where, count = out.stdout.split()
    assert where.startswith(str(target)) and int(count) > 0
    assert (target / "trainer" / "builtin_bank" / "schema.json").is_file()
    # Package data outside the bank: the export templates and the study migrations.
    names = {p.name for p in (target / "trainer" / "export" / "templates").iterdir()}
    assert {"study.md.j2", "study.html.j2", "anki_front.html.j2", "anki_back.html.j2",
            "sheet.md.j2", "sheet.html.j2"} <= names
    assert (target / "trainer" / "study" / "migrations.py").is_file()


def test_every_package_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by hand (the bank is mapped in); none may be forgotten."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "trainer").rglob("__init__.py")}
    assert found | {"trainer.builtin_bank"} == listed
