"""What goes into an export: the selected bank items, flattened for templates.

Called by every export format and by the app's export screen. Selection works on cards
(questions and follow-ups; follow-ups inherit their parent's topics and level):
1. `topics` (any of) and `level` keep matching cards;
2. `due` keeps cards due now in the spaced-repetition queue;
3. `weakest N` keeps the N attempted cards with the lowest mean of their last three
   scores (ties in bank order).
Sheets (md, html) show each question that has a selected card, with its selected
follow-ups; Anki and CSV get one note per selected card.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from trainer.bank import Bank, FollowUp, Note, Question, Term, short_title
from trainer.study import History, SpacedRepetition, card_items
from trainer.study.srs import matches
from trainer.study.trends import Trends, trends

RECENT = 3


@dataclass(frozen=True, slots=True)
class ExportOptions:
    topics: tuple[str, ...] = ()
    level: str | None = None
    due: bool = False
    weakest: int | None = None
    with_history: bool = False
    title: str = "Deployment interview study sheet"


@dataclass(frozen=True, slots=True)
class LastAttempt:
    score: int
    verdict: str
    at: datetime
    missed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConceptView:
    concept: str
    weight: int
    hint: str


@dataclass(frozen=True, slots=True)
class CardView:
    """A question or follow-up, ready for a template."""

    id: str
    kind: str
    title: str
    prompt: str
    model_answer: str
    level: str | None
    topics: tuple[str, ...]
    code: str = ""
    parent_prompt: str = ""  # for a follow-up, the question it follows
    concepts: tuple[ConceptView, ...] = ()
    outline: tuple[str, ...] = ()
    outline_ordered: bool = False
    # (what a weak answer says, why it is wrong, the correct rule)
    misconceptions: tuple[tuple[str, str, str], ...] = ()
    terms: tuple[Term, ...] = ()
    notes: tuple[Note, ...] = ()
    last: LastAttempt | None = None
    selected: bool = True  # False for a question shown only as its follow-ups' parent
    follow_ups: tuple[CardView, ...] = field(default=())

    @property
    def tags(self) -> tuple[str, ...]:
        """Anki tags: no spaces allowed, so levels and topics are slugs already."""
        level = (f"level::{self.level}",) if self.level else ()
        return tuple(f"topic::{t}" for t in self.topics) + level


@dataclass(frozen=True, slots=True)
class ExportContent:
    title: str
    questions: tuple[CardView, ...]  # each with its selected follow-ups
    notes: tuple[Note, ...]  # every note a shown card refers to, in bank order
    options: ExportOptions
    # Glossary terms (bank id, term) within the topic filter, for the Anki term notes.
    glossary: tuple[tuple[str, Term], ...] = ()
    trends: Trends | None = None  # with_history: what the HTML sheet plots

    @property
    def cards(self) -> tuple[CardView, ...]:
        """Every selected card, questions and follow-ups, in bank order (for Anki, CSV)."""
        out: list[CardView] = []
        for q in self.questions:
            if q.selected:
                out.append(q)
            out.extend(q.follow_ups)
        return tuple(out)


def build_content(bank: Bank, options: ExportOptions,
                  history: History | None = None) -> ExportContent:
    """Select and flatten. `history` is needed for `due`, `weakest` and `with_history`."""
    items = card_items(bank)
    selected = [i for i, item in items.items() if matches(item, options.topics, options.level)]
    if history is not None:
        selected = _by_history(selected, list(items), bank, history, options)
    elif options.due or options.weakest is not None or options.with_history:
        raise ValueError("due, weakest and with_history need the study history")
    chosen = set(selected)
    last = _last_attempts(history, chosen) if options.with_history and history else {}
    links = _reverse_links(bank)

    questions: list[CardView] = []
    note_ids: set[str] = set()
    for q in bank.questions:
        fups = [f for f in q.follow_ups if f.id in chosen]
        if q.id not in chosen and not fups:
            continue
        fviews = tuple(_card(bank, f, links, last, items[f.id].topics, items[f.id].level,
                             parent_prompt=q.prompt) for f in fups)
        view = _card(bank, q, links, last, q.topics, items[q.id].level,
                     selected=q.id in chosen, follow_ups=fviews)
        questions.append(view)
        for v in (view, *fviews):
            note_ids.update(n.id for n in v.notes)
    notes = tuple(n for n in bank.notes if n.id in note_ids)
    glossary = tuple((e.id, e.item) for e in bank.entries.values() if isinstance(e.item, Term)
                     and (not options.topics or set(e.topics) & set(options.topics)))
    progress = trends(history, bank) if options.with_history and history else None
    return ExportContent(options.title, tuple(questions), notes, options, glossary, progress)


def _by_history(selected: list[str], bank_order: list[str], bank: Bank, history: History,
                options: ExportOptions) -> list[str]:
    """Steps 2 and 3 of the selection: due cards, then the weakest N."""
    if options.due:
        due = {d.item.item_id for d in SpacedRepetition(history, bank).due()}
        selected = [i for i in selected if i in due]
    if options.weakest is not None:
        recent = history.recent_scores(RECENT)
        order = {i: n for n, i in enumerate(bank_order)}
        ranked = sorted((i for i in selected if i in recent),
                        key=lambda i: (sum(recent[i]) / len(recent[i]), order[i]))
        keep = set(ranked[:options.weakest])
        selected = [i for i in selected if i in keep]
    return selected


def _last_attempts(history: History, ids: set[str]) -> dict[str, LastAttempt]:
    return {i: LastAttempt(a.score, a.verdict, a.at, a.missed)
            for i, a in history.last_attempts(ids).items()}


def _reverse_links(bank: Bank) -> dict[str, list[str]]:
    """Item id -> ids of the terms and notes that name it in their `related`."""
    back: dict[str, list[str]] = defaultdict(list)
    for t in bank.terms:
        for r in t.related:
            back[r].append(t.id)
    for n in bank.notes:
        for r in n.related:
            back[r].append(n.id)
    return back


def _card(bank: Bank, item: Question | FollowUp, links: dict[str, list[str]],
          last: dict[str, LastAttempt], topics: tuple[str, ...], level: str | None, *,
          parent_prompt: str = "", selected: bool = True,
          follow_ups: tuple[CardView, ...] = ()) -> CardView:
    related = list(dict.fromkeys([*item.related, *links.get(item.id, ())]))
    terms = [t for r in related if (t := bank.term(r)) is not None]
    notes = tuple(n for r in related if (n := bank.note(r)) is not None)
    outline = item.answer_outline
    return CardView(
        id=item.id,
        kind="question" if isinstance(item, Question) else "follow_up",
        title=item.title or short_title(" ".join(item.prompt.split())),
        prompt=item.prompt,
        model_answer=item.model_answer,
        level=level,
        topics=topics,
        code=item.code if isinstance(item, Question) else "",
        parent_prompt=parent_prompt,
        concepts=tuple(ConceptView(c.concept, c.weight, c.hint) for c in item.rubric),
        outline=tuple(s.step for s in outline.steps) if outline else (),
        outline_ordered=bool(outline and outline.order_matters),
        # Red flags are the older form of misconceptions, with no correction to show.
        misconceptions=(
            *((", ".join(m.keywords), m.why, m.correction) for m in item.misconceptions),
            *((", ".join(f.keywords), f.why, "") for f in item.red_flags),
        ),
        terms=tuple(sorted(terms, key=lambda t: t.term.lower())),
        notes=notes,
        last=last.get(item.id),
        selected=selected,
        follow_ups=follow_ups,
    )
