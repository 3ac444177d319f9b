"""Unit tests: action parsing, the hand-written statistics, rounding, the CLI."""

from __future__ import annotations

import argparse
import json

import pytest

from trainer.commands import sim_cmd
from trainer.sim import ActionError, parse_action
from trainer.sim.kube import surge_and_unavailable
from trainer.sim.mannwhitney import classify, hodges_lehmann, mann_whitney, ranks


def test_parse_action_forms_and_errors():
    assert parse_action("6:30 undo").t == 390
    assert parse_action("390 rollback").name == "undo"
    assert parse_action("1:02:03 flag new-checkout 25").args == ("new-checkout", "25")
    with pytest.raises(ActionError, match="where T is"):
        parse_action("promote --full")  # no time and no current tick to default to
    assert parse_action("undo", default_t=12).t == 12
    for bad, words in (("6:30 explode", "unknown action"), ("6:30 scale", "usage"),
                       ("6:30 set-weight 140", "0-100"), ("6:61 undo", "bad time"),
                       ("", "empty"), ("6:30 patch cpu 2", "patch FIELD")):
        with pytest.raises(ActionError, match=words):
            parse_action(bad)


def test_rollingupdate_rounding():
    assert surge_and_unavailable("25%", "25%", 10) == (3, 2)
    assert surge_and_unavailable("0", "0", 10) == (0, 1)
    assert surge_and_unavailable("10%", "10%", 3) == (1, 0)


def test_ranks_share_ties():
    assert ranks([3.0, 1.0, 3.0, 2.0]) == [3.5, 1.0, 3.5, 2.0]


def test_mann_whitney_statistic_and_p_value():
    x, y = [1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0]
    u, p = mann_whitney(x, y)
    assert u == 0.0 and p < 0.02
    u2, p2 = mann_whitney(y, x)
    assert u + u2 == 25 and p == pytest.approx(p2)
    assert mann_whitney(x, x)[1] == pytest.approx(1.0)


def test_hodges_lehmann_shift_and_classification():
    base = [float(i % 7) + 10 for i in range(40)]
    assert hodges_lehmann([b + 5 for b in base], base) == 5.0
    assert classify("lat", [b * 2 for b in base], base, "increase").classification == "High"
    assert classify("lat", [b / 2 for b in base], base, "increase").classification == "Pass"
    assert classify("lat", [b / 2 for b in base], base, "either").classification == "Low"
    assert classify("lat", [1.0], base, "increase").classification == "NodataFail"


def _args(*argv: str) -> argparse.Namespace:
    from trainer.cli import build_parser

    return build_parser().parse_args(list(argv))


def test_cli_list_run_compare(capsys):
    assert sim_cmd.run(_args("sim", "list")) == 0
    assert "S-01" in capsys.readouterr().out
    assert sim_cmd.run(_args("sim", "run", "S-01", "--action", "6:30 undo")) == 0
    out = capsys.readouterr().out
    assert "Outcome:" in out and "rolled back" in out
    assert sim_cmd.run(_args("sim", "run", "scn-order-service-1147pm", "--format", "json",
                             "--seed", "3")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seed"] == 3 and len(data["metrics"]) == 1800
    assert sim_cmd.run(_args("sim", "run", "S-02", "--format", "csv")) == 0
    assert capsys.readouterr().out.startswith("t,requests,served")
    assert sim_cmd.run(_args("sim", "compare", "S-01", "--action", "12:00 undo")) == 0
    assert "instead of 23:53 would have spared" in capsys.readouterr().out


def test_cli_bad_input_exits_2(capsys):
    assert sim_cmd.run(_args("sim", "run", "S-01", "--action", "6:30 explode")) == 2
    assert "unknown action 'explode'" in capsys.readouterr().err
    assert sim_cmd.run(_args("sim", "compare", "S-01", "--action", "soon undo")) == 2
    assert sim_cmd.run(_args("sim", "run", "S-99")) == 2
    assert sim_cmd.run(_args("sim", "run", "S-03")) == 2
    assert "tabletop" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["1:00 scale 10000000", "1:00 scale 2.5", "1:00 scale -1",
                                  "1:00 undo nan", "1:00 undo 1e400", "1:00 ttl inf",
                                  "1:00 patch memory 1e309", "1:00 threshold errors nan"])
def test_actions_take_only_finite_bounded_numbers(text: str) -> None:
    """No action can make the simulation unbounded (reliability I1-I4)."""
    from trainer.sim.actions import ActionError, parse_action

    with pytest.raises(ActionError):
        parse_action(text)
