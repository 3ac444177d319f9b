"""A per-file cache of converted bank files, so unchanged banks load without parsing.

YAML parsing dominates load time (libyaml's event stream alone is ~0.1 s per MB here), and
every command and the app load the bank at start. A file that loaded without problems is
stored here, keyed by its resolved path, a SHA-256 of the very bytes that were parsed and a
fingerprint of the models; any change to the file or to the models makes the entry stale,
and a file saved while it was being read can never pass for its new content. Cross-file
checks (duplicate ids, dangling `related`) still run on every load.

Entries are pickles, read back with an unpickler that accepts only the bank model classes,
so a tampered cache file cannot run code; an unreadable entry is simply re-parsed. An
entry holds models that skipped validation, so it is trusted only when nobody else could
have written it: the entry and its folder must belong to this user and be writable by no
one else (a shared or group-writable data folder just loses the speed-up). `bank check`
never reads entries at all.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from trainer.paths import cache_dir

from . import convert as convert_module
from . import fielddoc, models, simcheck, simgrammar, simsystems, simulation
from .models import BankFile

_ALLOWED = {
    mod.__name__: (mod, {n for n in dir(mod) if isinstance(getattr(mod, n), type)})
    for mod in (models, simulation, simsystems)
}


class _ModelsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        mod, names = _ALLOWED.get(module, (None, set()))
        if mod is not None and name in names:
            return getattr(mod, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a bank model")


@cache
def _fingerprint() -> str:
    # The source files of the models and of the per-file checks, not the generated schema:
    # hashing a few files is far cheaper at every start-up, and any edit to them makes old
    # entries stale (an entry that passed old checks must not skip new ones).
    digest = hashlib.sha256()
    for mod in (models, simulation, simsystems, fielddoc, convert_module, simgrammar,
                simcheck):
        digest.update(Path(mod.__file__).read_bytes())  # type: ignore[arg-type]
    return digest.hexdigest()[:16]


def _entry_path(path: Path) -> Path:
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    return cache_dir() / "bank" / f"{digest}.pickle"


def digest(data: bytes) -> str:
    """The key of a file's content: the bytes that were (or will be) parsed."""
    return hashlib.sha256(data).hexdigest()


def _key(path: Path, content: str) -> tuple[str, str, str]:
    return (str(path), content, _fingerprint())


def enabled() -> bool:
    return os.environ.get("TRAINER_NO_CACHE", "") in ("", "0")


def _private(path: Path) -> bool:
    """Owned by this user and writable by nobody else (where the OS has owners)."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def get(path: Path, content: str) -> tuple[BankFile, dict[str, int]] | None:
    """The converted file whose bytes hash to `content`, if it was stored."""
    if not enabled():
        return None
    try:
        key = _key(path, content)
        entry = _entry_path(path)
        with entry.open("rb") as fh:
            if not (_private(entry.parent) and _private(entry)):
                return None
            data = fh.read()
        stored_key, value = _ModelsOnly(io.BytesIO(data)).load()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return value if stored_key == key else None


def put(path: Path, content: str, value: tuple[BankFile, dict[str, int]]) -> None:
    if not enabled():
        return
    target = _entry_path(path)
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # An older trainer (or a umask of 002) may have made the folder group-writable;
        # get() would then never trust it.
        os.chmod(target.parent, 0o700)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pickle.dumps((_key(path, content), value),
                                  protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, target)
    except OSError:
        # A read-only or full cache folder only costs speed; loading must not fail for it.
        return
