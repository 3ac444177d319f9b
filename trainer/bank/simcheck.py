"""Checks on a scenario's simulation block beyond what the type converter can see.

`validate_simulation(scenario)` returns readable problems (empty when fine); the loader
calls it for every scenario with a `simulation` block. The rules are about the block's
data (parsable plans and steps, times inside the run, the parameters each strategy and
fault needs), so they live in the bank, next to the grammar they use.
"""

from __future__ import annotations

from .models import Scenario
from .simgrammar import ActionError, parse_action, parse_step
from .simsystems import ACTION_BLOCKS
from .simulation import Simulation

NEEDS_VERSION = ("bad_version", "memory_leak", "crash_loop", "db_saturation", "skip_work",
                 "schema_migration")


def versions(sim: Simulation) -> list[str]:
    """Every version the scenario defines, so every image `deploy` can find."""
    out = [sim.fleet.old_version, sim.fleet.new_version]
    return out + [b.version for b in sim.builds if b.version not in out]


def _plan_problems(where: str, lines: tuple[str, ...], sim: Simulation) -> list[str]:
    out, duration, known = [], sim.timeline.duration_s, versions(sim)
    for line in lines:
        try:
            a = parse_action(line)
        except ActionError as exc:
            out.append(f"{where}: {exc}")
            continue
        # The run's last tick is duration - 1: an action at the duration would never run.
        if a.t >= duration:
            out.append(f"{where}: '{line}' is at {a.t}s, not before the end ({duration}s)")
        if a.name in ("commit", "sync", "auto-sync") and sim.gitops is None:
            out.append(f"{where}: '{line}' needs a gitops block")
        block = ACTION_BLOCKS.get(a.name)
        if block is not None and getattr(sim, block) is None:
            out.append(f"{where}: '{line}' needs a {block} block")
        if a.name in ("deploy", "commit") and a.args and a.args[0] not in known:
            out.append(f"{where}: '{line}' deploys a version the scenario does not define "
                       f"(known: {', '.join(known)}; add it to builds)")
    return out


def _build_problems(sim: Simulation) -> list[str]:
    out, seen = [], {sim.fleet.old_version, sim.fleet.new_version}
    builds = {b.version: b for b in sim.builds}
    for b in sim.builds:
        if b.version in seen:
            out.append(f"builds: '{b.version}' is listed twice or is the old or new version")
        seen.add(b.version)
    for i, f in enumerate(sim.faults, 1):
        for v in f.fixed_in:
            fix = builds.get(v)
            if fix is None:
                out.append(f"faults[{i}] ({f.id or f.kind}): fixed_in '{v}' is not one of "
                           "the builds")
            elif fix.lead_time_s == 0:
                out.append(f"builds: '{v}' fixes a fault, so it needs a lead_time_s above 0 "
                           "(a fix is never instant)")
    return out


def _strategy_problems(sim: Simulation) -> list[str]:
    s, out = sim.strategy, []
    for text in s.steps:
        try:
            parse_step(text)
        except ValueError as exc:
            out.append(f"strategy.steps: {exc}")
    if s.kind in ("argo_canary", "flag", "dns") and not s.steps:
        out.append(f"strategy: kind {s.kind} needs steps")
    if s.kind in ("rolling", "flagger", "blue_green") and s.steps:
        out.append(f"strategy: kind {s.kind} takes no steps")
    flags = {f.key for f in sim.flags}
    if s.kind == "flag" and s.flag not in flags:
        out.append(f"strategy.flag: '{s.flag}' is not one of the flags ({', '.join(flags)})")
    if s.kind == "flagger" and s.step_weight == 0:
        out.append("strategy.step_weight: Flagger needs a step weight above 0")
    if s.kind == "dns" and sim.fleet.old_version == sim.fleet.new_version:
        out.append("fleet: dns needs two different regions (old_version, new_version)")
    return out


def _fault_problems(sim: Simulation) -> list[str]:
    out = []
    flags = {f.key for f in sim.flags}
    names = [f.id or f.kind for f in sim.faults]
    for kind in ("cert_expiry", "cache_flush"):
        if sum(f.kind == kind for f in sim.faults) > 1:
            out.append(f"faults: one {kind} per scenario (one certificate, one cache)")
    for name in sorted({n for n in names if names.count(n) > 1}):
        # A fix names the faults it fixes, so two faults under one name are fixed together.
        out.append(f"faults: '{name}' names more than one fault; give each an id")
    for i, f in enumerate(sim.faults, 1):
        where = f"faults[{i}] ({f.id or f.kind})"
        if f.kind in NEEDS_VERSION and not f.version:
            out.append(f"{where}: needs a version")
        if f.version and f.version not in versions(sim) and f.version not in flags:
            out.append(f"{where}: version '{f.version}' is none of the scenario's versions")
        if f.kind == "memory_leak" and f.leak_mib_per_min <= 0:
            out.append(f"{where}: needs leak_mib_per_min above 0")
        if f.kind == "crash_loop" and f.crash_every <= 0:
            out.append(f"{where}: needs crash_every above 0")
        if f.kind == "db_saturation" and sim.database is None:
            out.append(f"{where}: needs a database block")
        if f.kind == "schema_migration" and not f.breaks:
            out.append(f"{where}: needs the versions it breaks")
        if f.kind == "stale_cdn" and sim.cdn is None:
            out.append(f"{where}: needs a cdn block")
        if f.kind == "flag_interaction":
            for key in (f.flag_a, f.flag_b):
                if key not in flags:
                    out.append(f"{where}: flag '{key}' is not declared in flags")
        if f.kind == "cache_flush" and (sim.database is None or f.queries_per_request <= 0):
            out.append(f"{where}: needs a database block and queries_per_request above 0")
        if f.kind == "cert_expiry" and f.error_rate <= 0:
            out.append(f"{where}: needs error_rate above 0 (the share of TLS clients that fail)")
        if f.at_s > sim.timeline.duration_s or f.onset_s > sim.timeline.duration_s:
            out.append(f"{where}: starts beyond the duration")
    return out


def _system_problems(sim: Simulation) -> list[str]:
    out, end = [], sim.timeline.duration_s
    if sim.failover is not None and (sim.strategy.kind != "rolling" or not any(
            f.kind == "cache_flush" and f.at_s == 0 for f in sim.faults)):
        out.append("failover: needs a rolling strategy (the autoscaler scales it) and a "
                   "cache_flush at 0 (the standby's empty cache)")
    moments = [("gateways.crash_at_s", sim.gateways and sim.gateways.crash_at_s),
               ("retries.lock_at_s", sim.retries and sim.retries.lock_at_s),
               ("failover.down_at_s", sim.failover and sim.failover.down_at_s)]
    out += [f"{name}: beyond the duration" for name, at in moments if at and at >= end]
    if sim.gateways is not None and sim.gateways.clients < sim.gateways.count:
        out.append("gateways: fewer clients than gateways")
    return out


def validate_simulation(scenario: Scenario) -> list[str]:
    """Problems with `scenario.simulation`, each prefixed with the scenario id."""
    sim = scenario.simulation
    if sim is None:
        return []
    tl = sim.timeline
    out = _plan_problems("recommended", sim.recommended, sim)
    out += _plan_problems("timeline.script", tl.script, sim)
    for i, wrong in enumerate(sim.wrong, 1):
        out += _plan_problems(f"wrong[{i}] ({wrong.label})", wrong.actions, sim)
    if tl.page_at_s > tl.duration_s:
        out.append(f"timeline.page_at_s: {tl.page_at_s}s is beyond the duration")
    out += _strategy_problems(sim)
    out += _fault_problems(sim)
    out += _build_problems(sim)
    out += _system_problems(sim)
    if sim.fleet.memory_base_mib >= sim.fleet.memory_limit_mib:
        out.append("fleet: memory_base_mib must be below memory_limit_mib")
    return [f"{scenario.id}: simulation.{p}" for p in out]
