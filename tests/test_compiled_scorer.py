"""The compiled scorer (setup.py builds it with mypyc) grades exactly as its source does.

The suite imports the source tree, so the compiled modules a plain `pip install .` puts in
the environment are checked here: the same script grades the same answers once with the
source and once with the installed build, and every result must be identical. Skipped
where the installed copy is not the compiled build (an editable install, or a build that
fell back to plain Python).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"

# Graded answers in this domain (authored rubrics), in other subjects (authored and
# drafted rubrics, the fresh set's drafted only), and the hostile corpus's answers; each
# result in full, as JSON.
SCRIPT = r"""
import json, sys
from pathlib import Path
import yaml
from trainer.bank import Question, load_bank
from trainer.scoring import Grader

data = Path(sys.argv[1])
out = []
bank = load_bank([Path(sys.argv[2])], builtin=False)
grader = Grader(bank)
for name in ("graded/answers.yaml", "graded_fresh/answers.yaml"):
    for a in yaml.safe_load((data / name).read_text())["answers"]:
        entry = bank.get(a["item"])
        if entry is not None:
            out.append(grader.grade(entry.item, a["answer"], entry.id).to_dict())
entry = bank.get("hc-200-ok-but-broken")
for line in (data / "hostile" / "answers.jsonl").read_text(errors="replace").splitlines():
    try:
        answer = json.loads(line).get("answer")
    except (ValueError, AttributeError, RecursionError):
        continue
    if isinstance(answer, str) and answer.strip():
        out.append(grader.grade(entry.item, answer, entry.id).to_dict())
other = load_bank([data / "graded_other" / "rubric_bank.yaml"], builtin=False)
authored, drafted = Grader(other), Grader(other)
for a in yaml.safe_load((data / "graded_other" / "answers.yaml").read_text())["answers"]:
    q = other.get(a["item"]).item
    bare = Question(id=q.id, prompt=q.prompt, model_answer=q.model_answer)
    out.append(authored.grade(q, a["answer"], q.id).to_dict())
    out.append(drafted.grade(bare, a["answer"], q.id).to_dict())
fresh = load_bank([data / "graded_other_fresh" / "questions.yaml"], builtin=False)
grader = Grader(fresh)
for a in yaml.safe_load((data / "graded_other_fresh" / "answers.yaml").read_text())["answers"]:
    out.append(grader.grade(fresh.get(a["item"]).item, a["answer"], a["item"]).to_dict())
print(json.dumps(out, sort_keys=True))
"""


def _installed_is_compiled(tmp: Path, env: dict[str, str]) -> bool:
    probe = subprocess.run(
        [sys.executable, "-I", "-c",
         "from trainer.build_info import scorer_compiled; print(scorer_compiled())"],
        cwd=tmp, env=env, capture_output=True, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == "True"


def test_the_compiled_build_grades_as_the_source_does(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TRAINER_HOME"] = str(tmp_path / "home")
    if not _installed_is_compiled(tmp_path, env):
        pytest.skip("the installed trainer is not the compiled build (pip install . builds it)")
    bank = str(ROOT / "question_bank")
    # -I: the installed package only, not the source tree in the working directory.
    compiled = subprocess.run([sys.executable, "-I", "-c", SCRIPT, str(DATA), bank],
                              cwd=tmp_path, env=env, capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr[-2000:]
    source = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, "
                             f"{str(ROOT)!r}); exec({SCRIPT!r})", str(DATA), bank],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert source.returncode == 0, source.stderr[-2000:]
    a, b = json.loads(compiled.stdout), json.loads(source.stdout)
    assert len(a) == len(b) > 1000
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    assert not differ, (f"{len(differ)} results differ; the first: compiled {a[differ[0]]} "
                        f"source {b[differ[0]]} (reinstall after editing the scorer)")
