"""Action strings "T ACTION [ARGS]": re-exported from the bank's simulation grammar.

The grammar lives in `trainer.bank.simgrammar` so that checking a bank never imports the
simulator; this module keeps the simulator's own import path. Whether the rollout tool
accepts a well-formed action at that moment is the strategy's call (`Strategy.apply`).
"""

from __future__ import annotations

from trainer.bank.simgrammar import (
    ALIASES,
    MAX_REPLICAS,
    MAX_SECONDS,
    MAX_VALUE,
    PATCH_FIELDS,
    SPECS,
    THRESHOLDS,
    Action,
    ActionError,
    Spec,
    known,
    parse_action,
    parse_plan,
    quoted,
)

__all__ = [
    "ALIASES", "MAX_REPLICAS", "MAX_SECONDS", "MAX_VALUE", "PATCH_FIELDS", "SPECS",
    "THRESHOLDS", "Action", "ActionError", "Spec", "known", "parse_action", "parse_plan",
    "quoted",
]
