"""The trainer app: home screen, modes as screens, command palette, history recording.

Started by `trainer` with no subcommand (`trainer.commands.app_cmd`). The home screen is
drawn first; the bank and the history load in a worker right after, and a mode chosen in
that moment opens as soon as they are there. A broken bank or history ends the app with
exit code 2, and `app_cmd` prints every `file:line: message` on the terminal.
Screens other than Home are imported when first opened, to keep start-up fast.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from trainer.paths import data_dir
from trainer.tui.messages import DataLoaded
from trainer.tui.saving import SaveGuard

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from trainer.application import Workspace
    from trainer.bank import Bank
    from trainer.study import History

Loader = Callable[[], "Workspace"]


@runtime_checkable
class KeepsWork(Protocol):
    """A screen with work in progress (a draft, a pending review) to save before it goes:
    on quit, on a signal, and before a crash report."""

    def leave(self) -> None: ...


@runtime_checkable
class GuardsQuit(Protocol):
    """A screen whose going would end something for someone else (a hosted interview
    with the candidate connected): ctrl+q asks first when it gives a warning."""

    def quit_warning(self) -> str | None: ...


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
        """Give `bank` and `history`, or a `load` function that returns a `Workspace` (it
        runs in a worker after the first frame and may raise `BankError`)."""
        super().__init__()
        self._workspace: Workspace | None = None
        if bank is not None and history is not None:
            from trainer.application import Workspace

            self._workspace = Workspace(bank, history)
        self._load = load
        self._waiting: list[Callable[[], object]] = []
        self.failure: str | None = None
        """Why the data could not be loaded; printed by `app_cmd` after the app ends."""
        self.crash_report: str | None = None
        """Set by the last-resort handler; `app_cmd` prints it after Textual's report."""
        self.then_join: tuple[str, int, str] | None = None
        """Set by a role swap: after the app ends, its command joins the partner's
        interview at (host, port, code) in this terminal."""
        self.timer_seconds = timer_seconds
        """Countdown for each practice answer; 0 shows a stopwatch instead."""
        self.saves = SaveGuard(lambda m: self.notify(m, severity="error", timeout=10,
                                                     markup=False))

    @property
    def workspace(self) -> Workspace:
        """The loaded bank and history; screens that need them open only once loaded
        (`when_loaded`), so reaching it earlier is a bug."""
        if self._workspace is None:
            raise RuntimeError("the bank and the history are not loaded yet")
        return self._workspace

    @property
    def loaded(self) -> bool:
        return self._workspace is not None

    @property
    def history(self) -> History | None:
        return self._workspace.history if self._workspace is not None else None

    @property
    def unsaved(self) -> dict[str, str]:
        return self.saves.unsaved

    def saving(self, what: str) -> AbstractContextManager[None]:
        """`with app.saving("your answer"): <history write>`: see `SaveGuard`."""
        return self.saves.saving(what)

    def get_default_screen(self) -> Screen[None]:
        # Home is the app's base screen: one screen to build and draw at start-up, and
        # every mode returns to it.
        from trainer.tui.screens.home import HomeScreen

        return HomeScreen()

    def when_loaded(self, callback: Callable[[], object]) -> None:
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
    def load_data(self) -> Workspace:
        assert self._load is not None
        workspace = self._load()
        workspace.prepare()  # the first answer then scores at once
        return workspace

    @on(Worker.StateChanged)
    def data_ready(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS:
            self._workspace = event.worker.result
            history = self.workspace.history
            if history.notice:
                unsaved = not history.saving
                self.notify(history.notice, severity="error" if unsaved else "warning",
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

        self.when_loaded(lambda: self.push_screen(
            PracticeScreen(self.workspace.practice(start_id=item_id))))

    def command_review(self) -> None:
        from trainer.tui.screens.practice import PracticeScreen

        self.when_loaded(lambda: self.push_screen(
            PracticeScreen(self.workspace.practice(due_only=True))))

    def command_browse(self) -> None:
        from trainer.tui.screens.browse import BrowseScreen

        self.when_loaded(lambda: self.push_screen(BrowseScreen()))

    def command_mock(self, item_id: str | None = None) -> None:
        from trainer.tui.screens.mock import MockInterviewScreen

        def open_mock() -> None:
            # With no question named, an interview left unfinished carries on.
            start = item_id or self.workspace.latest_mock_draft()
            self.push_screen(MockInterviewScreen(self.workspace.practice(start_id=start,
                                                                         mode="mock")))

        self.when_loaded(open_mock)

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
        from trainer.tui.screens.confirm_quit import ConfirmQuit

        # A signal cannot wait for an answer; a key press can (ctrl+q again says yes).
        asked = isinstance(self.screen, ConfirmQuit)
        confirmed = asked or getattr(self, "_quit_confirmed", False)
        if not getattr(self, "_quitting", False) and not confirmed:
            warning = next((w for screen in reversed(self.screen_stack)
                            if isinstance(screen, GuardsQuit)
                            and (w := screen.quit_warning())), None)
            if warning:
                self.push_screen(ConfirmQuit(warning), self._quit_answered)
                return
        if asked:
            self._quit_confirmed = True
            self.pop_screen()
        # Screens with typing in progress save their drafts and pending reviews first, so
        # quitting mid-answer loses nothing.
        self._leave_all()
        # A signal cannot wait for an answer; a key press can.
        if not getattr(self, "_quitting", False) and not self.saves.may_quit():
            return
        if self._workspace is not None:
            self._workspace.close()
        self.exit()

    def _quit_answered(self, yes: bool | None) -> None:
        if yes:
            self._quit_confirmed = True  # asked once: not again
            self.call_next(self.action_quit)

    def _leave_all(self) -> list[Exception]:
        """Every screen saves its work; the errors of those that could not."""
        errors: list[Exception] = []
        for screen in reversed(self.screen_stack):
            if isinstance(screen, KeepsWork):
                try:
                    screen.leave()
                except Exception as exc:  # noqa: BLE001 - reported by the caller
                    errors.append(exc)
        return errors

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("practice: start", "Answer questions and get scored",
                            self.command_practice)
        yield SystemCommand("review: due cards", "Questions the scheduler says are due",
                            self.command_review)
        yield SystemCommand("questions: browse", "Every question and follow-up: status, "
                            "scores, due date; practise one, compare attempts",
                            self.command_browse)
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
        """Save drafts and pending reviews, write a log, then let Textual end the app
        its own way (its report, its exit code); `app_cmd` adds `crash_report` after it.

        Errors that screens expect (simulation, export, a full disk) are handled where
        they happen; this is the last resort for bugs.
        """
        if self.crash_report is None:
            errors = [error, *self._leave_all()]
            log: Path | None = data_dir() / "errors.log"
            try:
                assert log is not None
                log.parent.mkdir(parents=True, exist_ok=True)
                with log.open("a", encoding="utf-8") as fh:
                    fh.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
                    for e in errors:
                        fh.write("".join(traceback.format_exception(e)))
            except OSError:
                log = None
            kept = ("Your drafts and reviews were saved." if len(errors) == 1 else
                    "The draft being typed may not have been saved.")
            if self.unsaved or (self.history is not None and not self.history.saving):
                kept = "Some of this session could not be saved (see the messages above)."
            where = f" Details are in {log}." if log else ""
            self.crash_report = (f"trainer stopped after an unexpected error: "
                                 f"{type(error).__name__}: {error}\n{kept}{where}")
        super()._handle_exception(error)
