"""Warnings about rubrics that score badly: `trainer bank check` prints them.

- A keyword that comes down to one everyday word ("historical", "crash", "promote", or
  "about an hour" once its function words are set aside) gives a concept's credit to
  answers that say nothing about it. Everyday means frequent in
  ordinary speech: pyspellchecker's English word list (counts from film subtitles) is the
  yardstick, so domain terms ("canary", "EndpointSlice", "SIGTERM") pass and common words
  do not. Numbers and abbreviations are left alone.
- A misconception keyword of one word (once function words are set aside: "it's the
  network") fires on every answer that mentions it.
- A misconception keyword whose claim rests on "who" (a function word, so not matched)
  fires on correct answers that share its other words.
- User-facing text that mentions the bank's sources ("the seed", "seed 002", "L45")
  belongs in `source:` or `notes:`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache

from trainer.bank import Bank, FollowUp, GradableItem, Item, Note, Question, Scenario, Term

from .text import STOPWORDS, tokenize

# Zipf-like frequency (log10 of occurrences per billion words) at and above which a word
# is everyday: "crash" 4.4, "historical" 3.9, "promote" 3.8; "cache" 3.2, "canary" 3.0.
EVERYDAY_ZIPF = 3.75

_SOURCE_MENTION = re.compile(
    r"\bseeds?\b(?!\s+(?:data|value|node|list|phase|round|s?tag))"
    r"|\bL\d{2,4}(?:-L?\d{1,4})?\b|\bL\d-L?\d{1,4}\b"  # "L45", "L7-75"; not "L4"
    r"|\b00[0-4]\b(?=[:\s]*(?:L\d|line|file|says|'s))",
    re.IGNORECASE,
)


# Function words are not matched, so a claim carried by one is lost: "events show who
# changed it" is met by "events show the changes".
_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose)\b", re.IGNORECASE)


@cache
def _frequency() -> tuple[dict[str, int], int] | None:
    try:
        from spellchecker import SpellChecker
    except ImportError:  # the lint is advice; without its word list it says nothing
        return None
    wf = SpellChecker(language="en", distance=1).word_frequency
    return wf.dictionary, wf.total_words


def zipf(word: str) -> float:
    got = _frequency()
    if got is None:
        return 0.0
    counts, total = got
    n = counts.get(word.lower(), 0)
    return math.log10(n / total * 1e9) if n and total else 0.0


def content_words(keyword: str) -> list[str]:
    """The words of a keyword that matching uses: function words ("about", "where",
    "they") are not matched, so "stayed where they were" is met by any "stayed"."""
    return [t.word for t in tokenize(keyword) if t.norm not in STOPWORDS]


def is_everyday(keyword: str) -> bool:
    words = content_words(keyword)
    if len(words) != 1 or " " in words[0]:
        return False  # a lexicon phrase ("roll back") is one token but no everyday word
    typed = re.findall(r"[A-Za-z0-9'/-]+", keyword)
    if any(not w.replace("'", "").isalpha() for w in typed):
        return False  # "A/A test", "5xx rate": a symbol or number makes it specific
    # As typed, so that a tool's capitals ("decK") still show.
    word = next((w for w in typed if w.lower() == words[0]), words[0])
    if not word.isalpha() or len(word) <= 2 or word[1:] != word[1:].lower():
        return False  # numbers, abbreviations (TTL), tool names (decK) are no everyday words
    return zipf(word) >= EVERYDAY_ZIPF


def everyday_aliases(item: Item) -> Iterator[tuple[str, str]]:
    """(concept, keyword) for each one-word everyday keyword of the item's rubric."""
    for concept in item.rubric if isinstance(item, GradableItem) else ():
        for kw in concept.keywords:
            if is_everyday(kw):
                yield concept.concept, kw


def _user_facing(item: Item) -> Iterator[tuple[str, str]]:
    """(field, text) for each text of the item that a user reads, in a fixed order."""
    match item:
        case Question() | FollowUp():
            yield from (("title", item.title), ("prompt", item.prompt), ("tests", item.tests),
                        ("model_answer", item.model_answer),
                        ("strong_answer", item.strong_answer), ("weak_answer", item.weak_answer))
        case Scenario():
            yield from (("title", item.title), ("briefing", item.briefing),
                        ("first_action", item.first_action), ("debrief", item.debrief))
            yield from (("signals", text) for text in item.signals)
            yield from (("follow_through", text) for text in item.follow_through)
        case Term():
            yield "definition", item.definition
        case Note():
            yield from (("title", item.title), ("body", item.body))
    if isinstance(item, GradableItem):
        yield from (("hint", c.hint) for c in item.rubric)
        yield from (("misconception", f"{m.why} {m.correction}") for m in item.misconceptions)
    if isinstance(item, Scenario):
        yield from (("reveal", r.shows) for r in item.reveals)
        yield from (("wrong action", f"{w.action} {w.why}") for w in item.wrong_actions)
    if isinstance(item, Question) and item.level_notes is not None:
        notes = item.level_notes
        yield from (("level note", text)
                    for text in (notes.junior, notes.mid, notes.senior, notes.staff))


def source_mentions(item: Item) -> Iterator[tuple[str, str]]:
    """(field, text around it) for each mention of the sources in user-facing text."""
    for name, text in _user_facing(item):
        yield from _mentions(name, text)


def _mentions(name: str, text: str) -> Iterator[tuple[str, str]]:
    for m in _SOURCE_MENTION.finditer(text):
        lo, hi = max(0, m.start() - 25), min(len(text), m.end() + 25)
        yield name, text[lo:hi].replace("\n", " ")


def warnings(bank: Bank) -> list[str]:
    """Every warning for the bank, as `file:line: warning: message`."""
    out: list[str] = []
    for entry in bank.entries.values():
        item = entry.item
        where = f"{entry.location}: warning: {entry.id}"
        for concept, kw in everyday_aliases(item):
            out.append(f"{where}: keyword '{kw}' of '{concept}' comes down to one everyday "
                       "word once function words are set aside; it credits answers that "
                       "never state the idea")
        for m in item.misconceptions if isinstance(item, GradableItem) else ():
            for kw in m.keywords:
                if len(content_words(kw)) < 2:
                    out.append(f"{where}: misconception keyword '{kw}' is one word once "
                               "function words are set aside; state the wrong claim so a "
                               "correct answer never trips it")
                elif word := _QUESTION_WORD.search(kw):
                    out.append(f"{where}: misconception keyword '{kw}' leans on "
                               f"'{word.group()}', a word matching ignores; name it "
                               "(\"which user\", \"the person\") so the claim is still "
                               "there without it")
        for name, text in source_mentions(item):
            out.append(f"{where}: {name} mentions the sources (\"{text.strip()}\"); keep "
                       "provenance in source: or notes:")
    return out
