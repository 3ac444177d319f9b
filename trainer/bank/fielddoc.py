"""`doc()`, the field-metadata helper every bank model uses.

A module of its own so that `models` and `simulation` (which `models` imports) share one
definition without importing each other.
"""

from __future__ import annotations


def doc(text: str, **extra: object) -> dict[str, object]:
    """Field metadata: the `doc` sentence plus converter limits (`min`, `max`, `pattern`)."""
    return {"doc": text, **extra}
