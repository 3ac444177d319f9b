"""Study history, spaced repetition and progress. Never imports textual.

The app and the CLI call these:
- `History.open()`: the repository in front of `history.sqlite3` (attempts, feedback
  sheets, scenario runs, drafts, cards, reviews);
- `SpacedRepetition(history, bank)`: FSRS reviews, the due queue, leeches;
- `record_answer(srs, item_id, answer, result, ...)`: one graded answer into history;
- `stats(history, bank)`: progress as a typed `Progress` with `to_dict()`.
"""

from .db import HistoryError, NewerDatabaseError
from .models import (
    Attempt,
    CardRecord,
    ConceptOutcome,
    ConceptTick,
    DimensionRating,
    Draft,
    FeedbackSheet,
    Review,
    ScenarioRun,
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

__all__ = [
    "LEECH_LAPSES", "Attempt", "CardItem", "CardRecord", "ConceptOutcome", "ConceptTick",
    "DimensionRating", "Draft", "DueCard", "FeedbackSheet", "History", "HistoryError",
    "NewerDatabaseError", "Progress", "Recorded", "Review", "ScenarioRun", "SpacedRepetition",
    "attempt_from_result", "card_items", "default_path", "rating_for", "rating_for_score",
    "record_answer", "stats",
]
