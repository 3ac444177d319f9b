"""The new scorer's rules, table-driven with real phrasings: lexicon, negation and
contrast, named vs explained, misconceptions, roles, self-credit, drafts, lint."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from trainer.bank import Concept, Misconception, Question, load_bank
from trainer.scoring import Grader, Lexicon
from trainer.scoring.lint import is_everyday, warnings
from trainer.scoring.matcher import AnswerIndex
from trainer.scoring.text import tokenize


def _q(*concepts: Concept, wrong: tuple[Misconception, ...] = (), level: str = "mid") -> Question:
    return Question(id="q", prompt="How do you ship this safely?", model_answer="x",
                    rubric=concepts, misconceptions=wrong, level=level)  # type: ignore[arg-type]


def status(concept: Concept, answer: str) -> str:
    return Grader().grade(_q(concept), answer).concepts[0].status


ROLLBACK = Concept("Roll back", ("roll back",), 3)
ENDPOINTS = Concept("Removed from the endpoints", ("taken out of the endpoints",
                                                    "removed from the endpoints"), 3)
PARALLEL = Concept("Run both versions side by side", ("run v1 and v2 side by side",), 3)
FLAGS = Concept("Feature flags", ("feature flags",), 2)
AUTO = Concept("Automated rollback", ("automated rollback",), 2)
VALIDATE = Concept("Validated check constraint", ("check constraint", "valid constraint"), 2)


@pytest.mark.parametrize(("concept", "answer"), [
    (ROLLBACK, "I'd revert the deployment right away"),
    (ROLLBACK, "undo the rollout with kubectl"),
    (ROLLBACK, "we rolled it back"),
    (FLAGS, "put it behind LaunchDarkly toggles and turn them on per cohort"),
    (AUTO, "the rollback is automatic when the error rate crosses the threshold"),
    (PARALLEL, "we run v1 and v2 alongside each other for a week"),
    (PARALLEL, "v1 and v2 run in parallel while traffic shifts"),
])
def test_lexicon_synonyms_meet(concept: Concept, answer: str) -> None:
    assert status(concept, answer) == "matched", answer


def test_british_and_american_spellings_meet() -> None:
    c = Concept("Anonymised data", ("anonymized production data",), 2)
    assert status(c, "we test against anonymised production data") == "matched"
    c = Concept("Behaviour", ("client behavior",), 1)
    assert status(c, "the client behaviour changed after the deploy") == "matched"


@pytest.mark.parametrize(("concept", "answer", "expected"), [
    # Contrast credits what follows.
    (ENDPOINTS, "The pod isn't killed \u2014 just taken out of the endpoints.", "matched"),
    (ENDPOINTS, "It is not restarted but removed from the endpoints until it recovers.",
     "matched"),
    (ROLLBACK, "Not the database: I would roll back the app first.", "matched"),
    (ROLLBACK, "Don't debug first, roll back.", "matched"),
    (ROLLBACK, "Never skip the rollback when errors climb.", "matched"),
    (ROLLBACK, "We never had to debug because we rolled back at once.", "matched"),
    # Rejecting a technique negates it.
    (PARALLEL, "I'm not a fan of running v1 and v2 side by side here.", "negated"),
    (ROLLBACK, "Rolling back won't help here, the data is already migrated.", "negated"),
    (ROLLBACK, "A rollback is pointless at this stage.", "negated"),
    (ROLLBACK, "Rolling back fixes nothing, the data is already migrated.", "negated"),
    (ROLLBACK, "Nothing stops us: we roll back now.", "matched"),
    (ROLLBACK, "Rolling back right now is the wrong move, the data has moved on.", "negated"),
    (ROLLBACK, "Rolling back blind is risky.", "negated"),
    (ROLLBACK, "Rolling back on every alert is a smell.", "negated"),
    (ROLLBACK, "I wouldn't just roll back everything at once.", "negated"),
    (ROLLBACK, "A setup where we roll back every service together is the trap.", "negated"),
    (ROLLBACK, "We shipped the wrong version, so we roll back.", "matched"),
    (ROLLBACK, "I'd argue against rolling back right now.", "negated"),
    # Double negatives, bounds and suggestions are no denial.
    (ROLLBACK, "Don't forget to roll back first.", "matched"),
    (ROLLBACK, "Never hesitate to roll back.", "matched"),
    (ROLLBACK, "Why not roll back first?", "matched"),
    (ROLLBACK, "Take no more than five minutes to roll back.", "matched"),
    # SQL keywords deny nothing; in prose "not valid" still does.
    (VALIDATE, "Add a CHECK (col IS NOT NULL) NOT VALID constraint, then validate it.",
     "matched"),
    (VALIDATE, "Set it NOT NULL once the validated check constraint exists.", "matched"),
    (VALIDATE, "What we added is not a valid constraint.", "negated"),
    (Concept("Secure cookies", ("secure cookies",), 2),
     "Set SameSite=None on secure cookies for the API.", "matched"),
    (ROLLBACK, "Never promote anything before you roll back the bad canary.", "matched"),
    (ROLLBACK, "It's pointless to roll back now.", "negated"),
    (ROLLBACK, "Avoid:\n- rolling back the database blindly", "negated"),
    (ROLLBACK, "It would be a mistake to roll back now.", "negated"),
    # "X doesn't need Y" denies Y, not X; "X isn't needed" denies X.
    (ROLLBACK, "A rollback doesn't need a new build.", "matched"),
    (ROLLBACK, "A rollback isn't needed here.", "negated"),
    (ROLLBACK, "We decided against a rollback.", "negated"),
    (ROLLBACK, "Roll back: it protects against a bad release.", "matched"),
    # A negation ends where "and" opens a clause of its own, not at a coordinated object.
    (ROLLBACK, "The new pods never get traffic and the operator rolls back.", "matched"),
    (ROLLBACK, "We never debug in prod and we roll back at once.", "matched"),
    (ROLLBACK, "Readiness never restarts pods and Argo rolls back the release.", "matched"),
    (ROLLBACK, "Don't wait for the root cause and roll back now.", "matched"),
    (ROLLBACK, "Don't restart or roll back the pods yet.", "negated"),
    (ROLLBACK, "Roll back: the release is the wrong build.", "matched"),
    (ROLLBACK, "I wouldn't roll back.", "negated"),
    (ROLLBACK, "Rather than rolling back, I'd debug in production.", "negated"),
    (FLAGS, "Feature flags are overkill for a change this small.", "negated"),
    # A technique judged after the fact: it doesn't scale, isn't safe, gets nowhere.
    (FLAGS, "Feature flags per customer don't scale.", "negated"),
    (FLAGS, "Feature flags alone aren't safe here.", "negated"),
    (FLAGS, "Adding feature flags won't get you anywhere.", "negated"),
    # What a thing does not replace is still wanted; not replacing it is still denied.
    (FLAGS, "A canary doesn't replace feature flags for risky changes.", "matched"),
    (FLAGS, "A canary is no substitute for feature flags.", "matched"),
    (Concept("Replace the pods", ("replace the pods",), 2), "We don't replace the pods.",
     "negated"),
    # What others skip heads no list of don'ts.
    (ROLLBACK, "The step most teams skip: roll back the flag change first.", "matched"),
    (ROLLBACK, "What I would skip: roll back the flag change first.", "negated"),
    # A sentence opened by "without" denies the phrase after it, not the sentence.
    (ROLLBACK, "Without telemetry every team rolls back blind.", "matched"),
    (ROLLBACK, "Without rolling back the errors continue.", "negated"),
    # "Not ... until" is "only after": the thing does happen.
    (ENDPOINTS, "Until it passes, the pod isn't removed from the endpoints.", "matched"),
    (ROLLBACK, "We don't roll back until the canary analysis has failed twice.", "matched"),
    (ROLLBACK, "We don't roll back; we wait until the fix is out.", "negated"),
    # Rejections by idiom: shunned, off the table, a hack, the wrong tool.
    (FLAGS, "I'd steer clear of feature flags for this.", "negated"),
    (FLAGS, "Stay away from feature flags here.", "negated"),
    (FLAGS, "Stay clear of long-lived branches and use feature flags.", "matched"),
    (ROLLBACK, "A roll back is off the table since the schema moved on.", "negated"),
    (ROLLBACK, "Rollback is not on the table.", "negated"),
    (ROLLBACK, "Put the roll back on the table first.", "matched"),
    (FLAGS, "Feature flags are a hack here; they only buy time.", "negated"),
    (FLAGS, "Feature flags are the wrong tool here.", "negated"),
    (FLAGS, "Feature flags are the right tool here.", "matched"),
    (ROLLBACK, "I would roll back; waiting is a hack.", "matched"),
    # An appeal granted only to be taken back with "but".
    (FLAGS, "Feature flags sound safer, but they pile up as debt.", "negated"),
    (ROLLBACK, "Rolling back sounds like the safe option, but the schema moved on.", "negated"),
    (FLAGS, "Feature flags sound slow, but they are worth it.", "matched"),
    (ROLLBACK, "Roll back sounds right, and it is.", "matched"),
])
def test_negation_and_contrast(concept: Concept, answer: str, expected: str) -> None:
    assert status(concept, answer) == expected, answer


def test_instead_of_reaches_only_the_phrase_it_names() -> None:
    r = Grader().grade(_q(ROLLBACK, FLAGS), "Instead of feature flags we roll back the deploy "
                       "and watch the error rate")
    got = {c.concept: c.status for c in r.concepts}
    assert got == {"Roll back": "matched", "Feature flags": "negated"}


def test_not_equal_sign_denies() -> None:
    wrong = Misconception(("base64 is encryption",), "w", "c")
    for answer, fires in [("Never plaintext in Git (base64 Secret != encrypted).", False),
                          ("base64 \u2260 encryption", False),
                          ("A base64 Secret is encrypted.", True)]:
        assert bool(Grader().grade(_q(ROLLBACK, wrong=(wrong,)), answer).misconceptions) is (
            fires), answer


def test_a_keyword_that_judges_what_it_names_is_heard() -> None:
    # The judgement is the claim: "X is the mistake", "X is risky" as misconception
    # phrasings, "rollback is impossible" as a concept.
    wrong = Misconception(("splitting it over several releases is the mistake",), "w", "c")
    answer = "Splitting it over several releases is the mistake; do it in one go."
    assert Grader().grade(_q(ROLLBACK, wrong=(wrong,)), answer).misconceptions
    assert status(Concept("No way back", ("rollback is impossible",), 2),
                  "Once the column is dropped, rollback is impossible.") == "matched"


def test_negated_header_covers_its_bullets() -> None:
    answer = "What I would not do:\n- roll back the schema\n- drop the column\n\nThen deploy."
    assert status(ROLLBACK, answer) == "negated"


DROP = Misconception(("drop the column in the same deploy", "drop the old column right away"),
                     "Old pods still read it.", "Drop it only after no running code reads it.")


@pytest.mark.parametrize(("answer", "fires"), [
    ("We drop the old column right away in the same release.", True),
    ("I would not drop the old column right away.", False),
    ("What I would not do: drop the column in the same deploy.", False),
    ("Keep the column. Drop it only later. In the same deploy we add the new column.", False),
    # The candidate's own claim, however it is framed around it...
    ("Honestly, we drop the old column right away; it keeps things tidy.", True),
    ('My rule is simple: "ship fast". We drop the old column right away.', True),
    # ...but a claim quoted, labelled a mistake or left as an open question is not theirs.
    ('If we "drop the old column right away" the old pods crash on their next read.', False),
    # Quoted from its first word, though the quote closes before the claim ends.
    ('A "drop the old column" right away habit is how one outage becomes two.', False),
    ("The classic mistake is to drop the old column right away.", False),
    ("The typical error: drop the old column right away.", False),
    # A framing covers what it frames, not the speaker's reason or rejoinder.
    ("Some teams think old pods are fine, but honestly we drop the old column right away.",
     True),
    ("Waiting is the last resort, so we drop the old column right away.", True),
    # A judgement after the claim sets it aside, in its clause or the next.
    ("Dropping the old column right away is simply wrong.", False),
    ("To drop the old column right away is impossible while old pods run.", False),
    ("Teams drop the old column right away, which is a mistake.", False),
    # A label in a condition before the claim is the condition's.
    ("If it was added by mistake, we drop the old column right away.", True),
    ("If that was a mistake, drop the old column right away.", True),
    # Supposed to show what follows: an example set up, a consequence told first.
    ("Say we drop the old column right away. Old pods then crash.", False),
    ("Old pods crash if we drop the old column right away.", False),
    ("Once we drop the old column right away, old pods crash.", False),
    ("We drop the old column right away if the backfill is done.", True),
    ("Requests are cut off, if we drop the old column right away.", False),
    ("Honestly, if it's slow we drop the old column right away.", True),
    ("Once the backfill is done, we drop the old column right away.", True),
    ("I'd say we drop the old column right away.", True),
    ("The obvious move is to drop the old column right away, but I wouldn't.", False),
    # Told as something watched happen, not advised.
    ("On that call everyone watched us drop the old column right away.", False),
    # Granted only to be answered with "but".
    ("I know, we love to drop the old column right away, but old pods read it.", False),
    ("We drop the old column right away, but only after the backfill.", True),
    ("You could drop the old column right away, but that is a mistake.", False),
    ("We drop the old column right away, but we don't wait for the backfill.", True),
    ("We drop the old column right away, which is the safe version.", True),
    # A label covers what it labels, not the reason given for it.
    ("Waiting is the wrong call because we drop the old column right away.", True),
    ("An error rate spike means we drop the old column right away.", True),
    ("The temptation is to drop the column in the same deploy; resist it.", False),
    ("Teams argue about whether to drop the old column right away.", False),
    ("Many people assume you can drop the old column right away.", False),
    ("Some people say you can drop the old column right away.", False),
    ("People will say 'drop the old column right away', but old pods still read it.", False),
    ("You can't just drop the old column right away; old pods still read it.", False),
    ("It is not just the index: we drop the old column right away.", True),
    ("Teams often assume they can drop the old column right away.", False),
    ("My colleague thinks we drop the old column right away.", False),
    ("Some would drop the old column right away; I would not.", False),
    ("The first instinct is to drop the old column right away.", False),
    ("My instinct is to drop the old column right away.", True),
    ("Someone might say we drop the old column right away, but old pods read it.", False),
    ("A common belief is that you drop the old column right away.", False),
    ("I've seen teams drop the old column right away, and old pods crashed.", False),
    ("Some people try to drop the old column right away; old pods still read it.", False),
    ("People sometimes describe it as: drop the old column right away.", False),
    ("Some of us drop the old column right away.", True),
    ("People and teams: we drop the old column right away.", True),
    ("I'd say we drop the old column right away.", True),
    # "No:" answers a yes/no question; it heads no list of don'ts.
    ("No: we drop the old column right away.", True),
    ("I think we drop the old column right away.", True),
    ("If we drop the old column right away, old pods crash on their next read.", False),
    ("If it is unused we drop the old column right away.", True),
    ("If it is unused, we drop the old column right away.", True),
    # A condition that ends without a comma, where the main clause's subject begins.
    ("If the backfill finishes we drop the old column right away, and then reindex.", True),
    ("If we just drop the old column right away old pods crash, so we wait.", False),
    # Ranked as a last resort, an option is no recommendation...
    ("As a last resort we drop the old column right away.", False),
    # A bullet under a heading that labels the list.
    ("Common mistakes:\n- drop the old column right away\n- skip the backfill", False),
    ("Pitfalls:\n- drop the old column right away", False),
    ("Avoid:\n- drop the old column right away", False),
    ("Steps:\n- drop the old column right away", True),
    # Asked and answered no.
    ("Drop the old column right away? No, old pods still read it.", False),
    ("Drop the old column right away? Yes, it is unused.", True),
    ("Drop the old column right away? Probably not while old pods run.", False),
    ("So do we drop the old column right away?", False),
    ("Why do we drop the old column right away? Nothing reads it.", True),
    ("Drop the old column right away. Last resort, since the old pods crash.", False),
    ("Drop the old column right away. It is the last thing we do, at the end.", True),
    # ...and an ellipsis is a pause inside the sentence, not its end.
    ("The temptation is ... drop the old column right away.", False),
])
def test_misconceptions_match_within_a_sentence_and_respect_negation(answer: str,
                                                                     fires: bool) -> None:
    r = Grader().grade(_q(ROLLBACK, wrong=(DROP,)), answer)
    assert bool(r.misconceptions) == fires, answer
    if fires:
        m = r.misconceptions[0]
        assert m.why == "Old pods still read it." and m.correction.startswith("Drop it only")
        assert answer[m.span.start:m.span.end] == m.span.text


ONE_PIPELINE = Misconception(("one pipeline for all services",),
                             "One pipeline couples every release.",
                             "Give each service a pipeline of its own.")


@pytest.mark.parametrize(("answer", "fires"), [
    ("We use one pipeline for all services.", True),
    ("All services in one pipeline.", True),  # another order, said tightly in one clause
    # Out of order and split by a comma: the words meet, the claim does not.
    ("One pipeline per service, all generated from a shared template.", False),
    # In order, but a contrast sets the first part against the rest.
    ("Unlike per-team pipelines, we use one pipeline for all services.", True),
    ("Unlike one pipeline, separate ones for all services.", False),
    # In order across a comma, the words must still stand close together.
    ("One pipeline, for all services.", True),
    ("One pipeline per repo, and for all services a release train.", False),
])
def test_a_claim_out_of_order_must_lie_in_one_clause(answer: str, fires: bool) -> None:
    r = Grader().grade(_q(ROLLBACK, wrong=(ONE_PIPELINE,)), answer)
    assert bool(r.misconceptions) == fires, answer


def test_a_claims_words_are_taken_from_its_own_clause_first() -> None:
    delete = Misconception(("delete it in a new commit",), "History keeps the secret.",
                           "Rotate the secret, then rewrite history.")
    q = _q(ROLLBACK, wrong=(delete,))
    # "commits" stands nearer to "delete" than "commit" does, but in another clause.
    assert Grader().grade(q, "If a dev commits a secret, just delete it in a new "
                             "commit.").misconceptions


def test_a_claim_running_into_a_clause_of_its_own_is_not_heard() -> None:
    catch = Misconception(("catch sigkill",), "SIGKILL cannot be caught.",
                          "Handle SIGTERM; SIGKILL ends the process at once.")
    q = _q(ROLLBACK, wrong=(catch,))
    assert not Grader().grade(q, "SIGTERM can be caught, SIGKILL can't.").misconceptions
    assert Grader().grade(q, "The app can catch SIGKILL and flush its buffers.").misconceptions
    assert Grader().grade(q, "We catch, SIGKILL and SIGTERM alike.").misconceptions
    restart = Misconception(("readiness probe restarts the container",),
                            "Readiness only takes the pod out of the endpoints.",
                            "Liveness restarts; readiness stops traffic.")
    q = _q(ROLLBACK, wrong=(restart,))
    # A clause that leads into the next one makes one statement with it.
    assert Grader().grade(q, "If the readiness probe fails, Kubernetes restarts the "
                             "container.").misconceptions


def test_a_keyword_that_states_a_negation_holds_inside_one_clause() -> None:
    no_rollback = Misconception(("would not roll back",), "Mitigate first.",
                                "Roll back, then debug.")
    q = _q(ROLLBACK, wrong=(no_rollback,))
    assert Grader().grade(q, "I would not roll back yet, I'd debug first.").misconceptions
    assert not Grader().grade(q, "Don't wait for a root cause, roll back now.").misconceptions


def test_a_concept_inside_a_misconception_earns_nothing() -> None:
    auto = Misconception(("kubernetes rolls back automatically",),
                         "A Deployment never rolls back by itself.",
                         "Roll back with kubectl rollout undo or a controller such as Argo.")
    q = _q(Concept("Roll back", ("roll back", "rolls back"), 3), wrong=(auto,))
    r = Grader().grade(q, "Kubernetes rolls back automatically when the pods fail.")
    assert r.misconceptions and r.concepts[0].credit == 0
    assert r.score == 0


def test_a_keyword_list_is_capped_and_told() -> None:
    concepts = (ROLLBACK, FLAGS, AUTO, Concept("Canary", ("canary",), 2),
                Concept("Monitor", ("error rate",), 2))
    listed = Grader().grade(_q(*concepts),
                            "roll back, feature flags, automated rollback, canary, error rate")
    assert listed.score <= 40
    assert any("did not say what they do" in n for n in listed.notices)
    assert {c.evidence for c in listed.concepts if c.credit} == {"named"}
    prose = Grader().grade(_q(*concepts), (
        "Ship it as a canary and watch the error rate against the baseline. Keep the new "
        "path behind feature flags so it can be switched off, and if errors climb the "
        "automated rollback kicks in; otherwise I roll back by hand."))
    assert prose.score >= 85 and not prose.notices


def test_participles_in_terms_make_no_sentence_of_a_list() -> None:
    from trainer.scoring.evidence import judge
    from trainer.scoring.matcher import AnswerIndex

    listed = AnswerIndex.build("EXPLAIN ANALYZE, query plan regression, seq scan, "
                               "prod-sized dataset, masked prod snapshot, planner statistics")
    assert judge(listed.tokens, listed.columns).is_list
    stated = AnswerIndex.build("Traffic shifted to green, the pods restarted in a loop, "
                               "errors climbed, latency doubled at the edge.")
    assert not judge(stated.tokens, stated.columns).is_list


@pytest.mark.parametrize("sentence", [
    # Verbs the lexicon maps to a class ("monitor" and "watch" are "~monitor") are verbs.
    "Monitor the error rate during the rollout.",
    "Roll back the deploy and page the team.",
    "Compare the canary with the baseline.",
    "Watch error rate and latency of the new version against the old one.",
    "Chose L7 for the header routing.",
    # Two words are an imperative when the second is its object: a pronoun.
    "Separate them.",
    "Drain it.",
])
def test_an_imperative_is_a_predicate(sentence: str) -> None:
    from trainer.scoring.evidence import _predicate
    from trainer.scoring.text import tokenize

    assert _predicate(tokenize(sentence)) >= 1, sentence


@pytest.mark.parametrize("sentence", [
    "Quantity changes proportionally less than price.",
    "p99 latency exceeds the budget.",
    "Heap usage accumulates over hours.",
])
def test_a_subject_with_a_finite_verb_states(sentence: str) -> None:
    from trainer.scoring.evidence import _predicate
    from trainer.scoring.text import tokenize

    assert _predicate(tokenize(sentence)) == 2, sentence


def test_a_verb_noun_term_is_no_imperative() -> None:
    from trainer.scoring.evidence import _predicate
    from trainer.scoring.text import tokenize

    assert _predicate(tokenize("reconnect storm")) == 0


def test_a_short_direct_answer_is_not_a_list() -> None:
    c = Concept("One to five percent", ("1-5%",), 1)
    assert Grader().grade(_q(c), "Five percent").score == 100


def test_length_alone_earns_nothing() -> None:
    filler = "We think about it carefully and talk with the team about many things. " * 40
    assert Grader().grade(_q(ROLLBACK, FLAGS), filler).score == 0


def test_core_and_depth_saturate() -> None:
    core = [Concept(f"core {i}", (f"corething{i}",), 3, role="core") for i in range(4)]
    depth = [Concept(f"depth {i}", (f"depththing{i}",), 1, role="depth") for i in range(4)]
    q = _q(*core, *depth)
    answer = "We use " + " and ".join(f"corething{i}" for i in range(4)) + \
        " here, with depththing0 and depththing1 because it matters."
    assert Grader().grade(q, answer).score == 100  # half the depth is enough
    only_core = "We use " + " and ".join(f"corething{i}" for i in range(4)) + " here."
    assert 70 <= Grader().grade(q, only_core).score < 85


def test_self_credit_counts_and_is_shown() -> None:
    q = _q(ROLLBACK, FLAGS)
    before = Grader().grade(q, "I would roll back the release quickly.")
    after = Grader().grade(q, "I would roll back the release quickly.",
                           self_credit={"Feature flags"})
    assert after.score > before.score
    assert {c.concept: c.status for c in after.concepts}["Feature flags"] == "self"


def test_user_bank_lexicon_extends_the_builtin_one(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent("""\
        lexicon:
          - terms: [roll back, yank the release]
          - terms: [photosynthesis, carbon fixation]
        questions:
          - id: mine
            prompt: What do you do when a release is bad?
            model_answer: Roll it back.
            rubric:
              - concept: Roll back
                keywords: [roll back]
        """), encoding="utf-8")
    bank = load_bank([path], builtin=False)
    grader = Grader(bank)
    item = bank.get("mine").item
    assert grader.grade(item, "Yank the release at once.", "mine").score == 100
    assert grader.grade(item, "Revert it.", "mine").score == 100  # built-in member kept
    assert any("carbon fixation" in c for c in grader.lexicon.classes)


def test_lexicon_merges_classes_that_share_a_member() -> None:
    lex = Lexicon([("blue sky", "azure heaven"), ("green grass", "azure heaven"),
                   ("red fox", "crimson vulpine")])
    assert len(lex) == 2
    assert {t.norm for t in tokenize("blue sky and green grass", lex)
            if t.norm.startswith("~")} == {"~blue_sky"}


def test_drafted_rubric_is_noun_phrases_with_a_quality() -> None:
    q = Question(id="d", prompt="What is a canary release?", model_answer=(
        "A canary release sends a small percentage of production traffic (1-5%) to the new "
        "version while the rest stays on the old one. You compare error rates and latency "
        "against a baseline and abort (shift traffic back) if the canary is worse. Then you "
        "widen in steps: 25%, 50%, 100%."))
    grader = Grader()
    r = grader.grade(q, "Route a small slice of production traffic to the new version, "
                        "compare its error rates and latency against the baseline, and "
                        "shift traffic back if it looks worse.")
    concepts = [c.concept for c in r.concepts]
    assert r.drafted and 0 < r.rubric_quality <= 1
    assert not any(c.endswith(("sends", "stays")) or c.strip("%0123456789 ,") == ""
                   for c in concepts), concepts
    assert not any(h for h in (c.hint for c in r.concepts) if "sends a small" in h)
    assert r.score >= 50


def test_a_drafted_phrase_stops_at_a_clause_word() -> None:
    from trainer.scoring.draft import draft_rubric

    drafted = draft_rubric("Because resources are scarce, choosing one option means "
                           "forgoing its benefits. Consequences include queues and "
                           "rationing, and the quantity demanded rises.",
                           "What is opportunity cost?", {})
    concepts = [c.concept.lower() for c in drafted.concepts]
    assert "because resources" not in concepts and "resources" in concepts
    assert not any(c.endswith(("include queues", "rises")) for c in concepts), concepts
    # The prompt's own words again are no idea to credit.
    assert "opportunity cost" not in [c.concept.lower() for c in draft_rubric(
        "Opportunity cost is the value of the next best alternative given up.",
        "What is opportunity cost?", {}).concepts]


def test_a_drafted_phrase_is_no_fragment() -> None:
    """A preposition ends a phrase, and a word left alone that names no idea (a verb in
    the third person, a general verb's participle, a quantifier) is no concept."""
    from trainer.scoring.draft import draft_rubric

    drafted = draft_rubric(
        "A base case is a condition under which the function returns a result without "
        "calling itself. Without it the calls go on, causing a stack overflow. The "
        "interpreter then translates each statement, and the heap grows.",
        "Why does a recursive function need a base case?", {})
    concepts = [c.concept.lower() for c in drafted.concepts]
    assert "condition" in concepts and "condition under" not in concepts, concepts
    assert "stack overflow" in concepts
    assert not {"causing", "translates", "grows", "each"} & set(concepts), concepts


def test_a_drafted_phrase_is_not_met_by_the_prompts_words_alone() -> None:
    """A drafted phrase that holds a word of the question ("the furnace ignites") is not
    said by an answer that repeats that word; the phrase's own word says most of it."""
    q = Question(id="t", prompt="How does a thermostat keep a room warm with a furnace?",
                 model_answer="When the air cools below the set point, the thermostat "
                 "closes a relay circuit and the furnace ignites; once the air warms past "
                 "the set point plus a small dead band, the relay opens and the burner "
                 "shuts off.")
    grader = Grader()
    concepts = [c.concept for c in grader.draft_for(q).concepts]
    assert "furnace ignites" in concepts and "thermostat closes" in concepts, concepts
    echo = grader.grade(q, "The thermostat talks to the furnace and the furnace keeps "
                           "the room warm.")
    assert not echo.matched, [(c.concept, c.spans[0].text) for c in echo.matched]
    said = grader.grade(q, "Below the set point a relay closes and the burner ignites.")
    credit = {c.concept: c.credit for c in said.matched}
    assert credit["furnace ignites"] > 0.5 and credit["thermostat closes"] > 0.5, credit


def test_drafted_score_counts_the_model_answers_words_not_only_its_phrases() -> None:
    """A paraphrase that reuses the model answer's distinctive words in its own order earns
    credit from coverage even where no drafted phrase survives whole; negated words and an
    echo of the prompt do not."""
    q = Question(id="h", prompt="What is a hash collision and how is one resolved?",
                 model_answer="A collision occurs when two distinct keys hash to the same "
                 "bucket index. It can be resolved by separate chaining (a list of entries "
                 "per bucket) or by open addressing (probing for another free slot).")
    grader = Grader()
    draft = grader.draft_for(q)
    paraphrase = ("Distinct keys can land in one bucket; each bucket then keeps its entries "
                  "in a chain, or you go probing for a free slot elsewhere.")
    echo = "A hash collision is resolved somehow."
    negated = ("Keys never land in one bucket; there is no chain, no probing, no slot.")
    def coverage(answer: str) -> float:
        return draft.vocabulary.coverage(AnswerIndex.build(answer))

    assert coverage(paraphrase) > 0.6
    assert coverage(echo) < 0.15
    assert coverage(negated) < coverage(paraphrase) / 2
    scores = [grader.grade(q, a).score for a in (paraphrase, negated, echo)]
    assert scores[0] >= 60 and scores[0] > scores[1] and scores[0] > scores[2] + 40, scores


@pytest.mark.parametrize(("word", "everyday"), [
    ("historical", True), ("crash", True), ("promote", True), ("canary", False),
    ("EndpointSlice", False), ("SIGTERM", False), ("TTL", False), ("roll back", False),
    # Function words are not matched: these come down to "hour" and "stayed".
    ("about an hour", True), ("stayed where they were", True), ("an hour of soak", False),
    ("decK", False), ("A/A test", False),
])
def test_everyday_one_word_keywords(word: str, everyday: bool) -> None:
    assert is_everyday(word) == everyday


def test_bank_check_warns_on_everyday_aliases_and_source_mentions(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(textwrap.dedent("""\
        questions:
          - id: w
            prompt: As the seed's example says, what do you compare against?
            model_answer: A baseline.
            rubric:
              - concept: Baseline
                keywords: [historical, baseline comparison]
            misconceptions:
              - keywords: [history]
                why: Last week's traffic differs.
              - keywords: [it is the network]
                why: The resolver is.
              - keywords: [events show who changed it, the audit log names the user]
                why: Events do not record users.
        """), encoding="utf-8")
    found = warnings(load_bank([path], builtin=False))
    assert any("'historical'" in w and "everyday" in w for w in found)
    assert any("misconception keyword 'history' is one word" in w for w in found)
    assert any("misconception keyword 'it is the network' is one word" in w for w in found)
    assert any("'events show who changed it' leans on 'who'" in w for w in found)
    assert not any("audit log" in w for w in found)
    assert any("mentions the sources" in w for w in found)
    assert all(w.startswith(f"{path}:") or ":" in w.split(" ")[0] for w in found)


def test_a_keyword_stating_a_negation_needs_its_negation() -> None:
    """Part of "postgres has no gh-ost" without the "no" says the opposite: no credit."""
    q = _q(Concept("gh-ost is MySQL-only", ("postgres has no gh-ost",), 3))
    grade = Grader().grade
    assert grade(q, "gh-ost is GitHub's tool for Postgres migrations.").score == 0
    assert grade(q, "There is no gh-ost for Postgres; pg-osc does that job.").score == 100


@pytest.mark.parametrize(("answer", "fires"), [
    ("Turn them off one by one and watch the errors.", True),
    ("First turn off one of the two flags, then check the errors.", False),
])
def test_a_word_the_keyword_says_twice_must_occur_twice(answer: str, fires: bool) -> None:
    serial = Misconception(("turn them off one by one",), "Slow.", "Turn both off at once.")
    assert bool(Grader().grade(_q(ROLLBACK, wrong=(serial,)), answer).misconceptions) == fires


@pytest.mark.parametrize("answer", ["An L4 balancer cannot route by URL path.",
                                    "An L4 balancer can't route by URL path.",
                                    "An L4 balancer can not route by URL path."])
def test_cannot_negates_as_cant_does(answer: str) -> None:
    q = _q(Concept("Path routing", ("route by url path",), 3))
    assert Grader().grade(q, answer).concepts[0].status == "negated"


def test_a_swapped_comparison_earns_nothing() -> None:
    q = Question(id="bonds", prompt="How does an ionic bond differ from a covalent bond?",
                 model_answer="Ionic bonds transfer electrons; covalent bonds share them.",
                 rubric=(Concept("Ionic: electron transfer", ("electrons are transferred",
                                                             "transfer of electrons")),
                         Concept("Covalent: shared electrons", ("share electrons",
                                                                "shared electron pair"))))
    right = Grader().grade(q, "Ionic bonds form when electrons are transferred, and "
                              "covalent bonds form when atoms share electrons.")
    swapped = Grader().grade(q, "Ionic bonds are when atoms share electrons and covalent "
                                "bonds are when electrons are transferred.")
    assert right.score == 100
    assert swapped.score == 0
    # A sentence that names no subject is left alone.
    assert Grader().grade(q, "In one the electrons are transferred.").concepts[0].credit == 1
    # What the sentence compares against is not its subject.
    compared = Grader().grade(q, "An ionic bond is stronger than a covalent bond because "
                                 "electrons are transferred.")
    assert compared.concepts[0].credit == 1


CONTRAST = Question(id="sq", prompt="How does a stack differ from a queue?",
                    model_answer="A stack is LIFO: the most recently pushed element is popped "
                    "first. A queue is FIFO: the earliest enqueued element is dequeued first.")


def test_drafted_phrases_are_bound_to_what_the_model_answer_says_them_of() -> None:
    from trainer.scoring.binding import phrase_subjects
    from trainer.scoring.lexicon import default_lexicon

    def owners(prompt: str, model: str) -> dict[str, str]:
        draft = Grader().draft_for(Question(id="b", prompt=prompt, model_answer=model))
        return {c.concept: next(iter(b.own)) for c, b in zip(draft.concepts, draft.subjects,
                                                               strict=True) if b}

    got = owners(CONTRAST.prompt, CONTRAST.model_answer)
    assert got["LIFO"] == "stack" and got["FIFO"] == "queue", got
    # A preposition's object is not what a sentence is about.
    got = owners("What is the difference between a process and a thread?",
                 "A process is a running program with a private address space. Threads "
                 "are units of execution within a process that share its open files.")
    assert got.get("open files") == "thread", got
    # A shared noun ("the species ... the species") is no subject; a phrase under a
    # negation says what its subject lacks and binds to none.
    got = owners("What happens to the species that is oxidized and to the species that is "
                 "reduced?", "The oxidized species loses electrons, while the reduced "
                 "species gains electrons.")
    assert got == {"loses electrons": "oxid", "gains electrons": "reduc"}, got
    got = owners("How does TCP differ from UDP?", "TCP is reliable. UDP sends datagrams "
                 "with no delivery or ordering guarantees.")
    assert got.get("datagrams") == "udp" and "ordering guarantees" not in got, got
    # The first thing a sentence names may be a preposition's object ("by value"); a
    # word of another form than the prompt's is not the thing compared ("elasticity").
    got = owners("What is the difference between passing an argument by value and passing "
                 "it by reference?", "Passing by value gives the function a copy. Passing "
                 "by reference gives it the caller's original variable.")
    assert got.get("copy") == "valu" and got.get("caller's original variable") == "refer", got
    got = owners("How does elastic demand differ from inelastic demand?", "Demand is "
                 "inelastic when quantity changes little (elasticity below 1), typical of "
                 "necessities.")
    assert got.get("necessities") == "inelast", got
    # A prompt that contrasts nothing binds nothing, however its words line up.
    assert not owners("What are the magnitude and direction of the acceleration in uniform "
                      "circular motion?", "Its magnitude is v^2/r and its direction is "
                      "toward the centre of the circle.")
    assert not owners("What is the running time of quicksort, and when does it occur?",
                      "Quadratic time occurs when pivots are unbalanced.")
    index = AnswerIndex.build("Nothing here.")
    assert phrase_subjects(index, [(0,)], "Stack or queue?", default_lexicon()) == (None,)


def test_a_drafted_answer_that_trades_the_two_sides_is_a_wrong_answer() -> None:
    grader = Grader()
    right = grader.grade(CONTRAST, "A stack is LIFO, so the newest pushed element is popped "
                                   "first; a queue is FIFO and the earliest one is dequeued "
                                   "first.")
    traded = grader.grade(CONTRAST, "A stack is FIFO and a queue is LIFO, so the earliest "
                                    "pushed element is popped first.")
    assert right.drafted and right.score >= 70 and not any("traded" in n
                                                           for n in right.notices)
    # Wrong at its core: no more than a bare list, less the misconception penalty.
    assert traded.score <= 10, traded.score
    assert any("'LIFO' goes with stack, not queue" in n for n in traded.notices), traded.notices
    # One property said of the other side may be one both share: no penalty for that.
    shared = grader.grade(CONTRAST, "A queue is FIFO: the earliest enqueued element is "
                                    "dequeued first, and popped first is how a queue is "
                                    "LIFO too.")
    assert not any("traded" in n for n in shared.notices)


def test_rubrics_of_one_subject_are_not_bound() -> None:
    q = _q(ROLLBACK, FLAGS)
    r = Grader().grade(q, "Feature flags first, then roll back the release if errors stay.")
    assert {c.concept: c.status for c in r.concepts} == {"Roll back": "matched",
                                                         "Feature flags": "matched"}


def test_only_what_the_prompt_compares_binds() -> None:
    from trainer.scoring.binding import subjects_of
    from trainer.scoring.lexicon import default_lexicon

    def heads(prompt: str, *names: str) -> set[str]:
        rubric = tuple(Concept(n, (n.lower(),)) for n in names)
        return {s for b in subjects_of(rubric, prompt, default_lexicon()) if b
                for s in b.own}

    assert heads("Should you use an API gateway or a service mesh?",
                 "Gateway handles edge concerns", "Mesh secures service-to-service calls")
    assert heads("What is the difference between a stack and a queue?",
                 "Stack is LIFO", "Queue is FIFO") == {"stack", "queue"}
    # Names that only start with words of the prompt compare nothing...
    assert not heads("What does the life of a release flag look like, and when do you "
                     "remove it?", "Release flags hide unfinished work",
                     "Remove the flag and its dead code")
    assert not heads("DNS lookups take 5 seconds; how do you fix it?",
                     "5 s is the resolver timeout", "Fix ndots or use trailing dots")
    # ...nor do a compound of the prompt's or instructions.
    assert not heads("Why can a binary search tree be slow to search?",
                     "Search visits every node", "Tree height grows to n")
    assert not heads("Check the logs or restart the pod?", "Check the logs first",
                     "Restart only after that")


def test_a_neighbouring_prompt_word_costs_a_correct_sentence_nothing() -> None:
    q = Question(id="flags", prompt="What does the life of a release flag look like, and "
                 "when do you remove it?", model_answer="It starts off and is removed.",
                 rubric=(Concept("Release flags start off", ("starts off",)),
                         Concept("Remove the flag and its dead code",
                                 ("old code path is deleted", "remove the flag"))))
    r = Grader().grade(q, "Once the release flag is at 100%, the old code path is deleted.")
    assert r.concepts[1].credit == 1


def test_examples_in_brackets_elaborate_a_statement_but_do_not_hide_a_list() -> None:
    from trainer.scoring.evidence import judge

    def listy(text: str) -> bool:
        index = AnswerIndex.build(text)
        return judge(index.tokens, index.columns, text).is_list

    assert not listy("The gateway handles north-south edge traffic (external auth, API "
                     "keys, rate limits), the mesh handles east-west calls between services "
                     "(mTLS, retries, telemetry).")
    # A verb in front of a bracketed run of terms is still a list of terms.
    assert listy("I'd handle it (rollback, canary, drain, feature flags, readiness probe, "
                 "preStop hook).")
    assert listy("Rollback, canary, drain, feature flags, readiness probe.")


def test_a_short_line_with_a_verb_among_lines_of_terms_is_one_more_term() -> None:
    from trainer.scoring.evidence import judge

    def listy(text: str) -> bool:
        index = AnswerIndex.build(text)
        return judge(index.tokens, index.columns, text).is_list

    terms = ("- expand/contract\n- dual writes\n- backfill\n- nullable columns\n"
             "- gh-ost\n- N-1 compatibility\n")
    assert listy(terms + "- migrate before cutover\n- contract after blue retired\n")
    # Lines that explain are not swept in with them.
    assert not listy("- Expand first: add the column as nullable so old pods keep working.\n"
                     "- Backfill in batches while both versions run.\n"
                     "- Contract only after blue is retired and nothing reads the column.\n"
                     "- Dual writes keep both columns in step until then.\n")


def test_a_purpose_after_to_makes_a_clause_a_statement() -> None:
    from trainer.scoring.evidence import _predicate

    def predicate(text: str) -> int:
        return _predicate(AnswerIndex.build(text).tokens)

    for text in ("use feature flags to decouple release from deploy",
                 "pin the schema to protect the old pods",
                 "keep a warm standby to survive a zone loss",
                 "add a shadow period to prove the model"):
        assert predicate(text) == 2, text
    # A place after "to" is no purpose.
    assert predicate("shift traffic to green") < 2
    assert predicate("canary analysis, traffic mirroring") == 0


def test_a_trade_stated_clause_by_clause_with_prepositions_is_heard() -> None:
    """'by reference ..., but by value ...': the second clause's prepositional subject is
    its own, though the sentence named the other one first."""
    q = Question(id="pv", prompt="What is the difference between passing an argument by "
                 "value and passing it by reference?",
                 model_answer="Passing by value gives the function a private copy, so "
                 "changes stay local. Passing by reference gives it the caller's original "
                 "variable, so modifications are visible to the caller.")
    r = Grader().grade(q, "Passing by reference gives the function a private copy, but "
                          "passing by value gives it the caller's original variable.")
    assert any("traded" in n for n in r.notices), (r.score, r.notices)
    assert r.score <= 10


TYPES = Question(id="t12", prompt="What is the difference between a Type I error and a Type "
                 "II error?",
                 model_answer="A Type I error is rejecting the null hypothesis when it is "
                 "true, a false positive, with probability alpha. A Type II error is "
                 "failing to reject a false null hypothesis, a false negative, with "
                 "probability beta.")


def test_numbered_kinds_are_the_sides_of_a_contrast() -> None:
    """"Type I" and "Type II" (or "type 1", "type one") are what the prompt compares; the
    numeral alone, a stopword in "I", is no side."""
    from trainer.scoring.kinds import kind_at, number_of, prompt_kinds

    assert [number_of(w) for w in ("1", "ii", "iv", "x", "12", "123", "one", "type")] == [
        1, 2, 4, 10, 12, None, None, None]
    assert prompt_kinds(tokenize("type 1 vs type 2 diabetes")) == {"type#1", "type#2"}
    assert prompt_kinds(tokenize("what happens in step 3?")) == set()
    assert kind_at(tokenize("type one"), 1) == "type#1"
    grader = Grader()
    right = grader.grade(TYPES, "Type I: rejecting a true null, a false positive, with "
                                "chance alpha. Type 2 is failing to reject a false null, "
                                "a false negative, with chance beta.")
    traded = grader.grade(TYPES, "A type one error is failing to reject a false null, a "
                                 "false negative; a type two error is rejecting a true "
                                 "null, a false positive.")
    assert right.score >= 70 and not any("traded" in n for n in right.notices), right
    assert traded.score <= 10, traded.score
    assert any("'false positive' goes with Type I, not Type II" in n
               for n in traded.notices), traded.notices
