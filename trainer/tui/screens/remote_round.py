"""What the interviewer's screen of a hosted interview shows around the interview itself:
the join line and the status bar, refused joins, and the end of a round: the saved sheet
and its transcript, the warning before quitting on a connected candidate, the role swap.

`RemoteHostScreen` (`remote_host.py`) derives from `HostRound`; the attributes declared
here are set by its constructor.
"""

from __future__ import annotations

import socket

from textual.widgets import Static

from trainer.application.session import PracticeSession
from trainer.bank import FollowUp, Question
from trainer.remote.access import is_loopback
from trainer.remote.hub import Hub
from trainer.remote.timeline import JoinRefused
from trainer.remote.transcript import to_transcript
from trainer.study import FeedbackSheet
from trainer.tui.base import TrainerScreen
from trainer.tui.plain import esc

Item = Question | FollowUp


class HostRound(TrainerScreen[None]):
    """The bars and the end of a round, for `RemoteHostScreen`."""

    hub: Hub
    code: str
    session: PracticeSession
    asked: list[Item]
    saved: FeedbackSheet | None
    _awaiting_self_rating: bool
    _hub_closed: bool

    @property
    def item(self) -> Item | None:
        return self.asked[-1] if self.asked else None

    def _refused(self, event: JoinRefused) -> None:
        if event.reason == "wrong code":
            if self.hub.locked:
                self.notify(f"{self.hub.bad_codes} wrong codes: joining is locked. ctrl+r "
                            "issues a new code.", severity="error", timeout=30)
            else:
                self.notify(f"A join with a wrong code was refused ({self.hub.bad_codes}/"
                            f"{self.hub.max_bad_codes}).", severity="warning")
        elif event.reason == "busy":
            self.notify("Someone else tried to join with the code and was refused.",
                        severity="warning")

    def _sheet_saved(self, sheet: FeedbackSheet) -> None:
        self.saved = sheet
        self._show_meta()

    def _save_transcript(self) -> None:
        if self.saved is not None and self.saved.id is not None:
            with self.trainer.saving("the interview's transcript"):
                self.workspace.save_transcript(self.saved.id,
                                               to_transcript(self.hub.timeline))

    def quit_warning(self) -> str | None:
        """ctrl+q asks first while a candidate is connected and the sheet is unsaved."""
        if self._hub_closed or not self.hub.connected or self.saved is not None:
            return None
        if self.hub.ended:
            return ("The candidate is still connected and the feedback sheet is not saved "
                    "(ctrl+e opens it). Quitting ends their session and loses the sheet.")
        return ("The candidate is connected and the interview is still running. Quitting "
                "ends their session without a feedback sheet.")

    def action_swap_roles(self) -> None:
        from trainer.tui.screens.remote_swap import SwapRoles

        if not self.hub.ended:
            self.notify("Swap roles after this round: ctrl+e ends it first.")
            return
        if self.saved is None:
            self.notify("Save this round's feedback sheet first (ctrl+e, then ctrl+s).",
                        severity="warning")
            return
        self.app.push_screen(SwapRoles(*self.hub.address), self._swap_chosen)

    async def _swap_chosen(self, target: tuple[str, int, str] | None) -> None:
        if target is None:
            return
        self._save_transcript()
        self._hub_closed = True
        await self.hub.close()
        self.trainer.then_join = target
        self.trainer.exit()

    # ---- the bars ----------------------------------------------------------------------

    def _show_join_line(self) -> None:
        host, port = self.hub.address
        if not is_loopback(host) and host in ("0.0.0.0", "::"):
            host = socket.gethostname()  # every interface: name one the candidate can use
        shown = f"[{host}]" if ":" in host else host
        self.query_one("#join-line", Static).update(
            f"Candidate joins with: [b]trainer join {esc(shown)}:{port} {esc(self.code)}[/b]")

    def _show_meta(self) -> None:
        item = self.item
        if item is None:
            label = "no question"
        elif isinstance(item, Question):
            label = item.code or item.id
        else:
            label = f"follow-up {self.session.position}/{len(self.session.chain) - 1}"
        if self.hub.ended:
            state = ("ended; waiting for the self-rating" if self._awaiting_self_rating
                     else "ended; sheet saved, ctrl+w swaps roles" if self.saved
                     else "ended; ctrl+e opens the sheet")
        elif self.hub.locked:
            state = "joining locked: ctrl+r for a new code"
        elif self.hub.connected:
            state = "candidate connected"
        else:
            state = "waiting for the candidate"
        self.query_one("#remote-meta", Static).update(
            f"[b]{esc(label)}[/b]  [dim]{esc(state)}[/dim]")
