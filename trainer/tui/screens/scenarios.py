"""Scenario list: simulated incidents first, then tabletop drills."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.bank import Scenario


def is_simulated(s: Scenario) -> bool:
    return getattr(s, "simulation", None) is not None


def open_scenario(app: App, scenario_id: str) -> None:
    scenario = app.bank.find_scenario(scenario_id)  # type: ignore[attr-defined]
    if scenario is None:
        app.notify(f"No scenario '{scenario_id}'.", severity="error", markup=False)
        return
    if is_simulated(scenario):
        from trainer.tui.screens.simulate import SimulationScreen

        app.push_screen(SimulationScreen(scenario))
    else:
        from trainer.tui.screens.tabletop import TabletopScreen

        app.push_screen(TabletopScreen(scenario))


class ScenarioListScreen(Screen[None]):

    CSS_PATH = ["scenarios.tcss"]
    BINDINGS = [Binding("escape", "home", "Home", id="scenarios.home"),
                Binding("t", "tabletop", "Play as tabletop", id="scenarios.tabletop")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Enter plays a scenario: [b]sim[/b] ones run in the deployment simulator; "
                     "[b]t[/b] plays any as a tabletop drill.", id="scenario-help")
        scenarios = sorted(self.app.bank.scenarios, key=lambda s: (not is_simulated(s), s.code))
        yield OptionList(*[
            Option(Content.assemble(("sim " if is_simulated(s) else "    ", "bold"),
                                    f"{s.code or '':5} {s.title} ", (str(s.level or ""), "dim")),
                   id=s.id) for s in scenarios], id="scenario-list")
        yield Footer()

    @on(OptionList.OptionSelected, "#scenario-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        open_scenario(self.app, event.option.id or "")

    def action_tabletop(self) -> None:
        from trainer.tui.screens.tabletop import TabletopScreen

        options = self.query_one("#scenario-list", OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        scenario = self.app.bank.find_scenario(option.id or "")
        if scenario is not None:
            self.app.push_screen(TabletopScreen(scenario))

    def action_home(self) -> None:
        self.dismiss()
