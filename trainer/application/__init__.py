"""The application layer: what the CLI commands and the TUI screens both call.

- `Workspace(bank, history)` / `Workspace.open(banks, builtin=...)`: the loaded bank and
  history, with the grader, the scheduler and the filters;
- `Workspace.practice()`: a `PracticeSession` (questions in due order, follow-up chains,
  the pending review and self-rating);
- `Workspace.record_simulation()` / `record_tabletop()` / `save_feedback()`: the writes;
- `Workspace.progress()` / `home_summary()` / `export()`: the views.

It never imports textual, and nothing below it imports it.
"""

from .workspace import LEVELS, Filters, HomeSummary, Workspace, open_history

# The session and the run records import the scorer; `from trainer.application.session
# import PracticeSession` and `...runs import SimulationPlay` load them when needed.
__all__ = ["LEVELS", "Filters", "HomeSummary", "Workspace", "open_history"]
