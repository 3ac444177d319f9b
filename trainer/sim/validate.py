"""`validate_simulation`, re-exported: the checks are data-level, so they live in the bank
(`trainer.bank.simcheck`), which must not import the simulator."""

from __future__ import annotations

from trainer.bank.simcheck import NEEDS_VERSION, validate_simulation

__all__ = ["NEEDS_VERSION", "validate_simulation"]
