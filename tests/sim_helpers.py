"""Small simulation specs for the simulator tests."""

from __future__ import annotations

from trainer.bank.simulation import (
    Analysis,
    Fault,
    Flag,
    Fleet,
    Strategy,
    Timeline,
    Traffic,
)
from trainer.bank.simulation import Simulation as SimSpec


def spec(kind: str = "rolling", *, strategy: dict | None = None, fleet: dict | None = None,
         traffic: dict | None = None, faults: tuple[Fault, ...] = (),
         analysis: Analysis | None = None, duration: int = 900, script: tuple[str, ...] = (),
         flags: tuple[Flag, ...] = (), **extra) -> SimSpec:
    return SimSpec(
        strategy=Strategy(kind=kind, **(strategy or {})),
        fleet=Fleet(**{"old_version": "v1", "new_version": "v2", "replicas": 6,
                       "pod_capacity_rps": 100, **(fleet or {})}),
        traffic=Traffic(**{"rps": 200, "users": 20000, "curve": "flat", **(traffic or {})}),
        timeline=Timeline(duration_s=duration, script=script),
        recommended=("0 pause",),
        faults=faults,
        analysis=analysis,
        flags=flags,
        **extra,
    )
