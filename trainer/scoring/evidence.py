"""Named or explained: does the answer say something about a concept, or only name it?

A sentence explains when it has a predicate (a subject with a verb, a modal, an
imperative, a subordinate clause: "send 5% of traffic to the canary", "readiness removes
the pod from the endpoints because...") and is not a run of bare terms. A sentence with no
predicate, or one made mostly of short comma-separated items with none ("canary, blue-green,
feature flags, rollback plan"), only names what it mentions. An answer whose content is
mostly such naming is a list: its score is capped and the feedback says so.

No part-of-speech model is involved: function words carry most of the signal, and a short
list of verbs recognises imperatives ("compare the canary with the baseline").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .normalise import stem
from .text import STOPWORDS, Columns, Token, columns

_MARKERS: Final = frozenset("""
is are was were be been being am do does did has have had will would can could should must
may might shall i we you they it he she because since so when whenever if unless until
before after while which who where then otherwise thus therefore hence once whether by
first then next finally afterwards
""".split())
# Verbs in their base form: at the start of a clause they are an imperative ("drain the
# node"), after "to" an infinitive. Gerunds ("monitoring, alerting") are list items.
VERB_WORDS: Final = frozenset("""
send route shift move roll deploy release switch flip drain kill restart stop start check
compare watch monitor measure alert fail return serve purge invalidate retry throttle limit
shed scale add remove drop rename write read copy backfill migrate run keep hold wait pause
abort promote test verify validate detect catch prevent avoid trigger take give get put set
make let allow ensure map point resolve forward split mirror shadow sample gate expose hide
enable disable ship push pull merge commit sync apply reconcile revert undo replace upgrade
update patch fix use do go tell ask look find open close build bump cut tag lock unlock
block wrap ramp increase decrease reduce raise lower shorten lengthen tune page escalate
notify inform communicate document schedule plan coordinate pick choose prefer store
encrypt sign rotate renew terminate bake soak spread stagger batch isolate contain limit
cap queue buffer reject accept return rewrite translate proxy balance lower warm preload
prime flush clear expire refresh reload reconnect close mark label annotate alarm track
compute calculate estimate derive divide multiply size provision reserve schedule wire
turn put guarantee produce convert contain copy release carry deliver depend lead cause
create delete insert grow shrink sort search traverse visit link join combine absorb
respond answer handle process transform emit generate receive transmit establish
correlate investigate inspect review trace confirm diff compare profile debug reproduce
isolate mitigate restore recover replay rerun retest benchmark load explain ask agree
need want see know register curl dig ping grep traceroute poll tear spin
show finish ignore propagate notice connect judge separate decouple save
resume rebuild complete append skip override decide protect narrow diagnose weigh refuse
become say bring justify fit strip fill understand learn prove survive recreate lose
identify spot change exceed differ respond exhaust saturate degrade accumulate overload
""".split())
VERB_STEMS: Final = frozenset(stem(w) for w in VERB_WORDS)
_VERBS: Final = VERB_STEMS
# Finite forms that are verbs in nearly every sentence of this domain.
FINITE_WORDS: Final = frozenset("""
sends removes returns keeps takes makes gives gets stops starts means causes lets allows
ensures needs requires prevents breaks fails waits holds runs reads writes moves shifts
triggers becomes stays goes comes uses shows tells helps depends happens leads drops serves
routes points marks kills restarts drains rolls reverts catches detects hides exposes
protects sees knows owns pulls pushes applies""".split())
_FINITE: Final = FINITE_WORDS
BARE_MAX_CONTENT: Final = 4
LIST_CLAUSES: Final = 4
LIST_BARE_SHARE: Final = 0.75
LIST_ANSWER_SHARE: Final = 0.75
LIST_MIN_ITEMS: Final = 3
SHORT_ITEM: Final = 3  # content words of a statement short enough to be a list item


@dataclass(frozen=True, slots=True)
class Evidence:
    """Per-sentence judgement of one answer."""

    explains: tuple[bool, ...]  # by sentence id
    list_share: float  # share of content tokens that sit in naming-only sentences
    bare_items: int

    def explained(self, sentence: int) -> bool:
        return 0 <= sentence < len(self.explains) and self.explains[sentence]

    @property
    def is_list(self) -> bool:
        return self.list_share >= LIST_ANSWER_SHARE and self.bare_items >= LIST_MIN_ITEMS


def _has_predicate(clause: list[Token]) -> bool:
    return _predicate(clause) > 0


# Words that make any clause a statement wherever they stand.
_STATES: Final = _MARKERS | _FINITE


def _predicate(clause: list[Token]) -> int:
    """2: a clause that states something (subject and verb, a modal, a subordinate
    clause); 1: an imperative only ("keep the constraint"); 0: no predicate."""
    for t in clause:  # (a native loop when compiled, where isdisjoint() is a call)
        if t[0] in _STATES:
            return 2  # the commonest case
    last = len(clause) - 1
    imperative = 0
    for k, t in enumerate(clause):
        # A verb is known by the word typed (its first word, for a phrase token such as
        # "roll back"), not by its stem: the lexicon maps "monitor", "compare" and "roll
        # back" to classes ("~monitor"), and those stems are no verb's. (Most words are
        # one word: split only those that are not.)
        head = t.word if " " not in t.word else t.word.split(" ", 1)[0]
        if 0 < k < last and clause[k - 1].norm not in STOPWORDS and len(head) >= 4 and (
            (plural_form(head) and _is_verb(head)) or (head.endswith("ed") and len(head) >= 5
                                                       and clause[k + 1].norm in STOPWORDS)
        ):
            # Subject + finite verb + more: "TCP sets up a connection", "traffic shifted to
            # green". A participle before a noun is an adjective in a term: "prod-sized
            # dataset", "masked prod snapshot".
            return 2
        if 0 < k < last and head in VERB_WORDS and plural_form(clause[k - 1].word):
            # A plural subject and its verb ("gateways reject excess connections"): a
            # statement, but as weak a sign as an imperative, so in a long comma run it is
            # a list item like one ("hours go into releases, biggest payoff first, ...").
            imperative = 1
        lead = k == 0 or (k == 1 and (clause[0].word in _LEADS or clause[0].word.endswith("ly")))
        if lead and len(clause) >= 3 - (k == 0 and _adverb_after(clause)) and (
                head in VERB_WORDS or (
            # Other forms whose stem is a verb's: note-style "chose L7 because ...".
            t.word == t.norm and t.stem in _VERBS and stem(t.word) == t.stem
            and not t.word.endswith(("ing", "s")))) and (
            any(x.norm in STOPWORDS or x.word.endswith("ly") for x in clause[1:])
        ):
            # An imperative has an object phrase ("compare the canary with the
            # baseline"); a verb-noun compound ("reconnect storm") is a term.
            imperative = 1
        if t.word == "to" and k + 1 < len(clause):
            nxt = clause[k + 1]
            if nxt.norm not in STOPWORDS and not nxt.norm[0].isdigit() and _is_verb(
                    nxt.word.split(" ", 1)[0]):
                return 2
    return imperative


# Words an imperative may follow: "and roll back", "always confirm recovery".
_LEADS: Final = frozenset("and or then always never just only also now first".split())


def plural_form(word: str) -> bool:
    """Ends like a plural noun or a third-person verb ("gateways", "stalls"), not like
    "process", "status" or "analysis"."""
    return len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


_OBJECTS: Final = frozenset("it them this that everything".split())


def _adverb_after(clause: list[Token]) -> bool:
    """A two-word imperative with an adverb or a pronoun for its object: "roll back
    immediately", "separate them"."""
    return len(clause) == 2 and (clause[1].word.endswith("ly") or clause[1].word in _OBJECTS)


def _is_verb(word: str) -> bool:
    return word in VERB_WORDS or stem(word) in _VERBS


def judge(tokens: list[Token], cols: Columns | None = None, text: str = "") -> Evidence:
    """The evidence of an answer's tokens (`cols`: their columns, when the caller has
    them; `text`: the answer, to tell a parenthesis's clauses apart)."""
    if not tokens:
        return Evidence((), 0.0, 0)
    # Clause and sentence numbers only grow, and a new sentence is a new clause: the
    # answer is cut into clauses where the clause number changes. (Loops over range()
    # throughout: compiled, they are native, where sum(), zip() and bound methods are
    # generic calls.)
    words, norms, _, _, _, ids, sids = cols or columns(tokens)
    n_tokens = len(tokens)
    starts = [0] + [i for i in range(1, n_tokens) if ids[i] != ids[i - 1]]
    ends = starts[1:] + [n_tokens]
    # Per sentence, its clauses as (predicate, content words), and whether each is in
    # brackets. A sentence's clauses are consecutive (its number only grows): lists, one
    # entry a sentence, in place of dicts by sentence number.
    sentence_ids: list[int] = []
    sentences: list[list[tuple[int, int]]] = []
    asides: list[list[bool]] = []
    depth = 0
    for k in range(len(starts)):
        a, b = starts[k], ends[k]
        states = False
        content = b - a
        for j in range(a, b):
            if words[j] in _STATES:
                states = True
            if norms[j] in STOPWORDS:
                content -= 1
        predicate = 2 if states else _predicate(tokens[a:b])
        if text:
            gap = text[tokens[a - 1].end if a else 0 : tokens[a].start]
            depth += gap.count("(") - gap.count(")")
            if depth < 0:
                depth = 0
        if not sentence_ids or sentence_ids[-1] != sids[a]:
            sentence_ids.append(sids[a])
            sentences.append([])
            asides.append([])
        sentences[-1].append((predicate, content))
        asides[-1].append(depth > 0)
    explains = [False] * (tokens[-1].sentence + 1)
    naming = total = bare_items = 0
    judged: list[tuple[int, bool, int, int, bool]] = []  # sid, listy, content, bare, short
    for s_k in range(len(sentence_ids)):
        sid, clauses, inside = sentence_ids[s_k], sentences[s_k], asides[s_k]
        # A statement with examples in brackets ("the mesh handles east-west traffic
        # (mTLS, retries, telemetry)"): the brackets elaborate it, they are no list;
        # unless they say more than the statement ("I'd handle it (rollback, canary,
        # drain, flags, probes)" is a list with a verb in front).
        m = len(clauses)
        said = contents = 0
        stated_outside = predicated = False
        for k in range(m):
            p, n = clauses[k]
            contents += n
            if p:
                predicated = True
            if not inside[k]:
                said += n
                if p == 2:
                    stated_outside = True
        elaborated = said >= contents - said and stated_outside
        # In a long comma run, a short imperative is a checklist item, not an
        # explanation: "populate the column, set a default, keep the constraint, ...".
        # Unless a clause before them has a subject: "I'd list the jobs, read their logs,
        # check the status pages" is one subject with three verbs.
        long_run = m >= LIST_CLAUSES
        bare = 0
        stated = False
        for k in range(m):
            p, n = clauses[k]
            if ((p == 0 or (p == 1 and long_run and not stated)) and n <= BARE_MAX_CONTENT
                    and not (stated and p == 1) and not (inside[k] and elaborated)):
                bare += 1
            stated = stated or p == 2
        listy = not predicated or (m >= LIST_CLAUSES and bare >= LIST_BARE_SHARE * m)
        judged.append((sid, listy, contents, bare, m == 1 and clauses[0][1] <= SHORT_ITEM))
    # Lines of terms, one per line: a short line with a verb among them is one more item
    # ("- dual writes / - migrate before cutover / - backfill / ...").
    term_lines = len([j for j in judged if j[4] and j[1]])
    if len(judged) >= LIST_CLAUSES and term_lines >= LIST_BARE_SHARE * len(judged):
        judged = [(sid, listy or short, n, b, short) for sid, listy, n, b, short in judged]
    for sid, listy, n, b, _ in judged:
        explains[sid] = not listy
        total += n
        if listy:
            naming += n
            bare_items += max(1, b)
    if len(sentences) == 1 and len(sentences[0]) <= 2:
        # One short sentence is a terse answer ("five percent", "instead of debugging,
        # roll back"), not a list of terms.
        return Evidence((True,) * len(explains), 0.0, 0)
    return Evidence(tuple(explains), naming / total if total else 0.0, bare_items)
