"""The keyword prefilter and the scorer's disk caches: they may only make grading faster.

The filter is an over-approximation: whatever `AnswerIndex.find` would match, for the
share and weights the grader searches a keyword with, must be among its candidates. The
property test throws random keywords and answers at it (shared stems, typos, lexicon
classes, numbers and ranges, negations) to look for a keyword it drops.
"""

from __future__ import annotations

import json
import marshal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer import paths
from trainer.bank import Bank, load_bank
from trainer.scoring import Grader, idfcache
from trainer.scoring.keywords import compile_keyword, inverse_document_frequency
from trainer.scoring.lexicon import default_lexicon
from trainer.scoring.matcher import AnswerIndex
from trainer.scoring.prefilter import KeywordFilter, Search, needed_positions

WORDS = ["canary", "rollback", "roll", "back", "revert", "traffic", "readiness", "probe",
         "connection", "draining", "drain", "pool", "exhausted", "liveness", "restarted",
         "database", "migration", "expand", "contract", "column", "not", "no", "never",
         "5%", "1-5%", "30", "seconds", "time", "out", "timeout", "side", "by", "in",
         "parallel", "alongside", "feature", "flag", "toggle", "the", "a", "is", "of",
         "separately", "sepraate", "canery", "readyness", "rolled", "it", "one",
         # Typos the bank does not know, of words that are no lexicon class: only the
         # filter's first-letter-and-length shapes can let their keywords through.
         "transformation", "transfromation", "transformations", "exhausted", "exhuasted",
         "replicas", "replcias", "weighted", "wieghted", "throughput", "thruoghput"]
DOCS = ["canary traffic readiness probe", "rollback revert the database migration",
        "connection draining pool exhausted", "feature flag toggle alongside in parallel",
        "expand contract column timeout seconds"]

phrase = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
answer = st.lists(st.sampled_from([*WORDS, ",", ".", "but", "then"]), min_size=1,
                  max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(keywords=st.lists(phrase, min_size=1, max_size=12),
       shares=st.lists(st.sampled_from([1.0, 0.6, 0.4]), min_size=12, max_size=12),
       weighted=st.lists(st.booleans(), min_size=12, max_size=12),
       text=answer)
def test_the_filter_never_drops_a_keyword_that_matches(keywords: list[str],
                                                        shares: list[float],
                                                        weighted: list[bool],
                                                        text: str) -> None:
    lexicon = default_lexicon()
    idf = inverse_document_frequency(DOCS, lexicon)
    searches: list[Search] = []
    for kw, share, w in zip(keywords, shares, weighted, strict=False):
        p = compile_keyword(kw, lexicon)
        weights = [idf.get(s, 3.0) for s in p.stems] if w else None
        searches.append((p, weights, share))
    keep = KeywordFilter(searches, lexicon, idf)
    index = AnswerIndex.build(text, frozenset(idf), lexicon)
    possible = keep.candidates(index)
    for p, weights, share in searches:
        if index.find(p, weights, share):
            assert p.text in possible, (p, weights, share, text)


def test_a_keyword_needing_every_word_is_woken_by_its_rarest_alone() -> None:
    p = compile_keyword("gateway weights transformation")
    assert len(p.stems) == 3
    idf = {p.stems[0]: 1.0, p.stems[1]: 2.0, p.stems[2]: 3.0}
    assert needed_positions(p, None, 1.0, idf) == [2]
    # 60% of three words: any two of them are enough, so the two rarest must be indexed.
    assert needed_positions(p, None, 0.6, idf) == [2, 1]
    # A keyword that states a negation is matched whole, whatever share it is given.
    assert len(needed_positions(compile_keyword("no gateway weights"), None, 0.4, idf)) == 1


BANK = """\
questions:
  - id: retire-pod
    title: Retiring a pod
    level: mid
    topics: [kubernetes]
    prompt: How do you retire a pod without dropping requests?
    model_answer: >-
      Fail the readiness probe first so the endpoints drop the pod, drain the open
      connections, then let SIGTERM stop the process once the work in flight is done.
    rubric:
      - concept: Readiness first
        keywords: [readiness probe fails, fail the readiness probe]
      - concept: Drain
        keywords: [drain connections, connection draining]
    misconceptions:
      - keywords: [kill the pod at once]
        why: Requests in flight are dropped.
        correction: Take it out of the endpoints and drain first.
      - keywords: [liveness probe removes it]
        why: Liveness restarts a container; readiness takes it out of rotation.
        correction: Fail readiness to leave the endpoints.
"""
ANSWER = "Fail the readiness probe, then drain connections before SIGTERM."


def _bank(tmp_path: Path) -> Bank:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK)
    return load_bank([path], builtin=False)


def _cache_files(pattern: str) -> list[Path]:
    return sorted((paths.cache_dir() / "scoring").glob(pattern))


def _vocabulary_files() -> list[Path]:
    return _cache_files("vocabulary-*.json")


def test_vocabularies_come_back_from_the_disk_cache_unchanged(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    item = bank.questions[0]
    first = Grader(bank)
    first.warm()
    assert _vocabulary_files(), "warm() keeps the vocabularies on disk"
    second = Grader(bank)
    second.warm()  # reads the file the first one wrote
    assert second.vocabulary_for(item) == first.vocabulary_for(item)
    assert second.vocabulary_for(item) == Grader(bank).vocabulary_for(item)  # computed


def test_a_damaged_vocabulary_cache_is_recomputed(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    item = bank.questions[0]
    fresh = Grader(bank)
    fresh.warm()
    for path in _vocabulary_files():
        data = json.loads(path.read_text())
        path.write_text(json.dumps({k: [["x", "not a weight"]] for k in data}))
    again = Grader(bank)
    again.warm()
    assert again.vocabulary_for(item) == fresh.vocabulary_for(item)
    assert again.grade(item, ANSWER).score == fresh.grade(item, ANSWER).score
    for path in _vocabulary_files():
        path.write_text("{not json")
    third = Grader(bank)
    third.warm()
    assert third.vocabulary_for(item) == fresh.vocabulary_for(item)


def test_warming_some_items_grades_every_item_as_before(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK + BANK.split("questions:\n", 1)[1].replace("retire-pod", "other-pod"))
    bank = load_bank([path], builtin=False)
    named, other = bank.questions
    cold = Grader(bank)
    part = Grader(bank)
    part.warm([named])
    assert part._filters and all(got[0] is named for got in part._filters.values())
    for item in (named, other):  # the one left out is made on first use
        assert part.grade(item, ANSWER).to_dict() == cold.grade(item, ANSWER).to_dict()


def _keyword_files() -> list[Path]:
    return _cache_files("patterns-*")


def test_a_damaged_keyword_cache_is_recomputed(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    item = bank.questions[0]
    fresh = Grader(bank)
    fresh.warm()
    expected = fresh.grade(item, ANSWER).to_dict()
    assert _keyword_files(), "warm() keeps the compiled keywords on disk"
    columns = marshal.loads(_keyword_files()[0].read_bytes())
    assert len(idfcache._pattern_rows(columns)) == len(columns[0])
    stems = columns[1]
    damaged = [
        b"not marshal at all",
        marshal.dumps(compile("1 + 1", "<cache>", "eval")),  # code, never run
        marshal.dumps((columns[0], stems, columns[2], columns[3])),  # a column missing
        marshal.dumps((columns[0], stems[:-1], *columns[2:])),  # columns of two lengths
        marshal.dumps((columns[0], (("a", 1),) + stems[1:], *columns[2:])),  # not a str
        marshal.dumps((columns[0], ("abc",) + stems[1:], *columns[2:])),  # str for tuple
        marshal.dumps((*columns[:2], (1,) + columns[2][1:], *columns[3:])),  # not a bool
    ]
    for data in damaged:
        for path in _keyword_files():
            path.write_bytes(data)
        again = Grader(bank)
        again.warm()
        assert again.grade(item, ANSWER).to_dict() == expected
        # ...and the file is whole again for the next batch.
        rows = idfcache._pattern_rows(marshal.loads(_keyword_files()[0].read_bytes()))
        assert rows and rows == idfcache._pattern_rows(columns)
