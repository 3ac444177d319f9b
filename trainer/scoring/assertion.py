"""Is a wrong claim the candidate's own, or one they name in order to set it aside?

A misconception's words can appear in an answer that rejects it: negation handles "I
would not drop the column"; this module handles the other ways people distance themselves
from a claim without a negation:
- they quote it: `if we "turn CORS off" we end up with fewer allowed origins`;
- they label it as a mistake before saying it: "the classic trap is to restart every pod",
  "the temptation is to restore the backup";
- they pose it as an open question: "we still argue about whether migrations should run
  with the deploy".
An answer that voices the claim as its own ("readiness failures restart the pod") is
unaffected: nothing here looks at what the claim says, only at how it is framed.
"""

from __future__ import annotations

from .matcher import AnswerIndex, Match
from .normalise import stem

# Words that mark what follows in the sentence as someone's wrong idea, not the speaker's.
_DISTANCING = frozenset(stem(w) for w in """
mistake mistaken mistakenly misconception myth fallacy trap pitfall antipattern
temptation tempting tempted naive naively wrongly misunderstanding misbelief
""".split()) | {"anti-pattern"}
# Quotation marks that open and close a quoted phrase (straight double quotes do both);
# single quotes are left out: they are apostrophes far more often.
_QUOTES = '"\u201c\u201d\u00ab\u00bb'
_WHETHER = frozenset({"whether"})


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
    if sum(answer.count(q, start, first.start) for q in _QUOTES) % 2 == 1 and any(
            q in answer[last.end : last.end + 200] for q in _QUOTES):
        return False
    if any(t.stem in _DISTANCING or t.word in _DISTANCING for t in before):
        return False
    return not any(t.word in _WHETHER and t.clause == first.clause
                   for t in before) and first.word not in _WHETHER
