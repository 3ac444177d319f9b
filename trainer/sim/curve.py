"""The cost of waiting: what the recommended response costs when it starts later.

Each point of the curve is the recommended plan shifted so that its first action lands at
tick T (its other actions keep their spacing), replayed on the same seed. The run without
any action is stepped forward once and forked at each T, and only the fork runs on, so a
point costs the ticks from T until nothing can fail any more, never a rerun from tick 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.bank.simulation import Simulation as SimSpec

from .actions import Action, parse_plan
from .clock import elapsed, wall
from .engine import Simulation
from .replay import damage, lean

BARS = " ▏▎▍▌▋▊▉█"
SPARKS = "▁▂▃▄▅▆▇█"
LAST_MINUTE = 60  # acting in the run's last minute shows nothing


@dataclass(frozen=True, slots=True)
class CurvePoint:
    t: int
    failed: int
    wrong: int
    users: int

    def as_dict(self) -> dict[str, int]:
        return {"t": self.t, "failed": self.failed, "wrong": self.wrong, "users": self.users}


@dataclass(frozen=True, slots=True)
class Curve:
    action: str  # the recommended first action, e.g. "undo"
    plan: tuple[str, ...]  # the recommended plan as it was shifted
    recommended_t: int
    yours_t: int | None  # when your plan took that action; None if it never did
    points: tuple[CurvePoint, ...]

    def as_dict(self, start_of_day: int) -> dict[str, object]:
        return {"action": self.action, "plan": list(self.plan),
                "recommended_t": self.recommended_t, "yours_t": self.yours_t,
                "points": [{**p.as_dict(), "clock": wall(start_of_day, p.t, seconds=True)}
                           for p in self.points]}


def cost_of_waiting(spec: SimSpec, seed: int | None, yours: list[Action] | None = None,
                    points: int = 30) -> Curve:
    rec = parse_plan(list(spec.recommended))
    first = rec[0]
    end = spec.timeline.duration_s
    hi = max(1, end - LAST_MINUTE)
    mine = next((a.t for a in yours or () if (a.name, a.args) == (first.name, first.args)),
                None)
    grid = [round(k * hi / max(1, points - 1)) for k in range(points)]
    # The recommended moment and yours are points themselves, in place of their nearest.
    kept: set[int] = set()
    for mark in (first.t, mine):
        if mark is not None and 0 <= mark < end and mark not in grid:
            at: int = mark
            free = [i for i in range(len(grid)) if i not in kept] or [0]
            i = min(free, key=lambda k: abs(grid[k] - at))
            grid[i] = at
            kept.add(i)
    times = sorted(set(grid))
    base = lean(Simulation(spec, seed))
    out = []
    for t in times:
        base.step(t - base.t)
        twin = lean(base.fork())
        twin.replan([Action(t + a.t - first.t, a.name, a.args) for a in rec
                     if t + a.t - first.t < end])
        d = damage(twin.run_to_rest())
        out.append(CurvePoint(t, d.failed, d.wrong, d.users))
    return Curve(first.text, tuple(spec.recommended), first.t, mine, tuple(out))


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, round(v / top * (len(SPARKS) - 1)))]
                   for v in values)


def _bar(value: int, top: int, width: int) -> str:
    if top <= 0:
        return ""
    eighths = round(value / top * width * 8)
    return BARS[-1] * (eighths // 8) + (BARS[eighths % 8] if eighths % 8 else "")


def chart(curve: Curve, start_of_day: int, width: int = 32) -> list[str]:
    """A text chart: one row per point, the bar is users affected."""
    pts = curve.points
    wrong = any(p.wrong for p in pts)
    top = max((p.users for p in pts), default=0)

    def nearest(t: int | None) -> int | None:
        if t is None or not pts:
            return None
        return min(range(len(pts)), key=lambda i: abs(pts[i].t - t))

    marks: dict[int, str] = {}
    for label, t in (("you", curve.yours_t), ("recommended", curve.recommended_t)):
        i = nearest(t)
        if i is not None and t is not None:
            marks[i] = (marks[i] + " + " if i in marks else "") + f"{label} {elapsed(t)}"
    head = f"{'T':>7} {'clock':>8} {'failed':>8} " + (f"{'wrong':>8} " if wrong else "") + \
        f"{'users':>7}  users affected"
    lines = [f"Cost of waiting: the recommended response ({', '.join(curve.plan)}) "
             "started at each time T instead, replayed on the same seed", head]
    for i, p in enumerate(pts):
        row = f"{elapsed(p.t):>7} {wall(start_of_day, p.t, seconds=True):>8} " \
              f"{p.failed:>8,} " + (f"{p.wrong:>8,} " if wrong else "") + f"{p.users:>7,}  "
        bar = _bar(p.users, top, width)
        mark = f"  <- {marks[i]}" if i in marks else ""
        lines.append((row + f"|{bar:<{width}}" + mark).rstrip())
    return lines
