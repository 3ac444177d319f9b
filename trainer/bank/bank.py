"""The loaded bank: every item by id, with its kind, parent and place of definition.

Built by the loader; read by the scorer, the simulator, study history, exports and the app.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .convert import Problem
from .models import FollowUp, Item, ItemKind, Note, Question, Scenario, Term


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
        title = getattr(item, "title", "")
        if title:
            return title
        prompt = getattr(item, "prompt", "")
        return prompt if len(prompt) <= 70 else prompt[:67].rstrip() + "..."

    @property
    def topics(self) -> tuple[str, ...]:
        return getattr(self.item, "topics", ())

    @property
    def level(self) -> str | None:
        level = getattr(self.item, "level", None)
        return None if level is None else str(level)


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
        item_id = tid or item.id  # type: ignore[union-attr]
        if item_id in self.entries:
            first = self.entries[item_id].location
            problems.append(
                Problem(location.file, location.line,
                        f"duplicate id '{item_id}' (first defined at {first})")
            )
            return
        self.entries[item_id] = Entry(item_id, kind, item, location, parent)
        code = getattr(item, "code", "")
        if code:
            self.codes.setdefault(code.lower(), item_id)

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

    @property
    def questions(self) -> list[Question]:
        return [e.item for e in self.of_kind("question")]  # type: ignore[misc]

    @property
    def follow_ups(self) -> list[FollowUp]:
        return [e.item for e in self.of_kind("follow_up")]  # type: ignore[misc]

    @property
    def scenarios(self) -> list[Scenario]:
        return [e.item for e in self.of_kind("scenario")]  # type: ignore[misc]

    @property
    def terms(self) -> list[Term]:
        return [e.item for e in self.of_kind("term")]  # type: ignore[misc]

    @property
    def notes(self) -> list[Note]:
        return [e.item for e in self.of_kind("note")]  # type: ignore[misc]

    def parent_question(self, item_id: str) -> Question | None:
        entry = self.entries.get(item_id)
        if entry is None or entry.parent is None:
            return None
        return self.entries[entry.parent].item  # type: ignore[return-value]

    def find_scenario(self, ref: str) -> Scenario | None:
        """A scenario by id or by inventory code (`S-01`, case-insensitive)."""
        entry = self.entries.get(ref)
        if entry is not None and entry.kind == "scenario":
            return entry.item  # type: ignore[return-value]
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
        order = ("question", "follow_up", "scenario", "term", "note")
        return {
            "kinds": {k: kinds.get(k, 0) for k in order},
            "topics": dict(sorted(topics.items())),
            "levels": dict(sorted(levels.items())),
            "notes": dict(sorted(notes.items())),
        }
