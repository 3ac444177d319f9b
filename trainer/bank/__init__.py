"""The question bank: typed models, the safe YAML loader and validation."""

from .bank import Bank, Entry, Location, short_title
from .convert import Problem
from .loader import BankError, builtin_bank_dir, check_bank, load_bank
from .models import (
    Concept,
    FollowUp,
    GradableItem,
    Grading,
    Item,
    Level,
    Misconception,
    Note,
    Outline,
    OutlineStep,
    Question,
    RedFlag,
    Reveal,
    Scenario,
    SynonymClass,
    Term,
    WrongAction,
)

__all__ = [
    "Bank", "BankError", "Concept", "Entry", "FollowUp", "GradableItem", "Grading", "Item", "Level",
    "Location",
    "Misconception", "Note",
    "Outline", "OutlineStep", "Problem", "Question", "RedFlag", "Reveal", "Scenario",
    "SynonymClass", "Term",
    "WrongAction", "builtin_bank_dir", "check_bank", "load_bank", "short_title",
]
