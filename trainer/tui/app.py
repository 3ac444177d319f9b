"""The trainer app: home screen, modes as screens, command palette, history recording.

Started by `trainer` with no subcommand (`trainer.commands.app_cmd`). The home screen is
drawn first; the bank and the history load in a worker right after, and a mode chosen in
that moment opens as soon as they are there. A broken bank or history ends the app with
exit code 2, and `app_cmd` prints every `file:line: message` on the terminal.
Screens other than Home are imported when first opened, to keep start-up fast.
"""

from __future__ import annotations

import sqlite3
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from trainer.paths import data_dir

if TYPE_CHECKING:
    from trainer.bank import Bank
    from trainer.scoring import Grader
    from trainer.study import History, SpacedRepetition

Loader = Callable[[], "tuple[Bank, History]"]


class DataLoaded(Message):
    """The bank and the history are ready; screens waiting for them refresh."""


def _bank_search() -> type:
    # Imported when the palette first opens: textual.command is not needed to start.
    from trainer.tui.commands import BankSearch

    return BankSearch


class TrainerApp(App[None]):
    """Practise interviews: questions, mock interviews, incident scenarios."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {lambda: _bank_search()}
    TITLE = "trainer"
    SUB_TITLE = "deployment · release engineering · networking"
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, bank: Bank | None = None, history: History | None = None, *,
                 load: Loader | None = None, timer_seconds: int = 0) -> None:
        """Give `bank` and `history`, or a `load` function that returns both (it runs in a
        worker after the first frame and may raise `BankError` or `HistoryError`)."""
        super().__init__()
        self.bank: Bank = bank  # type: ignore[assignment]
        self.history: History = history  # type: ignore[assignment]
        self._load = load
        self._waiting: list[Callable[[], None]] = []
        self.failure: str | None = None
        """Why the data could not be loaded; printed by `app_cmd` after the app ends."""
        self.topic: str | None = None
        """Topic filter chosen on the home screen (None = all)."""
        self.level: str | None = None
        """Level filter chosen on the home screen (None = all)."""
        self.timer_seconds = timer_seconds
        """Countdown for each practice answer; 0 shows a stopwatch instead."""
        self.unsaved: dict[str, str] = {}
        """What history writes failed to save (and why), until the same write succeeds."""
        self._told: tuple[str, float] = ("", 0.0)
        self._quit_anyway = False

    @contextmanager
    def saving(self, what: str) -> Iterator[None]:
        """Run a history write. A full disk, a read-only file or an I/O error mid-session
        is told, never a crash: the work stays on screen, and the next write of the same
        `what` (the draft every second, ctrl+s again) tries again."""
        try:
            yield
        except sqlite3.Error as exc:
            self.unsaved[what] = str(exc)
            message = (f"Could not save {what}: {exc}. It is still here: free some space "
                       "or fix the cause, and the next save will keep it.")
            told, when = self._told
            # The draft autosave retries every second; one toast per cause is enough.
            if told != message or time.monotonic() - when > 30:
                self._told = (message, time.monotonic())
                self.notify(message, severity="error", timeout=10, markup=False)
        else:
            self.unsaved.pop(what, None)

    @cached_property
    def grader(self) -> Grader:
        """Built on first use: scoring's imports are not needed to show the home screen."""
        from trainer.scoring import Grader

        return Grader(self.bank)

    @cached_property
    def srs(self) -> SpacedRepetition:
        """The scheduler over this history and bank (FSRS is imported on first use)."""
        from trainer.study import SpacedRepetition

        return SpacedRepetition(self.history, self.bank)

    def get_default_screen(self) -> Screen:
        # Home is the app's base screen: one screen to build and draw at start-up, and
        # every mode returns to it.
        from trainer.tui.screens.home import HomeScreen

        return HomeScreen()

    @property
    def loaded(self) -> bool:
        return self.bank is not None and self.history is not None

    def when_loaded(self, callback: Callable[[], None]) -> None:
        """Run `callback` now, or as soon as the bank and history are loaded."""
        if self.loaded:
            callback()
        else:
            self._waiting.append(callback)

    def on_mount(self) -> None:
        self._catch_signals()
        if not self.loaded and self._load is not None:
            self.call_after_refresh(self.load_data)
        elif self.history is not None and self.history.notice:
            self.notify(self.history.notice, severity="warning", timeout=15, markup=False)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_data(self) -> tuple[Bank, History]:
        assert self._load is not None
        return self._load()

    @on(Worker.StateChanged)
    def data_ready(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS:
            self.bank, self.history = event.worker.result
            if self.history.notice:
                unsaved = not getattr(self.history, "saving", True)
                self.notify(self.history.notice, severity="error" if unsaved else "warning",
                            timeout=60 if unsaved else 15, markup=False)
            self.screen.post_message(DataLoaded())
            waiting, self._waiting = self._waiting, []
            for callback in waiting:
                callback()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            problems = getattr(error, "problems", None)
            self.failure = ("\n".join(map(str, problems)) + f"\n{len(problems)} problem"
                            f"{'s' if len(problems) != 1 else ''} found" if problems
                            else f"trainer: {error}")
            self.exit(return_code=2)

    # ---- modes -------------------------------------------------------------------------

    # Every mode needs the bank: one chosen while it still loads opens when it is there.

    def command_practice(self, item_id: str | None = None) -> None:
        from trainer.tui.screens.practice import PracticeScreen

        self.when_loaded(lambda: self.push_screen(PracticeScreen(start_id=item_id)))

    def command_review(self) -> None:
        from trainer.tui.screens.practice import PracticeScreen

        self.when_loaded(lambda: self.push_screen(PracticeScreen(due_only=True)))

    def command_mock(self, item_id: str | None = None) -> None:
        from trainer.tui.screens.mock import MockInterviewScreen

        self.when_loaded(lambda: self.push_screen(MockInterviewScreen(start_id=item_id)))

    def command_scenarios(self) -> None:
        from trainer.tui.screens.scenarios import ScenarioListScreen

        self.when_loaded(lambda: self.push_screen(ScenarioListScreen()))

    def command_scenario(self, scenario_id: str) -> None:
        from trainer.tui.screens.scenarios import open_scenario

        self.when_loaded(lambda: open_scenario(self, scenario_id))

    def command_progress(self) -> None:
        from trainer.tui.screens.progress import ProgressScreen

        self.when_loaded(lambda: self.push_screen(ProgressScreen()))

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Links come from banks: only http(s) and mailto, and only after the user has
        seen the address and said yes (a `file:` or `ms-msdt:` link is refused)."""
        from trainer.tui.screens.confirm_url import ConfirmOpen, is_openable

        if not is_openable(url):
            self.notify(f"Not opening {url!r}: only http(s) and mailto links open.",
                        severity="warning", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                super(TrainerApp, self).open_url(url, new_tab=new_tab)

        self.push_screen(ConfirmOpen(url), answered)

    def command_glossary(self, term_id: str | None = None) -> None:
        from trainer.tui.screens.glossary import GlossaryScreen

        self.when_loaded(lambda: self.push_screen(GlossaryScreen(term_id)))

    def command_export(self, fmt: str | None = None) -> None:
        from trainer.tui.screens.export import ExportDialog

        self.when_loaded(lambda: self.push_screen(ExportDialog(fmt)))

    MIN_SIZE = (80, 24)

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        small = width < self.MIN_SIZE[0] or height < self.MIN_SIZE[1]
        if small and not getattr(self, "_told_small", False):
            self._told_small = True
            self.notify(f"The terminal is {width}x{height}; the app is laid out for "
                        f"{self.MIN_SIZE[0]}x{self.MIN_SIZE[1]} or more.", severity="warning")
        elif not small:
            self._told_small = False

    def _catch_signals(self) -> None:
        """SIGTERM, SIGHUP (a closed terminal), SIGINT and SIGQUIT end the app the way ctrl+q does:
        drafts and the pending review and self-rating are saved, and Textual restores the
        terminal (no alternate screen or mouse tracking left behind)."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        # SIGQUIT too: its core dump helps nobody here, a broken terminal hurts.
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT):
            try:
                loop.add_signal_handler(sig, self._signalled)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not on this platform or not in the main thread (tests)

    def _signalled(self) -> None:
        if not getattr(self, "_quitting", False):
            self._quitting = True
            self.call_next(self.action_quit)

    async def action_quit(self) -> None:
        # Screens with typing in progress save their drafts and pending reviews first, so
        # quitting mid-answer loses nothing.
        for screen in reversed(self.screen_stack):
            leave = getattr(screen, "leave", None)
            if leave is not None:
                leave()
        if self.unsaved and not self._quit_anyway and not getattr(self, "_quitting", False):
            # A signal cannot wait for an answer; a key press can.
            self._quit_anyway = True
            lost = "; ".join(f"{what} ({why})" for what, why in self.unsaved.items())
            self.notify(f"Not saved: {lost}. Press ctrl+q again to quit without it.",
                        severity="error", timeout=15, markup=False)
            return
        if self.history is not None:
            self.history.close()
        self.exit()

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("practice: start", "Answer questions and get scored",
                            self.command_practice)
        yield SystemCommand("review: due cards", "Questions the scheduler says are due",
                            self.command_review)
        yield SystemCommand("mock: interview", "Run a mock interview with a peer",
                            self.command_mock)
        yield SystemCommand("scenario: list", "Incident drills and simulations",
                            self.command_scenarios)
        yield SystemCommand("progress: show", "Mastery, streak, weakest concepts",
                            self.command_progress)
        yield SystemCommand("glossary: browse", "Search the glossary", self.command_glossary)
        for fmt in ("md", "html", "anki", "csv"):
            yield SystemCommand(f"export: {fmt}", f"Export study material as {fmt}",
                                lambda fmt=fmt: self.command_export(fmt))

    # ---- errors ------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """End with a clear message and a log file instead of Textual's traceback.

        Drafts and pending reviews are saved first, so nothing typed is lost. Errors in
        workers that screens expect (simulation, export) are handled where they happen and
        shown in the app; this is the last resort for bugs.
        """
        errors = [error]
        if self._exception is None:  # keep Textual's contract: run_test() re-raises it
            self._exception = error
            self._exception_event.set()
        saved = True
        for screen in reversed(self.screen_stack):
            leave = getattr(screen, "leave", None)
            try:
                if leave is not None:
                    leave()
            except Exception as exc:  # noqa: BLE001 - logged below; the first error wins
                errors.append(exc)
                saved = False
        log: Path | None = data_dir() / "errors.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
                for e in errors:
                    fh.write("".join(traceback.format_exception(e)))
        except OSError:
            log = None
        where = f"\nDetails were written to {log}." if log else ""
        kept = ("Your history and drafts are saved." if saved else
                "Your history is saved; the draft being typed may not be.")
        self.exit(return_code=1, message=f"trainer stopped after an unexpected error: "
                  f"{type(error).__name__}: {error}\n{kept}{where}")
