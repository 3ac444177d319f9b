"""Which wrong claims an answer voices: misconceptions matched, and whether each is the
candidate's own or one they name in order to set it aside.

A misconception's words can appear in an answer that rejects it: negation handles "I
would not drop the column"; this module handles the other ways people distance themselves
from a claim without a negation:
- they quote it: `if we "turn CORS off" we end up with fewer allowed origins`;
- they label it as a mistake before saying it: "the classic trap is to restart every pod",
  "the temptation is to restore the backup", "the first instinct is...", "the typical
  error: ..." (a label covers what it labels, not the reason given for it: in "X is the
  wrong call because Y", Y is the speaker's claim);
- they give it to someone else: "people assume a CDN only helps static files", "many
  teams believe the rollout undoes itself", "some would just buy a bigger machine";
- they pose it as an open question: "we still argue about whether migrations should run
  with the deploy";
- they rank it as a last resort ("restore the backup only as a last resort");
- they ask it and answer no: "Add more servers? No, the problem is the distance.";
- they list it under a heading that labels the list ("Common mistakes:", "Pitfalls:");
- they suppose it to show what would follow: "if readiness checked every dependency, one
  slow database would empty the Service" (the claim fills an "if" clause that a
  consequence follows; "if it fails, Kubernetes restarts it" is still a claim, since it
  spans both), or after the consequence ("old pods crash if we drop the column"), or in a
  sentence that sets up an example ("Say we rename a column.").
An answer that voices the claim as its own ("readiness failures restart the pod") is
unaffected: nothing here looks at what the claim says, only at how it is framed.
"""

from __future__ import annotations

from typing import Final

from trainer.bank import Misconception

from .evidence import _FINITE, _is_verb, _predicate, plural_form
from .gradable import Gradable
from .keywords import compile_keyword
from .lexicon import Lexicon
from .matcher import AnswerIndex, Match
from .negation import BULLETS
from .normalise import stem
from .result import MisconceptionResult, Span
from .text import Token

# Words that mark what follows in the sentence as someone's wrong idea, not the speaker's.
_DISTANCING: Final = frozenset(stem(w) for w in """
mistake mistaken mistakenly misconception myth fallacy trap pitfall antipattern
temptation tempting tempted naive naively wrongly misunderstanding misbelief
""".split()) | {"anti-pattern"}
# Marks of a mistake unless the speaker owns them: "the first instinct is to restart
# everything" describes one; "my instinct is to roll back" is a recommendation.
_OWNABLE: Final = frozenset(stem(w) for w in
                     "reflex instinct assumption assumptions belief beliefs".split())
# "The classic failure is...", "a common error:": the words alone are this domain's
# everyday vocabulary (error rates, failure modes), so only the pair marks a mistake.
_USUAL: Final = frozenset("classic typical common usual frequent biggest".split())
_FAILING: Final = frozenset(stem(w) for w in ("failure", "error", "errors", "failures"))
# Quotation marks that open and close a quoted phrase (straight double quotes do both);
# single quotes are left out: they are apostrophes far more often.
# Someone else's belief: a third-person subject before a verb of believing.
_OTHERS: Final = frozenset("""
people teams folks many some others everyone developers engineers juniors candidates
newcomers most managers someone somebody colleague colleagues coworker coworkers teammate
teammates he she they team manager
""".split())
_BELIEVE: Final = frozenset(stem(w) for w in "think thinks assume assumes believe believes "
                     "expect expects claim claims imagine imagines say says describe "
                     "describes suggest suggests argue argues insist insists try tries"
                     .split())
_HEDGES: Final = frozenset("""
will would might may could often usually always typically sometimes generally tend to
""".split())
_WOULD: Final = frozenset("would might".split())
_QUOTES: Final = '"\u201c\u201d\u00ab\u00bb'
_WHETHER: Final = frozenset({"whether"})
_PARTS: Final = frozenset("so but because however whereas".split())
_REASONS: Final = frozenset("because since but however though although yet".split())
_SUPPOSE: Final = frozenset({"if", "unless", "suppose", "supposing", "when", "whenever", "once"})
# A sentence that sets up an example: "Say we rename a column.", "Imagine we drop it."
_SUPPOSING: Final = frozenset("say suppose imagine picture assume".split())


def asserted(index: AnswerIndex, m: Match, answer: str) -> bool:
    """False when the match is quoted, labelled a mistake, or asked as an open question."""
    tokens = index.tokens
    first, last = tokens[m.first], tokens[m.last]
    sentence = first.sentence
    k = m.first
    while k > 0 and tokens[k - 1].sentence == sentence:
        k -= 1
    start = tokens[k].start
    before = tokens[k : m.first]
    # Quoted, wholly or from its first word: `a "quick hotfix" skipping tests is how one
    # incident becomes two` names the idea it quotes to judge it.
    if sum(answer.count(q, start, first.start) for q in _QUOTES) % 2 == 1 and any(
            q in answer[first.end : last.end + 200] for q in _QUOTES):
        return False
    # A label or someone else's belief covers what it frames, not the speaker's reason
    # or rejoinder: in "a canary is the wrong choice because the canary gets its own
    # database" and "some teams think X, but honestly I'd Y" the rest is a claim.
    reason = max((j + 1 for j, t in enumerate(before) if t.word in _REASONS), default=0)
    labelled = _past_conditions(before[reason:], first.clause)
    if any(t.stem in _OWNABLE and not (j and labelled[j - 1].word in ("my", "our"))
           for j, t in enumerate(labelled)):
        return False
    if any((t.stem in _DISTANCING or t.word in _DISTANCING)
           and not (j and labelled[j - 1].word == "by")  # "by mistake": by accident
           for j, t in enumerate(labelled)) or any(
            a.word in _USUAL and b.stem in _FAILING for a, b in zip(labelled, labelled[1:],
                                                                   strict=False)):
        return False
    if any(t.stem in _BELIEVE and _others_before(labelled, j) for j, t in enumerate(labelled)):
        return False
    if any(a.word in _OTHERS and b.word in _WOULD for a, b in zip(labelled, labelled[1:],
                                                                  strict=False)):
        return False  # "some would just buy a bigger machine; I would not"
    if _watched(labelled, tokens, k, m.first):
        return False  # told as seen happening, not advised
    if any(t.word in _WHETHER and t.clause == first.clause for t in before) or (
            first.word in _WHETHER):
        return False
    if _example_set_up(tokens, k, m.first):
        return False
    return not (_supposed(tokens, m) or _last_resort(tokens, m) or _conceded(tokens, m)
                or _answered_no(tokens, m, answer) or _under_a_label(answer, first.start))


def _past_conditions(labelled: list[Token], clause: int) -> list[Token]:
    """`labelled` without the condition clauses before the claim's own: in "if it was a
    mistake, delete it in a new commit" the label is the condition's, not the claim's."""
    out: list[Token] = []
    skipping = -1
    for j, t in enumerate(labelled):
        opens = j == 0 or labelled[j - 1].clause != t.clause
        if opens:
            skipping = t.clause if t.word in _SUPPOSE and t.clause != clause else -1
        if t.clause != skipping:
            out.append(t)
    return out


_HEADER_LABELS: Final = _DISTANCING | frozenset(stem(w) for w in "avoid never red flag".split())


def _under_a_label(answer: str, start: int) -> bool:
    """The claim is a bullet under a heading that labels its list as mistakes ("Common
    mistakes:", "Pitfalls:", "Red flags:", "Avoid:")."""
    line_start = answer.rfind("\n", 0, start) + 1
    if not answer[line_start:start].lstrip().startswith(BULLETS):
        return False
    end = line_start - 1
    while end > 0:
        begin = answer.rfind("\n", 0, end) + 1
        line = answer[begin:end].strip()
        if not line:
            return False  # a blank line: the list has no heading
        if not line.startswith(BULLETS):
            words = [stem(w) for w in line.rstrip(":").lower().replace("-", " ").split()]
            return line.endswith(":") and len(words) <= 4 and any(
                w in _HEADER_LABELS for w in words)
        end = begin - 1
    return False


_YES: Final = frozenset("yes yeah yep yup sure absolutely definitely correct exactly".split())


_WATCHED: Final = frozenset("watched saw seen".split())


def _watched(labelled: list[Token], tokens: list[Token], k: int, first: int) -> bool:
    """Is the claim something seen happen: others watched doing it anywhere before it
    ("I've seen teams put business rules in the gateway"), or a watching verb just
    before it ("everyone watched the rollout keep going")?"""
    if any(a.word in ("seen", "watched") and b.word in _OTHERS
           for a, b in zip(labelled, labelled[1:], strict=False)):
        return True
    return any(t.word in _WATCHED for t in labelled[-3:]) or (
        first > k and tokens[first - 1].word in _WATCHED)


# What a speaker grants only to set it aside with "but": "I love debugging live, but users
# are getting errors", "sure, you could restart everything, but...".
_CONCEDING: Final = frozenset("love like enjoy know understand admit sure granted tempting".split())


def _conceded(tokens: list[Token], m: Match) -> bool:
    """Is the claim granted in its clause and answered by a "but" clause later in its
    sentence?"""
    clause = tokens[m.first].clause
    k = m.first
    while k > 0 and tokens[k - 1].clause == clause:
        k -= 1
    if not any(tokens[j].word in _CONCEDING for j in range(k, m.first)):
        return False
    sentence = tokens[m.last].sentence
    for j in range(m.last + 1, len(tokens)):
        if tokens[j].sentence != sentence:
            return False
        if tokens[j].word == "but" and tokens[j].clause != tokens[j - 1].clause:
            return True
    return False


def _answered_no(tokens: list[Token], m: Match, answer: str) -> bool:
    """The claim is only asked: "Add more servers? No, the problem is the distance.", "Is
    60% good? Probably not for static assets." A question answered yes states it ("Drop
    it right away? Yes, it is unused."), and so does one asking why ("Why does a rollback
    fix it?" takes that it does)."""
    end = m.last
    sentence = tokens[m.last].sentence
    while end + 1 < len(tokens) and tokens[end + 1].sentence == sentence:
        end += 1
    gap = answer[tokens[end].end : tokens[end + 1].start if end + 1 < len(tokens) else None]
    if "?" not in gap.split("\n", 1)[0]:
        return False
    begin = m.first
    while begin > 0 and tokens[begin - 1].sentence == sentence:
        begin -= 1
    if tokens[begin].word in ("why", "how"):
        return False
    return end + 1 >= len(tokens) or tokens[end + 1].word not in _YES


def _others_before(before: list[Token], j: int) -> bool:
    """A third-person subject right before the verb at j, perhaps with a modal or an
    adverb of frequency between ("people will say", "teams often assume")."""
    k = j - 1
    while k >= 0 and j - k <= 3 and before[k].word in _HEDGES:
        k -= 1
    return k >= 0 and before[k].word in _OTHERS


def _last_resort(tokens: list[Token], m: Match) -> bool:
    """The claim is ranked as a last resort: "as a last resort" in its sentence, or
    opening the next one ("Restore from backup. Last resort, because...")."""
    sentence = tokens[m.first].sentence
    # Within the claim's part of the sentence: "rollback is the last resort, so first I'd
    # debug it live" ranks the rollback, not the debugging.
    k = m.first
    while k > 0 and tokens[k - 1].sentence == sentence and tokens[k - 1].word not in _PARTS:
        k -= 1
    end = m.last + 1
    while end < len(tokens) and tokens[end].sentence == sentence and (
            tokens[end].word not in _PARTS):
        end += 1
    words = [t.word for t in tokens[k:end]]
    nxt = [t.word for t in tokens[end : end + 4] if t.sentence == sentence + 1]
    return any(a == "last" and b == "resort" for seq in (words, nxt)
               for a, b in zip(seq, seq[1:], strict=False))


# Words that open a main clause right after a condition's verb, when no comma marks it.
_MAIN_OPENERS: Final = frozenset("just then we you they it i".split())


def _finite(word: str) -> bool:
    return word in _FINITE or (plural_form(word) and _is_verb(word))


def _example_set_up(tokens: list[Token], k: int, first: int) -> bool:
    """Does the claim's sentence open "Say we...", "Let's say...", "Imagine you..."?"""
    j = k
    while j < first and tokens[j].word in ("let", "lets", "s"):  # "let's" is "let" + "s"
        j += 1
    return j < first and tokens[j].word in _SUPPOSING and (
        tokens[j + 1].word in ("we", "you", "they", "that", "someone", "a", "the"))


def _supposed(tokens: list[Token], m: Match) -> bool:
    """The match lies inside an "if"/"unless" clause with another clause before or after
    it in the same sentence."""
    clause = tokens[m.first].clause
    if tokens[m.last].clause != clause:
        return False
    k = m.first
    while k > 0 and tokens[k - 1].clause == clause:
        k -= 1
    if any(tokens[j].word in ("if", "unless") for j in range(k + 2, m.first)):
        # A consequence told first, in the same clause: "old pods crash if we drop it".
        return True
    if tokens[k].word not in _SUPPOSE:
        return False
    for j in range(k + 2, m.first):
        if tokens[j].word in _MAIN_OPENERS and _finite(tokens[j - 1].word):
            # The condition ended unmarked: "when a connect fails just retry the cached
            # IP", "if the probe fails it restarts the container".
            return False
    after = m.last + 1
    while after < len(tokens) and tokens[after].clause == clause:
        after += 1
    if after < len(tokens) and tokens[after].sentence == tokens[m.first].sentence:
        return True
    # A consequence told first: "requests are cut off, if blue is killed immediately"
    # ("Honestly, if it's slow we kill every pod" claims it: nothing is consequent).
    if k == 0 or tokens[k - 1].sentence != tokens[k].sentence or tokens[k].word not in (
            "if", "unless"):
        return False
    j = k - 1
    while j > 0 and tokens[j - 1].clause == tokens[k - 1].clause:
        j -= 1
    return _predicate(tokens[j:k]) == 2


def misconceptions_heard(index: AnswerIndex, answer: str, item: Gradable, lexicon: Lexicon,
                         possible: set[str] | None, penalty: int) -> list[MisconceptionResult]:
    """Each of the item's misconceptions (and older red flags) the answer voices, at its
    first place; `possible`: the keywords a prefilter left in play (None: all)."""
    entries: list[Misconception] = list(item.misconceptions)
    entries += [Misconception(f.keywords, f.why) for f in item.red_flags]
    heard: list[MisconceptionResult] = []
    for entry in entries:
        hit: tuple[Match, str] | None = None
        for kw in entry.keywords:
            if possible is not None and kw not in possible:
                continue
            pattern = compile_keyword(kw, lexicon)
            for m in index.find(pattern):
                # A claim is heard in its own word order, or said tightly: "migrations
                # shipped separately from code" does not claim "ship the migration with
                # the code".
                # ("One pipeline per service, all generated from a template" claims no
                # "one pipeline for all services": out of order and across a comma.)
                # Across clauses, a contrast keeps the parts apart: "unlike a canary,
                # blue-green switches at once" claims no "canary switches at once".
                spread = m.last - m.first
                one_clause = index.tokens[m.first].clause == index.tokens[m.last].clause
                tight = spread < len(pattern.stems) or spread == len(pattern.stems) and one_clause
                # In order across clauses, at most two words may stand between ("one
                # pipeline, for all services"): a looser run of a claim's words over a
                # comma is other statements ("a readiness probe, traffic only moves to
                # them once ready" claims no "readiness checked only once").
                # ...and the clause it runs into must not be a statement of its own,
                # unless the first clause leads into it: "SIGTERM can be caught, SIGKILL
                # can't" claims no "catch SIGKILL"; "if the probe fails, Kubernetes
                # restarts the container" claims "the probe restarts the container".
                near = one_clause or (spread <= len(pattern.stems) + 2 and (
                    not _states(index, m.last) or _subordinate(index, m.first)))
                # Out of order, the words must share a clause: "the flow is unchanged:
                # DNS -> our LB" claims no "DNS is unchanged".
                if m.complete and not m.negated and (
                        m.ordered and near or tight and one_clause) and (
                        one_clause or not _contrasted(index, m)) and (
                        hit is None or m.first < hit[0].first) and asserted(index, m, answer):
                    hit = (m, kw)
        if hit is not None:
            heard.append(MisconceptionResult(hit[1], entry.why, penalty,
                                             span_of(index, answer, hit[0]), entry.correction))
    return heard


def _clause_of(index: AnswerIndex, k: int) -> list[Token]:
    tokens = index.tokens
    clause = tokens[k].clause
    a = b = k
    while a > 0 and tokens[a - 1].clause == clause:
        a -= 1
    while b + 1 < len(tokens) and tokens[b + 1].clause == clause:
        b += 1
    return tokens[a : b + 1]


def _states(index: AnswerIndex, k: int) -> bool:
    """Does the clause of token k have a subject and verb of its own?"""
    return _predicate(_clause_of(index, k)) == 2


_SUBORDINATORS: Final = frozenset("if when whenever once after before because since unless until as"
                           .split())


def _subordinate(index: AnswerIndex, k: int) -> bool:
    """Does the clause of token k open with a word that leads into the next clause?"""
    return _clause_of(index, k)[0].word in _SUBORDINATORS


_CONTRASTS: Final = frozenset("""
unlike compared versus vs whereas but however than instead rather while although though
""".split())


def _contrasted(index: AnswerIndex, m: Match) -> bool:
    """Does a contrast stand in the clauses a match spans (from its first clause's start)?"""
    tokens = index.tokens
    k = m.first
    clause = tokens[k].clause
    while k > 0 and tokens[k - 1].clause == clause:
        k -= 1
    return any(t.word in _CONTRASTS for t in tokens[k : m.last + 1])


def span_of(index: AnswerIndex, answer: str, m: Match) -> Span:
    start, end = index.tokens[m.first].start, index.tokens[m.last].end
    return Span(start, end, answer[start:end])
