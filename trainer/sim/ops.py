"""Actions the engine answers itself, before any rollout tool: images and builds, flags,
the CDN, alert thresholds, the database schema (a column default, the down-migration), the
TLS certificate, the cache and Argo CD (commit, sync, auto-sync).

A deploy names an image. Only versions the scenario defines exist: the old and new ones
and its `builds`. A build with a lead time is first written, built and pushed by CI; its
rollout starts when the pipeline lands it, so a forward-fix is never instant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import gitops, incidents
from .actions import Action
from .clock import elapsed

if TYPE_CHECKING:  # the engine imports this module
    from .engine import Simulation

Result = tuple[bool, str]


def _span(s: int) -> str:
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


def deploy(sim: Simulation, a: Action, t: int, by: str) -> Result | None:
    """Refuse unknown images, start the build of one that does not exist yet; None lets
    the rollout tool take the deploy."""
    version = a.args[0]
    if by == "you" and sim.gitops is not None:
        sim.gitops.drifted(sim, t)  # a hand-made change to what Argo CD manages
    if version not in sim.versions:
        return False, (f'error: image "{version}" not found: this scenario has '
                       f"{', '.join(sim.versions)}")
    if by != "pipeline" and version in sim.building:
        return False, f"{version} is already being built; its rollout starts at " \
                      f"{elapsed(sim.building[version])}"
    build = sim.versions[version]
    # The script's deploys are releases whose build is long done; the pipeline's land one.
    if by == "you" and build is not None and build.lead_time_s and version not in sim.built:
        ready = t + build.lead_time_s
        sim.building[version] = ready
        sim.schedule(Action(ready, "deploy", (version,)), by="pipeline")
        return True, (f"{version} goes through CI (write, build, test, push: "
                      f"{_span(build.lead_time_s)}); its rollout starts at {elapsed(ready)}")
    sim.building.pop(version, None)
    sim.built.add(version)
    return None


def flag(sim: Simulation, a: Action, t: int, by: str) -> Result:
    key, value = a.args
    state = sim.flags.get(key)
    if state is None:
        return False, f"flag '{key}' not found (known: {', '.join(sim.flags) or 'none'})"
    if value in ("on", "off"):
        state.switch(t, value == "on")
        if value == "off":
            return True, (f"flag {key} off: every SDK serves the off variation once the "
                          "change reaches it, whatever the rollout rule says")
        return True, f"flag {key} on: serves its rule again ({state.rule:g}%)"
    pct = float(value.rstrip("%"))
    state.set_rule(t, pct)
    note = "" if state.on else " (the flag is off: nothing is served until it is on)"
    return True, f"flag {key} rule now {pct:g}%{note} (reaches SDKs by their propagation)"


def purge(sim: Simulation, a: Action, t: int, by: str) -> Result:
    if sim.cdn is None:
        return False, "no CDN in front of this service"
    sim.cdn.purge(t)
    return True, (f"edge purge started; it takes up to {sim.cdn.spec.purge_s}s to reach every "
                  "edge, and each edge refills from what the origin serves then (browser "
                  "caches are untouched)")


def threshold(sim: Simulation, a: Action, t: int, by: str) -> Result:
    name, value = a.args[0], float(a.args[1])
    if name == "errors":
        sim.alert.points = value
    elif name == "p99":
        sim.alert.p99_factor = max(1.0, value)
    else:
        sim.alert.business_drop = min(1.0, value)
    return True, f"alert threshold {name} set to {value:g}"


def migrate_down(sim: Simulation, a: Action, t: int, by: str) -> Result:
    faults = sim.faults
    if not faults.migrated:
        return False, "nothing to migrate down: no migration has run"
    lock = faults.down_migrate(t)
    sim.add_data_at_risk(sim.new_column_writes())
    return True, (f"down-migration drops the new column: the ALTER waits for the table's "
                  f"metadata lock behind open transactions and every query on the table "
                  f"queues behind it for about {lock}s; what the new version wrote to the "
                  "column is gone")


# A metadata-only ALTER run the careful way (a lock timeout of a couple of seconds, retried)
# holds the table only briefly instead of queueing every query behind open transactions.
RELAX_LOCK_S = 2


def relax_constraint(sim: Simulation, a: Action, t: int, by: str) -> Result:
    """Give the new column a default: lossless, unlike the down-migration."""
    faults = sim.faults
    if not faults.migrated and faults.lock_until >= 0:
        return False, "the down-migration has dropped the new column: nothing to give a default"
    if not faults.migrated:
        return False, "no migration has run yet: there is no new column to give a default"
    if faults.relaxed:
        return False, "the new column already has a default"
    faults.relax(t, RELAX_LOCK_S)
    return True, ("the new column gets a default (ALTER ... SET DEFAULT changes only the "
                  "catalog: no table scan, no rewrite, nothing lost); with a short lock "
                  f"timeout it holds the table for about {RELAX_LOCK_S}s, and from then "
                  "on the old version's inserts succeed")


def certificate(sim: Simulation, a: Action, t: int, by: str) -> Result:
    if sim.certs is None:
        return False, "no certificate fault in this scenario: nothing to rotate or reload"
    return sim.certs.rotate(t) if a.name == "rotate-cert" else sim.certs.reload(t)


def cache(sim: Simulation, a: Action, t: int, by: str) -> Result:
    if sim.cache is None:
        return False, "no cache model in this scenario"
    if a.name == "flush-cache":
        return sim.cache.flush(t)
    return sim.cache.warm(float(a.args[0].rstrip("%")), t)


# Actions that act on the world rather than on the rollout tool, by name.
ENGINE_ACTIONS: dict[str, Callable[[Simulation, Action, int, str], Result]] = {
    "flag": flag, "purge": purge, "threshold": threshold, "migrate-down": migrate_down,
    "relax-constraint": relax_constraint,
    "rotate-cert": certificate, "reload": certificate,
    "warm-cache": cache, "flush-cache": cache,
    "commit": gitops.act, "sync": gitops.act, "auto-sync": gitops.act,
    **dict.fromkeys(incidents.ACTIONS, incidents.act),
}
