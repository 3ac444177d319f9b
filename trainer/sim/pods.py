"""Pods and ReplicaSets with Kubernetes lifecycle timing.

Pods move through their lifecycle by timers rather than per-tick polling: each pod keeps
`next_t`, and the cluster only visits pods whose timer is due, so a quiet 50-pod fleet
costs almost nothing per tick. Any change that affects routing or controller decisions
bumps `Cluster.version`, which is what the router and controllers cache on.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.bank.simulation import Fleet

NEVER = 1 << 60


@dataclass(frozen=True, slots=True)
class Template:
    """A pod template: what a ReplicaSet runs. Equal templates mean the same ReplicaSet."""

    version: str
    fixes: frozenset[str] = frozenset()
    grace_s: int = 30
    memory_mib: int = 512
    pool: int = 10


@dataclass(slots=True, eq=False)
class Pod:
    name: str
    rs: ReplicaSet
    phase: str = "Pending"  # Pending, Running, CrashLoopBackOff, Terminating
    container_start: int = 0
    ready_at: int = NEVER
    ready: bool = False
    ready_since: int = -1
    available_at: int = NEVER
    restarts: int = 0
    backoff_n: int = 0
    oom_at: int = NEVER
    crash_budget: float = math.inf  # requests left before the crash-loop pattern panics it
    crash_now: bool = False
    backoff_until: int = 0
    deleted_at: int = -1
    unroute_at: int = -1  # endpoint removal reaches the proxies
    exit_at: int = NEVER  # process gone
    next_t: int = 0

    def routable(self, t: int) -> bool:
        """In the proxies' endpoint lists: Ready, or removed too recently to have propagated."""
        if self.deleted_at < 0 and self.ready:
            return True
        return t < self.unroute_at

    def alive(self, t: int) -> bool:
        """Answering requests; a routable pod that is not alive fails what it is sent."""
        if self.deleted_at >= 0:
            return t < self.exit_at  # exit_at is the deletion tick for a pod never Ready
        return self.ready

    def available(self, t: int) -> bool:
        return self.ready and self.deleted_at < 0 and t >= self.available_at

    @property
    def terminating(self) -> bool:
        return self.deleted_at >= 0


@dataclass(slots=True, eq=False)
class ReplicaSet:
    name: str
    template: Template
    revision: int
    spec: int = 0
    pods: list[Pod] = field(default_factory=list)
    warmth: float = 1.0
    created_t: int = 0
    owner: str = ""

    def live(self) -> list[Pod]:
        return [p for p in self.pods if not p.terminating]

    def count_available(self, t: int) -> int:
        return sum(1 for p in self.pods if p.available(t))


class Cluster:
    """Every ReplicaSet and pod of the service, and the kubelet's timers."""

    def __init__(self, fleet: Fleet, rng: random.Random,
                 log: Callable[[int, str], None]) -> None:
        self.fleet = fleet
        self.rng = rng
        self.log = log
        self.sets: list[ReplicaSet] = []
        self.version = 0
        self.next_t = NEVER
        # Pods created per version: until a version has run once per replica, a new pod
        # probably lands on a node that has not pulled its image yet.
        self.pulled: dict[str, int] = {}
        self.leaks: dict[str, float] = {}  # template version -> MiB per minute
        self.crash_every: dict[str, float] = {}  # version -> mean requests between panics
        self._names = 0
        # Set by the fault model: does this template exit at once on SIGTERM?
        self.abrupt: Callable[[Template], bool] = lambda tpl: False

    # --- naming and ReplicaSets -------------------------------------------------------
    def _hash(self) -> str:
        return f"{self.rng.getrandbits(20):05x}"

    def replica_set(self, template: Template, revision: int, t: int,
                    owner: str = "") -> ReplicaSet:
        for rs in self.sets:
            if rs.template == template and rs.owner == owner:
                rs.revision = revision
                return rs
        warm = 1.0 if self.fleet.warmup_s == 0 else 0.0
        name = f"{owner or self.fleet.service}-{self._hash()[:4]}"
        rs = ReplicaSet(name, template, revision, warmth=warm, created_t=t, owner=owner)
        self.sets.append(rs)
        self.version += 1
        return rs

    def pods(self) -> list[Pod]:
        return [p for rs in self.sets for p in rs.pods]

    # --- pod lifecycle ----------------------------------------------------------------
    def create_pod(self, rs: ReplicaSet, t: int, ready_now: bool = False) -> Pod:
        self._names += 1
        pod = Pod(f"{rs.name}-{self._hash()[-5:]}", rs)
        rs.pods.append(pod)
        version = rs.template.version
        if ready_now:
            self.pulled[version] = self.fleet.replicas
            pod.phase, pod.ready, pod.ready_since = "Running", True, t - 3600
            pod.container_start, pod.ready_at, pod.available_at = t - 3600, t - 3600, t - 3600
            self._arm_faults(pod, t)
        else:
            seen = self.pulled.get(version, 0)
            pull = 0 if seen >= self.fleet.replicas else self.fleet.image_pull_s
            self.pulled[version] = seen + 1
            self._start_container(pod, t + 1 + pull)
        self._touch(pod)
        return pod

    def _start_container(self, pod: Pod, start: int) -> None:
        f = self.fleet
        pod.phase = "Pending"
        pod.container_start = start
        app_ready = start + f.startup_s
        probes = -(-(app_ready - start) // f.readiness_period_s)
        pod.ready_at = start + probes * f.readiness_period_s
        pod.next_t = start

    def _arm_faults(self, pod: Pod, t: int) -> None:
        tpl = pod.rs.template
        leak = self.leaks.get(tpl.version, 0.0)
        base = self.fleet.memory_base_mib
        if leak > 0 and tpl.memory_mib > base:
            pod.oom_at = pod.container_start + int(60 * (tpl.memory_mib - base) / leak)
        else:
            pod.oom_at = NEVER
        every = self.crash_every.get(tpl.version, 0.0)
        pod.crash_budget = self.rng.expovariate(1.0 / every) if every > 0 else math.inf

    def memory(self, pod: Pod, t: int) -> float:
        leak = self.leaks.get(pod.rs.template.version, 0.0)
        up = max(0, t - pod.container_start)
        return min(pod.rs.template.memory_mib, self.fleet.memory_base_mib + leak * up / 60)

    def delete_pod(self, pod: Pod, t: int) -> None:
        """Endpoint removal and preStop/SIGTERM start together; removal lands after a lag."""
        if pod.terminating:
            return
        f, tpl = self.fleet, pod.rs.template
        pod.deleted_at = t
        pod.unroute_at = t + f.endpoint_lag_s if pod.ready else t
        graceful = not self.abrupt(tpl)
        prestop = min(f.prestop_s, tpl.grace_s)
        if not pod.ready:
            pod.exit_at = t
        elif graceful:
            pod.exit_at = t + min(prestop + f.drain_s, tpl.grace_s)
            if prestop + f.drain_s > tpl.grace_s:
                self.log(t + tpl.grace_s, f"pod {pod.name} SIGKILLed after the "
                         f"{tpl.grace_s}s grace period (exit 137)")
        else:
            # Exits on SIGTERM at once: requests still routed to it until the lag ends fail.
            pod.exit_at = t + prestop
        pod.phase = "Terminating"
        later = [x for x in (pod.exit_at, pod.unroute_at) if x > t]
        pod.next_t = min(later) if later else t
        self._touch(pod)

    def flag_crash(self, pod: Pod, t: int) -> None:
        """The serving model saw the crash pattern hit this pod; it dies on the next tick."""
        pod.crash_now = True
        pod.next_t = t + 1
        self._touch(pod)

    def crash(self, pod: Pod, t: int, reason: str) -> None:
        pod.restarts += 1
        ran = t - pod.container_start
        pod.backoff_n = 1 if ran > 600 else pod.backoff_n + 1  # kubelet resets after 10 min
        delay = min(300, 10 * 2 ** (pod.backoff_n - 1))
        was_ready = pod.ready
        pod.ready, pod.ready_since = False, -1
        pod.available_at = pod.ready_at = NEVER
        pod.unroute_at = t + self.fleet.endpoint_lag_s if was_ready else t
        pod.phase = "CrashLoopBackOff"
        pod.crash_now = False
        pod.oom_at = NEVER
        pod.backoff_until = t + delay
        # Wake at the endpoint removal too: routing changes then, not only at the restart.
        pod.next_t = min(pod.unroute_at, pod.backoff_until) if was_ready else t + delay
        self.log(t, f"pod {pod.name} {reason}; restart {pod.restarts}, back-off {delay}s")
        self._touch(pod)

    def _touch(self, pod: Pod) -> None:
        self.version += 1
        if pod.next_t < self.next_t:
            self.next_t = pod.next_t

    def tick(self, t: int) -> None:
        """Advance every pod whose timer is due."""
        if t < self.next_t:
            return
        nxt = NEVER
        for rs in self.sets:
            gone = False
            for pod in rs.pods:
                if pod.next_t <= t or pod.crash_now:
                    self._advance(pod, t)
                    gone = gone or pod.phase == "Gone"
                if pod.next_t < nxt:
                    nxt = pod.next_t
            if gone:
                rs.pods = [p for p in rs.pods if p.phase != "Gone"]
        self.next_t = nxt

    def _advance(self, pod: Pod, t: int) -> None:
        self.version += 1
        if pod.terminating:
            if t >= pod.exit_at and t >= pod.unroute_at:
                pod.phase = "Gone"
                pod.next_t = NEVER
            else:
                pod.next_t = max(pod.exit_at, pod.unroute_at)
            return
        if pod.crash_now:
            self.crash(pod, t, "crashed (panic on a request pattern), exit 2")
            return
        if pod.phase == "CrashLoopBackOff":
            if t >= pod.backoff_until:
                self._start_container(pod, t)
            else:
                pod.next_t = pod.backoff_until
            return
        if pod.phase == "Pending" and t >= pod.container_start:
            pod.phase = "Running"
            self._arm_faults(pod, t)
            pod.next_t = min(pod.ready_at, pod.oom_at)
        if pod.phase == "Running":
            if t >= pod.oom_at:
                self.crash(pod, t, f"OOMKilled at {pod.rs.template.memory_mib} MiB")
                return
            if not pod.ready and t >= pod.ready_at:
                pod.ready, pod.ready_since = True, t
                pod.available_at = t + self.fleet.min_ready_s
            nxt = pod.oom_at
            if pod.ready and t < pod.available_at:
                nxt = min(nxt, pod.available_at)
            elif not pod.ready:
                nxt = min(nxt, pod.ready_at)
            pod.next_t = nxt
