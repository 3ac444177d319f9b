"""Where the trainer keeps its files: data (history), config and caches.

`TRAINER_HOME` (or `--data-dir`, which sets it) puts everything under one folder, which is
what tests and portable installs want; otherwise the platform's usual places are used.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "trainer"


def _home() -> Path | None:
    home = os.environ.get("TRAINER_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    home = _home()
    if home:
        return home
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    home = _home()
    if home:
        return home / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    home = _home()
    if home:
        return home / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))
