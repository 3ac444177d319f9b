"""Long-lived WebSocket connections on gateways behind a Layer 4 load balancer, and the
reconnect storm when one gateway dies.

The model follows what the reconnect-storm literature and the gateways' own mechanics say
(AWS Builders' Library, "Timeouts, retries and backoff with jitter"; Marc Brooker,
"Exponential Backoff And Jitter", AWS Architecture Blog, 2015; RFC 6455 sec. 7.2.3, which
asks clients to reconnect after a random delay and back off):

* Each of `count` gateways holds its share of `clients`. A gateway's memory is counted in
  idle-connection units: an open connection is one, a handshake in progress (TLS state and
  an authentication call) `handshake_units`. Past `max_units` it is OOM-killed and its
  clients are disconnected at once.
* A disconnected client reconnects through the L4 balancer, which spreads attempts evenly
  over the gateways in rotation. Without jitter every client reconnects at once and then
  every `retry_s` after a failed try, so the herd arrives in synchronised waves; with
  jitter a client waits a uniform random share of `retry_s x 2^tries` (capped at
  `backoff_cap_s`), Brooker's "full jitter", which spreads the waves and thins them.
* A gateway works on all its handshakes at once (processor sharing at `accept_rps`
  handshakes a second). A wave larger than `accept_rps x client_timeout_s` makes every
  handshake slower than the client's timeout: the clients give up and retry while the
  gateway still finishes their abandoned handshakes, wasted work (goodput collapse).
* A gateway with more than a second of handshake work is CPU-saturated: it misses
  heartbeats, and `drop_share` of its clients a second time out and join the herd. The
  herd grows, waves grow, a survivor's memory overflows, its clients join too: the
  cascade that turns one crash into a cluster outage.
* `admission RATE` is rate-limited admission: a gateway starts at most RATE handshakes a
  second and tells the rest to retry after a random delay of up to `retry_after_s`, so
  handshakes finish within the timeout and the herd is absorbed at a controlled pace.
  `jitter on` pushes clients the backoff-with-jitter policy (in effect `config_s` later;
  simplified: from then on every reconnect follows it). `restart-gateway` brings the dead
  gateways back empty after `restart_s`, `add-gateway` adds servers after `add_s`, and
  `disconnect PERCENT` sends a reconnect frame to that share of every gateway's clients.
* A message to a client without a connection is not delivered: a failed request.

Deterministic: counts, not clients, are tracked, and a jittered delay is spread evenly
over its window; the first crash's moment (within 10 s) and each host's memory ceiling
(within 3%) are drawn per seed, from a stream of its own.
"""

from __future__ import annotations

import random
from collections import deque
from typing import TYPE_CHECKING

from trainer.bank.simsystems import Gateways as GatewaysSpec

from .actions import Action
from .clock import elapsed
from .incidents import Result, add_failed
from .serve import Group, TickResult

if TYPE_CHECKING:
    from .engine import Simulation

NEVER = 1 << 60
MAX_TRIES = 12


class Gateway:
    __slots__ = ("conns", "up", "back_at", "vtime", "pending", "held", "admitted",
                 "admitted_at", "ceiling")

    def __init__(self, conns: float, ceiling: float, back_at: int = 0) -> None:
        self.conns = conns
        self.ceiling = ceiling
        self.up = back_at == 0
        self.back_at = back_at if back_at else NEVER
        self.vtime = 0.0  # handshake work each pending handshake has received
        # [started at, vtime at start, clients, tries made, abandoned?]
        self.pending: deque[list[float]] = deque()
        self.held = 0.0  # handshakes in progress, abandoned ones included
        self.admitted = 0.0  # handshakes started in second `admitted_at`
        self.admitted_at = -1


class Gateways:
    actions = frozenset({"admission", "jitter", "restart-gateway", "add-gateway",
                         "disconnect"})

    def __init__(self, sim: Simulation, spec: GatewaysSpec) -> None:
        self.sim, self.spec = sim, spec
        per = spec.clients / spec.count
        self.rng = random.Random(f"gateways:{sim.seed}")
        self.gws = [Gateway(per, self._ceiling()) for _ in range(spec.count)]
        shift = self.rng.uniform(-10, 10)
        self.crash_at = max(0, spec.crash_at_s + round(shift))
        self.jitter_from = 0 if spec.jitter else NEVER
        self.rate = 0.0  # admission limit per gateway and second (0 = none)
        self.due: dict[int, list[float]] = {}  # tick -> reconnecting clients by tries made
        self.lost = 0.0  # clients without a connection (reconnecting or waiting to)
        self.failed = 0  # this second's messages to them
        self.busy = False  # handshakes under way or a gateway down

    def _ceiling(self) -> float:
        """Hosts differ a little (other processes, fragmentation): within 3%."""
        return self.spec.max_units * self.rng.uniform(0.97, 1.03)

    # --- the herd ---------------------------------------------------------------------------
    def _retry(self, t: int, tries: int, n: float, window: int = 0) -> None:
        """`n` clients try again: after `window` (a Retry-After), their backoff, or at once."""
        if n <= 0:
            return
        tries = min(tries, MAX_TRIES - 1)
        spec = self.spec
        if not window and t >= self.jitter_from:
            window = min(spec.backoff_cap_s, spec.retry_s * 2 ** tries)
        if window <= 1:
            delay = spec.retry_s if tries else 1
            self.due.setdefault(t + delay, [0.0] * MAX_TRIES)[tries] += n
            return
        share = n / window
        for d in range(1, window + 1):
            self.due.setdefault(t + d, [0.0] * MAX_TRIES)[tries] += share

    def _drop(self, t: int, g: Gateway, n: float) -> None:
        n = min(n, g.conns)
        g.conns -= n
        self.lost += n
        self._retry(t, 0, n)

    def _crash(self, t: int, g: Gateway, why: str) -> None:
        alive = sum(e[2] for e in g.pending if not e[4])
        self.sim.log(t, f"gateway OOM-killed ({why}): {round(g.conns + alive):,} clients "
                        "disconnected")
        self._retry(t, 0, alive)  # already without a connection
        self._drop(t, g, g.conns)
        g.up, g.back_at = False, NEVER
        g.pending.clear()
        g.held = g.vtime = 0.0

    # --- a second ---------------------------------------------------------------------------
    def admit(self, t: int, offered: int, groups: list[Group]) -> int:
        spec, gws = self.spec, self.gws
        if t != self.crash_at and self.lost < 0.5 and not self.due and not self.busy:
            self.failed = 0
            return offered  # everyone connected, nothing under way
        for g in gws:
            if not g.up and t >= g.back_at:
                g.up, g.back_at = True, NEVER
                self.sim.log(t, "gateway back in the load balancer's rotation")
        if t == self.crash_at and gws[0].up:
            self._crash(t, gws[0], "the first gateway")
        up = [g for g in gws if g.up]
        tries = self.due.pop(t, None)
        if tries is not None and up:
            share = 1.0 / len(up)
            for made, n in enumerate(tries):
                if n > 0:
                    self._attempt(t, up, made, n * share)
        elif tries is not None:  # nothing to connect to: the clients try again later
            for made, n in enumerate(tries):
                self._retry(t, made + 1, n)
        busy = False
        for g in up:
            if g.pending:
                self._work(t, g)
                busy = True
        self.busy = busy or any(not g.up for g in gws)
        failed = round(offered * min(1.0, self.lost / spec.clients))
        self.failed = failed
        return offered - failed

    def _attempt(self, t: int, up: list[Gateway], made: int, n: float) -> None:
        """`n` clients on try `made` + 1 reach each gateway in rotation."""
        for g in up:
            if g.admitted_at != t:
                g.admitted, g.admitted_at = 0.0, t
            take = n if not self.rate else max(0.0, min(n, self.rate - g.admitted))
            if take < n:  # told to come back after a random delay
                self._retry(t, made + 1, n - take, self.spec.retry_after_s)
            if take > 0:
                g.pending.append([t, g.vtime, take, made, 0.0])
                g.held += take
                g.admitted += take

    def _work(self, t: int, g: Gateway) -> None:
        spec = self.spec
        if g.held > 0:
            g.vtime += spec.accept_rps / max(1.0, g.held)
        while g.pending and g.vtime - g.pending[0][1] >= 1.0:
            _, _, n, _, gone = g.pending.popleft()
            g.held -= n
            if not gone:
                g.conns += n  # connected; an abandoned one is wasted work
                self.lost -= n
        for e in g.pending:  # clients whose handshake outlived their timeout give up
            if e[0] + spec.client_timeout_s > t:
                break
            if not e[4]:
                e[4] = 1.0
                self._retry(t, int(e[3]) + 1, e[2])
        if g.held > spec.accept_rps:  # saturated: heartbeats are missed
            self._drop(t, g, g.conns * spec.drop_share)
        if g.conns + spec.handshake_units * g.held > g.ceiling:
            self._crash(t, g, "memory ceiling")

    def settle(self, t: int, res: TickResult) -> None:
        add_failed(self.sim, res, self.failed)

    def quiet(self, t: int) -> bool:
        return t > self.crash_at and not self.due and self.lost < 0.5 and all(
            g.up and not g.pending for g in self.gws)

    # --- actions ----------------------------------------------------------------------------
    def act(self, sim: Simulation, a: Action, t: int, by: str) -> Result:
        spec = self.spec
        self.busy = True  # look again at the next second, whatever the action changed
        if a.name == "admission":
            self.rate = float(a.args[0])
            if not self.rate:
                return True, "admission limit removed: gateways accept every handshake"
            return True, (f"each gateway starts at most {self.rate:g} handshakes a second; "
                          f"the rest are told to retry within {spec.retry_after_s}s")
        if a.name == "jitter":
            on = a.args[0] == "on"
            self.jitter_from = t + spec.config_s if on else NEVER
            return True, (f"reconnect with backoff and jitter from {elapsed(t + spec.config_s)}"
                          if on else "clients back on the fixed reconnect interval")
        if a.name == "restart-gateway":
            down = [g for g in self.gws if not g.up and g.back_at == NEVER]
            if not down:
                return False, "no gateway is down"
            for g in down:
                g.back_at = t + spec.restart_s
            return True, (f"{len(down)} gateway process(es) restarting; in rotation at "
                          f"{elapsed(t + spec.restart_s)}, empty")
        if a.name == "add-gateway":
            n = int(float(a.args[0])) if a.args else 1
            self.gws.extend(Gateway(0.0, self._ceiling(), t + spec.add_s) for _ in range(n))
            return True, (f"{n} new gateway(s) provisioning; in rotation at "
                          f"{elapsed(t + spec.add_s)}")
        share = float(a.args[0].rstrip("%")) / 100
        for g in self.gws:
            if g.up:
                self._drop(t, g, g.conns * share)
        return True, f"reconnect frames sent to {share:.0%} of every gateway's clients"
