"""Simulated time, re-exported from the bank's simulation grammar (where action times are
parsed): `parse_elapsed`, `parse_clock`, and `elapsed` / `wall` to print ticks for people."""

from __future__ import annotations

from trainer.bank.simgrammar import elapsed, parse_clock, parse_elapsed, wall

__all__ = ["elapsed", "parse_clock", "parse_elapsed", "wall"]
