"""Which class runs each `strategy.kind`."""

from __future__ import annotations

from .strategy import Rolling, Strategy
from .world import World


def build(world: World) -> Strategy:
    kind = world.spec.strategy.kind
    if kind == "rolling":
        return Rolling(world)
    if kind == "blue_green":
        from .bluegreen import BlueGreen

        return BlueGreen(world)
    if kind == "argo_canary":
        from .argo import ArgoCanary

        return ArgoCanary(world)
    if kind == "flagger":
        from .flagger import Flagger

        return Flagger(world)
    if kind == "flag":
        from .flagroll import FlagRollout

        return FlagRollout(world)
    from .dnsroll import DnsShift

    return DnsShift(world)
