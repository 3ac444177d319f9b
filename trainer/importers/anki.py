"""Anki decks (.apkg): a zip holding an SQLite collection.

Anki 2.1.50+ writes `collection.anki21b` (zstd-compressed) beside a stub `collection.anki2`
that only says "please update Anki"; older versions write `collection.anki21` or
`collection.anki2`. The newest one present is read, read-only, from a private temp copy.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from .html import html_to_markdown
from .items import ImportedItem, ImportError_, ImportResult, topic

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_COLLECTION = 1024 * 1024 * 1024  # uncompressed; a zip bomb stops here
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.S)


def read_apkg(path: Path) -> ImportResult:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportError_(f"{path} is not an Anki deck (.apkg): {exc}") from None
    with archive, tempfile.TemporaryDirectory(prefix="trainer-apkg-") as tmp:
        names = set(archive.namelist())
        member = next((n for n in COLLECTIONS if n in names), None)
        if member is None:
            raise ImportError_(f"{path} holds no Anki collection")
        info = archive.getinfo(member)
        if info.file_size > MAX_COLLECTION:
            raise ImportError_(f"{path}: the collection is over 1 GB uncompressed")
        db = Path(tmp) / "collection.sqlite"
        data = archive.read(member)
        if member.endswith("b"):
            data = _unzstd(data, path)
        db.write_bytes(data)
        return _read_collection(db, path)


def _unzstd(data: bytes, path: Path) -> bytes:
    import zstandard

    try:
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=MAX_COLLECTION)
    except zstandard.ZstdError as exc:
        raise ImportError_(f"{path}: the collection cannot be decompressed ({exc})") from None


def _read_collection(db: Path, path: Path) -> ImportResult:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ImportError_(f"{path}: {exc}") from None
    try:
        decks, models = _decks_and_models(conn)
        rows = conn.execute("SELECT n.id, n.guid, n.mid, n.tags, n.flds, min(c.did) "
                            "FROM notes n LEFT JOIN cards c ON c.nid = n.id "
                            "GROUP BY n.id ORDER BY n.id").fetchall()
    except sqlite3.DatabaseError as exc:
        raise ImportError_(f"{path} is not an Anki collection ({exc})") from None
    finally:
        conn.close()
    names = sorted({decks.get(r[5], "") for r in rows} - {""})
    result = ImportResult(name=names[0] if len(names) == 1 else path.stem)
    for nid, guid, mid, tags, flds, did in rows:
        fields = str(flds).split("\x1f")
        cloze = models.get(mid, False)
        front, back = (fields + ["", ""])[:2]
        if cloze:
            prompt = html_to_markdown(_CLOZE.sub(lambda m: f"[{m.group(2) or '...'}]", front))
            answer = html_to_markdown(_CLOZE.sub(lambda m: m.group(1), front)
                                      + ("\n\n" + back if back else ""))
        else:
            prompt, answer = html_to_markdown(front), html_to_markdown(back)
        deck = decks.get(did, "")
        topics = [topic(t.replace("::", "-")) for t in str(tags).split()]
        if deck:
            topics.append(topic(deck.split("::")[-1]))
        result.add(ImportedItem(key=f"anki:{guid}", prompt=prompt, answer=answer,
                                topics=tuple(dict.fromkeys(topics)),
                                source=f"{path.name} note {nid}"))
    return result


def _decks_and_models(conn: sqlite3.Connection) -> tuple[dict[int, str], dict[int, bool]]:
    """Deck names by id, and whether each note type is a cloze type, from either schema:
    JSON in `col` (Anki before 2.1.28) or the `decks` and `notetypes` tables."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "decks" in tables and "notetypes" in tables:
        decks = {int(i): str(n).replace("\x1f", "::") for i, n in
                 conn.execute("SELECT id, name FROM decks")}
        # The note type's kind is in its protobuf config; a cloze type names its one field
        # "Text" and templates use {{cloze:...}}, which is what the cards hold.
        models = {int(i): "cloze" in str(n).lower() for i, n in
                  conn.execute("SELECT id, name FROM notetypes")}
        return decks, models
    row = conn.execute("SELECT decks, models FROM col").fetchone()
    raw_decks, raw_models = json.loads(row[0] or "{}"), json.loads(row[1] or "{}")
    return ({int(k): str(v.get("name", "")) for k, v in raw_decks.items()},
            {int(k): v.get("type") == 1 for k, v in raw_models.items()})
