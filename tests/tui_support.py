"""Helpers for Pilot tests of the app's screens."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot


async def until(pilot: Pilot, condition: Callable[[], object], timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (a timeout fails the test)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await pilot.pause(0.01)
