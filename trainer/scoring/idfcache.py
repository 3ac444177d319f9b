"""The bank's IDF table, compiled keywords and normalised vocabulary, kept on disk.

Tokenising every model answer of the bank costs about half a second, more than the rest
of `trainer grade`'s start-up; the table only changes when the bank text, the lexicon or
the normaliser changes, so it is stored under the cache folder keyed by a hash of all
three. So are the compiled keywords, the lexicon members' stems (building the lexicon
would stem each of them in every process) and the normalised forms of the bank's words
(the words answers use most: a batch's workers would otherwise each stem them again).
Each file is data, never code: JSON, except the compiled keywords (tens of thousands of
rows, read by every batch), kept with `marshal` as columns of strings, booleans and None,
checked whole when read back (a code object or any other type fails the check). A
damaged or unreadable file is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Collection
from functools import cache
from itertools import chain
from pathlib import Path
from types import ModuleType

from . import lexicon as _lexicon_module
from . import normalise as _normalise_module
from . import text as _text_module
from .keywords import PatternRow
from .normalise import Forms, stored_forms

_VERSION = 1


@cache
def _source_hash() -> str:
    """The normaliser's code and the stemmer's: what every cached stem depends on."""
    modules: list[ModuleType] = [_text_module, _normalise_module, _lexicon_module,
                                 sys.modules[_normalise_module.STEMMER_MODULE]]
    h = hashlib.sha256()
    for module in modules:
        h.update(_file_bytes(module.__file__, module.__name__))
    return h.hexdigest()


def _file_bytes(path: str | None, name: str) -> bytes:
    """A module's source. A compiled module's file (setup.py) is a small loader that stays
    the same when its code changes, so the source installed beside it is read instead."""
    file = Path(path or "")
    if file.suffix != ".py":
        source = file.with_name(name.rpartition(".")[2] + ".py")
        if source.exists():
            file = source
    try:
        return file.read_bytes()
    except OSError:
        return name.encode()


def cached_idf(documents: list[str], classes: object,
               compute: Callable[[], dict[str, float]]) -> dict[str, float]:
    key = hashlib.sha256()
    key.update(f"{_VERSION}\0{_source_hash()}\0{classes!r}\0".encode())
    for doc in documents:
        key.update(doc.encode("utf-8", "surrogatepass"))
        key.update(b"\0")
    path = _folder() / f"idf-{key.hexdigest()[:32]}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and set(map(type, data.values())) <= {float}:
            return data
    except (OSError, ValueError):
        pass
    idf = compute()
    _write(path, idf)
    return idf


def _folder() -> Path:
    from trainer import paths

    return paths.cache_dir() / "scoring"


def _write(path: Path, idf: dict[str, float]) -> None:
    _write_json(path, idf, "idf-")


def _write_json(path: Path, data: object, prefix: str) -> None:
    _write_bytes(path, json.dumps(data, separators=(",", ":")).encode(), prefix)


def _write_bytes(path: Path, data: bytes, prefix: str) -> None:
    """Atomically, and quietly: a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{prefix}", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{prefix}*"):
            if old != path:  # one bank's table at a time is enough (in either format)
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _pattern_columns(rows: dict[str, PatternRow]) -> bytes:
    """Rows as five columns (texts, stems, negation, joined, words), each string once:
    marshal writes a string it has written before as a reference, so reading it back
    makes each distinct stem once rather than once per keyword it is in."""
    same: dict[str, str] = {}

    def one(s: str) -> str:
        return same.setdefault(s, s)

    values = rows.values()
    return marshal.dumps((
        tuple(rows),
        tuple([tuple([one(x) for x in stems]) for stems, _, _, _ in values]),
        tuple([negation for _, negation, _, _ in values]),
        tuple([one(joined) if joined is not None else None for _, _, joined, _ in values]),
        tuple([tuple([one(x) for x in words]) for _, _, _, words in values]),
    ), 4)


def _pattern_rows(data: object) -> dict[str, PatternRow]:
    """Columns read back as rows; empty when the file holds anything else. The checks run
    in C over whole columns: tuples of strings (str.join takes only strings), booleans,
    strings or None, all as long as each other."""
    if type(data) is not tuple or len(data) != 5:
        return {}
    texts, stems, negation, joined, words = data
    if ({type(c) for c in data} != {tuple} or len({len(c) for c in data}) != 1
            or not set(map(type, stems)) <= {tuple} or not set(map(type, words)) <= {tuple}
            or not set(map(type, negation)) <= {bool}
            or not set(map(type, joined)) <= {str, type(None)}):
        return {}
    try:
        "".join(texts)
        "".join(chain.from_iterable(stems))
        "".join(chain.from_iterable(words))
    except TypeError:
        return {}
    return dict(zip(texts, zip(stems, negation, joined, words, strict=True), strict=True))


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _strings(value: object) -> tuple[str, ...] | None:
    if type(value) is not list:
        return None
    try:
        "".join(value)  # one call in C checks that every item is a string
    except TypeError:
        return None
    return tuple(value)


def cached_member_keys(classes: object, compute: Callable[[], dict[str, tuple[str, ...]]],
                       ) -> dict[str, tuple[str, ...]]:
    """Each lexicon member's stems (its key), for the lexicon of `classes`."""
    key = hashlib.sha256(f"{_VERSION}\0{_source_hash()}\0{classes!r}".encode()).hexdigest()
    path = _folder() / f"lexicon-{key[:32]}.json"
    data = _read_json(path)
    if isinstance(data, dict):
        keys = {m: k for m, v in data.items() if (k := _strings(v)) is not None}
        if len(keys) == len(data):
            return keys
    keys = compute()
    _write_json(path, {m: list(k) for m, k in keys.items()}, "lexicon-")
    return keys


def cached_forms(documents: list[str], compute: Callable[[], dict[str, Forms]],
                 ) -> dict[str, object]:
    """The normalised forms of every word of `documents`, as `text.stored_forms` gives
    them (each is checked when it is read back, by `text.preload`'s reader)."""
    key = hashlib.sha256(f"{_VERSION}\0{_source_hash()}\0".encode())
    for doc in documents:
        key.update(doc.encode("utf-8", "surrogatepass"))
        key.update(b"\0")
    path = _folder() / f"words-{key.hexdigest()[:32]}.json"
    data = _read_json(path)
    if isinstance(data, dict):
        return data
    stored = stored_forms(compute())
    _write_json(path, stored, "words-")
    return stored


def cached_patterns(texts: Collection[str], classes: object,
                    compile_all: Callable[[list[str]], dict[str, PatternRow]],
                    ) -> dict[str, PatternRow]:
    """Compiled keywords (as plain tuples) for `texts`, from disk when the lexicon and the
    normaliser are unchanged; the missing ones are compiled (in sorted order) and the file
    rewritten."""
    key = hashlib.sha256(f"{_VERSION}\0{_source_hash()}\0{classes!r}".encode()).hexdigest()
    path = _folder() / f"patterns-{key[:32]}.marshal"
    try:
        known = _pattern_rows(marshal.loads(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):
        known = {}
    missing = sorted(t for t in texts if t not in known)
    if missing:
        known.update(compile_all(missing))
        _write_bytes(path, _pattern_columns(known), "patterns-")
    return known


# A model answer's vocabulary as stored: (stem, weight) pairs in the order `Vocabulary.of`
# was given them.
VocabularyRow = list[tuple[str, float]]


def _weight_pairs(value: object) -> VocabularyRow | None:
    if type(value) is not list:
        return None
    out: VocabularyRow = []
    for pair in value:
        if (type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str
                or type(pair[1]) is not float):
            return None
        out.append((pair[0], pair[1]))
    return out


def cached_vocabularies(documents: list[str], classes: object, texts: list[tuple[str, str]],
                        compute: Callable[[list[tuple[str, str]]], dict[tuple[str, str],
                                                                        VocabularyRow]],
                        ) -> dict[tuple[str, str], VocabularyRow]:
    """The weighted vocabulary of each (prompt, model answer) in `texts`. Weights come from
    the bank's IDF (so from `documents` and the lexicon) and from `draft.py`'s demotions,
    so its code is in the key too; the missing ones are computed and the file rewritten."""
    from . import draft

    key = hashlib.sha256(f"{_VERSION}\0{_source_hash()}\0{classes!r}\0".encode())
    key.update(_file_bytes(draft.__file__, draft.__name__))
    for doc in documents:
        key.update(doc.encode("utf-8", "surrogatepass"))
        key.update(b"\0")
    path = _folder() / f"vocabulary-{key.hexdigest()[:32]}.json"

    def name(pair: tuple[str, str]) -> str:
        raw = f"{pair[0]}\0{pair[1]}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(raw).hexdigest()[:32]

    data = _read_json(path)
    stored: dict[str, object] = data if isinstance(data, dict) else {}
    known: dict[tuple[str, str], VocabularyRow] = {}
    missing: list[tuple[str, str]] = []
    for pair in dict.fromkeys(texts):
        row = _weight_pairs(stored.get(name(pair)))
        if row is None:
            missing.append(pair)
        else:
            known[pair] = row
    if missing:
        made = compute(missing)
        known.update(made)
        stored.update({name(p): [list(x) for x in row] for p, row in made.items()})
        _write_json(path, stored, "vocabulary-")
    return known
