"""Forking a running simulation: what a snapshot may share with the run it came from."""

from __future__ import annotations

import dataclasses


def share_frozen(value: object, memo: dict[int, object]) -> None:
    """Put a frozen spec and everything inside it in a deepcopy memo, so forks share it."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        memo[id(value)] = value
        for f in dataclasses.fields(value):
            share_frozen(getattr(value, f.name), memo)
    elif isinstance(value, tuple):
        memo[id(value)] = value
        for item in value:
            share_frozen(item, memo)
