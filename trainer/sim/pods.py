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

# How an app meets SIGTERM (the fault model decides per template).
GRACEFUL = "graceful"  # a handler: stops accepting, finishes what is in flight, exits 0
EXITS = "exits"  # no handler, the default action: dies at once (exit 143)
IGNORES = "ignores"  # PID 1 with no handler: the kernel ignores SIGTERM, SIGKILL at grace (137)

# Per-pod spread, so that pods of one version neither start nor run out of memory in
# lock-step: log-normal factors on startup and image pull time and on the leak rate.
STARTUP_SIGMA = 0.12
LEAK_SIGMA = 0.1


@dataclass(frozen=True, slots=True)
class Template:
    """A pod template: what a ReplicaSet runs. Equal templates mean the same ReplicaSet."""

    version: str
    fixes: frozenset[str] = frozenset()
    grace_s: int = 30
    memory_mib: int = 512
    pool: int = 10
    prestop_s: int = 0
    restarted: int = 0  # kubectl.kubernetes.io/restartedAt: a rolling restart's new template

    def __deepcopy__(self, memo: dict[int, object]) -> Template:
        return self


@dataclass(slots=True, eq=False)
class Pod:
    name: str
    rs: ReplicaSet
    phase: str = "Pending"  # Pending, Running, CrashLoopBackOff, Terminating
    created: int = 0
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
    accept_until: int = NEVER  # a terminating pod refuses new connections from here
    exit_at: int = NEVER  # process gone
    exit_note: str = ""  # how it ends (SIGKILL 137, exit 143), logged when it does
    cut: float = 0.0  # long requests still in flight when it dies
    next_t: int = 0

    def routable(self, t: int) -> bool:
        """In the proxies' endpoint lists: Ready, or removed too recently to have propagated."""
        if self.deleted_at < 0 and self.ready:
            return True
        return t < self.unroute_at

    def alive(self, t: int) -> bool:
        """Accepting requests; a routable pod that is not alive fails what it is sent."""
        if self.deleted_at >= 0:
            return t < self.accept_until
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
        # Set by the fault model: how this template's app meets SIGTERM.
        self.shutdown: Callable[[Template], str] = lambda tpl: GRACEFUL
        self.per_pod_rps = 0.0  # last tick's requests per routable pod (set by the engine)
        self.pending_cut = 0.0  # long requests a SIGKILL will cut, for the server to fail
        self.cut_scale = 1.0  # this seed's share of long requests, relative to the spec

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

    def phase_table(self) -> tuple[tuple[str, str, int], ...]:
        """(version, phase, count) of every pod, as `kubectl get pods` would group them."""
        table: dict[tuple[str, str], int] = {}
        for rs in self.sets:
            for p in rs.pods:
                if p.terminating:
                    phase = "Terminating"
                elif p.ready:
                    phase = "Ready"
                elif p.phase == "CrashLoopBackOff":
                    phase = "CrashLoopBackOff"
                else:
                    phase = "Starting"
                key = (rs.template.version, phase)
                table[key] = table.get(key, 0) + 1
        return tuple(sorted((v, ph, n) for (v, ph), n in table.items()))

    # --- pod lifecycle ----------------------------------------------------------------
    def create_pod(self, rs: ReplicaSet, t: int, ready_now: bool = False) -> Pod:
        self._names += 1
        pod = Pod(f"{rs.name}-{self._hash()[-5:]}", rs, created=t)
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
            if pull:
                pull = round(pull * self._jitter(STARTUP_SIGMA))
            self._start_container(pod, t + 1 + pull)
        self._touch(pod)
        return pod

    def _jitter(self, sigma: float) -> float:
        return math.exp(sigma * self.rng.gauss(0.0, 1.0))

    def _start_container(self, pod: Pod, start: int) -> None:
        f = self.fleet
        pod.phase = "Pending"
        pod.container_start = start
        app_ready = start + (round(f.startup_s * self._jitter(STARTUP_SIGMA)) if f.startup_s
                             else 0)
        probes = -(-(app_ready - start) // f.readiness_period_s)
        pod.ready_at = start + probes * f.readiness_period_s
        pod.next_t = start

    def _arm_faults(self, pod: Pod, t: int) -> None:
        tpl = pod.rs.template
        leak = self.leaks.get(tpl.version, 0.0)
        base = self.fleet.memory_base_mib
        if tpl.memory_mib <= base:
            # The working set alone is over the limit: OOMKilled while starting, every time.
            pod.oom_at = pod.container_start + 1
        elif leak > 0:
            rate = leak * self._jitter(LEAK_SIGMA)
            pod.oom_at = pod.container_start + int(60 * (tpl.memory_mib - base) / rate)
        else:
            pod.oom_at = NEVER
        every = self.crash_every.get(tpl.version, 0.0)
        pod.crash_budget = self.rng.expovariate(1.0 / every) if every > 0 else math.inf

    def delete_pod(self, pod: Pod, t: int) -> None:
        """Endpoint removal and preStop start together; the removal reaches the proxies
        after a lag, and SIGTERM comes when preStop returns (reference section 1)."""
        if pod.terminating:
            return
        f, tpl = self.fleet, pod.rs.template
        pod.deleted_at = t
        pod.phase = "Terminating"
        if not pod.ready:
            pod.unroute_at = pod.accept_until = pod.exit_at = t
        else:
            lag, grace = f.endpoint_lag_s, tpl.grace_s
            prestop = min(tpl.prestop_s, grace)
            pod.unroute_at = t + lag
            mode = self.shutdown(tpl)
            kill: int | None = None  # seconds after deletion when in-flight work is cut
            if mode == IGNORES:
                pod.accept_until = pod.exit_at = t + grace
                kill, last = grace, min(lag, grace)
                pod.exit_note = f"SIGKILLed after the {grace}s grace period (exit 137)"
            elif mode == EXITS:
                pod.accept_until = pod.exit_at = t + prestop
                kill, last = prestop, min(lag, prestop)
                pod.exit_note = "exited at once on SIGTERM (exit 143)"
            else:
                # A handler closes the listener at SIGTERM: what the proxies still send
                # before the removal lands is refused, which is what preStop is for.
                pod.accept_until = t + prestop
                last = min(lag, prestop)
                need = f.long_request_s if f.long_request_share else f.drain_s
                if prestop + need > grace:
                    pod.exit_at, kill = t + grace, grace
                    pod.exit_note = f"SIGKILLed after the {grace}s grace period (exit 137)"
                else:
                    pod.exit_at = t + prestop + need
            if kill is not None:
                pod.cut = self._cut(kill - last)
        pod.next_t = min(x for x in (pod.accept_until, pod.exit_at, pod.unroute_at) if x >= t)
        self._touch(pod)

    def _cut(self, gap: int) -> float:
        """Long requests still running when the process dies `gap` seconds after the last
        one arrived: with durations even over (0, D], those that began within D - gap."""
        d, share = self.fleet.long_request_s, self.fleet.long_request_share
        if not d or not share or gap >= d:
            return 0.0
        return self.per_pod_rps * share * self.cut_scale * (d - gap) ** 2 / (2 * d)

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
            if pod.exit_note and t >= pod.exit_at:
                self.log(t, f"pod {pod.name} {pod.exit_note}")
                pod.exit_note = ""
                self.pending_cut += pod.cut
                pod.cut = 0.0
            later = [x for x in (pod.accept_until, pod.exit_at, pod.unroute_at) if x > t]
            if later:
                pod.next_t = min(later)
            else:
                pod.phase = "Gone"
                pod.next_t = NEVER
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
