"""The grammar of the strings inside a `simulation:` block: times, actions and steps.

Pure data-level parsing, shared by the bank's validation and by the simulator (which
re-exports these names), so that checking a bank never needs the simulator itself.

- Times: "T" of an action is seconds ("390", "390s"), M:SS ("6:30") or H:MM:SS, counted
  from the start of the run; `elapsed` and `wall` print ticks for people.
- Actions: "T ACTION [ARGS]". Parsing only checks that an action is well formed; whether
  the rollout tool accepts it at that moment is the simulator's call, which refuses with
  the tool's reason.
- Steps: 'setWeight N', 'pause', 'pause S' or 'analysis', as in a rollout spec.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .simsystems import ACTION_BLOCKS

# --- time ----------------------------------------------------------------------------------

# ASCII digits only: "６:３０" is refused rather than silently read as 6:30.
_ELAPSED = re.compile(r"\+?(?:(\d+):)?(\d+):(\d\d)|\+?(\d+)s?", re.ASCII)


def parse_elapsed(text: str) -> int:
    """Seconds from "390", "390s", "6:30", "+6:30" or "1:02:30"; ValueError otherwise."""
    m = _ELAPSED.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"bad time '{text}': use seconds (390), M:SS (6:30) or H:MM:SS")
    if m.group(4) is not None:
        return int(m.group(4))
    hours = int(m.group(1) or 0)
    minutes, seconds = int(m.group(2)), int(m.group(3))
    if seconds >= 60 or (m.group(1) is not None and minutes >= 60):
        raise ValueError(f"bad time '{text}': seconds and minutes run 00-59")
    return hours * 3600 + minutes * 60 + seconds


def parse_clock(text: str) -> int:
    """Seconds after midnight of "HH:MM" or "HH:MM:SS"."""
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.append(0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def elapsed(t: int) -> str:
    """Tick as MM:SS (H:MM:SS past an hour), the prefix of event log lines."""
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def wall(start_of_day: int, t: int, seconds: bool = False) -> str:
    """Wall-clock time of tick t, "23:49" (or "23:49:30")."""
    total = (start_of_day + t) % 86400
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if seconds else f"{h:02d}:{m:02d}"


# --- actions -------------------------------------------------------------------------------

class ActionError(ValueError):
    """A malformed action string; the message says what is wrong and what is allowed."""


@dataclass(frozen=True, slots=True)
class Spec:
    usage: str
    help: str
    min_args: int = 0
    max_args: int = 0


SPECS: dict[str, Spec] = {
    "undo": Spec("undo [REVISION]", "roll back to the previous (or given) revision", 0, 1),
    "abort": Spec("abort", "Argo: weight to 0 and canary down; template stays new"),
    "retry": Spec("retry", "Argo: restart an aborted rollout (same template)"),
    "pause": Spec("pause", "stop forward progress"),
    "resume": Spec("resume", "continue a paused rollout"),
    "promote": Spec("promote [--full]", "next step or clear a pause; --full skips all", 0, 1),
    "set-weight": Spec("set-weight PERCENT", "DNS weight of the new side", 1, 1),
    "flag": Spec("flag KEY on|off|PERCENT",
                 "off = kill switch (serves the off variation to everyone), on = serve the "
                 "rules again, PERCENT = the rollout rule's percentage", 2, 2),
    "purge": Spec("purge", "purge the CDN edge caches"),
    "deploy": Spec("deploy VERSION", "roll out a version (a forward-fix or the next release)",
                   1, 1),
    "ttl": Spec("ttl SECONDS", "set the DNS record TTL", 1, 1),
    "scale": Spec("scale REPLICAS", "set the replica count", 1, 1),
    "drain": Spec("drain REGION", "forward a region's ingress to the other region", 1, 1),
    "restart": Spec("restart VERSION", "rolling restart: replace the pods running VERSION "
                    "a few at a time (kubectl rollout restart)", 1, 1),
    "warm": Spec("warm PERCENT", "mirror this share of real traffic to the idle side", 1, 1),
    "migrate-down": Spec("migrate-down", "run the down-migration against production"),
    "relax-constraint": Spec("relax-constraint", "give the new column a default (a "
                             "metadata-only ALTER): inserts that omit it succeed again"),
    "patch": Spec("patch grace|memory|pool|prestop VALUE", "change the pod template", 2, 2),
    "threshold": Spec("threshold errors|p99|business VALUE", "change an alert threshold",
                      2, 2),
    "rotate-cert": Spec("rotate-cert", "issue a new certificate and update its Secret"),
    "reload": Spec("reload", "hot-reload the proxies (nginx -s reload): re-read mounted files"),
    "warm-cache": Spec("warm-cache PERCENT", "load the hottest PERCENT of cache keys", 1, 1),
    "flush-cache": Spec("flush-cache", "delete the cache keyspace"),
    "commit": Spec("commit [VERSION]", "merge a config-repo PR (VERSION = the version Git "
                   "then holds; none = an unrelated change)", 0, 1),
    "sync": Spec("sync", "argocd app sync: apply what Git holds now"),
    "auto-sync": Spec("auto-sync on|off", "argocd app set --sync-policy automated|none", 1, 1),
    "admission": Spec("admission RATE", "gateways accept at most RATE new connections a "
                      "second each (0 = no limit); the rest are told to retry later", 1, 1),
    "jitter": Spec("jitter on|off", "push clients a reconnect policy with exponential "
                   "backoff and jitter (on) or the fixed interval (off)", 1, 1),
    "restart-gateway": Spec("restart-gateway", "restart the gateway processes that are down"),
    "add-gateway": Spec("add-gateway [COUNT]", "provision new gateway servers", 0, 1),
    "disconnect": Spec("disconnect PERCENT", "send a reconnect frame to PERCENT of every "
                       "gateway's clients now", 1, 1),
    "release-lock": Spec("release-lock", "end the session holding the table lock "
                         "(pg_terminate_backend): the migration is cancelled"),
    "retries": Spec("retries TRIES", "push clients a retry policy of TRIES tries a request "
                    "(1 = no retries)", 1, 1),
    "shed": Spec("shed PERCENT", "the load balancer answers PERCENT of requests at once "
                 "with a 503", 1, 1),
    "rate-limit": Spec("rate-limit RPS", "admit at most RPS requests a second (0 = no "
                       "limit); the rest get a 429 at once", 1, 1),
    "admit": Spec("admit PERCENT", "the standby's edge admits PERCENT of arriving requests; "
                  "the rest get a 503 at once", 1, 1),
    "failback": Spec("failback", "point DNS back at the primary region"),
    "region-weight": Spec("region-weight PERCENT", "DNS weight of the new region", 1, 1),
    "promote-replica": Spec("promote-replica", "promote the new region's replica to primary "
                            "and move every request there"),
    "parallel-apply": Spec("parallel-apply WORKERS", "set replica_parallel_workers and "
                           "restart the replica's SQL thread", 1, 1),
    "pause-batch": Spec("pause-batch", "suspend the batch job that commits large "
                        "transactions"),
}
ALIASES = {"rollback": "undo", "hotfix": "deploy", "weight": "set-weight"}
PATCH_FIELDS = ("grace", "memory", "pool", "prestop")
# Seconds for grace and preStop, MiB for memory, connections per pod for the pool.
PATCH_LIMITS = {"grace": 3600, "memory": 1_000_000, "pool": 10_000, "prestop": 3600}
THRESHOLDS = ("errors", "p99", "business")
INT_LIMITS = {"retries": 10, "parallel-apply": 64, "add-gateway": 50}


@dataclass(frozen=True, slots=True, order=True)
class Action:
    """One parsed action at tick `t`."""

    t: int
    name: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join((elapsed(self.t), self.name, *self.args))

    @property
    def text(self) -> str:
        return " ".join((self.name, *self.args))

    def __deepcopy__(self, memo: dict[int, object]) -> Action:
        return self  # immutable: a forked simulation shares its queued actions


# Bounds that keep every action finite: a fleet of ten million pods, or a revision
# numbered 1e300, is no plan anyone makes, and simulating it would never end.
MAX_REPLICAS = 500  # the schema's own bound on fleet.replicas
MAX_SECONDS = 7 * 24 * 3600
MAX_VALUE = 1e6


def quoted(text: str, limit: int = 60) -> str:
    """User text in a message, cut short: a 5,000-digit argument is no help echoed back."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bound(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:g}"


def _number(value: str, what: str, low: float, high: float = MAX_VALUE,
            integer: bool = False) -> float:
    try:
        n = float(value.rstrip("%"))
    except ValueError:
        raise ActionError(f"{what} must be a number, got '{quoted(value)}'") from None
    if not math.isfinite(n) or n < low or n > high:
        raise ActionError(f"{what} must be {_bound(low)}-{_bound(high)}, got '{quoted(value)}'")
    if integer and n != int(n):
        raise ActionError(f"{what} must be a whole number, got '{quoted(value)}'")
    return n


def _check_args(name: str, args: tuple[str, ...]) -> None:
    if name in ("set-weight", "warm", "warm-cache"):
        _number(args[0], "PERCENT", 0, 100)
    elif name == "ttl":
        _number(args[0], "SECONDS", 1, MAX_SECONDS)
    elif name == "scale":
        _number(args[0], "REPLICAS", 0, MAX_REPLICAS, integer=True)
    elif name == "undo" and args:
        _number(args[0], "REVISION", 1, MAX_VALUE, integer=True)
    elif name == "promote" and args and args[0] != "--full":
        raise ActionError(f"promote takes only --full, got '{quoted(args[0])}'")
    elif name == "flag" and args[1] not in ("on", "off"):
        _number(args[1], "flag PERCENT", 0, 100)
    elif name == "auto-sync" and args[0] not in ("on", "off"):
        raise ActionError(f"auto-sync takes on or off, got '{quoted(args[0])}'")
    elif name == "jitter" and args[0] not in ("on", "off"):
        raise ActionError(f"jitter takes on or off, got '{quoted(args[0])}'")
    elif name in ("disconnect", "shed", "admit", "region-weight"):
        _number(args[0], "PERCENT", 0, 100)
    elif name in ("admission", "rate-limit"):
        _number(args[0], "RATE", 0, MAX_VALUE)
    elif name in ("retries", "parallel-apply", "add-gateway") and args:
        _number(args[0], name.upper(), 1, INT_LIMITS[name], integer=True)
    elif name == "patch":
        if args[0] not in PATCH_FIELDS:
            raise ActionError(f"patch FIELD must be one of {', '.join(PATCH_FIELDS)}")
        _number(args[1], f"patch {args[0]}", 0, PATCH_LIMITS[args[0]], integer=True)
    elif name == "threshold":
        if args[0] not in THRESHOLDS:
            raise ActionError(f"threshold NAME must be one of {', '.join(THRESHOLDS)}")
        _number(args[1], f"threshold {args[0]}", 0)


def parse_action(text: str, default_t: int | None = None) -> Action:
    """Parse "T ACTION [ARGS]"; without T, `default_t` is used (the current tick)."""
    words = text.split()
    if not words:
        raise ActionError("empty action; expected 'T ACTION [ARGS]', e.g. '6:30 undo'")
    t: int | None
    try:
        t = parse_elapsed(words[0])
        words = words[1:]
    except ValueError as exc:
        if words[0][0].isdigit() or words[0][0] == "+":
            raise ActionError(f"'{quoted(text)}': {exc}") from None
        t = default_t
        if t is None:
            raise ActionError(
                f"'{quoted(text)}': expected 'T ACTION [ARGS]' where T is seconds, M:SS or H:MM:SS"
            ) from None
    if not words:
        raise ActionError(f"'{quoted(text)}': no action after the time; known: {known()}")
    name = ALIASES.get(words[0].lower(), words[0].lower())
    spec = SPECS.get(name)
    if spec is None:
        raise ActionError(f"'{quoted(text)}': unknown action '{quoted(words[0])}'; "
                          f"known: {known()}")
    args = tuple(words[1:])
    if not spec.min_args <= len(args) <= spec.max_args:
        raise ActionError(f"'{quoted(text)}': usage: T {spec.usage}")
    try:
        _check_args(name, args)
    except ActionError as exc:
        raise ActionError(f"'{quoted(text)}': {exc}") from None
    return Action(t, name, args)


def known() -> str:
    """The actions every scenario may have, then a count of those of the optional systems
    (gateways, retrying clients, failover, replication), which would make the line long."""
    systems = set(ACTION_BLOCKS)
    core = ", ".join(sorted(n for n in SPECS if n not in systems))
    return f"{core}; and {len(systems & set(SPECS))} more for gateways, retries, failover " \
        "and replication"


def parse_plan(lines: tuple[str, ...] | list[str]) -> list[Action]:
    """Parse a plan and sort it by time (stable for equal times)."""
    return sorted((parse_action(line) for line in lines), key=lambda a: a.t)


# --- rollout steps -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Step:
    kind: str  # setWeight, pause, analysis
    value: int | None = None

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind} {self.value}"

    def __deepcopy__(self, memo: dict[int, object]) -> Step:
        return self


def parse_step(text: str) -> Step:
    words = text.split()
    if not words:
        raise ValueError("empty step")
    kind = words[0]
    if kind == "setWeight" and len(words) == 2 and words[1].isdigit() and int(words[1]) <= 100:
        return Step(kind, int(words[1]))
    if kind == "pause" and len(words) == 1:
        return Step(kind)
    if kind == "pause" and len(words) == 2 and words[1].isdigit():
        return Step(kind, int(words[1]))
    if kind == "analysis" and len(words) == 1:
        return Step(kind)
    raise ValueError(f"bad step '{text}': use 'setWeight N' (0-100), 'pause', 'pause SECONDS' "
                     "or 'analysis'")
