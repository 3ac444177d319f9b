"""`Workspace`: the loaded bank and history, and the operations both faces call.

A face (the CLI commands, the TUI screens) parses input and shows results; everything in
between is here: grading, recording answers, reviews and scenario runs, feedback sheets,
progress, the due queue and exports. No face writes history itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.study import History, HistoryError

# The app builds a workspace before its first answer: the scorer, the scheduler and the
# exporter are imported when first used, not to show the home screen.
if TYPE_CHECKING:
    from trainer.bank import Bank, FollowUp, Question, Scenario
    from trainer.export import ExportContent, ExportOptions
    from trainer.scoring import Grader, ScoreResult
    from trainer.study import FeedbackSheet, Progress, SpacedRepetition, TranscriptEvent
    from trainer.study.catalog import CatalogRow, Comparison
    from trainer.study.fit import FitResult
    from trainer.study.trends import Trends

    from .mock_draft import MockDraft
    from .runs import SimulationPlay, TabletopPlay
    from .session import PracticeSession

LEVELS = ("junior", "mid", "senior", "staff")


@dataclass
class Filters:
    """Topic and level chosen on the home screen; None means all."""

    topic: str | None = None
    level: str | None = None

    @property
    def topics(self) -> tuple[str, ...]:
        return (self.topic,) if self.topic else ()


@dataclass(frozen=True, slots=True)
class HomeSummary:
    due: int
    new: int
    streak: int
    attempts: int
    questions: int
    scenarios: int
    terms: int


def open_history() -> History:
    """The history, or one in memory when the file cannot be used (a newer trainer's
    file, a read-only file or folder, a full disk): the app still opens for practice, its
    notice says that nothing will be kept, and the file is left as it is."""
    try:
        history = History.open()
    except HistoryError as exc:
        return History.unsaved(str(exc))
    problem = history.write_problem()  # readable but not writable
    if problem:
        history.close()
        return History.unsaved(problem)
    return history


class Workspace:
    """One bank, one history, and the grader and scheduler over them."""

    def __init__(self, bank: Bank, history: History) -> None:
        self.bank = bank
        self.history = history
        self.filters = Filters()

    @classmethod
    def open(cls, banks: Sequence[Path] = (), *, builtin: bool = True) -> Workspace:
        """Load the banks (`BankError` lists every problem) and the history."""
        from trainer.bank import load_bank

        return cls(load_bank(banks, builtin=builtin), open_history())

    @cached_property
    def grader(self) -> Grader:
        from trainer.scoring import Grader

        return Grader(self.bank)

    @cached_property
    def srs(self) -> SpacedRepetition:
        from trainer.study import SpacedRepetition

        return SpacedRepetition(self.history, self.bank)

    def prepare(self) -> None:
        """Do now, off the UI thread, what the first answer would otherwise wait for:
        the bank's word weights and the scheduler's imports."""
        _ = self.grader.idf
        _ = self.srs

    def close(self) -> None:
        self.history.close()

    # ---- practice ----------------------------------------------------------------------

    def practice(self, *, start_id: str | None = None, due_only: bool = False,
                 mode: str = "practice") -> PracticeSession:
        from .session import PracticeSession

        session = PracticeSession(self.bank, self.srs, self.filters.topic, self.filters.level,
                                  due_only=due_only, mode="review" if due_only else mode)
        if start_id is None and mode == "practice" and not due_only:
            start_id = self.latest_draft()  # carry on where you stopped typing
        if start_id:
            session.refill(start_id)
        return session

    def latest_draft(self) -> str | None:
        """The card of the newest draft within the filters, if any."""
        from trainer.study.srs import matches

        items = self.srs.items
        for draft in self.history.drafts():
            item = items.get(draft.item_id)
            if item is not None and matches(item, self.filters.topics, self.filters.level):
                return item.item_id
        return None

    def grade(self, item: Question | FollowUp | Scenario, answer: str) -> ScoreResult:
        """The scored answer; a flashcard (`grading: self`) is not scored but rated."""
        from .flashcards import flashcard_result, is_flashcard

        flashcard = is_flashcard(item)
        if flashcard is not None:
            return flashcard_result(flashcard)
        return self.grader.grade(item, answer, item.id)

    def topics(self) -> list[str]:
        return sorted({t for q in self.bank.questions for t in q.topics})

    # ---- records -----------------------------------------------------------------------

    def record_simulation(self, scenario: Scenario, answer: str, result: ScoreResult,
                          play: SimulationPlay, started_at: datetime) -> None:
        from .runs import record_simulation

        record_simulation(self.history, scenario, answer, result, play, started_at=started_at)

    def record_tabletop(self, scenario: Scenario, answer: str, result: ScoreResult,
                        play: TabletopPlay, started_at: datetime, duration: float) -> None:
        from .runs import record_tabletop

        record_tabletop(self.history, scenario, answer, result, play, started_at=started_at,
                        duration=duration)

    def save_feedback(self, sheet: FeedbackSheet,
                      transcript: Iterable[TranscriptEvent] | None = None) -> FeedbackSheet:
        """Save the sheet (a new one, or the same again); a hosted interview's timeline
        goes with it, in the same transaction."""
        return self.history.save_sheet(sheet, transcript)

    def save_transcript(self, sheet_id: int, transcript: Iterable[TranscriptEvent]) -> None:
        """Bring a saved sheet's timeline up to date (a rating came after the save)."""
        self.history.save_transcript(sheet_id, transcript)

    # ---- the one-screen mock interview in progress -----------------------------------

    def save_mock_draft(self, draft: MockDraft) -> None:
        from . import mock_draft

        mock_draft.save(self.history, draft)

    def mock_draft(self, question_id: str) -> MockDraft | None:
        from . import mock_draft

        return mock_draft.load(self.history, question_id)

    def discard_mock_draft(self, question_id: str) -> None:
        from . import mock_draft

        mock_draft.discard(self.history, question_id)

    def latest_mock_draft(self) -> str | None:
        """The question of the newest unfinished mock interview still in the bank."""
        from . import mock_draft

        question_id = mock_draft.latest(self.history)
        if question_id is not None and self.bank.question(question_id) is not None:
            return question_id
        return None

    # ---- views -------------------------------------------------------------------------

    def progress(self) -> Progress:
        from trainer.study import stats

        return stats(self.history, self.bank)

    def trends(self) -> Trends:
        """Score over time per topic, reviews per day and to come, retention."""
        from trainer.study.trends import trends

        return trends(self.history, self.bank)

    def home_summary(self) -> HomeSummary:
        # One pass over the cards: reviewed ones due now, then never-reviewed ones.
        queue = self.srs.due(self.filters.topics, self.filters.level, include_new=True)
        new = sum(1 for d in queue if not d.reps)
        progress = self.progress()
        return HomeSummary(due=len(queue) - new, new=new, streak=progress.streak.current,
                           attempts=progress.totals.attempts,
                           questions=len(self.bank.questions),
                           scenarios=len(self.bank.scenarios), terms=len(self.bank.terms))

    def catalog(self, *, topic: str | None = None, level: str | None = None,
                status: str | None = None) -> list[CatalogRow]:
        """Every question and follow-up (of a topic, level and status) with its status,
        last and best score and due date, in bank order."""
        from trainer.study.catalog import catalog

        return catalog(self.bank, self.history, topics=(topic,) if topic else (),
                       level=level, status=status)

    def due_by(self, at: datetime, *, topic: str | None = None,
               level: str | None = None) -> list[CatalogRow]:
        """Cards whose review is due by `at`, soonest first (`trainer due`)."""
        from trainer.study.catalog import due_by

        return due_by(self.bank, self.history, at, topics=(topic,) if topic else (),
                      level=level)

    def fit_scheduler(self, *, save: bool = True) -> FitResult:
        """Fit FSRS to this history's reviews; with enough of them (and `save`), store
        the parameters, which the scheduler uses from then on."""
        from trainer.study import fit

        result = fit.fit(self.history, current=self.srs.scheduler.parameters)
        if result.enough and save:
            fit.save(self.history, result)
            self.__dict__.pop("srs", None)  # the next use builds it with the new ones
        return result

    def compare_last(self, item_id: str) -> Comparison | None:
        from trainer.study.catalog import compare_last

        return compare_last(self.history, item_id)

    def export(self, fmt: str, path: Path, options: ExportOptions) -> ExportContent:
        from trainer.export import export

        path.parent.mkdir(parents=True, exist_ok=True)
        return export(self.bank, fmt, path, options, self.history)
