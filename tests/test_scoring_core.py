"""The scorer without the bank: normalisation, matching, negation, red flags, order."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.bank import Concept, Outline, OutlineStep, Question, RedFlag
from trainer.scoring import Grader, verdict
from trainer.scoring.text import tokenize


def stems(text: str) -> list[str]:
    return [t.stem for t in tokenize(text)]


@pytest.mark.parametrize(("a", "b"), [
    ("roll-back", "roll back"),
    ("rolled back", "rolling back"),
    ("five percent", "5%"),
    ("5 %", "5 percent"),
    ("k8s", "Kubernetes"),
    ("load balancer", "LB"),
    ("load-balancers", "LBs"),
    ("time-to-live", "TTL"),
    ("99th percentile", "p99"),
    ("\u201cblue\u2013green\u201d", '"blue-green"'),
    ("500s", "5xx"),
    ("ＤＮＳ", "dns"),
    ("10k", "10000"),
    ("re-deploy", "redeploy"),  # "re" alone is a stopword: "re-auth" is not "auth"
    ("re-run the re-auth", "rerun the reauth"),
    ("O(n log n)", "O(n*log(n))"),  # one term, however it is spelled
    ("O(n²)", "O(n^2)"),
])
def test_normalisation_equivalences(a: str, b: str) -> None:
    assert stems(a) == stems(b)


def test_big_o_terms_are_told_apart() -> None:
    assert len({tuple(stems(x)) for x in ("O(1)", "O(n)", "O(log n)", "O(n log n)",
                                          "O(n^2)", "O(2^n)")}) == 6
    assert stems("sorting is O(n log n), then") == ["sort", "is", "~o(nlogn)", "then"]
    assert stems("O(no way)") == ["o", "no", "way"]  # no complexity, plain words
    c = Concept("Linear scan", ("O(n)",), 1)
    assert Grader().grade(_q(c), "The scan is O(n).").score == 100
    assert Grader().grade(_q(c), "The sort is O(n log n).").score == 0


def test_spans_point_into_the_original_text() -> None:
    text = "We\u2019d roll\u2011back the k8s deploy — then ﬁx it"
    tokens = tokenize(text)
    for t in tokens:
        assert text[t.start:t.end].strip()
    # "We'd" gives "we" and "would"; "roll-back" is one lexicon token spanning both words.
    assert [text[t.start:t.end] for t in tokens][2:4] == ["roll\u2011back", "the"]
    fix = next(t for t in tokens if t.norm == "fix")
    assert text[fix.start:fix.end] == "\ufb01x"


def _q(*concepts: Concept, red: tuple[RedFlag, ...] = (), outline: Outline | None = None,
       level: str = "senior") -> Question:
    return Question(id="q", prompt="What do you do when a deploy goes bad?",
                    model_answer="x", rubric=concepts, red_flags=red, answer_outline=outline,
                    level=level)  # type: ignore[arg-type]


ROLLBACK = Concept("Roll back", ("roll back", "rollback", "revert", "undo the rollout"), 3)
CANARY = Concept("Canary", ("canary release", "canary"), 2)
K8S = Concept("Kubernetes", ("kubernetes",), 1)
DB = Concept("Database", ("db",), 1)


@pytest.mark.parametrize("answer", [
    "First I would roll back.", "I'd do a rollback", "We rolled it back", "rolling-back now",
    "Revert immediately", "I reverted the release", "kubectl rollout undo, i.e. undo the "
    "rollout",
])
def test_concept_matches_in_many_wordings(answer: str) -> None:
    result = Grader().grade(_q(ROLLBACK), answer)
    assert result.concepts[0].status == "matched", answer
    span = result.concepts[0].spans[0]
    assert answer[span.start:span.end] == span.text


@pytest.mark.parametrize(("answer", "status"), [
    ("Ship a canery first", "matched"),
    ("Run it on kuberentes", "matched"),
    ("Run it on kubernets", "matched"),
    ("Run it on the cube", "missed"),
])
def test_typos(answer: str, status: str) -> None:
    r = Grader().grade(_q(CANARY, K8S), answer)
    assert status in {c.status for c in r.concepts}, (answer, r.concepts)


def test_short_keywords_match_whole_words_only() -> None:
    r = Grader().grade(_q(DB), "A dbx file, a feedback loop, adb logs")
    assert r.concepts[0].status == "missed"
    assert Grader().grade(_q(DB), "the DB is fine").concepts[0].status == "matched"


def test_multiword_keyword_matches_within_a_window() -> None:
    c = Concept("Automated rollback", ("automated rollback",), 1)
    assert Grader().grade(_q(c), "the rollback is automated by Argo").score == 100
    assert Grader().grade(_q(c), "a rollback which our pipeline automated").score == 100
    far = "rollback " + "and then we talk about many other unrelated things " * 3 + "automated"
    assert Grader().grade(_q(c), far).score == 0


def test_part_of_a_phrase_earns_less_and_never_leaves_out_its_number() -> None:
    c = Concept("Worst case", ("worst case pivot choice", "worst case O(n^2)"), 1)
    whole = Grader().grade(_q(c), "The worst case comes from the pivot choice.").concepts[0]
    part = Grader().grade(_q(c), "The worst case comes from the choice.").concepts[0]
    assert whole.credit == 1.0 and part.credit == pytest.approx(0.75 ** 2)  # 3 of 4, squared
    # "O(n log n)" shares "worst case" and "O" and "n" with "O(n^2)", but not its number.
    assert Grader().grade(_q(Concept("Worst case", ("worst case O(n^2)",), 1)),
                          "The worst case is O(n log n).").concepts[0].credit == 0


@pytest.mark.parametrize("answer", [
    "I wouldn't roll back.", "I would never roll back here", "Do not revert",
    "Rather than rolling back, I'd debug", "without a rollback", "avoid the rollback",
    "A rollback is not needed",
    # Coordinated denials are two denials, not a double negative.
    "Don't touch the schema and don't roll back.", "Never page anyone and never revert.",
    "I would not restart anything or roll back.",
])
def test_negated_statements_do_not_count(answer: str) -> None:
    r = Grader().grade(_q(ROLLBACK), answer)
    assert r.concepts[0].status == "negated", answer
    assert r.score == 0


@pytest.mark.parametrize("answer", [
    "Don't debug first, roll back.", "I would rather roll back", "Never skip the rollback",
    "Not only roll back, also page the owner", "Instead of debugging, roll back",
])
def test_negation_scope_is_the_clause(answer: str) -> None:
    assert Grader().grade(_q(ROLLBACK), answer).concepts[0].status == "matched", answer


def test_red_flag_lowers_score_and_explains() -> None:
    flag = RedFlag(("debug in production", "investigate first"), "Users keep failing.")
    q = _q(ROLLBACK, red=(flag,))
    clean = Grader().grade(q, "Roll back.")
    flagged = Grader().grade(q, "Roll back, but I'd investigate first.")
    assert flagged.score < clean.score
    assert flagged.red_flags[0].why == "Users keep failing."
    assert flagged.red_flags[0].span.text == "investigate first"
    assert not Grader().grade(q, "Roll back; never debug in production.").red_flags


def test_order_matters() -> None:
    outline = Outline((OutlineStep("Mitigate", concept="Roll back"),
                       OutlineStep("Diagnose", ("root cause", "read the logs"))), True)
    diag = Concept("Diagnose", ("root cause", "logs"), 2)
    q = _q(ROLLBACK, diag, outline=outline)
    good = Grader().grade(q, "Roll back first, then find the root cause.")
    bad = Grader().grade(q, "Find the root cause, then roll back.")
    assert good.score == 100 and not good.order_problems
    assert bad.score < good.score
    assert [p.message for p in bad.order_problems] == [
        "'Mitigate' should come before 'Diagnose'"]


@pytest.mark.parametrize(("score", "level", "expected"), [
    (10, "senior", "misses the fundamentals"), (55, "senior", "partial"),
    (72, "senior", "solid"), (90, "senior", "senior signal"), (87, "staff", "senior signal"),
    (95, "staff", "staff signal"), (90, "mid", "strong"), (55, "junior", "solid"),
])
def test_verdict_bands(score: int, level: str, expected: str) -> None:
    assert verdict(score, level) == expected


def test_hostile_answers_finish() -> None:
    q = _q(ROLLBACK, CANARY, K8S)
    for answer in ["x" * 1_000_000, "roll\n" * 10_000, "".join(map(chr, range(32))) * 1000,
                   "\x00\x01 roll back \x7f\u202e"]:
        r = Grader().grade(q, answer)
        assert 0 <= r.score <= 100


words = st.sampled_from(["roll", "back", "revert", "canary", "not", "never", "kubernetes",
                         "the", "db", "rollback", ",", ".", "first", "deploy", "avoid"])


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=40).map(" ".join))
def test_deterministic_and_bounded(answer: str) -> None:
    q = _q(ROLLBACK, CANARY, K8S, DB)
    a, b = Grader().grade(q, answer), Grader().grade(q, answer)
    assert a == b
    assert 0 <= a.score <= 100


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=30).map(" ".join), st.text(string.ascii_letters + " ", max_size=60))
def test_adding_a_sentence_never_loses_a_concept(answer: str, extra: str) -> None:
    """More text can change how a concept counts (a lone phrase is a terse answer; beside
    other lines it may read as a list item), but never unsays it."""
    q = _q(ROLLBACK, CANARY, K8S, DB)
    before = Grader().grade(q, answer)
    after = Grader().grade(q, answer + ".\n" + extra)
    for b, a in zip(before.concepts, after.concepts, strict=True):
        if b.credit > 0:
            assert a.credit > 0, (b, a)


def test_negation_inside_the_phrase() -> None:
    flag = RedFlag(("least-connections will fix",), "The algorithm is not the cause.")
    q = _q(ROLLBACK, red=(flag,))
    assert not Grader().grade(q, "Least-connections won't fix it.").red_flags
    assert Grader().grade(q, "Least-connections will fix it.").red_flags


def test_a_keyword_repeated_thousands_of_times_is_weighed_at_its_first_occurrences() -> None:
    """Pasted text can repeat a phrase without end: past MAX_MATCHES occurrences the rest
    are not weighed, and the phrase still counts."""
    from trainer.scoring.keywords import compile_keyword
    from trainer.scoring.lexicon import default_lexicon
    from trainer.scoring.matcher import MAX_MATCHES, AnswerIndex

    lexicon = default_lexicon()
    answer = "We roll back the canary deploy now. " * (3 * MAX_MATCHES)
    index = AnswerIndex.build(answer, frozenset(), lexicon)
    for keyword in ("roll back", "canary deploy", "roll back the canary"):
        found = index.find(compile_keyword(keyword, lexicon))
        assert len(found) == MAX_MATCHES
        assert found[0].first < 8  # the first sentence's occurrence is among them
    assert Grader().grade(_q(ROLLBACK), answer).score > 0
