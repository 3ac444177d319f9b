"""A simulated incident: live dashboard, time controls, actions, then the debrief.

The simulator (`trainer.sim`) advances in a thread worker at the chosen speed and posts a
snapshot of the dashboard after each step (`SimulationTicked`, replaceable so a slow
terminal only ever draws the newest). Actions from keys, the action line or the command
palette are applied under the same lock. At the end a second worker replays the seed with
the recommended plan, replays each difference for the counterfactuals and draws the
cost-of-waiting curve, and the written "explain your decision" is scored with the
scenario's rubric.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Input, Markdown, RichLog, Sparkline, Static, TextArea
from textual.worker import Worker, WorkerState, get_current_worker

from trainer.application.present import debrief_markdown
from trainer.application.runs import SimulationPlay
from trainer.bank import Scenario
from trainer.scoring import ScoreResult
from trainer.sim import ActionError, Simulation, compare, parse_action
from trainer.sim.clock import elapsed, wall
from trainer.sim.compare import Comparison
from trainer.tui.base import TrainerScreen
from trainer.tui.plain import esc, plain
from trainer.tui.widgets.score_panel import ScorePanel
from trainer.tui.widgets.sim_debrief import outcome_markdown

HISTORY = 300  # ticks shown in the sparklines


@dataclass(frozen=True)
class Snapshot:
    t: int
    clock: str
    status: str
    error: list[float]
    p99: list[float]
    share: list[float]
    pods: str
    totals: str
    finished: bool


class SimulationTicked(Message):
    """The simulation advanced; carries what the dashboard shows now."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        # Only the newest picture matters; event lines are read from the simulation itself
        # when drawing, so a replaced message loses none.
        return isinstance(message, SimulationTicked)


class SimActions(Provider):
    """Palette entries for the simulator's actions ("sim: undo", "sim: purge CDN"...)."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, SimulationScreen):
            return
        matcher = self.matcher(query)
        for label, action in screen.palette_actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label),
                          lambda a=action: screen.do(a), help=f"apply '{action}' now")


class SimulationScreen(TrainerScreen[None]):
    CSS_PATH = ["common.tcss", "scenarios.tcss"]
    COMMANDS = {SimActions}
    BINDINGS = [
        Binding("space", "toggle_clock", "Pause/run", id="sim.clock"),
        Binding("1", "speed(1)", "1x", id="sim.speed1"),
        Binding("2", "speed(10)", "10x", id="sim.speed10"),
        Binding("3", "speed(60)", "60x", id="sim.speed60"),
        Binding("0", "speed(0)", "Stop clock", id="sim.speed0", show=False),
        Binding("u", "act('undo')", "Roll back", id="sim.undo"),
        Binding("a", "act('abort')", "Abort", id="sim.abort"),
        Binding("p", "act('pause')", "Pause rollout", id="sim.pause", show=False),
        Binding("r", "act('resume')", "Resume rollout", id="sim.resume", show=False),
        Binding("y", "act('retry')", "Retry", id="sim.retry", show=False),
        Binding("plus", "act('promote')", "Promote step", id="sim.promote", show=False),
        Binding("exclamation_mark", "act('promote --full')", "Promote fully", id="sim.full",
                show=False),
        Binding("colon", "action_line", "Any action", id="sim.line"),
        Binding("e", "finish", "End", id="sim.end"),
        Binding("ctrl+s", "submit", "Submit explanation", id="sim.submit", priority=True,
                show=False),
        Binding("escape", "back", "Back", id="sim.back"),
    ]

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        if scenario.simulation is None:
            raise ValueError(f"{scenario.id} has no simulation: play it as a tabletop drill")
        self.spec = scenario.simulation
        self.sim = Simulation.from_scenario(scenario, seed)
        # Play starts when the on-call is paged, as in the briefing; what happened before
        # is already on the dashboard and in the event log.
        self.sim.step(self.spec.timeline.page_at_s)
        # Not `self.lock`: Textual's own Widget.lock (an asyncio lock that recompose() and
        # batch() enter) must stay what it is.
        self._sim_lock = threading.Lock()
        self.speed = 10
        self.running = False  # paused at the page: read the briefing, then space
        self._briefed = False
        self.plan: list[str] = []
        """Accepted and refused actions as "T ACTION", to replay for the counterfactual."""
        self.shown = 0  # event log lines already drawn
        self.finished = False
        self.comparison: Comparison | None = None
        self.result: ScoreResult | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="sim-status")
        with Horizontal(id="sim-main"):
            with Vertical(id="sim-dash"):
                yield Static(id="lbl-error")
                yield Sparkline([], id="spark-error")
                yield Static(id="lbl-p99")
                yield Sparkline([], id="spark-p99")
                yield Static(id="lbl-share")
                yield Sparkline([], id="spark-share")
                yield Static(id="sim-pods")
                yield Static(id="sim-totals")
            yield RichLog(id="sim-log", wrap=True, markup=False, max_lines=500, min_width=20)
        yield Input(placeholder="action, e.g. undo · flag new-checkout off · purge · deploy "
                    "v2.14.1 (enter applies, escape closes)", id="sim-action")
        with VerticalScroll(id="sim-outcome"):
            yield Markdown(id="sim-compare")
            yield TextArea(id="sim-explain", soft_wrap=True,
                           placeholder="Explain your decisions: what you saw, what you did "
                           "and why (ctrl+s scores it).")
            yield ScorePanel(id="score")
            yield Markdown(id="sim-debrief")
        yield Footer()

    def on_mount(self) -> None:
        self.started_at = self.workspace.history.clock()
        # Written after the first layout, so the log wraps at its real width.
        self.call_after_refresh(self._brief)
        self.post_message(SimulationTicked(self._snapshot()))
        self.run_clock()

    def _brief(self) -> None:
        self.query_one("#sim-log", RichLog).write(
            f"{self.scenario.title}\n{self.scenario.briefing}\n"
            "The clock is paused: space starts it (10x). Keys: 1/2/3 speed 1x/10x/60x · "
            "u roll back · a abort · : any action · e end\n--- event log so far ---")
        self._briefed = True
        self.post_message(SimulationTicked(self._snapshot()))

    # ---- the clock worker ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="clock", exit_on_error=False)
    def run_clock(self) -> None:
        worker = get_current_worker()
        budget = 0.0
        last = time.monotonic()
        while not worker.is_cancelled:
            time.sleep(0.1)
            now = time.monotonic()
            with self._sim_lock:
                if self.finished:
                    return
                if self.running and self.speed:
                    budget += (now - last) * self.speed
                    ticks = int(budget)
                    budget -= ticks
                    if ticks:
                        self.sim.step(ticks)
                        self.post_message(SimulationTicked(self._snapshot()))
            last = now

    def _snapshot(self) -> Snapshot:
        sim = self.sim
        recent = sim.metrics[-HISTORY:]
        last = recent[-1] if recent else None
        if last is None:
            pods = totals = ""
        else:
            pods = "  ".join(f"{v} {phase} {n}" for v, phase, n in last.pods)
            totals = (f"users affected {last.users_affected:,} · budget burned "
                      f"{last.budget_burned:.2f}% · failed so far "
                      f"{sum(m.failed for m in sim.metrics):,}")
        return Snapshot(
            t=sim.t, clock=wall(sim.start_of_day, sim.t, seconds=True),
            status=sim.strategy.status(),
            error=[m.error_rate * 100 for m in recent], p99=[m.p99_ms for m in recent],
            share=[m.new_share * 100 for m in recent], pods=pods, totals=totals,
            finished=sim.t >= sim.duration,
        )

    @on(SimulationTicked)
    def draw(self, message: SimulationTicked) -> None:
        s = message.snapshot
        state = "▶" if self.running and self.speed else "⏸"
        base = self.spec.traffic.baseline_error_rate * 100
        alert = "  [b $error]ALERT[/]" if self.sim.alert.firing else ""
        self.query_one("#sim-status", Static).update(
            f"[b]{esc(s.clock)}[/b]  T+{elapsed(s.t)}  {state} {self.speed}x  {esc(s.status)}"
            f"{alert}")
        if s.error:
            self.query_one("#lbl-error", Static).update(
                f"error rate [b]{s.error[-1]:.1f}%[/b] (baseline {base:.1f}%)")
            self.query_one("#lbl-p99", Static).update(f"p99 latency [b]{s.p99[-1]:.0f} ms[/b]")
            self.query_one("#lbl-share", Static).update(
                f"traffic on new version [b]{s.share[-1]:.0f}%[/b]")
        self.query_one("#spark-error", Sparkline).data = s.error or [0.0]
        self.query_one("#spark-p99", Sparkline).data = s.p99 or [0.0]
        self.query_one("#spark-share", Sparkline).data = s.share or [0.0]
        self.query_one("#sim-pods", Static).update(plain(f"pods {s.pods}"))
        self.query_one("#sim-totals", Static).update(plain(s.totals))
        new: list[str] = []
        if self._briefed:  # the briefing goes first, then the events up to the page
            with self._sim_lock:
                new = [str(e) for e in self.sim.events[self.shown:]]
                self.shown += len(new)
        log = self.query_one("#sim-log", RichLog)
        for line in new:
            log.write(line)
        if s.finished and not self.finished:
            self.action_finish()

    # ---- actions -----------------------------------------------------------------------

    def palette_actions(self) -> list[tuple[str, str]]:
        out = [("sim: roll back (undo)", "undo"), ("sim: abort", "abort"),
               ("sim: retry", "retry"), ("sim: pause rollout", "pause"),
               ("sim: resume rollout", "resume"), ("sim: promote one step", "promote"),
               ("sim: promote fully", "promote --full"), ("sim: purge CDN", "purge")]
        for f in self.spec.flags:
            out += [(f"sim: flag {f.key} off (kill switch)", f"flag {f.key} off"),
                    (f"sim: flag {f.key} on", f"flag {f.key} on")]
        return out

    def do(self, text: str) -> None:
        """Apply an action at the current tick and log the tool's answer."""
        if self.finished:
            return
        with self._sim_lock:
            try:
                action = parse_action(text, default_t=self.sim.t)
            except ActionError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            record = self.sim.apply(action)
            self.plan.append(f"{record.t} {record.text}")
            snapshot = self._snapshot()
        self.post_message(SimulationTicked(snapshot))
        if not record.accepted:
            self.notify(f"Refused: {record.reason}", severity="warning", timeout=8,
                        markup=False)

    def action_act(self, text: str) -> None:
        self.do(text)

    def action_toggle_clock(self) -> None:
        self.running = not self.running
        self.post_message(SimulationTicked(self._snapshot()))

    def action_speed(self, speed: int) -> None:
        """0 stops the clock; 1, 10 and 60 simulated seconds per real second run it."""
        self.speed = speed
        self.running = speed > 0
        self.post_message(SimulationTicked(self._snapshot()))

    def action_action_line(self) -> None:
        field = self.query_one("#sim-action", Input)
        self.set_class(True, "-typing")
        field.focus()

    @on(Input.Submitted, "#sim-action")
    def action_typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        self.set_class(False, "-typing")
        self.query_one("#sim-log").focus()
        if text:
            self.do(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, (Input, TextArea))
        if action in ("act", "toggle_clock", "action_line", "finish", "speed"):
            return not self.finished and not typing
        if action == "submit":
            return self.finished
        return True

    # ---- the end -------------------------------------------------------------------------

    def action_finish(self) -> None:
        if self.finished:
            return
        with self._sim_lock:
            self.finished = True
        self.workers.cancel_group(self, "clock")
        self.set_class(True, "-finished")
        self.query_one("#sim-compare", Markdown).update(
            "## Outcome\n\nReplaying the same seed with the recommended plan...")
        self.run_compare(list(self.plan), self.sim.seed)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def run_compare(self, plan: list[str], seed: int) -> Comparison:
        return compare(self.scenario, plan, seed)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "compare" and event.state == WorkerState.SUCCESS:
            self.comparison = event.worker.result
            self.query_one("#sim-compare", Markdown).update(self._outcome_markdown())
            self.query_one("#sim-explain", TextArea).focus()
        elif event.state == WorkerState.ERROR:
            self.notify(f"The simulation failed: {event.worker.error}", markup=False,
                        severity="error",
                        timeout=15)
            self.query_one("#sim-compare", Markdown).update(
                f"## The simulation stopped\n\n{event.worker.error}")

    def _outcome_markdown(self) -> str:
        c = self.comparison
        return "" if c is None else outcome_markdown(c, self.sim.start_of_day)

    def action_submit(self) -> None:
        if not self.finished or self.comparison is None or self.result is not None:
            return
        answer = self.query_one("#sim-explain", TextArea).text
        if not answer.strip():
            self.notify("Write a few sentences about what you did and why.", severity="warning")
            return
        s = self.scenario
        result = self.workspace.grade(s, answer)
        play = SimulationPlay(seed=self.sim.seed, actions=tuple(self.plan),
                              yours=self.comparison.yours.as_dict(),
                              recommended=self.comparison.recommended.as_dict())
        with self.trainer.saving("this run"):
            self.workspace.record_simulation(s, answer, result, play, self.started_at)
            self.result = result
        if self.result is None:
            return  # not saved: the explanation stays, and ctrl+s tries again
        self.query_one("#score", ScorePanel).show(self.result, answer)
        self.query_one("#sim-debrief", Markdown).update(debrief_markdown(s))
        self.set_class(True, "-scored")
        self.query_one("#score").scroll_visible()

    def action_back(self) -> None:
        if self.has_class("-typing"):
            self.set_class(False, "-typing")
            self.query_one("#sim-log").focus()
            return
        with self._sim_lock:
            self.finished = True
        self.workers.cancel_group(self, "clock")
        self.dismiss()
