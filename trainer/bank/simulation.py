"""Typed models of a scenario's `simulation:` block.

The block describes one deployment in enough detail for the simulator to replay it tick by
tick: the rollout strategy and its parameters, the fleet, the traffic, the faults, the
timeline, the automated analysis, and the recommended and wrong action plans. The converter
checks types and ranges; `simcheck.validate_simulation` checks what spans fields (action
names, times within the duration, strategy-specific parameters).

Action strings are "T ACTION [ARGS]" where T is elapsed time since the start of the
simulation: seconds ("390"), "M:SS" ("6:30") or "H:MM:SS"; `simgrammar` parses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .fielddoc import doc
from .simsystems import Failover, Gateways, Replication, Retries

PERCENT_OR_COUNT = r"\d+%?"
CLOCK = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?"
StrategyKind = Literal["rolling", "blue_green", "argo_canary", "flagger", "flag", "dns"]
FaultKind = Literal[
    "bad_version", "memory_leak", "crash_loop", "db_saturation", "schema_migration",
    "stale_cdn", "abrupt_shutdown", "ignores_sigterm", "skip_work", "flag_interaction",
    "cert_expiry", "cache_flush",
]


@dataclass(frozen=True, slots=True)
class Strategy:
    """How the new version is rolled out; which fields apply depends on `kind`."""

    kind: StrategyKind = field(metadata=doc(
        "rolling = Kubernetes RollingUpdate; blue_green and argo_canary = Argo Rollouts; "
        "flagger = Flagger canary; flag = feature-flag percentage; dns = weighted DNS shift."))
    max_surge: str = field(default="25%", metadata=doc(
        "RollingUpdate maxSurge: pods or percent of replicas (rounded up).",
        pattern=PERCENT_OR_COUNT))
    max_unavailable: str = field(default="25%", metadata=doc(
        "RollingUpdate maxUnavailable: pods or percent of replicas (rounded down).",
        pattern=PERCENT_OR_COUNT))
    progress_deadline_s: int = field(default=600, metadata=doc(
        "progressDeadlineSeconds; only reports ProgressDeadlineExceeded, never rolls back.",
        min=1))
    revision_history_limit: int = field(default=10, metadata=doc(
        "Old ReplicaSets kept for undo.", min=0))
    steps: tuple[str, ...] = field(default=(), metadata=doc(
        "Canary, flag or DNS steps: 'setWeight N', 'pause' (until promoted), 'pause S' "
        "(seconds) or 'analysis'."))
    traffic_routing: bool = field(default=True, metadata=doc(
        "argo_canary: true = mesh weights; false = basic canary, traffic follows pod counts."))
    scale_down_delay_s: int = field(default=30, metadata=doc(
        "Argo scaleDownDelaySeconds: how long the old side keeps running after a switch.",
        min=0))
    abort_scale_down_delay_s: int = field(default=30, metadata=doc(
        "Argo abortScaleDownDelaySeconds: canary pods kept after an abort (0 = never).",
        min=0))
    auto_promotion: bool = field(default=True, metadata=doc(
        "blue_green autoPromotionEnabled; false pauses before the switch until promoted."))
    auto_promotion_s: int = field(default=0, metadata=doc(
        "blue_green autoPromotionSeconds after the preview is fully available.", min=0))
    switch_lag_s: int = field(default=5, metadata=doc(
        "Seconds a selector or weight change takes to reach every proxy.", min=0))
    interval_s: int = field(default=60, metadata=doc(
        "Flagger analysis interval.", min=10))
    threshold: int = field(default=5, metadata=doc(
        "Flagger failed checks that trigger a rollback.", min=1))
    step_weight: int = field(default=10, metadata=doc("Flagger stepWeight.", min=0, max=100))
    max_weight: int = field(default=50, metadata=doc("Flagger maxWeight.", min=1, max=100))
    flag: str = field(default="", metadata=doc("flag strategy: key of the flag rolled out."))
    ttl_s: int = field(default=300, metadata=doc("dns: record TTL in seconds.", min=1))
    keepalive_s: int = field(default=60, metadata=doc(
        "dns: how long clients keep a connection after their cache has moved on.", min=0))
    ignore_ttl_share: float = field(default=0.03, metadata=doc(
        "dns: share of clients that ignore the TTL (JVMs caching lookups, long-lived HTTP/2 "
        "or gRPC connections, resolvers clamping the TTL); each seed draws it within half "
        "either way.", min=0.0, max=0.2))
    ignore_ttl_s: int = field(default=14400, metadata=doc(
        "dns: how long such a client keeps an answer: it re-resolves only when its process "
        "or connection is replaced, evenly over this time.", min=1, max=604800))


@dataclass(frozen=True, slots=True)
class Fleet:
    """The service's pods and how they start, serve and stop."""

    old_version: str = field(metadata=doc(
        "Version running before the deploy (for dns: the old region's name).", min=1))
    new_version: str = field(metadata=doc(
        "Version being rolled out (for dns: the new region; for flag: the flag variant).",
        min=1))
    service: str = field(default="web", metadata=doc("Service name used in pod names."))
    replicas: int = field(default=10, metadata=doc("Desired replicas.", min=1, max=500))
    pod_capacity_rps: float = field(default=100.0, metadata=doc(
        "Requests per second one warm pod serves before queueing.", min=0.1))
    image_pull_s: int = field(default=10, metadata=doc(
        "Image pull time for a version no node has run yet.", min=0))
    startup_s: int = field(default=20, metadata=doc(
        "Seconds from container start until the app can pass readiness.", min=0))
    readiness_period_s: int = field(default=10, metadata=doc(
        "Readiness probe periodSeconds.", min=1))
    min_ready_s: int = field(default=0, metadata=doc("minReadySeconds.", min=0))
    termination_grace_s: int = field(default=30, metadata=doc(
        "terminationGracePeriodSeconds, preStop included.", min=0))
    prestop_s: int = field(default=0, metadata=doc("preStop sleep in seconds.", min=0))
    endpoint_lag_s: int = field(default=3, metadata=doc(
        "Seconds for an endpoint removal to reach every proxy.", min=0))
    drain_s: int = field(default=5, metadata=doc(
        "Seconds a graceful app needs to finish its ordinary in-flight requests.", min=0))
    long_request_share: float = field(default=0.0, metadata=doc(
        "Share of requests that run long (reports, uploads); a SIGKILL cuts those in flight.",
        min=0.0, max=1.0))
    long_request_s: int = field(default=0, metadata=doc(
        "Duration of the longest such request; their durations spread evenly up to it.",
        min=0, max=3600))
    memory_base_mib: int = field(default=200, metadata=doc("Memory at start.", min=1))
    memory_limit_mib: int = field(default=512, metadata=doc(
        "Container memory limit; the OOM killer fires here.", min=1))
    pool_size: int = field(default=10, metadata=doc(
        "Database connections each pod opens.", min=0))
    warmup_s: int = field(default=0, metadata=doc(
        "Time constant for a cold side to warm under traffic (0 = no cold-start effect).",
        min=0))
    cooldown_s: int = field(default=900, metadata=doc(
        "Time constant for an idle side to go cold.", min=1))
    old_warmth: float = field(default=1.0, metadata=doc(
        "Warmth of the old pods at the start: 1 = warm, 0 = idle long enough to be cold.",
        min=0.0, max=1.0))


@dataclass(frozen=True, slots=True)
class Traffic:
    """Offered load, its daily shape, the users behind it and the healthy baseline."""

    rps: float = field(metadata=doc("Requests per second at the start time.", min=0.1))
    users: int = field(default=50000, metadata=doc("Distinct active users.", min=1))
    curve: Literal["flat", "daily"] = field(default="daily", metadata=doc(
        "daily follows a day curve (trough ~04:00, peak ~15:00) from the start clock."))
    noise: float = field(default=0.03, metadata=doc(
        "Relative per-second noise of the offered load.", min=0.0, max=0.5))
    baseline_error_rate: float = field(default=0.003, metadata=doc(
        "Healthy error rate (0.003 = 0.3%).", min=0.0, max=1.0))
    p50_ms: float = field(default=40.0, metadata=doc("Healthy median latency.", min=0.1))
    p99_ms: float = field(default=250.0, metadata=doc("Healthy p99 latency.", min=0.1))
    conversion: float = field(default=0.02, metadata=doc(
        "Business events (orders) per served request.", min=0.0, max=1.0))
    write_share: float = field(default=0.2, metadata=doc(
        "Share of requests that write data (for data at risk).", min=0.0, max=1.0))
    slo: float = field(default=99.9, metadata=doc(
        "Availability SLO in percent over 30 days, for error budget burned.",
        min=50.0, max=99.9999))


@dataclass(frozen=True, slots=True)
class Database:
    """The shared database: load capacity, connections and schema."""

    capacity_qps: float = field(metadata=doc("Queries per second before saturation.", min=1.0))
    queries_per_request: float = field(default=5.0, metadata=doc(
        "Queries per request of the old version.", min=0.0))
    max_connections: int = field(default=0, metadata=doc(
        "Connection limit (0 = unlimited).", min=0))


@dataclass(frozen=True, slots=True)
class Cdn:
    """Edge and browser caches holding static assets whose URLs carry no content hash."""

    edge_max_age_s: int = field(default=3600, metadata=doc("Edge cache max-age.", min=1))
    browser_max_age_s: int = field(default=31536000, metadata=doc(
        "Browser cache max-age.", min=1))
    browser_share: float = field(default=0.3, metadata=doc(
        "Share of page loads whose assets come from the browser's own cache.",
        min=0.0, max=1.0))
    purge_s: int = field(default=240, metadata=doc(
        "Time an edge purge takes to reach every edge.", min=1))


@dataclass(frozen=True, slots=True)
class Flag:
    """A feature flag: percentage rollout by consistent hashing of user keys."""

    key: str = field(metadata=doc("Flag key.", min=1))
    percentage: float = field(default=0.0, metadata=doc(
        "Share of users on the flag at the start, in percent.", min=0.0, max=100.0))
    salt: str = field(default="", metadata=doc("Hash salt; defaults to the key."))
    propagation: Literal["streaming", "polling"] = field(default="streaming", metadata=doc(
        "streaming reaches SDKs in about a second; polling within one poll interval."))
    poll_s: int = field(default=30, metadata=doc("Polling interval.", min=1))


@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong in this deploy, as a parameterised model."""

    kind: FaultKind = field(metadata=doc("Which fault model."))
    id: str = field(default="", metadata=doc("Name used in events; defaults to the kind."))
    version: str = field(default="", metadata=doc(
        "Version (or region, or flag variant) carrying the fault."))
    fixed_in: tuple[str, ...] = field(default=(), metadata=doc(
        "Versions whose deploy fixes the fault, for it and every later deploy."))
    error_rate: float = field(default=0.0, metadata=doc(
        "Share of the affected requests that fail.", min=0.0, max=1.0))
    added_latency_ms: float = field(default=0.0, metadata=doc(
        "Latency added to every affected request.", min=0.0))
    latency_factor: float = field(default=1.0, metadata=doc(
        "Multiplier on latency (below 1 = faster, e.g. skipped work).", min=0.01))
    degraded_rate: float = field(default=0.0, metadata=doc(
        "Share of served requests answered wrongly with a 200 (broken page, skipped check, "
        "bad write).", min=0.0, max=1.0))
    business_drop: float = field(default=0.0, metadata=doc(
        "Drop of the business metric for affected users (0.15 = -15%).", min=0.0, max=1.0))
    segment: float = field(default=1.0, metadata=doc(
        "Share of users exposed (e.g. 0.02 = one browser); their requests alone fail.",
        min=0.0, max=1.0))
    onset_s: int = field(default=0, metadata=doc(
        "Seconds after the version first serves before the fault shows.", min=0))
    ramp_s: int = field(default=0, metadata=doc(
        "Seconds over which the fault grows to full strength.", min=0))
    min_share: float = field(default=0.0, metadata=doc(
        "Fault shows only while the version carries at least this traffic share.",
        min=0.0, max=1.0))
    leak_mib_per_min: float = field(default=0.0, metadata=doc(
        "memory_leak: growth per minute of uptime.", min=0.0))
    crash_every: float = field(default=0.0, metadata=doc(
        "crash_loop: mean requests a pod serves before the bad pattern panics it.", min=0.0))
    queries_per_request: float = field(default=0.0, metadata=doc(
        "db_saturation: queries per request of the faulty version; cache_flush: queries a "
        "cache miss makes.", min=0.0))
    at_s: int = field(default=0, metadata=doc(
        "schema_migration: when the migration runs; cert_expiry: the certificate's notAfter; "
        "cache_flush: when the keyspace is deleted.", min=0))
    breaks: tuple[str, ...] = field(default=(), metadata=doc(
        "schema_migration: versions that fail on the new schema."))
    lock_s: int = field(default=45, metadata=doc(
        "schema_migration: table lock a down-migration takes, failing every request.", min=0))
    flag_a: str = field(default="", metadata=doc("flag_interaction: first flag key."))
    flag_b: str = field(default="", metadata=doc("flag_interaction: second flag key."))
    data_risk: bool = field(default=False, metadata=doc(
        "True when the fault's bad writes put data at risk."))
    issue_s: int = field(default=600, metadata=doc(
        "cert_expiry: seconds from `rotate-cert` until a new certificate is issued by hand "
        "and its Secret updated.", min=0, max=86400))
    sync_s: int = field(default=60, metadata=doc(
        "cert_expiry: seconds until the kubelet refreshes a mounted Secret's files after an "
        "update (its sync period plus cache delay).", min=0, max=3600))
    hit_rate: float = field(default=0.95, metadata=doc(
        "cache_flush: the cache's steady hit rate.", min=0.0, max=0.999))
    refill_s: int = field(default=300, metadata=doc(
        "cache_flush: time constant of the refill by answered misses.", min=1, max=86400))
    warm_s: int = field(default=1200, metadata=doc(
        "cache_flush: seconds a warming script takes to load the whole keyspace.", min=1,
        max=86400))
    keys: int = field(default=100000, metadata=doc(
        "cache_flush: keys in the keyspace (Zipf popularity: the hottest few serve most "
        "reads).", min=1))


@dataclass(frozen=True, slots=True)
class GitOps:
    """An Argo CD Application that deploys what the config repo holds."""

    sync_s: int = field(default=180, metadata=doc(
        "How often Argo CD polls the repo (timeout.reconciliation, 3 min by default).",
        min=10, max=3600))
    commit_s: int = field(default=600, metadata=doc(
        "Seconds from `commit` until the PR is reviewed and merged.", min=0, max=86400))
    auto_sync: bool = field(default=True, metadata=doc(
        "syncPolicy.automated: a new commit is applied at the next poll."))
    self_heal: bool = field(default=False, metadata=doc(
        "selfHeal: live drift (a kubectl edit) is reverted to Git within seconds."))


@dataclass(frozen=True, slots=True)
class Build:
    """A version the scenario can deploy besides the old and new ones: a fix, a hotfix or a
    later release. Nothing else can be deployed: there is no such image."""

    version: str = field(metadata=doc("Image tag.", min=1))
    lead_time_s: int = field(default=0, metadata=doc(
        "Seconds from `deploy` until the image is written, built and pushed, so its rollout "
        "starts (0 = an image that already exists). A fix always takes time.", min=0))
    prestop_s: int = field(default=-1, metadata=doc(
        "preStop sleep this release's manifest sets (-1 = unchanged).", min=-1, max=3600))
    grace_s: int = field(default=-1, metadata=doc(
        "terminationGracePeriodSeconds this release sets (-1 = unchanged).", min=-1,
        max=3600))


@dataclass(frozen=True, slots=True)
class Timeline:
    """When the simulation starts, how long it runs, and what others do meanwhile."""

    duration_s: int = field(metadata=doc("Simulated seconds.", min=60, max=86400))
    start_clock: str = field(default="00:00", metadata=doc(
        "Wall-clock time at tick 0, HH:MM or HH:MM:SS.", pattern=CLOCK))
    page_at_s: int = field(default=0, metadata=doc(
        "When the on-call is paged (the scenario's briefing moment).", min=0))
    script: tuple[str, ...] = field(default=(), metadata=doc(
        "Actions others take in every run, 'T ACTION ARGS' (a CI deploy, a team's undo)."))


@dataclass(frozen=True, slots=True)
class Analysis:
    """Automated analysis and alerting thresholds."""

    judge: Literal["threshold", "mann_whitney"] = field(default="threshold", metadata=doc(
        "threshold checks or a Kayenta-style Mann-Whitney canary judge."))
    scope: Literal["canary", "aggregate"] = field(default="canary", metadata=doc(
        "canary = canary pods' own metrics; aggregate = the whole service (a common "
        "misconfiguration)."))
    interval_s: int = field(default=60, metadata=doc("Seconds between measurements.", min=10))
    count: int = field(default=3, metadata=doc(
        "Measurements an analysis step takes.", min=1))
    failure_limit: int = field(default=0, metadata=doc(
        "Argo failureLimit: the run fails when failures exceed it (-1 disables).", min=-1))
    inconclusive_limit: int = field(default=0, metadata=doc(
        "Argo inconclusiveLimit.", min=0))
    background: bool = field(default=False, metadata=doc(
        "argo_canary: run analysis in the background through all steps."))
    error_points: float = field(default=1.0, metadata=doc(
        "Fail when error rate exceeds baseline by this many percentage points.", min=0.0))
    p99_factor: float = field(default=1.5, metadata=doc(
        "Fail when p99 exceeds this multiple of the baseline.", min=1.0))
    business_drop: float = field(default=0.05, metadata=doc(
        "Fail (alert) when the business metric drops by more than this share and by more "
        "than three standard deviations of the window's order count.", min=0.0, max=1.0))
    max_restarts: int = field(default=-1, metadata=doc(
        "Fail when canary restarts in the window exceed this (-1 = not checked).", min=-1))
    min_requests: int = field(default=1, metadata=doc(
        "Fewer requests in a window = the query returns no data (Argo: a measurement Error, "
        "aborting after consecutive_error_limit; Flagger: 'no values found', a failed check).",
        min=0))
    consecutive_error_limit: int = field(default=4, metadata=doc(
        "Argo consecutiveErrorLimit: the run errors (and the rollout aborts) when consecutive "
        "Error measurements exceed it.", min=0))
    pass_score: float = field(default=75.0, metadata=doc(
        "mann_whitney: score needed to pass.", min=0.0, max=100.0))
    marginal_score: float = field(default=50.0, metadata=doc(
        "mann_whitney: score at or above which the result is Inconclusive.",
        min=0.0, max=100.0))
    min_success_rate: float = field(default=99.0, metadata=doc(
        "Flagger request-success-rate minimum, percent.", min=0.0, max=100.0))
    max_p99_ms: float = field(default=500.0, metadata=doc(
        "Flagger request-duration maximum (p99), ms.", min=1.0))
    alert_for_s: int = field(default=60, metadata=doc(
        "The service alert's `for:`: its condition must hold at every evaluation for this "
        "long before it fires.", min=0))
    alert_window_s: int = field(default=60, metadata=doc(
        "Rate window the alert condition averages over (Prometheus rate(...[1m])).", min=10))
    alert_eval_s: int = field(default=15, metadata=doc(
        "Alert rule evaluation interval.", min=1))
    reaction_s: int = field(default=120, metadata=doc(
        "Page delivery plus the on-call's acknowledgement: a firing alert counts as detection "
        "this long after it fires.", min=0))


@dataclass(frozen=True, slots=True)
class SimWrongAction:
    """A tempting plan expressed as actions, and why it does worse."""

    label: str = field(metadata=doc("The tempting move in a few words.", min=1))
    actions: tuple[str, ...] = field(metadata=doc(
        "The plan as 'T ACTION ARGS' strings; empty = do nothing."))
    why: str = field(metadata=doc("Why it does worse than the recommended plan.", min=1))


@dataclass(frozen=True, slots=True)
class Simulation:
    """A scenario as a runnable deployment: `trainer sim run SCENARIO`."""

    strategy: Strategy = field(metadata=doc("Rollout strategy and its parameters."))
    fleet: Fleet = field(metadata=doc("Pods, versions and their timings."))
    traffic: Traffic = field(metadata=doc("Load, users and the healthy baseline."))
    timeline: Timeline = field(metadata=doc("Start clock, duration, page time, script."))
    recommended: tuple[str, ...] = field(metadata=doc(
        "The recommended plan, 'T ACTION ARGS' strings.", min=1))
    faults: tuple[Fault, ...] = field(default=(), metadata=doc("What goes wrong."))
    analysis: Analysis | None = field(default=None, metadata=doc(
        "Automated analysis and alert thresholds (defaults when left out)."))
    database: Database | None = field(default=None, metadata=doc("Shared database."))
    cdn: Cdn | None = field(default=None, metadata=doc("Static-asset caches."))
    gitops: GitOps | None = field(default=None, metadata=doc(
        "Argo CD syncing the fleet's version from Git (the new version is what Git holds)."))
    gateways: Gateways | None = field(default=None, metadata=doc("WebSocket gateways."))
    retries: Retries | None = field(default=None, metadata=doc("Retrying clients."))
    failover: Failover | None = field(default=None, metadata=doc("A failed primary region."))
    replication: Replication | None = field(default=None, metadata=doc("Replica lag."))
    flags: tuple[Flag, ...] = field(default=(), metadata=doc("Feature flags in play."))
    builds: tuple[Build, ...] = field(default=(), metadata=doc(
        "Versions that can be deployed besides the old and new ones, with their lead time."))
    wrong: tuple[SimWrongAction, ...] = field(default=(), metadata=doc(
        "Tempting plans the recommended one must beat on users affected."))
    seed: int = field(default=1, metadata=doc("Default random seed.", min=0))
