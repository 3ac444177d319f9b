"""The bank's IDF table and compiled keywords, kept on disk between runs.

Tokenising every model answer of the bank costs about half a second, more than the rest
of `trainer grade`'s start-up; the table only changes when the bank text, the lexicon or
the normaliser changes, so it is stored under the cache folder keyed by a hash of all
three. The file is JSON (data, never code); a damaged or unreadable one is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import lexicon as _lexicon_module
from . import text as _text_module

_VERSION = 1


def _source_hash() -> str:
    h = hashlib.sha256()
    for module in (_text_module, _lexicon_module):
        try:
            h.update(Path(module.__file__ or "").read_bytes())
        except OSError:
            h.update(module.__name__.encode())
    return h.hexdigest()


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
        if isinstance(data, dict) and all(isinstance(v, float) for v in data.values()):
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
    """Atomically, and quietly: a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{prefix}", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
        os.replace(tmp, path)
        for old in path.parent.glob(f"{prefix}*.json"):
            if old != path:  # one bank's table at a time is enough
                old.unlink(missing_ok=True)
    except OSError:
        pass


# A compiled keyword as stored: the fields of `matcher.Pattern` after its text (stems,
# has_negation, joined, words).
PatternRow = tuple[tuple[str, ...], bool, str | None, tuple[str, ...]]


def _row(value: object) -> PatternRow | None:
    """A stored row read back, or None when the file holds something else there."""
    if not isinstance(value, list) or len(value) != 4:
        return None
    stems, negation, joined, words = value
    if (isinstance(stems, list) and all(isinstance(s, str) for s in stems)
            and isinstance(negation, bool) and (joined is None or isinstance(joined, str))
            and isinstance(words, list) and all(isinstance(w, str) for w in words)):
        return tuple(stems), negation, joined, tuple(words)
    return None


def cached_patterns(texts: list[str], classes: object,
                    compile_all: Callable[[list[str]], dict[str, PatternRow]],
                    ) -> dict[str, PatternRow]:
    """Compiled keywords (as plain tuples) for `texts`, from disk when the lexicon and the
    normaliser are unchanged; the missing ones are compiled and the file rewritten."""
    key = hashlib.sha256(f"{_VERSION}\0{_source_hash()}\0{classes!r}".encode()).hexdigest()
    path = _folder() / f"patterns-{key[:32]}.json"
    known: dict[str, PatternRow] = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            known = {k: row for k, v in data.items() if (row := _row(v)) is not None}
    except (OSError, ValueError, TypeError):
        pass
    missing = [t for t in texts if t not in known]
    if missing:
        known.update(compile_all(missing))
        _write_json(path, known, "patterns-")
    return known
