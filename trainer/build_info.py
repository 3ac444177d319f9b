"""How this copy of trainer was built: is the scorer compiled (setup.py) or plain Python?"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path


def scorer_compiled() -> bool:
    """True when the scorer's modules are the mypyc-compiled build. Read off the files,
    without importing the scorer, so `trainer --version` stays instant."""
    folder = Path(__file__).parent / "scoring"
    return any((folder / f"matcher{suffix}").exists() for suffix in EXTENSION_SUFFIXES)


def describe() -> str:
    return ("scorer compiled with mypyc" if scorer_compiled()
            else "scorer in plain Python")
