"""Progress: a summary (streak, due, levels, calibration, scenarios, leeches), mastery by
topic, plots (score over time per topic, reviews per day with the forecast, retention)
and the concepts you miss most, one tab each so every tab fits 80x24."""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState
from textual_plotext import PlotextPlot

from trainer.study import Progress
from trainer.study.calibration import answers_calibration
from trainer.study.progress_models import Mastery
from trainer.study.trends import Trends
from trainer.study.wording import plural
from trainer.tui.base import TrainerScreen
from trainer.tui.plain import esc

TABS = ("summary", "topics", "scores", "reviews", "retention", "concepts")


def bar(value: float, width: int = 12) -> str:
    filled = round(value / 100 * width)
    return "█" * filled + "░" * (width - filled)


def topic_order(m: Mastery) -> tuple[bool, float, str]:
    """Practised topics first, weakest first; then the untried ones by name."""
    return (m.attempted == 0, m.mastery, m.key)


class ProgressScreen(TrainerScreen[None]):

    CSS_PATH = ["misc.tcss"]
    BINDINGS = [Binding("escape", "home", "Home", id="progress.home"),
                Binding("ctrl+r", "reload", "Refresh", id="progress.refresh"),
                *(Binding(str(n), f"tab('{tab}')", tab.title(), id=f"progress.{tab}",
                          show=False) for n, tab in enumerate(TABS, 1))]

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="progress-tabs"):
            with TabPane("1 Summary", id="summary"), VerticalScroll():
                yield Static(id="progress-summary")
            with TabPane("2 Topics", id="topics"):
                yield DataTable(id="mastery", cursor_type="row", zebra_stripes=True)
            with TabPane("3 Scores", id="scores"):
                yield PlotextPlot(id="score-plot")
            with TabPane("4 Reviews", id="reviews"):
                yield PlotextPlot(id="load-plot")
            with TabPane("5 Retention", id="retention"):
                yield PlotextPlot(id="retention-plot")
            with TabPane("6 Concepts", id="concepts"):
                yield DataTable(id="missed", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#progress-summary", Static).update("[dim]Counting...[/dim]")
        self.count()

    def action_tab(self, tab: str) -> None:
        self.query_one("#progress-tabs", TabbedContent).active = tab

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    def count(self) -> tuple[Progress, Trends]:
        # Reads the whole history: off the UI thread.
        return self.workspace.progress(), self.workspace.trends()

    @on(Worker.StateChanged)
    def counted(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "progress":
            return
        if event.state == WorkerState.SUCCESS:
            progress, trends = cast("tuple[Progress, Trends]", event.worker.result)
            self.show(progress)
            self.plot(trends)
        elif event.state == WorkerState.ERROR:
            self.query_one("#progress-summary", Static).update(
                f"[b $error]Could not read your progress:[/] {esc(event.worker.error)}")

    def show(self, p: Progress) -> None:
        calibration = answers_calibration(p.calibration)
        levels = "  ".join(f"{m.key} {m.mastery:.0f}%" for m in p.mastery_by_level)
        lines = [
            f"[b]Streak[/b] {plural(p.streak.current, 'day')} (longest "
            f"{plural(p.streak.longest, 'day')})   [b]Answers[/b] {p.totals.attempts}   "
            f"[b]Due now[/b] {p.due_now}",
            f"[b]By level[/b] {levels or '-'}",
            f"[b]Calibration[/b] {calibration}",
        ]
        if p.scenarios:
            lines.append(f"\n[b]Scenarios[/b] {plural(len(p.scenarios), 'scenario')} played, "
                         f"{plural(p.totals.scenario_runs, 'run')}; they count toward "
                         "their topics' mastery")
            lines += [f"  {esc(s.code or s.scenario_id)}  last {s.last_score}  best "
                      f"{s.best_score}  ({plural(s.runs, 'run')})  {esc(s.title[:40])}"
                      for s in p.scenarios[:6]]
        leeches = ", ".join(f"{esc(x.title[:40])} ({plural(x.lapses, 'lapse')})"
                            for x in p.leeches[:3])
        more = f" and {len(p.leeches) - 3} more" if len(p.leeches) > 3 else ""
        lines.append(f"\n[b]Leeches[/b] (failed again and again): {leeches or 'none'}{more}")
        lines.append("\n[dim]1-6 switch tabs · ctrl+r refresh[/dim]")
        self.query_one("#progress-summary", Static).update("\n".join(lines))
        mastery = self.query_one("#mastery", DataTable)
        mastery.clear(columns=True)
        mastery.add_columns("topic", "mastery", "%", "tried", "scenarios")
        for m in sorted(p.mastery_by_topic, key=topic_order):
            mastery.add_row(Text(m.key[:28]), bar(m.mastery, 10), f"{m.mastery:.0f}",
                            f"{m.attempted}/{m.items}",
                            f"{m.scenarios_run}/{m.scenarios}" if m.scenarios else "")
        missed = self.query_one("#missed", DataTable)
        missed.clear(columns=True)
        missed.add_columns("concept", "missed", "of")
        for c in p.most_missed:
            missed.add_row(Text(c.concept), str(c.misses), str(c.asked))  # literal

    def plot(self, t: Trends) -> None:
        scores = self.query_one("#score-plot", PlotextPlot)
        plt = scores.plt
        plt.clear_figure()
        plt.date_form("Y-m-d")
        plt.title("Score over time (mean per day), most practised topics")
        for series in t.scores:
            if series.points:
                plt.plot([d.isoformat() for d, _ in series.points],
                         [s for _, s in series.points], label=series.topic[:20],
                         marker="braille")
        plt.ylim(0, 100)
        if not t.scores:
            plt.title("Score over time: answer a few questions first")
        scores.refresh()

        load = self.query_one("#load-plot", PlotextPlot)
        plt = load.plt
        plt.clear_figure()
        done = len(t.load.past)
        plt.bar(list(range(-done + 1, 1)), [n for _, n in t.load.past], width=0.6,
                label="reviews done", color="blue")
        plt.bar(list(range(1, len(t.load.ahead) + 1)), [n for _, n in t.load.ahead],
                width=0.6, label="cards coming due (today: overdue too)", color="orange")
        ticks = [float(x) for x in range(-done + 1, len(t.load.ahead) + 1) if x % 7 == 0]
        plt.xticks(ticks, ["today" if x == 0 else f"{x:+.0f}d" for x in ticks])
        plt.title("Reviews per day, then the forecast of reviews to come")
        load.refresh()

        kept = self.query_one("#retention-plot", PlotextPlot)
        plt = kept.plt
        plt.clear_figure()
        if t.retention:
            recent = t.retention[-12:]
            plt.bar([p.week.strftime("%m-%d") for p in recent],
                    [round(100 * p.rate) for p in recent], width=0.5, color="green")
            plt.ylim(0, 100)
            total = sum(p.reviews for p in recent)
            plt.title(f"Recalled % per week (of {plural(total, 'review')} a day or more "
                      "after the last)")
        else:
            plt.title("Retention shows once cards come back for review a day later")
        kept.refresh()

    def action_home(self) -> None:
        self.dismiss()
