"""Property: whatever bytes a bank file holds, loading ends in problems, never a crash."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.bank import BankError, load_bank

FIELD_NAMES = ["questions", "scenarios", "glossary", "notes", "id", "prompt", "model_answer",
               "rubric", "keywords", "weight", "concept", "follow_ups", "related", "term",
               "definition", "title", "body", "level", "topics", "answer_outline", "steps"]

yaml_scalars = st.one_of(
    st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.sampled_from(["senior", "q1", "- x", "!!python/name:os.system", "&a", "*a", "{", "]"]),
)
structures = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), inner, max_size=5),
    ),
    max_leaves=25,
)


def _render(value: object, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        return "".join(f"{pad}{k!r}:\n{_render(v, indent + 2)}" for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return pad + "[]\n"
        return "".join(f"{pad}-\n{_render(v, indent + 2)}" for v in value)
    return f"{pad}{value!r}\n" if isinstance(value, str) else f"{pad}{value}\n"


def _load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(data)
        try:
            load_bank([path], builtin=False)
        except BankError as exc:
            assert exc.problems
            for p in exc.problems:
                assert p.file.endswith("fuzz.yaml") and p.line >= 0 and p.message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    _load(data)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable + "\u00e9\u2014\u201c[]{}:&*!|>-#", max_size=300))
def test_arbitrary_text(text: str) -> None:
    _load(text.encode("utf-8"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structures)
def test_arbitrary_yaml_structures(value: object) -> None:
    _load(_render({"questions": value} if not isinstance(value, dict) else value).encode())
