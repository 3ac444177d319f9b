"""Normalised tokens of an answer or a keyword, each with the span of text it came from.

The scorer compares ideas, not spellings, so both sides go through the same pipeline:
Unicode NFKC and typographic quotes/dashes folded, lower case, contractions split
("wouldn't" -> "would not"), hyphens and slashes split ("roll-back" -> "roll back"; the
matcher rejoins neighbours so "rollback" still matches), number words and units unified
("five percent" = "5%"), common abbreviations mapped to one canonical token ("k8s" =
"kubernetes", "load balancer" = "LB"), and every word reduced to its Snowball stem so
inflections meet ("rolled back" = "rolling back" = "roll back").

Every token keeps the character span of the original text it came from, so feedback can
highlight exactly the words that earned (or lost) credit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

# Typographic characters that NFKC leaves alone but candidates and editors produce.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None,
    "\ufeff": None,
})

# Words, numbers with an optional unit suffix (5xx, p99, 10k, 2x), and the few symbols
# that carry meaning in this domain. Everything else separates tokens.
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?[a-z]*"  # 10,000 and 5,000ms
    r"|[a-z]*\d+(?:\.\d+)+[a-z]*"  # 1.5x, v2.14.0, 99.9
    r"|[a-z0-9]+(?:'[a-z]+)?"  # words, 5xx, p99, don't
    r"|%|\$"
    r"|[.;:!?](?=[\s*_)\]'\"]|$)|[,\n]"  # clause breaks; "e.g." and "v1.2" are not
)
_CLAUSE_BREAK = frozenset(".;:!?,\n")  # matched as single characters only

# Function words only: quantifiers ("few", "all", "more") and directions ("up", "down",
# "out") change meaning in this domain ("scale up", "few percent"), so they stay.
STOPWORDS = frozenset("""
a an the of to in on at by for from with as into onto about than then so such and or but
if while is are was were be been being am do does did doing has have had having it its
this that these those there their them they we our us you your i me my he she his her
him what which who whom whose when where why how can could should would will shall may
might must just also here s t d ll m re ve y let lets via e g eg ie etc
""".split())

NEGATIONS = frozenset(
    """
not no never without avoid avoids avoided avoiding nor neither none nobody nothing skip
skips skipping skipped instead rather refuse refuses stop stops
""".split()
)

_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
    "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
    "ninety": "90", "hundred": "100", "thousand": "1000", "once": "1",
}

# Irregular forms the stemmer cannot join to their base.
_IRREGULAR = {
    "ran": "run", "took": "take", "taken": "take", "built": "build", "wrote": "write",
    "written": "write", "fell": "fall", "fallen": "fall", "sent": "send", "went": "go",
    "gone": "go", "broke": "break", "broken": "break", "chose": "choose", "chosen": "choose",
    "saw": "see", "seen": "see", "kept": "keep", "led": "lead", "lost": "lose",
    "shut": "shut", "spun": "spin", "swapped": "swap", "hit": "hit", "bought": "buy",
    "caught": "catch", "thought": "think", "found": "find", "held": "hold", "began": "begin",
    "begun": "begin", "drove": "drive", "driven": "drive", "grew": "grow", "grown": "grow",
    "rode": "ride", "rolledback": "rollback", "children": "child", "data": "data",
    "indices": "index", "indexes": "index", "caches": "cache", "cached": "cache",
    "caching": "cache",
}

# Single tokens that stand for the same thing.
_SYNONYM_TOKENS = {
    "k8s": "kubernetes", "kube": "kubernetes", "db": "database", "dbs": "database",
    "rdbms": "database", "lbs": "lb", "ttls": "ttl", "5xxs": "5xx", "500s": "5xx",
    "503s": "503", "502s": "502", "pct": "percent", "%": "percent", "percentage": "percent",
    "ms": "millisecond", "msec": "millisecond", "milliseconds": "millisecond",
    "secs": "second", "sec": "second", "seconds": "second", "mins": "minute",
    "min": "minute", "minutes": "minute", "hrs": "hour", "hr": "hour", "hours": "hour",
    "config": "configuration", "configs": "configuration", "env": "environment",
    "envs": "environment", "prod": "production", "repo": "repository",
    "repos": "repository", "infra": "infrastructure", "auth": "authentication",
    "authn": "authentication", "deps": "dependency", "dep": "dependency",
    "svc": "service", "svcs": "service", "msg": "message", "msgs": "message",
    "req": "request", "reqs": "request", "perf": "performance", "latencies": "latency",
    "p99s": "p99", "ci/cd": "cicd", "cd": "cd", "info": "information",
    "ok": "okay", "vs": "versus",
}

# Multi-word phrases that stand for one canonical token (matched on stems).
_PHRASES_TEXT = {
    # One spelling each: hyphens, slashes and plurals already meet in the pipeline.
    "load balancer": "lb", "time to live": "ttl", "99th percentile": "p99",
    "95th percentile": "p95", "50th percentile": "p50", "server error": "5xx",
    "5xx errors": "5xx", "500 errors": "5xx", "http 500": "5xx",
    "internal server error": "5xx", "feature flag": "featureflag",
    "feature toggle": "featureflag", "feature switch": "featureflag",
    "kill switch": "killswitch", "blue green": "bluegreen", "red black": "bluegreen",
    "continuous integration": "ci", "continuous delivery": "cd",
    "continuous deployment": "cd", "ci cd": "cicd", "service level objective": "slo",
    "service level indicator": "sli", "error budget": "errorbudget",
    "content delivery network": "cdn", "domain name system": "dns",
    "mean time to recovery": "mttr", "mean time to recover": "mttr",
    "mean time to restore": "mttr", "time to first byte": "ttfb",
    "real user monitoring": "rum", "infrastructure as code": "iac",
    "point of presence": "pop", "transport layer security": "tls", "ssl/tls": "tls",
    "out of memory": "oom", "oom killed": "oom", "oomkilled": "oom",
    "crash loop": "crashloop", "crashloopbackoff": "crashloop",
    "health check": "healthcheck", "healthcheck": "healthcheck",
    "round robin": "roundrobin", "least connections": "leastconn",
    "least conn": "leastconn",
    # SQL's NOT NULL is a name, not a negation ("add the NOT NULL constraint").
    "not null": "notnull", "no-op": "noop",
}


_UNIT_AFTER_NUMBER = {"s": "second", "m": "minute", "h": "hour", "x": "x", "k": "000"}


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised word: `norm` before stemming, `stem` for comparison."""

    norm: str
    stem: str
    start: int
    end: int
    clause: int


def fold(text: str) -> str:
    """Unicode-normalised, lower-cased text of the same length as far as possible."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD).lower()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    if word.isdigit() or len(word) <= 3:
        return word
    return _STEMMER.stemWord(word)


def _split_raw(text: str) -> list[tuple[str, int, int, int]]:
    """(word, start, end, clause) for each raw word; spans index into `text`."""
    out: list[tuple[str, int, int, int]] = []
    clause = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word in _CLAUSE_BREAK:
            clause += 1
            continue
        start, end = m.span()
        if word.endswith("n't") and len(word) > 3:
            base = word[:-3]
            base = {"wo": "will", "ca": "can", "sha": "shall"}.get(base, base)
            out.append((base, start, end, clause))
            out.append(("not", start, end, clause))
            continue
        if "'" in word:
            head, _, tail = word.partition("'")
            out.append((head, start, end, clause))
            if tail in ("re", "ve", "ll", "d", "m"):  # we're, I've ... carry no content
                continue
            continue
        out.append((word, start, end, clause))
    return out


def _expand(word: str) -> list[str]:
    """Number and unit spellings to one form: '10k' -> '10000', '2x' -> '2 x'."""
    if word in _NUMBER_WORDS:
        return [_NUMBER_WORDS[word]]
    if word in _SYNONYM_TOKENS:
        return [_SYNONYM_TOKENS[word]]
    if word[0].isdigit():
        word = word.replace(",", "")
        m = re.fullmatch(r"(\d+)k", word)
        if m:
            return [m.group(1) + "000"]
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h|x|gb|mb|gib|mib|rps)", word)
        if m:
            unit = _SYNONYM_TOKENS.get(m.group(2), m.group(2))
            if m.group(2) == "s":
                unit = "second"
            return [m.group(1), unit]
        return [word]
    return [word]


def _phrase_table() -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for phrase, canon in _PHRASES_TEXT.items():
        words = [w for raw, *_ in _split_raw(fold(phrase)) for w in _expand(raw)]
        table[tuple(stem(w) for w in words)] = canon
    return table


_PHRASES = _phrase_table()
_PHRASE_LENGTHS = sorted({len(k) for k in _PHRASES}, reverse=True)
_PHRASE_HEADS = frozenset(k[0] for k in _PHRASES)


def tokenize(text: str) -> list[Token]:
    """Normalised tokens of `text`, with spans into `text` itself."""
    folded = fold(text)
    if len(folded) != len(text):
        # NFKC changed the length (ligatures, full-width forms): spans would drift, so map
        # them back through a per-character fold.
        return _tokenize_mapped(text)
    return _tokens_from(folded)


def _tokens_from(folded: str, offsets: list[int] | None = None) -> list[Token]:
    words: list[tuple[str, str, int, int, int]] = []
    for raw, start, end, clause in _split_raw(folded):
        if offsets is not None:
            start, end = offsets[start], offsets[end - 1] + 1
        if raw in _UNIT_AFTER_NUMBER and words and words[-1][0][0].isdigit():
            raw = _UNIT_AFTER_NUMBER[raw]  # "45 s" is seconds, not a possessive
        for w in _expand(raw):
            words.append((w, stem(w), start, end, clause))
    tokens: list[Token] = []
    i = 0
    n = len(words)
    while i < n:
        if words[i][1] in _PHRASE_HEADS:
            for length in _PHRASE_LENGTHS:
                if i + length <= n:
                    key = tuple(w[1] for w in words[i : i + length])
                    canon = _PHRASES.get(key)
                    if canon is not None:
                        tokens.append(Token(canon, canon, words[i][2], words[i + length - 1][3],
                                            words[i][4]))
                        i += length
                        break
            else:
                w = words[i]
                tokens.append(Token(w[0], w[1], w[2], w[3], w[4]))
                i += 1
            continue
        w = words[i]
        tokens.append(Token(w[0], w[1], w[2], w[3], w[4]))
        i += 1
    return tokens


def _tokenize_mapped(text: str) -> list[Token]:
    pieces: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = fold(ch)
        pieces.append(folded)
        offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return _tokens_from("".join(pieces), offsets)


def content(tokens: list[Token]) -> list[Token]:
    """Tokens that carry meaning (stopwords dropped)."""
    return [t for t in tokens if t.norm not in STOPWORDS]
