"""Which words of an answer a negation reaches.

Rules, each from phrasings candidates really type:
- a cue ("not", "never", "without", "avoid", "skip", "instead of", "rather than"...) negates
  what follows it up to the end of its clause; an even number of cues cancels ("never skip
  the canary");
- scope ends at a clause break (comma, colon, dash, bracket, sentence end) and at a word
  that starts a new thought: contrast ("isn't killed, just taken out of the endpoints",
  "not X but Y" credit Y) or a subordinate clause ("never rolled back because the canary
  caught it");
- "instead of X" and "rather than X" reach only the phrase they name;
- "argue/advise/recommend/decide against X" negates X;
- rejecting a technique after naming it negates it: "X won't help here", "X is not needed",
  "X is pointless", "X fixes nothing", "X is the wrong move", "I'm not a fan of X";
  "X is off the table", "X is a hack", "X is the wrong tool"; "stay away from X" and "steer
  clear of X" negate as "avoid X" does;
- an appeal taken back sets its subject aside: "X sounds safer, but ..." negates X;
- "X != Y" (or "≠") reads as "X is not Y";
- "not only", "not just", "no matter", "no doubt", "whether or not" are no negation, but
  "not just" before a verb is ("you can't just roll back": rolling back is not enough);
- a clause that ends in a negated colon ("what I would not do:") negates the rest of its
  sentence, or the bullet lines under it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Final

from .evidence import FINITE_WORDS, VERB_STEMS, VERB_WORDS, plural_form
from .normalise import stem
from .text import NEGATIONS, STOPWORDS, Columns, Token, columns

_NON_NEGATING_AFTER: Final = {"not": {"only", "just", "onli"}, "no": {"matter", "doubt"}}
_NEEDS_NEXT: Final = {"rather": "than", "instead": "of"}
_NEGATING_PREV: Final = frozenset("not never no don't dont do did does to".split())
_BEFORE_COMMAND: Final = frozenset("do please just so then and".split())
_COMPARATIVES: Final = frozenset("more less fewer later earlier sooner longer".split())
# "X doesn't replace Y", "is no substitute for Y": Y is still wanted.
_REPLACES: Final = frozenset("replace replaces substitute".split())
# After a cue these deny the denial: "don't forget to check", "never hesitate to roll back".
_SECOND_NEGATIVES: Final = frozenset("""
forget forgets forgot forgetting hesitate hesitates hesitating fail fails neglect neglects
omit omits
""".split())
_NARROW: Final = frozenset(("rather", "instead"))  # "instead of X": X alone
_NARROW_REACH: Final = 4
_RESETS: Final = frozenset("""
but however though although yet whereas while because since so which when until unless
then just only instead rather except otherwise if
""".split())
# These end a negation only where a clause follows ("never promote before you compare",
# "before comparing the error rate"), not a phrase ("never renew before expiry").
_CLAUSE_OPENERS: Final = frozenset("before after once".split())
_SUBJECTS: Final = frozenset("i we you they it he she".split())
# Others whose denial heads no list of don'ts: "the step most teams skip: remove the flag".
_SKIPPERS: Final = frozenset("teams people folks most everyone engineers developers many".split())
# Words that make the words before them a subject: auxiliaries and common finite verbs.
_FINITE_MARKERS: Final = FINITE_WORDS | frozenset("""
is are was were will would can could should must may might has have had does did gets got
""".split())
# After "not"/"never"/"no", these deny the thing named before them: "a rollback is not
# needed", "rolling back won't help".
_POST_NEGATED: Final = frozenset(stem(w) for w in """
need needed necessary required recommended worth helpful useful option enough matter
work help used fix solve answer way reliable safe viable practical realistic feasible
sustainable scale anywhere table
""".split())
# Before "nothing" ("a restart fixes nothing", "a bigger canary buys nothing"), these deny
# the thing named before them.
_FUTILE: Final = _POST_NEGATED | frozenset(stem(w) for w in "change buy achieve improve".split())
# Words that reject what the clause named before them, with no "not" needed.
_REJECTING: Final = frozenset(stem(w) for w in """
pointless useless overkill unnecessary counterproductive irrelevant unneeded futile
""".split())
# A judgement after what it judges: "X is the wrong move", "X is risky", "X is the trap".
_JUDGED_WRONG: Final = frozenset("""
wrong mistake dangerous risky harmful reckless smell trap pitfall antipattern myth fallacy
false incorrect untrue misconception impossible infeasible impractical unrealistic hack
crutch
""".split())
_COPULA: Final = frozenset("is are was were be".split())
_BETWEEN: Final = frozenset("""
a an the very too really just exactly usually often simply plainly completely totally
actually flat flatly
""".split())
# "is the wrong version" names a thing; "is the wrong move/reaction/call" judges one.
_JUDGEMENT_NOUNS: Final = frozenset("""
move reaction call choice approach idea answer thing way fix response instinct plan
tool solution strategy
""".split())
BULLETS: Final = ("-", "*", "\u2022", "+")
# "I'd argue against X", "we decided against X": X is rejected. ("Protect against X" and
# "test against staging" are no negation.)
_ADVISE: Final = frozenset(stem(w) for w in
                           "argue advise recommend decide warn caution vote lean".split())


def negated_tokens(tokens: list[Token], text: str = "",
                   cols: Columns | None = None) -> list[bool]:
    """One flag per token: is it inside the reach of a negation? (`cols`: the tokens'
    columns, when the caller has them.)"""
    n = len(tokens)
    out = [False] * n
    words, _, stems, _, _, clauses, _ = cols or columns(tokens)
    # Only a clause with a cue or a rejecting word can negate anything, and only under a
    # negated header can a clause without one: most clauses of most answers have neither,
    # so they are skipped whole rather than read word by word.
    unequal = any(u in text for u in _UNEQUAL)  # "X != Y"
    if _CUE_WORDS.isdisjoint(words) and _REJECTING.isdisjoint(stems) and not unequal:
        return out
    hot = sorted({clauses[i] for i in range(n) if words[i] in _CUE_WORDS
                  or stems[i] in _REJECTING or unequal and _unequal_before(tokens, i, text)})
    header_sentence = -1
    start, h = 0, 0
    while start < n:
        clause = clauses[start]
        if header_sentence < 0:
            # Jump to the next clause with a cue: nothing before it is negated.
            while h < len(hot) and hot[h] < clause:
                h += 1
            if h == len(hot):
                break
            if hot[h] != clause:
                start = bisect_left(clauses, hot[h], start)
                continue
        end = bisect_right(clauses, clause, start)
        header_sentence = _clause(tokens, out, start, end, header_sentence, text, unequal)
        start = end
    return out


_UNEQUAL: Final = ("!=", "\u2260", "=/=")


def _unequal_before(tokens: list[Token], i: int, text: str) -> bool:
    """Does "!=" stand just before token i ("base64 != encryption": is not)?"""
    if not i or not text:
        return False
    gap = text[tokens[i - 1].end : tokens[i].start]
    return any(u in gap for u in _UNEQUAL)


def _clause(tokens: list[Token], out: list[bool], start: int, end: int,
            header_sentence: int, text: str, unequal: bool) -> int:
    """Negation within the clause tokens[start:end]; returns the sentence a negated header
    ending this clause opens (or the one still open), -1 for none."""
    parity = 0
    narrow_left = 0
    after_cue = 0  # content words since the last cue in this clause
    opened = False  # the clause has words before its first cue
    commanded = False  # the last cue opens the clause: a negated command
    by_others = False  # the last cue is what others do: "the bit most teams skip:"
    for i in range(start, end):
        t = tokens[i]
        nxt = tokens[i + 1].word if i + 1 < end else ""
        prev = tokens[i - 1].word if i > start else ""
        if (t.word in _RESETS and not (t.word in _NEEDS_NEXT and nxt == _NEEDS_NEXT[t.word])
                and not (t.word in ("just", "only") and prev in ("not", "no"))) or (
                parity and _new_part(tokens, i, end, commanded)):
            parity = 0
            narrow_left = 0
        if unequal and i > start and _unequal_before(tokens, i, text):
            parity += 1  # "X != Y" is "X is not Y"
            after_cue = 0
        if t.word == "to" and _judged_before(tokens, start, i):
            parity += 1  # "it's pointless to add servers", "it would be a mistake to X"
            after_cue = 0
            continue
        if parity % 2 and t.word in _SECOND_NEGATIVES and prev in _NEGATING_PREV and (
                nxt == "to" or t.word.startswith(("forget", "forgot"))):
            parity += 1  # "don't forget to X": X is asked for
            continue
        if parity % 2 and t.word in _REPLACES and prev in _NEGATING_PREV:
            out[i] = True  # "we don't replace the pods" still denies the replacing
            parity += 1  # "it doesn't replace graceful shutdown": that is still needed
            continue
        if (nxt == "valid" and t.word == "not" and text[t.start : t.end] == "NOT") or (
                t.word == "none" and text[t.start - 1 : t.start] == "="):
            continue  # PostgreSQL's "ADD CONSTRAINT ... NOT VALID"; a value: "SameSite=None"
        if _is_cue(t.word, prev, nxt, tokens[i + 2].word if i + 2 < end else "") or (
                t.word == "against" and i > start and stem(tokens[i - 1].word) in _ADVISE):
            # A denial that opens its clause is a command: "don't X", "never X", "skip X".
            # ("Stay clear of X" is one: its cue is the idiom's second word.)
            commanded = all(tokens[j].word in _BEFORE_COMMAND
                            for j in range(start, i - (t.word in _SHUNNING)))
            by_others = i > start and tokens[i - 1].word in _SKIPPERS
            opened = opened or i > start
            if t.word in _NARROW:
                narrow_left = _NARROW_REACH + 1  # "of"/"than" follows
                continue
            if t.word == "without" and _opens_sentence(tokens, start, i):
                # "Without telemetry every deploy is a gamble": the denial is the
                # phrase after "without", not the sentence it opens.
                narrow_left = _NARROW_REACH
                continue
            if after_cue and _coordinated(tokens, start, i):
                parity = 0  # "don't X and don't Y": two denials, not a double negative
            if t.word in _NOT_YET and _until(tokens, start, i, end):
                continue  # "isn't added until it passes": added, once it passes
            parity += 1
            after_cue = 0
            continue
        if t.norm not in STOPWORDS:
            after_cue += 1
        if narrow_left:
            if t.word in _SUBJECTS or (t.word in _PHRASE_OPENERS and i > start and out[i - 1]
                                       and tokens[i - 1].norm not in STOPWORDS
                                       and not tokens[i - 1].word.endswith("ing")):
                narrow_left = 0
            else:
                narrow_left -= 1
                out[i] = True
                continue
        negated = parity % 2 == 1
        if header_sentence >= 0 and _in_header_scope(tokens, header_sentence, i, text):
            negated = not negated
        else:
            header_sentence = -1
        out[i] = negated
    _post_negate(tokens, out, start, end)
    _judged_afterwards(tokens, out, start, end)
    _granted_appeal(tokens, out, start, end)
    # "What I would not do:" heads a list of don'ts; "Not the database:" does not, nor
    # does "No:" answering a yes/no question.
    bare = end - start == 1 and tokens[start].word in ("avoid", "never", "skip")  # "Avoid:"
    if end < len(tokens) and parity % 2 and not after_cue and (opened or bare) and not (
            by_others) and _ends_with_colon(
            tokens, end, text) and tokens[start].word not in ("it", "that", "this", "no"):
        # ("It doesn't: readiness only takes the pod out" answers; it heads no list.)
        header_sentence = tokens[end - 1].sentence
    return header_sentence


# Denials that "until" turns into "only after": "the pod isn't added until it's ready".
_NOT_YET: Final = frozenset(("not", "never"))
_UNTIL: Final = frozenset(("until", "till"))


# Words that open a new noun phrase: after a noun they start the next part of the
# sentence ("without telemetry | every deploy ...").
_PHRASE_OPENERS: Final = frozenset(
    "a an the every each all any this that these those our your".split())


def _opens_sentence(tokens: list[Token], start: int, i: int) -> bool:
    """Is the word at i the first of its sentence (perhaps after "and", "but", "so")?"""
    j = i - 1
    while j >= start and tokens[j].word in ("and", "but", "so", "also", "even"):
        j -= 1
    return j < 0 or tokens[j].sentence != tokens[i].sentence


def _until(tokens: list[Token], start: int, i: int, end: int) -> bool:
    """Does "until" bound the denial at i: later in its clause ("isn't added until it
    passes"), or opening the clause before it in its sentence ("Until it passes, it
    isn't added")?"""
    if any(tokens[k].word in _UNTIL for k in range(i + 1, end)):
        return True
    j = start - 1
    if j < 0 or tokens[j].sentence != tokens[start].sentence:
        return False
    clause = tokens[j].clause
    while j > 0 and tokens[j - 1].clause == clause:
        j -= 1
    return tokens[j].word in _UNTIL


_AUXILIARIES: Final = frozenset("""
do does did will would should can could must may might shall i we you they it he she
""".split())
_COORDINATORS: Final = frozenset(("and", "or", "nor", "then"))


def _coordinated(tokens: list[Token], start: int, i: int) -> bool:
    """Does the cue at i open a new coordinated part ("... and don't restore", "... or
    never")? Subjects and auxiliaries between the conjunction and the cue are skipped."""
    j = i - 1
    while j >= start and tokens[j].word in _AUXILIARIES:
        j -= 1
    return j >= start and tokens[j].word in _COORDINATORS


_DETERMINERS: Final = frozenset(
    "the a an this that these those our your their its my every each".split())


def _new_part(tokens: list[Token], i: int, end: int, commanded: bool) -> bool:
    """Does a negation in force end at tokens[i]: "and"/"or" opening a clause of its own,
    "before/after/once" opening one ("before you compare", "before comparing"), or "and"
    opening a second command ("don't wait for the policy and roll back")?"""
    word = tokens[i].word
    nxt = tokens[i + 1].word if i + 1 < end else ""
    if word in ("and", "or") and _opens_clause(tokens, i + 1, end):
        return True
    if word in _CLAUSE_OPENERS:
        return nxt.endswith("ing") or _opens_clause(tokens, i + 1, end)
    return commanded and word == "and" and nxt.split(" ", 1)[0] in VERB_WORDS and nxt != "do"


def _opens_clause(tokens: list[Token], j: int, end: int) -> bool:
    """After "and"/"or", does tokens[j:] start a clause of its own, with a subject and a
    verb ("never get traffic and the rollout stalls", "and it recovers")? A coordinated
    object ("don't restart the pods and the database") does not: the negation goes on."""
    if j >= end:
        return False
    first = tokens[j].word
    if first in _SUBJECTS:
        return j + 1 < end
    if first not in _DETERMINERS:
        # A bare noun and its verb: "readiness never restarts it and liveness restarts it".
        nxt = tokens[j + 1].word.split(" ", 1)[0] if j + 1 < end else ""
        return tokens[j].norm not in STOPWORDS and (nxt in _FINITE_MARKERS or (
            plural_form(nxt) and stem(nxt) in VERB_STEMS))
    for k in range(j + 1, min(j + 4, end)):
        w = tokens[k].word.split(" ", 1)[0]  # a phrase token's verb: "rolls back"
        if w in _FINITE_MARKERS:
            return True
        if k >= j + 2 and plural_form(w) and tokens[k - 1].norm not in STOPWORDS:
            return True  # "the rollout stalls", "the old pods keep serving"
    return False


# SQL's "NOT NULL" and "IF NOT EXISTS" name a constraint and a guard, and deny nothing;
# so does "NOT VALID" when typed in capitals (in prose, "not valid" denies).
_SQL_AFTER_NOT: Final = frozenset(("null", "exists"))


# "Stay away from X", "steer clear of X", "keep away from X": avoiding X, in other words.
_SHUNNING: Final = {
    "away": ("from", frozenset("stay stayed staying stays keep kept steer".split())),
    "clear": ("of", frozenset("steer steered steering steers stay keep".split())),
}


def _is_cue(word: str, prev: str, nxt: str, after: str = "") -> bool:
    if word in _SHUNNING:
        follows, verbs = _SHUNNING[word]
        return nxt == follows and prev in verbs
    if word not in NEGATIONS:
        return False
    if nxt in _COMPARATIVES and after == "than":
        return False  # "no more than 1%", "not less than a day": a bound, not a denial
    if word == "not" and nxt in _SQL_AFTER_NOT:
        return False  # SQL: "add it NOT NULL later", "CHECK (...) NOT VALID"
    if nxt in _NON_NEGATING_AFTER.get(word, ()):
        # "not just the database" adds to what it names; "can't just roll back" denies
        # that a bare verb would do.
        return nxt == "just" and after.split(" ", 1)[0] in VERB_WORDS  # ("roll back": one token)
    if word in _NEEDS_NEXT and nxt != _NEEDS_NEXT[word]:
        return False
    return not (word == "not" and prev in ("or", "why"))  # whether or not; why not X?


def _post_negate(tokens: list[Token], out: list[bool], start: int, end: int) -> None:
    """'X won't help', 'X is pointless': flip the words named before the rejection."""
    for k in range(start, end):
        t = tokens[k]
        hit = t.stem in _REJECTING or t.word == "idea" and k > start and (
            tokens[k - 1].word in ("bad", "terrible", "poor"))
        if not hit and t.word in _JUDGED_WRONG and _said_of_before(tokens, start, k):
            hit = True  # "turning the automation off is the wrong reaction"
        if not hit and t.word == "table" and k > start + 2 and tokens[k - 1].word == "the" and (
                tokens[k - 2].word == "off"):
            hit = True  # "a rollback is off the table"
        if not hit and t.word in ("nothing", "none") and k > start + 1 and (
                tokens[k - 1].stem in _FUTILE):
            hit = True  # "restarting the pods fixes nothing"
        if not hit and t.word in ("not", "never", "no") and not (
                k + 1 < end and tokens[k + 1].word in _NON_NEGATING_AFTER.get(t.word, ())):
            # ("optional" stems as "option": "X is not optional" insists on X.) A verb
            # with an object denies the object, not its subject: "discovery doesn't need
            # a load balancer".
            hit = any(tokens[j].stem in _POST_NEGATED and tokens[j].word != "optional"
                      and not (tokens[j].stem in _TRANSITIVE and _has_object(tokens, j, end))
                      for j in range(k + 1, min(k + 4, end)))
        if hit and k > start:
            lo = start
            for j in range(k - 1, start - 1, -1):
                w = tokens[j].word
                if (w in _RESETS and w != "just") or w == "as" or (
                        w == "and" and _opens_clause(tokens, j + 1, k + 1)):
                    lo = j + 1  # "roll back first, as debugging live won't help"
                    break
            for j in range(lo, k):
                if tokens[j].word not in ("not", "never", "no"):
                    out[j] = not out[j]
            return


_TRANSITIVE: Final = frozenset(stem(w) for w in "need help fix solve answer use scale".split())
_NO_OBJECT: Final = frozenset("""
here now anyone anybody anything much either anyway really today yet at all in this that
""".split())


def _has_object(tokens: list[Token], j: int, end: int) -> bool:
    """Is the verb at j followed by its object ("need a load balancer", "help the
    probe"), not by an adverb or nothing ("won't help here", "isn't needed")?"""
    if j + 1 >= end:
        return False
    nxt = tokens[j + 1]
    if nxt.word in _NO_OBJECT:
        return False
    return nxt.word in _DETERMINERS or nxt.norm not in STOPWORDS


_POINTERS: Final = frozenset("which that this".split())
# "X sounds safer, but ...": an appeal granted only to be taken back sets X aside.
_APPEARS: Final = frozenset("sound sounds sounded seem seems seemed look looks looked".split())
# Every word that can start a negation in its clause (negated_tokens' first look): one set,
# one lookup a word.
_CUE_WORDS: Final = NEGATIONS | _JUDGED_WRONG | _APPEARS | frozenset(_SHUNNING) | frozenset(
    ("idea", "against", "table"))
_APPEALING: Final = frozenset("""
safe safer safest simple simpler simplest easy easier easiest attractive appealing tempting
obvious nice good great neat elegant clean cleaner cheap cheaper fast faster quick quicker
reasonable sensible right natural
""".split())


def _granted_appeal(tokens: list[Token], out: list[bool], start: int, end: int) -> None:
    """Flip what comes before "sounds/seems/looks <appealing>" when the next clause of the
    sentence opens with "but": "blue-green sounds safer, but it doubles the cost"."""
    for k in range(start + 1, end):
        if tokens[k].word not in _APPEARS:
            continue
        if not any(tokens[j].word in _APPEALING for j in range(k + 1, min(k + 4, end))):
            return
        if end >= len(tokens) or tokens[end].word != "but" or (
                tokens[end].sentence != tokens[k].sentence):
            return
        for j in range(start, k):
            out[j] = not out[j]
        return


def _judged_afterwards(tokens: list[Token], out: list[bool], start: int, end: int) -> None:
    """"X, which is a myth" / "X - that's wrong": the clause judges the one before it in
    its sentence, which is flipped as "X is a myth" would be."""
    clause_start = start
    if start > 0 and tokens[start].word == "but":
        if _refused(tokens, start + 1, end):
            _flip_before(tokens, out, start)  # "drop the threshold to 1, but I wouldn't"
            return
        start += 1  # "..., but that is a mistake"
        if start >= end:
            return
    if clause_start == 0 or tokens[start].word not in _POINTERS:
        return
    k = start + 1
    while k < end and (tokens[k].word in _COPULA or tokens[k].word in _BETWEEN
                       or tokens[k].word == "s"):
        k += 1
    if k >= end or tokens[k].word not in _JUDGED_WRONG or k == start + 1 and (
            tokens[start].word != "that"):
        return
    if k + 1 < end and tokens[k + 1].norm not in STOPWORDS:
        return  # "which is the wrong version" names a thing
    _flip_before(tokens, out, clause_start)


def _flip_before(tokens: list[Token], out: list[bool], start: int) -> None:
    """Flip the clause before `start`, in its sentence: what a judgement sets aside."""
    before = tokens[start - 1]
    if before.sentence != tokens[start].sentence:
        return
    j = start - 1
    while j >= 0 and tokens[j].clause == before.clause:
        if tokens[j].word not in ("not", "never", "no"):
            out[j] = not out[j]
        j -= 1


_REFUSERS: Final = frozenset("i we".split())
_REFUSING_AUX: Final = frozenset("would will do should".split())


def _refused(tokens: list[Token], a: int, end: int) -> bool:
    """Is tokens[a:end] a bare refusal: "I wouldn't", "we don't", "I would not do that"?"""
    words = [t.word for t in tokens[a:end]]
    if len(words) < 3 or words[0] not in _REFUSERS or words[1] not in _REFUSING_AUX or (
            words[2] != "not"):
        return False
    return words[3:] in ([], ["do", "that"], ["do", "it"], ["do", "this"])


def _judged_before(tokens: list[Token], start: int, i: int) -> bool:
    """Is the "to" at i the object of a judgement that rejects it: "it's pointless to",
    "it would be reckless to", "it is a bad idea to"?"""
    j = i - 1
    if j <= start:
        return False
    w = tokens[j]
    judged = w.stem in _REJECTING or w.word in _JUDGED_WRONG or (
        w.word in ("idea", "move", "call") and tokens[j - 1].word == "bad")
    if not judged:
        return False
    k = j - 1
    while k > start and tokens[k].word in _BETWEEN | {"bad"}:
        k -= 1
    return tokens[k].word in _COPULA or tokens[k].word == "it"  # "it's" reads as "it"


def _said_of_before(tokens: list[Token], start: int, k: int) -> bool:
    """Is the judgement at k predicated of what comes before it ("X is the wrong move",
    "X is risky"), not an attribute of a noun after it ("the wrong version shipped")?"""
    j = k - 1
    while j > start and tokens[j].word in _BETWEEN:
        j -= 1
    if j <= start or tokens[j].word not in _COPULA:
        return False
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    return nxt is None or nxt.clause != tokens[k].clause or nxt.norm in STOPWORDS or (
        nxt.word in _JUDGEMENT_NOUNS)


def _ends_with_colon(tokens: list[Token], i: int, text: str) -> bool:
    if not text:
        return False
    return ":" in text[tokens[i - 1].end : tokens[i].start]


def _in_header_scope(tokens: list[Token], sentence: int, i: int, text: str) -> bool:
    """Does token i still belong under the negated header that ended `sentence`'s clause?"""
    t = tokens[i]
    if t.sentence == sentence:
        return True
    # Later sentences count only as bullet lines directly under the header.
    gap_start = tokens[i - 1].end
    gap = text[gap_start : t.start] if text else ""
    if t.sentence != tokens[i - 1].sentence:
        if "\n\n" in gap or "\n" not in gap:
            return False
        line = gap.rsplit("\n", 1)[-1].lstrip()
        return line.startswith(BULLETS) or line[:1].isdigit()
    return True
