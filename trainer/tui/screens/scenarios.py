"""Scenario list: simulated incidents first, then tabletop drills."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.bank import Scenario
from trainer.tui.base import TrainerScreen

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


def is_simulated(s: Scenario) -> bool:
    return s.simulation is not None


def open_scenario(app: TrainerApp, scenario_id: str) -> None:
    scenario = app.workspace.bank.find_scenario(scenario_id)
    if scenario is None:
        app.notify(f"No scenario '{scenario_id}'.", severity="error", markup=False)
        return
    if is_simulated(scenario):
        from trainer.tui.screens.simulate import SimulationScreen

        app.push_screen(SimulationScreen(scenario))
    else:
        from trainer.tui.screens.tabletop import TabletopScreen

        app.push_screen(TabletopScreen(scenario))


class ScenarioListScreen(TrainerScreen[None]):

    CSS_PATH = ["scenarios.tcss"]
    BINDINGS = [Binding("escape", "home", "Home", id="scenarios.home"),
                Binding("t", "tabletop", "Play as tabletop", id="scenarios.tabletop")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Enter plays a scenario: [b]sim[/b] ones run in the deployment simulator; "
                     "[b]t[/b] plays any as a tabletop drill.", id="scenario-help")
        scenarios = sorted(self.workspace.bank.scenarios,
                           key=lambda s: (not is_simulated(s), s.code or ""))
        yield OptionList(*[
            Option(Content.assemble(("sim " if is_simulated(s) else "    ", "bold"),
                                    f"{s.code or '':5} {s.title} ", (str(s.level or ""), "dim")),
                   id=s.id) for s in scenarios], id="scenario-list")
        yield Footer()

    @on(OptionList.OptionSelected, "#scenario-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        open_scenario(self.trainer, event.option.id or "")

    def action_tabletop(self) -> None:
        from trainer.tui.screens.tabletop import TabletopScreen

        options = self.query_one("#scenario-list", OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        scenario = self.workspace.bank.find_scenario(option.id or "")
        if scenario is not None:
            self.app.push_screen(TabletopScreen(scenario))

    def action_home(self) -> None:
        self.dismiss()
