"""Round two with the roles swapped: the candidate hosts on their machine, you join.

The rubric of a question stays in its interviewer's process, so a swap cannot happen on
this hub: the new interviewer runs `trainer mock host` themselves, with a question they
choose, and this terminal becomes the candidate's (`trainer join`) once this app ends.
The dialog tells what to run on their side, tailored to how they reached this session
(an SSH tunnel when it listens on loopback, the address itself on a LAN or VPN), and
takes the join line their screen then shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from trainer.remote.access import AccessError, is_loopback, parse_join_line

Target = tuple[str, int, str]


def partner_commands(host: str, port: int) -> list[str]:
    """What the former candidate runs to host round two, given this session's address."""
    theirs = port + 1 if port < 65535 else 7878
    if is_loopback(host):  # they came in over SSH: the same login carries the way back
        return [f"trainer mock host --listen 127.0.0.1:{theirs}",
                f"ssh -N -R {theirs}:127.0.0.1:{theirs} YOU@THIS-MACHINE",
                f"then you join: trainer join 127.0.0.1:{theirs} CODE"]
    return [f"trainer mock host --listen THEIR-ADDRESS:{theirs} --allow-remote",
            f"then you join: trainer join THEIR-ADDRESS:{theirs} CODE"]


class SwapRoles(ModalScreen[Target | None]):
    """Dismisses with the partner's (host, port, code), or None to stay."""

    BINDINGS = [Binding("escape", "stay", "Stay")]
    DEFAULT_CSS = """
    SwapRoles { align: center middle; }
    SwapRoles > Vertical { width: 76; height: auto; border: thick $primary;
                           padding: 1 2; background: $surface; }
    SwapRoles Input { margin-top: 1; }
    """

    def __init__(self, host: str, port: int) -> None:
        super().__init__()
        self.host = host
        self.port = port

    def compose(self) -> ComposeResult:
        steps = "\n".join(f"  {line}" for line in partner_commands(self.host, self.port))
        with Vertical():
            yield Static(Content.assemble(
                ("Round 2: swap roles\n\n", "bold"),
                "Your candidate interviews you now, with a question they choose "
                "(--question ID). On their machine they run:\n\n", (steps, "bold"),
                "\n\nType the join line their screen shows and press enter: this session "
                "closes and this terminal joins theirs as the candidate. escape stays."))
            yield Input(placeholder="trainer join HOST:PORT CODE", id="swap-line")
            yield Static(id="swap-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            target = parse_join_line(event.value)
        except AccessError as exc:
            self.query_one("#swap-error", Static).update(Content.styled(str(exc), "red"))
            return
        self.dismiss(target)

    def action_stay(self) -> None:
        self.dismiss(None)
