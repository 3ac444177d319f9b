"""Typed models of a question bank.

Every YAML mapping in a bank file becomes one of these frozen dataclasses. The loader
(`trainer.bank.loader`) converts and validates against the type hints and the field
metadata declared here, and `trainer.bank.schema` turns the same declarations into the
JSON Schema shipped as `question_bank/schema.json`, so the three never drift apart.

Field metadata keys:
- ``doc``: one sentence shown in the schema and in `question_bank/README.md`.
- ``min``: smallest allowed int, or smallest allowed length of a list or string.
- ``pattern``: regular expression a string must match in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from .fielddoc import doc
from .simulation import Simulation

ID_PATTERN = r"[a-z0-9][a-z0-9._-]*"
TOPIC_PATTERN = r"[a-z0-9][a-z0-9-]*"


class Level(StrEnum):
    junior = "junior"
    mid = "mid"
    senior = "senior"
    staff = "staff"


LEVEL_ORDER = {lvl: i for i, lvl in enumerate(Level)}


class Grading(StrEnum):
    """How an answer to the item is judged."""

    rubric = "rubric"  # scored against the rubric (drafted from the model answer if none)
    self = "self"  # a flashcard: the candidate compares with the model answer and rates


@dataclass(frozen=True, slots=True)
class Concept:
    """One idea a strong answer contains, with the words a candidate may use for it."""

    concept: str = field(metadata=doc("Short name of the idea, shown in feedback.", min=1))
    keywords: tuple[str, ...] = field(
        metadata=doc(
            "Phrases that carry the idea: synonyms, abbreviations, tool names, spellings.",
            min=1,
        )
    )
    weight: int = field(default=1, metadata=doc("Importance; 3 = essential, 1 = nice.", min=1,
                                                max=10))
    hint: str = field(default="", metadata=doc("Nudge shown when the concept is missed."))
    role: Literal["core", "depth"] | None = field(
        default=None,
        metadata=doc(
            "core = a complete answer needs it; depth = what a stronger answer adds "
            "(credit saturates). Unset: core when weight is 3, else depth."
        ),
    )

    @property
    def is_core(self) -> bool:
        return self.role == "core" if self.role else self.weight >= 3


@dataclass(frozen=True, slots=True)
class RedFlag:
    """Something a weak candidate says that a grader counts against them."""

    keywords: tuple[str, ...] = field(metadata=doc("Phrases that reveal the mistake.", min=1))
    why: str = field(metadata=doc("Why it is a mistake, shown when it is found.", min=1))


@dataclass(frozen=True, slots=True)
class Misconception:
    """A wrong claim a candidate is likely to voice, how to hear it, and the correct rule."""

    keywords: tuple[str, ...] = field(
        metadata=doc("Phrases that state the wrong claim; each is matched within one sentence.",
                     min=1)
    )
    why: str = field(metadata=doc("Why the claim is wrong, shown when it is heard.", min=1))
    correction: str = field(default="", metadata=doc("The correct rule, shown with it."))


@dataclass(frozen=True, slots=True)
class SynonymClass:
    """Words and phrases that say the same thing; answers and keywords meet through them."""

    terms: tuple[str, ...] = field(
        metadata=doc("Interchangeable words or phrases (spellings, synonyms, abbreviations).",
                     min=2)
    )
    note: str = field(default="", metadata=doc("Why these count as the same, for authors."))


@dataclass(frozen=True, slots=True)
class OutlineStep:
    """One step of a structured answer."""

    step: str = field(metadata=doc("What this step does, in a few words.", min=1))
    keywords: tuple[str, ...] = field(
        default=(), metadata=doc("Phrases that show the answer reached this step.")
    )
    concept: str = field(
        default="",
        metadata=doc("Name of a rubric concept whose keywords also mark this step."),
    )


@dataclass(frozen=True, slots=True)
class Outline:
    """Ordered steps of a structured answer."""

    steps: tuple[OutlineStep, ...] = field(metadata=doc("The steps, in order.", min=2))
    order_matters: bool = field(
        default=False,
        metadata=doc("True when giving the steps out of order is itself a mistake."),
    )


@dataclass(frozen=True, slots=True)
class LevelNotes:
    """How the expected answer differs by seniority."""

    junior: str = field(default="", metadata=doc("What a junior answer should cover."))
    mid: str = field(default="", metadata=doc("What a mid-level answer should cover."))
    senior: str = field(default="", metadata=doc("What a senior answer adds."))
    staff: str = field(default="", metadata=doc("What a staff answer adds beyond senior."))


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A question the interviewer asks after the main one, in chain order."""

    id: str = field(metadata=doc("Stable id, unique in the whole bank.", pattern=ID_PATTERN))
    prompt: str = field(metadata=doc("What the interviewer asks.", min=1))
    model_answer: str = field(metadata=doc("A strong answer in full.", min=1))
    title: str = field(default="", metadata=doc("Short label for lists."))
    level: Level | None = field(default=None, metadata=doc("Expected seniority."))
    tests: str = field(default="", metadata=doc("What the interviewer is really testing."))
    source: str = field(default="", metadata=doc("Seed file and lines the item comes from."))
    derived: bool = field(
        default=False,
        metadata=doc("True when the seed gave no answer and this one was written from the rest."),
    )
    rubric: tuple[Concept, ...] = field(default=(), metadata=doc("Concepts to score against."))
    red_flags: tuple[RedFlag, ...] = field(
        default=(), metadata=doc("Older form of misconceptions: phrases and why.")
    )
    misconceptions: tuple[Misconception, ...] = field(
        default=(), metadata=doc("Wrong claims to listen for, with the correct rule.")
    )
    answer_outline: Outline | None = field(default=None, metadata=doc("Structured answer."))
    weak_answer: str = field(default="", metadata=doc("What a weak candidate says."))
    strong_answer: str = field(default="", metadata=doc("A short strong answer."))
    related: tuple[str, ...] = field(default=(), metadata=doc("Ids of related items."))
    notes: str = field(default="", metadata=doc("Editorial choices, e.g. conflicts resolved."))

    # One name for the grader (`trainer.scoring.gradable.Gradable`) across item kinds.
    @property
    def prompt_text(self) -> str:
        return self.prompt

    @property
    def model_text(self) -> str:
        return self.model_answer


@dataclass(frozen=True, slots=True)
class Question:
    """An interview question with its rubric and follow-up chain."""

    id: str = field(metadata=doc("Stable id, unique in the whole bank.", pattern=ID_PATTERN))
    prompt: str = field(metadata=doc("The question as the interviewer asks it.", min=1))
    model_answer: str = field(metadata=doc("A strong answer in full (Markdown).", min=1))
    title: str = field(default="", metadata=doc("Short label for lists."))
    code: str = field(default="", metadata=doc("Inventory code such as Q-09."))
    level: Level | None = field(default=None, metadata=doc("Expected seniority."))
    topics: tuple[str, ...] = field(
        default=(), metadata=doc("Topic slugs used for filtering.", item_pattern=TOPIC_PATTERN)
    )
    source: str = field(default="", metadata=doc("Seed file and lines the item comes from."))
    tests: str = field(default="", metadata=doc("What the interviewer is really testing."))
    rubric: tuple[Concept, ...] = field(default=(), metadata=doc("Concepts to score against."))
    red_flags: tuple[RedFlag, ...] = field(
        default=(), metadata=doc("Older form of misconceptions: phrases and why.")
    )
    misconceptions: tuple[Misconception, ...] = field(
        default=(), metadata=doc("Wrong claims to listen for, with the correct rule.")
    )
    answer_outline: Outline | None = field(default=None, metadata=doc("Structured answer."))
    follow_ups: tuple[FollowUp, ...] = field(default=(), metadata=doc("Ordered follow-ups."))
    weak_answer: str = field(default="", metadata=doc("What a weak candidate says."))
    strong_answer: str = field(default="", metadata=doc("A short strong answer."))
    level_notes: LevelNotes | None = field(default=None, metadata=doc("Senior vs staff."))
    related: tuple[str, ...] = field(default=(), metadata=doc("Ids of related items."))
    notes: str = field(default="", metadata=doc("Editorial choices, e.g. conflicts resolved."))
    grading: Grading = field(default=Grading.rubric, metadata=doc(
        "rubric: scored (against a rubric drafted from the model answer when there is "
        "none); self: a flashcard the candidate rates, for imported prose no rubric fits."))

    # One name for the grader (`trainer.scoring.gradable.Gradable`) across item kinds.
    @property
    def prompt_text(self) -> str:
        return self.prompt

    @property
    def model_text(self) -> str:
        return self.model_answer


@dataclass(frozen=True, slots=True)
class WrongAction:
    """A tempting move in a scenario and why it hurts."""

    action: str = field(metadata=doc("What the candidate might do.", min=1))
    why: str = field(metadata=doc("Why it is wrong here.", min=1))


@dataclass(frozen=True, slots=True)
class Reveal:
    """An investigation a tabletop player can choose, and what it turns up."""

    name: str = field(metadata=doc("What is looked at: dashboard, logs, deploy history...", min=1))
    shows: str = field(metadata=doc("What the investigation reveals.", min=1))
    minutes: int = field(default=2, metadata=doc("Incident-clock minutes it costs.", min=0))


@dataclass(frozen=True, slots=True)
class Scenario:
    """An incident to play as a tabletop drill (and, later, in the simulator)."""

    id: str = field(metadata=doc("Stable id, unique in the whole bank.", pattern=ID_PATTERN))
    title: str = field(metadata=doc("Short title.", min=1))
    briefing: str = field(metadata=doc("What the on-call is told at the start.", min=1))
    first_action: str = field(metadata=doc("The right first move.", min=1))
    debrief: str = field(metadata=doc("What the drill teaches.", min=1))
    code: str = field(default="", metadata=doc("Inventory code such as S-01."))
    level: Level | None = field(default=None, metadata=doc("Expected seniority."))
    topics: tuple[str, ...] = field(
        default=(), metadata=doc("Topic slugs used for filtering.", item_pattern=TOPIC_PATTERN)
    )
    source: str = field(default="", metadata=doc("Seed file and lines the item comes from."))
    signals: tuple[str, ...] = field(
        default=(), metadata=doc("What the dashboards show, with numbers.")
    )
    reveals: tuple[Reveal, ...] = field(default=(), metadata=doc("Investigations to choose."))
    follow_through: tuple[str, ...] = field(default=(), metadata=doc("What to do next, in order."))
    wrong_actions: tuple[WrongAction, ...] = field(default=(), metadata=doc("Tempting mistakes."))
    rubric: tuple[Concept, ...] = field(
        default=(), metadata=doc("Concepts for the written 'explain your decision'.")
    )
    red_flags: tuple[RedFlag, ...] = field(
        default=(), metadata=doc("Older form of misconceptions: phrases and why.")
    )
    misconceptions: tuple[Misconception, ...] = field(
        default=(), metadata=doc("Wrong claims to listen for, with the correct rule.")
    )
    related: tuple[str, ...] = field(default=(), metadata=doc("Ids of related items."))
    notes: str = field(default="", metadata=doc("Editorial choices, e.g. conflicts resolved."))
    simulation: Simulation | None = field(
        default=None, metadata=doc("The scenario as a runnable deployment for the simulator.")
    )

    @property
    def prompt_text(self) -> str:
        return self.briefing

    @property
    def model_text(self) -> str:
        """The right moves in order: what a written decision is drafted from."""
        return " ".join([self.first_action, *self.follow_through, self.debrief])


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry."""

    term: str = field(metadata=doc("The term as usually written.", min=1))
    definition: str = field(metadata=doc("What it means, in a sentence or two.", min=1))
    id: str = field(
        default="",
        metadata=doc("Stable id; defaults to 'term-' plus a slug of the term.", pattern=ID_PATTERN),
    )
    aliases: tuple[str, ...] = field(default=(), metadata=doc("Other names and abbreviations."))
    topics: tuple[str, ...] = field(
        default=(), metadata=doc("Topic slugs used for filtering.", item_pattern=TOPIC_PATTERN)
    )
    source: str = field(default="", metadata=doc("Seed file and lines the item comes from."))
    related: tuple[str, ...] = field(default=(), metadata=doc("Ids of related items."))


@dataclass(frozen=True, slots=True)
class Note:
    """A study-sheet section: a fact table, a checklist, a procedure."""

    id: str = field(metadata=doc("Stable id, unique in the whole bank.", pattern=ID_PATTERN))
    title: str = field(metadata=doc("Section title.", min=1))
    body: str = field(metadata=doc("The section in Markdown.", min=1))
    category: Literal["facts", "checklist", "guide"] = field(
        default="guide", metadata=doc("facts = a table of numbers; checklist; guide = the rest.")
    )
    topics: tuple[str, ...] = field(
        default=(), metadata=doc("Topic slugs used for filtering.", item_pattern=TOPIC_PATTERN)
    )
    source: str = field(default="", metadata=doc("Seed file and lines the item comes from."))
    related: tuple[str, ...] = field(default=(), metadata=doc("Ids of related items."))


@dataclass(frozen=True, slots=True)
class BankFile:
    """The top level of one bank file; every list is optional."""

    questions: tuple[Question, ...] = field(default=(), metadata=doc("Interview questions."))
    scenarios: tuple[Scenario, ...] = field(default=(), metadata=doc("Incident scenarios."))
    glossary: tuple[Term, ...] = field(default=(), metadata=doc("Glossary terms."))
    notes: tuple[Note, ...] = field(default=(), metadata=doc("Study-sheet sections."))
    lexicon: tuple[SynonymClass, ...] = field(
        default=(), metadata=doc("Synonym classes the scorer applies to answers and keywords.")
    )


ItemKind = Literal["question", "follow_up", "scenario", "term", "note"]
Item = Question | FollowUp | Scenario | Term | Note
# Items answered in words and scored against a rubric.
GradableItem = Question | FollowUp | Scenario
