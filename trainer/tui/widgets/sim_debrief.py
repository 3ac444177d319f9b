"""The simulation debrief as Markdown: the outcome table, the replayed counterfactuals,
both timelines, and the cost-of-waiting curve (a sparkline and the text chart)."""

from __future__ import annotations

from trainer.sim import ActionError, parse_action
from trainer.sim.clock import elapsed, wall
from trainer.sim.compare import Comparison
from trainer.sim.curve import chart, sparkline
from trainer.sim.outcome import Outcome


def _plan(lines: tuple[str, ...], start: int) -> str:
    out = []
    for line in lines:
        t, _, rest = line.partition(" ")
        try:
            out.append(f"- {wall(start, parse_action(line).t, seconds=True)} {rest}")
        except ActionError:
            out.append(f"- {t} {rest}")
    return "\n".join(out) or "- (no action)"


def _times(o: Outcome, start: int) -> tuple[str, str, str]:
    """Detected, mitigated, recovered as wall-clock times; never over the SLO says so."""
    if not o.exceeded_slo:
        never = "never over the SLO"
        return never, never, never

    def at(t: int | None, never: str) -> str:
        return never if t is None else wall(start, t, seconds=True)

    return at(o.detect_t, "never"), at(o.mitigate_t, "not by the end"), \
        at(o.recover_t, "not by the end")


def curve_section(c: Comparison, start: int) -> list[str]:
    curve = c.curve
    if curve is None or not curve.points:
        return []
    users = [p.users for p in curve.points]
    first, last = curve.points[0].t, curve.points[-1].t
    lines = ["### The cost of waiting", "",
             f"Users affected if the recommended response (**{curve.action}** first) had "
             f"started at each moment from {elapsed(first)} to {elapsed(last)}, replayed on "
             "this seed:", "",
             f"`{sparkline(users)}`  ({min(users):,} to {max(users):,} users)", "", "```"]
    lines += chart(curve, start, width=24)
    return [*lines, "```", ""]


def outcome_markdown(c: Comparison, start: int) -> str:
    y, r = c.yours, c.recommended
    ty, tr = _times(y, start), _times(r, start)
    rows = [("detected", ty[0], tr[0]), ("mitigated", ty[1], tr[1]),
            ("recovered", ty[2], tr[2]),
            ("failed requests", f"{y.failed_requests:,}", f"{r.failed_requests:,}"),
            ("wrong answers", f"{y.degraded_requests:,}", f"{r.degraded_requests:,}"),
            ("users affected", f"{y.users_affected:,}", f"{r.users_affected:,}"),
            ("error budget burned", f"{y.budget_burned:.2f}%", f"{r.budget_burned:.2f}%"),
            ("writes at risk", f"{y.data_at_risk:,}", f"{r.data_at_risk:,}")]
    table = ["| | yours | recommended |", "|---|---:|---:|",
             *[f"| {name} | {a} | {b} |" for name, a, b in rows]]
    return "\n".join([
        "## Outcome", "", *table, "",
        f"Times follow what users saw: the incident starts with the first minute over the "
        f"SLO's {100 * y.slo_bad_share:g}% bad requests.", "",
        *[f"**{s}**\n" for s in c.sentences], *curve_section(c, start),
        "### Your timeline", _plan(c.your_plan, start), "", "### Recommended plan",
        _plan(c.recommended_plan, start), "",
        "Now explain your decisions below; ctrl+s scores the explanation.",
    ])
