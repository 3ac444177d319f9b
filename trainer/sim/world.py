"""What the rollout strategies and the server may touch of the running simulation.

The engine's `Simulation` satisfies both protocols. Typing the back-pointer this narrowly
keeps strategies and the server away from the loop's own bookkeeping (the action queue,
the totals, the metrics), and says in one place what each part depends on.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Protocol

from trainer.bank.simulation import Analysis, Build
from trainer.bank.simulation import Simulation as SimSpec

from .cache import CacheState
from .cdn import CdnState
from .certs import CertState
from .faults import Faults
from .flags import FlagState
from .pods import Cluster, Template
from .traffic import Users


class _Shared(Protocol):
    """What strategies and the server both read."""

    @property
    def spec(self) -> SimSpec: ...

    @property
    def rng(self) -> random.Random:
        """The one seeded RNG: every draw in a fixed order keeps runs reproducible."""

    @property
    def seed(self) -> int:
        """The run's seed, for the RNGs that keep a stream of their own."""

    @property
    def cluster(self) -> Cluster: ...

    @property
    def faults(self) -> Faults: ...


class World(_Shared, Protocol):
    """What a rollout strategy may use."""

    @property
    def analysis(self) -> Analysis:
        """The spec's analysis block, or its defaults when the spec has none."""

    @property
    def flags(self) -> Mapping[str, FlagState]: ...

    def log(self, t: int, text: str) -> None:
        """Add a line to the event log."""

    def detect(self, t: int) -> None:
        """The tooling acted on its own (an automated rollback): someone is told at t."""

    def initial_template(self) -> Template:
        """The pod template of the old version, as the fleet runs it at tick 0."""

    def build(self, version: str) -> Build | None:
        """The scenario's build of this version (its manifest changes), if it declares one."""

    def version_share(self, version: str) -> float:
        """Share of last tick's offered requests that `version` received."""


class ServingWorld(_Shared, Protocol):
    """What the server reads and feeds while it serves one tick."""

    @property
    def cdn(self) -> CdnState | None: ...

    @property
    def users(self) -> Users: ...

    @property
    def certs(self) -> CertState | None: ...

    @property
    def cache(self) -> CacheState | None: ...
