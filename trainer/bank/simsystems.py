"""Typed models of the systems around a fleet that some incidents need in a `simulation:`
block: long-lived connections on gateways, client retries in front of a queue, a second
region to fail over to, and cross-region replication.

Each block is optional; the simulator models it only when the scenario has it, and the
actions that drive it are refused otherwise. The simulator's modules (`trainer.sim.wsgate`,
`retrystorm`, `failover`, `replication`) document the behaviour behind each field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fielddoc import doc

# The block each of these systems' actions acts on.
ACTION_BLOCKS = {
    **dict.fromkeys(("admission", "jitter", "restart-gateway", "add-gateway", "disconnect"),
                    "gateways"),
    **dict.fromkeys(("release-lock", "retries", "shed", "rate-limit"), "retries"),
    **dict.fromkeys(("admit", "failback"), "failover"),
    **dict.fromkeys(("region-weight", "promote-replica", "parallel-apply", "pause-batch"),
                    "replication"),
}


@dataclass(frozen=True, slots=True)
class Gateways:
    """WebSocket gateways behind a Layer 4 load balancer, holding long-lived connections."""

    count: int = field(default=20, metadata=doc("Gateway servers.", min=2, max=500))
    clients: int = field(default=1_000_000, metadata=doc(
        "Connected clients, spread evenly over the gateways.", min=1))
    max_units: int = field(default=62000, metadata=doc(
        "One gateway's memory ceiling in idle-connection units; past it the kernel's OOM "
        "killer ends the process.", min=1))
    handshake_units: float = field(default=3.0, metadata=doc(
        "Memory a handshake in progress holds (TLS state, auth call), in connection units.",
        min=0.0, max=100.0))
    accept_rps: float = field(default=200.0, metadata=doc(
        "Handshakes (TLS plus authentication) one gateway completes per second at full CPU.",
        min=1.0))
    client_timeout_s: int = field(default=10, metadata=doc(
        "A client gives up on a handshake after this long and tries again.", min=1,
        max=600))
    retry_s: int = field(default=5, metadata=doc(
        "Clients' reconnect interval (fixed; with jitter the base of the backoff).", min=1,
        max=600))
    jitter: bool = field(default=False, metadata=doc(
        "Clients reconnect with exponential backoff and full jitter instead of a fixed "
        "interval."))
    backoff_cap_s: int = field(default=60, metadata=doc(
        "Largest backoff window a jittered client waits.", min=1, max=3600))
    drop_share: float = field(default=0.0003, metadata=doc(
        "Share of a saturated gateway's clients whose heartbeats time out each second.",
        min=0.0, max=1.0))
    crash_at_s: int = field(default=45, metadata=doc(
        "When the first gateway runs out of memory and dies.", min=0))
    restart_s: int = field(default=45, metadata=doc(
        "From `restart-gateway` until the process is back in the load balancer.", min=0,
        max=3600))
    add_s: int = field(default=300, metadata=doc(
        "From `add-gateway` until a new server is provisioned and in rotation.", min=0,
        max=86400))
    config_s: int = field(default=300, metadata=doc(
        "From `jitter on` until connected clients have fetched the new reconnect policy.",
        min=0, max=86400))
    retry_after_s: int = field(default=30, metadata=doc(
        "Window of the randomised Retry-After a rate-limited gateway gives rejected clients.",
        min=1, max=3600))


@dataclass(frozen=True, slots=True)
class Retries:
    """Clients that retry failed requests, in front of a service that queues what it cannot
    serve at once; a lock on a table the service needs is the trigger."""

    attempts: int = field(default=3, metadata=doc(
        "Tries per request, the first one included (1 = no retries).", min=1, max=10))
    retry_s: int = field(default=1, metadata=doc(
        "Seconds a client waits before retrying a failed request.", min=0, max=600))
    timeout_s: int = field(default=30, metadata=doc(
        "A request not answered within this long fails with a 504 (and is retried).",
        min=1, max=600))
    queue_limit: int = field(default=60000, metadata=doc(
        "Requests the service queues (waiting for a pool connection) before it refuses "
        "new ones.", min=1))
    lock_at_s: int = field(default=120, metadata=doc(
        "When the migration takes its ACCESS EXCLUSIVE lock.", min=0))
    lock_s: int = field(default=1800, metadata=doc(
        "How long the migration holds the lock if nobody ends it.", min=1, max=86400))
    config_s: int = field(default=60, metadata=doc(
        "From `retries N` until the clients have fetched the new retry policy.", min=0,
        max=86400))


@dataclass(frozen=True, slots=True)
class Failover:
    """A primary region that fails and DNS health-check failover to the fleet's region, the
    standby the simulation runs."""

    down_at_s: int = field(default=0, metadata=doc("When the primary region goes hard down.",
                                                   min=0))
    detect_s: int = field(default=30, metadata=doc(
        "Health checks: consecutive failures before the record flips.", min=0, max=3600))
    ttl_s: int = field(default=60, metadata=doc(
        "Record TTL: resolvers move to the new answer evenly over it.", min=1, max=86400))
    hpa_s: int = field(default=180, metadata=doc(
        "How long the autoscaler takes to react to the standby's load (metrics window, "
        "stabilisation).", min=0, max=3600))
    hpa_replicas: int = field(default=40, metadata=doc(
        "Replicas the autoscaler scales the standby to.", min=1, max=500))
    db_fail_load: float = field(default=2.0, metadata=doc(
        "Load, as a multiple of the standby database's capacity, that it cannot survive.",
        min=1.0, max=100.0))
    db_fail_s: int = field(default=15, metadata=doc(
        "Seconds at that load before it stops answering (connections exhausted).", min=1,
        max=3600))
    db_restart_s: int = field(default=120, metadata=doc(
        "Seconds it then takes to restart and recover before it answers again.", min=1,
        max=86400))


@dataclass(frozen=True, slots=True)
class Replication:
    """Asynchronous replication from the primary database to the new region's replica,
    during a weighted DNS migration to that region."""

    weight: float = field(default=25.0, metadata=doc(
        "New region's DNS weight at the start, percent.", min=0.0, max=100.0))
    ttl_s: int = field(default=60, metadata=doc(
        "Record TTL: a weight change reaches resolvers evenly over it.", min=1, max=86400))
    write_rows_s: float = field(default=4000.0, metadata=doc(
        "Rows per second the primary writes outside the batch job.", min=0.0))
    apply_rows_s: float = field(default=5000.0, metadata=doc(
        "Rows per second one apply worker replays on an idle replica.", min=1.0))
    workers: int = field(default=1, metadata=doc(
        "replica_parallel_workers at the start.", min=1, max=64))
    read_contention: float = field(default=0.5, metadata=doc(
        "Share of the replica's apply speed that reads at 100% weight take away.",
        min=0.0, max=0.95))
    batch_every_s: int = field(default=180, metadata=doc(
        "The batch job commits one large transaction this often.", min=1, max=86400))
    batch_rows: int = field(default=100000, metadata=doc(
        "Rows one batch transaction touches: one event a single worker must apply.",
        min=0))
    stale_share: float = field(default=0.1, metadata=doc(
        "Share of reads in the new region that read the user's own recent write back.",
        min=0.0, max=1.0))
    stale_after_s: float = field(default=1.0, metadata=doc(
        "Lag that read-after-write tolerates before a user sees old data.", min=0.0))
