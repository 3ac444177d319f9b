"""Questions: every question and follow-up with its status (new, learning, due, mastered),
last and best score and due date; filter by topic, level and status; enter practises
the highlighted card, c compares your last two attempts at it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from trainer.application import LEVELS
from trainer.study.catalog import STATUSES, CatalogRow, Comparison
from trainer.study.wording import interval_long, plural
from trainer.tui.base import TrainerModal, TrainerScreen
from trainer.tui.plain import esc
from trainer.tui.screens.pick import ALL, PickOne

STATUS_RICH = {"new": "dim", "learning": "yellow", "due": "bold red", "mastered": "green"}
TITLE_WIDTH = 30
COLUMNS = (("card", 7), ("title", TITLE_WIDTH + 2), ("status", 8), ("last", 4),
           ("best", 4), ("due", 12))


def due_text(row: CatalogRow, now: datetime) -> str:
    if row.due is None:
        return ""
    if row.due <= now:
        return "now"
    return "in " + interval_long(row.due - now)


class BrowseScreen(TrainerScreen[None]):
    """The question browser."""

    CSS_PATH = ["browse.tcss"]
    BINDINGS = [
        Binding("enter", "practise", "Practise", id="browse.practise"),
        Binding("c", "compare", "Compare last two", id="browse.compare"),
        Binding("t", "pick_topic", "Topic", id="browse.topic"),
        Binding("l", "pick_level", "Level", id="browse.level"),
        Binding("s", "pick_status", "Status", id="browse.status"),
        Binding("escape", "home", "Home", id="browse.home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.topic: str | None = None
        self.level: str | None = None
        self.status: str | None = None
        self.rows: list[CatalogRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="browse"):
            yield Static(id="browse-filters")
            yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
            yield Static(id="browse-detail")
        yield Footer()

    def on_mount(self) -> None:
        filters = self.workspace.filters  # Home's filters to start with
        self.topic, self.level = filters.topic, filters.level
        table = self.query_one("#cards", DataTable)
        # Fixed widths: they fit 80 columns and do not jump while rows arrive.
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()  # back from practising one: its status and scores changed

    def reload(self) -> None:
        self.query_one("#browse-filters", Static).update(self._filters("counting..."))
        self.load()

    @work(thread=True, exclusive=True, group="browse", exit_on_error=False)
    def load(self) -> list[CatalogRow]:
        return self.workspace.catalog(topic=self.topic, level=self.level, status=self.status)

    @on(Worker.StateChanged)
    def loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "browse":
            return
        if event.state == WorkerState.SUCCESS:
            self.show(cast("list[CatalogRow]", event.worker.result))
        elif event.state == WorkerState.ERROR:
            self.query_one("#browse-filters", Static).update(
                f"[b $error]Could not read your history:[/] {esc(event.worker.error)}")

    def show(self, rows: list[CatalogRow]) -> None:
        table = self.query_one("#cards", DataTable)
        keep = self._highlighted()
        self.rows = rows
        table.clear()
        now = datetime.now(UTC)
        for row in rows:
            title = row.title if len(row.title) <= TITLE_WIDTH else (
                row.title[:TITLE_WIDTH - 1] + "…")
            # rich Text: bank text shown literally, never as markup.
            status = Text(row.status, style=STATUS_RICH.get(row.status, ""))
            table.add_row(Text(row.code), Text(("  " if row.parent else "") + title), status,
                          "" if row.last_score is None else str(row.last_score),
                          "" if row.best_score is None else str(row.best_score),
                          due_text(row, now), key=row.item_id)
        if keep is not None and any(r.item_id == keep.item_id for r in rows):
            table.move_cursor(row=table.get_row_index(keep.item_id))
        self.query_one("#browse-filters", Static).update(
            self._filters(plural(len(rows), "card")))
        self._show_detail()

    def _filters(self, count: str) -> str:
        return (f"[b]Topic[/b] {esc(self.topic or 'all')} [dim](t)[/dim]  "
                f"[b]Level[/b] {self.level or 'all'} [dim](l)[/dim]  "
                f"[b]Status[/b] {self.status or 'all'} [dim](s)[/dim]   {count}")

    def _highlighted(self) -> CatalogRow | None:
        table = self.query_one("#cards", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#cards")
    def _show_detail(self) -> None:
        row = self._highlighted()
        detail = self.query_one("#browse-detail", Static)
        if row is None:
            detail.update("No cards match these filters: t, l and s change them.")
            return
        entry = self.workspace.bank.get(row.item_id)
        prompt = getattr(entry.item, "prompt", "") if entry else ""
        tried = (f"{plural(row.attempts, 'attempt')} · last {row.last_score} · best "
                 f"{row.best_score}" if row.attempts else "never answered")
        detail.update(Content.assemble((" ".join(prompt.split()), "italic"), "\n",
                                       (f"{tried} · enter practise · c compare your last "
                                        "two attempts", "$text-muted")))

    # ---- actions ------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#cards")
    def row_chosen(self) -> None:
        self.action_practise()

    def action_practise(self) -> None:
        row = self._highlighted()
        if row is not None:
            self.trainer.command_practice(row.item_id)

    def action_compare(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        comparison = self.workspace.compare_last(row.item_id)
        if comparison is None:
            self.notify("You have not answered this one yet: enter practises it.")
            return
        self.app.push_screen(CompareAttempts(row, comparison))

    def action_pick_topic(self) -> None:
        self.app.push_screen(PickOne("topic", self.workspace.topics(), self.topic),
                             lambda v: self._picked("topic", v))

    def action_pick_level(self) -> None:
        self.app.push_screen(PickOne("level", list(LEVELS), self.level),
                             lambda v: self._picked("level", v))

    def action_pick_status(self) -> None:
        self.app.push_screen(PickOne("status", list(STATUSES), self.status),
                             lambda v: self._picked("status", v))

    def _picked(self, what: str, value: str | None) -> None:
        if value is None:  # cancelled
            return
        setattr(self, what, None if value == ALL else value)
        self.reload()

    def action_home(self) -> None:
        self.dismiss()


class CompareAttempts(TrainerModal[None]):
    """Concepts gained and lost between your last two attempts at one card."""

    BINDINGS = [Binding("escape,c,q", "dismiss", "Close", id="compare.close")]
    DEFAULT_CSS = """
    CompareAttempts { align: center middle; }
    #compare-box { width: 90%; max-width: 90; height: auto; max-height: 90%;
                   border: thick $primary; padding: 0 1; background: $surface; }
    """

    def __init__(self, row: CatalogRow, comparison: Comparison) -> None:
        super().__init__()
        self.row = row
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="compare-box"):
            yield Static(comparison_content(self.row, self.comparison), id="compare")

    def on_mount(self) -> None:
        box = self.query_one("#compare-box")
        box.border_title = "Compare with my last attempt (esc closes)"
        box.focus()


def comparison_content(row: CatalogRow, c: Comparison) -> Content:
    def day(a_at: datetime) -> str:
        return a_at.astimezone().strftime("%Y-%m-%d %H:%M")

    lines = [Content.styled(f"{row.code}  {row.title}", "bold")]
    if c.previous is None:
        lines.append(Content(f"One attempt so far ({day(c.last.at)}): {c.last.score}/100. "
                             "Answer it again to compare."))
    else:
        change = c.score_change or 0
        lines.append(Content(f"Last {day(c.last.at)}: {c.last.score}/100   before "
                             f"{day(c.previous.at)}: {c.previous.score}/100   "
                             f"({change:+d})"))
    sections = [("Gained", c.gained, "$text-success", "+"),
                ("Lost", c.lost, "$text-error", "-"),
                ("Kept", c.kept, "", "="),
                ("Still missing" if c.previous else "Missed", c.still_missed,
                 "$text-warning", "·")]
    for title, names, style, mark in sections:
        if not names:
            continue
        lines.append(Content.styled(f"\n{title}", "bold"))
        lines += [Content.assemble((f"  {mark} ", style), name) for name in names]
    if c.previous is not None and not (c.gained or c.lost):
        lines.append(Content.styled("\nThe same concepts both times.", "italic"))
    return Content("\n").join(lines)
