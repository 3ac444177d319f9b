"""The loaded bank: every item by id, with its kind, parent and place of definition.

Built by the loader; read by the scorer, the simulator, study history, exports and the app.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from .convert import Problem
from .models import FollowUp, GradableItem, Item, ItemKind, Note, Question, Scenario, Term

_I = TypeVar("_I", bound=Item)

TITLE_LIMIT = 70
KIND_ORDER: tuple[ItemKind, ...] = ("question", "follow_up", "scenario", "term", "note")


def short_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """`text` cut to `limit` characters, the cut marked with "...", for one-line lists."""
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of the bank and what the bank knows about it."""

    id: str
    kind: ItemKind
    item: Item
    location: Location
    parent: str | None = None

    @property
    def title(self) -> str:
        item = self.item
        if isinstance(item, Term):
            return item.term
        if item.title:
            return item.title
        # Only questions and follow-ups may leave the title out; scenarios and notes need one.
        return short_title(item.prompt) if isinstance(item, Question | FollowUp) else ""

    @property
    def topics(self) -> tuple[str, ...]:
        item = self.item
        return () if isinstance(item, FollowUp) else item.topics

    @property
    def level(self) -> str | None:
        item = self.item
        if isinstance(item, Term | Note) or item.level is None:
            return None
        return str(item.level)


@dataclass(slots=True)
class Bank:
    """Every item of every loaded bank file, in file order."""

    entries: dict[str, Entry] = field(default_factory=dict)
    # Synonym classes from every loaded file, built-in lexicon first (see lexicon.yaml).
    lexicon: list[tuple[str, ...]] = field(default_factory=list)
    # Inventory codes ("Q-02", "S-01"), lower-cased, to ids: what the app shows is
    # accepted wherever an id is.
    codes: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        kind: ItemKind,
        item: Item,
        location: Location,
        problems: list[Problem],
        parent: str | None = None,
        tid: str | None = None,
    ) -> None:
        item_id = tid or item.id
        if item_id in self.entries:
            first = self.entries[item_id].location
            problems.append(
                Problem(location.file, location.line,
                        f"duplicate id '{item_id}' (first defined at {first})")
            )
            return
        self.entries[item_id] = Entry(item_id, kind, item, location, parent)
        if isinstance(item, Question | Scenario) and item.code:
            self.codes.setdefault(item.code.lower(), item_id)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, item_id: str) -> Entry | None:
        """An item by id, or by its code ("Q-02", any case)."""
        entry = self.entries.get(item_id)
        if entry is None and item_id:
            code_id = self.codes.get(item_id.lower())
            entry = self.entries.get(code_id) if code_id else None
        return entry

    def of_kind(self, kind: ItemKind) -> Iterator[Entry]:
        return (e for e in self.entries.values() if e.kind == kind)

    def _all(self, cls: type[_I]) -> list[_I]:
        return [item for e in self.entries.values() if isinstance(item := e.item, cls)]

    def _one(self, item_id: str, cls: type[_I]) -> _I | None:
        entry = self.get(item_id)
        item = entry.item if entry is not None else None
        return item if isinstance(item, cls) else None

    @property
    def questions(self) -> list[Question]:
        return self._all(Question)

    @property
    def follow_ups(self) -> list[FollowUp]:
        return self._all(FollowUp)

    @property
    def scenarios(self) -> list[Scenario]:
        return self._all(Scenario)

    @property
    def terms(self) -> list[Term]:
        return self._all(Term)

    @property
    def notes(self) -> list[Note]:
        return self._all(Note)

    @property
    def gradable_items(self) -> list[GradableItem]:
        """Questions, follow-ups and scenarios: the items answered in words and scored."""
        return [item for e in self.entries.values()
                if isinstance(item := e.item, GradableItem)]

    # Each lookup takes an id or an inventory code, like `get`, and is None for an item
    # of another kind.
    def question(self, item_id: str) -> Question | None:
        return self._one(item_id, Question)

    def follow_up(self, item_id: str) -> FollowUp | None:
        return self._one(item_id, FollowUp)

    def scenario(self, item_id: str) -> Scenario | None:
        return self._one(item_id, Scenario)

    def term(self, item_id: str) -> Term | None:
        return self._one(item_id, Term)

    def note(self, item_id: str) -> Note | None:
        return self._one(item_id, Note)

    def parent_question(self, item_id: str) -> Question | None:
        entry = self.entries.get(item_id)
        if entry is None or entry.parent is None:
            return None
        parent = self.entries[entry.parent].item
        return parent if isinstance(parent, Question) else None

    def find_scenario(self, ref: str) -> Scenario | None:
        """A scenario by id or by inventory code (`S-01`, case-insensitive)."""
        entry = self.entries.get(ref)
        if entry is not None and isinstance(entry.item, Scenario):
            return entry.item
        for s in self.scenarios:
            if s.code and s.code.lower() == ref.lower():
                return s
        return None

    def stats(self) -> dict[str, dict[str, int]]:
        kinds = Counter(e.kind for e in self.entries.values())
        topics: Counter[str] = Counter()
        levels: Counter[str] = Counter()
        for e in self.entries.values():
            if e.kind in ("question", "scenario", "note", "term"):
                topics.update(e.topics)
            if e.kind in ("question", "follow_up", "scenario"):
                inherited = self.entries[e.parent].level if e.parent else None
                levels[e.level or inherited or "unset"] += 1
        notes = Counter(n.category for n in self.notes)
        return {
            "kinds": {k: kinds.get(k, 0) for k in KIND_ORDER},
            "topics": dict(sorted(topics.items())),
            "levels": dict(sorted(levels.items())),
            "notes": dict(sorted(notes.items())),
        }
