"""Study history, spaced repetition and progress. Never imports textual.

The app and the CLI call these:
- `History.open()`: the repository in front of `history.sqlite3` (attempts, feedback
  sheets, scenario runs, drafts, cards, reviews);
- `SpacedRepetition(history, bank)`: FSRS reviews, the due queue, leeches;
- `record_answer(srs, item_id, answer, result, ...)`: one graded answer into history;
- `stats(history, bank)`: progress as a typed `Progress` with `to_dict()`.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the type checker sees the real names; run time loads them on use
    from .db import HistoryError, NewerDatabaseError
    from .models import (
        Attempt,
        CardRecord,
        ConceptOutcome,
        ConceptTick,
        CoverageClaim,
        DimensionRating,
        Draft,
        FeedbackSheet,
        Review,
        ScenarioRun,
        TranscriptEvent,
    )
    from .progress import stats
    from .progress_models import Progress
    from .recording import Recorded, attempt_from_result, record_answer
    from .repository import History, default_path
    from .srs import (
        LEECH_LAPSES,
        CardItem,
        DueCard,
        SpacedRepetition,
        card_items,
        rating_for,
        rating_for_score,
    )

# Names load on first use (PEP 562): the app opens the history before it needs the
# scheduler or the progress code, and each costs start-up time to import.
_WHERE = {
    "HistoryError": "db", "NewerDatabaseError": "db",
    "Attempt": "models", "CardRecord": "models", "ConceptOutcome": "models",
    "ConceptTick": "models", "CoverageClaim": "models", "DimensionRating": "models",
    "Draft": "models",
    "FeedbackSheet": "models", "Review": "models", "ScenarioRun": "models",
    "TranscriptEvent": "models",
    "stats": "progress", "Progress": "progress_models",
    "Recorded": "recording", "attempt_from_result": "recording",
    "record_answer": "recording", "History": "repository", "default_path": "repository",
    "LEECH_LAPSES": "srs", "CardItem": "srs", "DueCard": "srs",
    "SpacedRepetition": "srs", "card_items": "srs", "rating_for": "srs",
    "rating_for_score": "srs",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'trainer.study' has no attribute '{name}'")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "LEECH_LAPSES", "Attempt", "CardItem", "CardRecord", "ConceptOutcome", "ConceptTick",
    "CoverageClaim",
    "DimensionRating", "Draft", "DueCard", "FeedbackSheet", "History", "HistoryError",
    "NewerDatabaseError", "Progress", "Recorded", "Review", "ScenarioRun", "SpacedRepetition",
    "TranscriptEvent", "attempt_from_result", "card_items", "default_path", "rating_for",
    "rating_for_score", "record_answer", "stats",
]
