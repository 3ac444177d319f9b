"""Outcomes, counterfactuals, versions and the cost-of-waiting curve (reports/sim.md,
section B and the top findings): every debrief number is a replay of the same seed."""

from __future__ import annotations

import argparse

import pytest

from tests.sim_helpers import spec
from trainer.bank import load_bank
from trainer.bank.simulation import Analysis, Build, Fault, Timeline
from trainer.commands import sim_cmd
from trainer.sim import Simulation, compare
from trainer.sim.compare import gerund
from trainer.sim.curve import chart, cost_of_waiting
from trainer.sim.replay import damage

BANK = load_bank()


def _args(*argv: str) -> argparse.Namespace:
    from trainer.cli import build_parser

    return build_parser().parse_args(list(argv))


def test_only_versions_the_scenario_defines_can_be_deployed():
    # Top finding 1 / D2: an image nobody built does not exist (ErrImagePull at best).
    sim = Simulation.from_scenario(BANK.find_scenario("S-12"))
    rec = sim.apply("deploy banana")
    assert not rec.accepted and 'image "banana" not found' in rec.reason
    assert "v2.0.1" in rec.reason


def test_a_forward_fix_takes_its_lead_time_and_can_carry_its_own_fault():
    builds = (Build(version="v2.1", lead_time_s=300),)
    faults = (Fault(kind="bad_version", id="bug", version="v2", error_rate=0.3,
                    fixed_in=("v2.1",)),
              Fault(kind="bad_version", id="fix-bug", version="v2.1", error_rate=0.05))
    sim = Simulation(spec(faults=faults, builds=builds, duration=1200), 2, ["1:00 deploy v2.1"])
    sim.step(100)
    assert sim.strategy.dep.template.version == "v2"  # still building
    sim.run()
    landed = next(r for r in sim.actions if r.by == "pipeline")
    assert landed.t == 60 + 300 and landed.accepted
    assert 0.02 < sim.metrics[-1].error_rate < 0.1  # the fix's own bug


def test_detection_counts_an_alert_that_was_already_firing_at_onset():
    # B1: the on-call already looking at a firing alert sees the incident when it starts.
    s = spec(faults=(Fault(kind="bad_version", version="v2", error_rate=0.25, onset_s=200),),
             traffic={"rps": 450}, fleet={"prestop_s": 5}, analysis=Analysis(reaction_s=30),
             duration=900)
    sim = Simulation(s, 2).run()
    fired = [e.t for e in sim.events if "ALERT firing" in e.text]
    out = sim.outcome()
    assert fired and fired[0] + 30 < out.onset_t  # the capacity dip paged someone first
    assert out.detect_t == out.onset_t


def test_mitigation_and_recovery_follow_what_users_saw_not_the_alert_threshold():
    # B2, B3: after "mitigated" every minute stays within the SLO's allowance, whatever
    # the alert's threshold; one stray failure is no onset.
    s1 = BANK.find_scenario("S-01")
    sim = Simulation.from_scenario(s1, actions=["6:30 undo"]).run()
    out = sim.outcome()
    after = sim.metrics[out.mitigate_t:]
    for i in range(0, len(after) - 60, 30):
        window = after[i:i + 60]
        bad = sum(m.incident_failed + m.degraded for m in window)
        assert bad <= out.slo_bad_share * sum(m.requests for m in window)
    assert out.onset_t is not None and sim.metrics[out.onset_t].incident_failed > 0
    quiet = Simulation(spec(duration=300, fleet={"prestop_s": 5}), 1).run().outcome()
    assert not quiet.exceeded_slo and quiet.mitigate_t is None


def test_recovery_uses_the_models_own_healthy_p99():
    # B4: S-04 runs near the queueing knee; recovery is judged against the p99 that load
    # gives a healthy fleet, so the recommended plan recovers minutes, not seconds, before
    # the end.
    out = compare(BANK.find_scenario("S-04"), ["0:00 warm 2", "6:00 undo"],
                  curve_points=0).recommended
    assert out.recover_t is not None and out.recover_t < 600


def test_counterfactuals_are_replays_that_name_the_action():
    # B5: S-05 — the hashed-assets deploy made the difference, the purge almost none.
    c = compare(BANK.find_scenario("S-05"), ["10:00 promote"], curve_points=0)
    first, second = c.sentences[:2]
    assert first.startswith("Deploying v3.0.1 at 09:10, which your plan never did")
    assert second.startswith("Purging the CDN at 09:10")  # CDN kept in capitals (B8)
    s = BANK.find_scenario("S-05")
    alone = Simulation.from_scenario(s, actions=["10:00 promote", "10:00 purge"]).run()
    spared = c.yours.degraded_requests - alone.outcome().degraded_requests
    assert f"spared {spared:,} wrong answers" in second


def test_an_extra_action_is_blamed_on_itself_and_mixed_signs_get_their_own_verbs():
    # B5 (S-01, undo-undo-undo) and B6 (S-09: spared some, cost others).
    c = compare(BANK.find_scenario("S-01"), ["6:30 undo", "7:30 undo", "16:30 undo"],
                curve_points=0)
    assert any(x.startswith("Leaving out your 'undo' at 23:48") and "spared" in x
               for x in c.sentences)
    c = compare(BANK.find_scenario("S-06"), ["12:00 undo", "20:00 deploy v5.3"],
                curve_points=0)
    text = " ".join(c.sentences)
    assert "would have spared" in text and "cost" not in text.split("spared")[0]


def test_times_show_seconds_where_minutes_collide():
    # B7: "23:47 instead of 23:47" cannot happen.
    c = compare(BANK.find_scenario("S-01"), ["6:45 undo"], curve_points=0)
    assert c.sentences[0].startswith("Rolling back at 23:47:30 instead of 23:47:45")


def test_gerunds_keep_names_in_capitals():
    # B8: str.capitalize() would print "Purging the cdn" and "Setting the dns weight".
    from trainer.sim import parse_action

    assert gerund(parse_action("1:00 set-weight 40")) == "setting the DNS weight to 40%"
    assert gerund(parse_action("1:00 ttl 60")) == "setting the DNS TTL to 60s"


def test_an_action_at_the_end_is_refused(capsys):
    # B9: the last tick is duration - 1; an action at the duration would silently vanish.
    assert sim_cmd.run(_args("sim", "run", "S-01", "--action", "30:00 undo")) == 2
    assert "not before the end" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["1:00 flag new-checkout nan", "1:00 scale 501",
                                  "1:00 patch memory 100.5", "1:00 patch grace 99999"])
def test_numbers_are_finite_whole_and_bounded(text):
    # B10.
    from trainer.sim import ActionError, parse_action

    with pytest.raises(ActionError):
        parse_action(text)


def test_a_memory_limit_below_the_working_set_is_oomkilled_at_start():
    # B11: the container cannot even start under its limit.
    s = BANK.find_scenario("S-10")
    sim = Simulation.from_scenario(s, actions=["12:00 patch memory 100"]).run()
    kills = [e.t for e in sim.events if "OOMKilled at 100 MiB" in e.text]
    assert kills and kills[0] < 12 * 60 + 60


def test_a_load_gated_fault_ramps_from_when_the_load_crossed_its_threshold():
    # B12: S-06's concurrency bug grows over its 300 s ramp after the step to 50%.
    sim = Simulation.from_scenario(BANK.find_scenario("S-06")).run()
    step = next(e.t for e in sim.events if "setWeight 50" in e.text)
    early = sum(m.incident_failed for m in sim.metrics[step:step + 60])
    late = sum(m.incident_failed for m in sim.metrics[step + 120:step + 180])
    assert 0 < early * 3 < late


def test_the_table_prints_minute_aggregates(capsys):
    # B13: one second's sample is noise; each row sums its minute.
    assert sim_cmd.run(_args("sim", "run", "S-01")) == 0
    assert "Each row sums its minute" in capsys.readouterr().out


def test_a_business_drop_counts_lost_orders_not_requests():
    # B14: S-14's wrong answers are the abandoned checkouts, about the orders lost.
    out = Simulation.from_scenario(BANK.find_scenario("S-14")).run().outcome()
    assert 0.7 < out.degraded_requests / out.orders_lost < 1.3


def test_the_mirrored_share_sets_how_warm_the_idle_side_stays():
    # B15: a trickle of mirrored traffic warms less than a real share.
    s = BANK.find_scenario("S-04")

    def blue_warmth(plan: list[str]) -> float:
        sim = Simulation.from_scenario(s, actions=plan)
        sim.step(359)
        return next(rs.warmth for rs in sim.cluster.sets if rs.template.version == "blue-v41")

    cold, trickle = blue_warmth([]), blue_warmth(["0:00 warm 0.01"])
    assert trickle - cold < 0.01  # a trickle warms next to nothing
    assert trickle < blue_warmth(["5:00 warm 2"]) < blue_warmth(["0:00 warm 2"]) - 0.2


def test_each_curve_point_is_the_full_replay_of_the_shifted_plan():
    s = BANK.find_scenario("S-01")
    curve = cost_of_waiting(s.simulation, None, points=6)
    for p in curve.points:
        full = Simulation.from_scenario(s, actions=[f"{p.t} undo"]).run().outcome()
        assert (p.failed, p.wrong, p.users) == (full.failed_requests,
                                               full.degraded_requests, full.users_affected)
    assert [p.users for p in curve.points] == sorted(p.users for p in curve.points)
    lines = chart(curve, 0)
    assert any("<- recommended 06:30" in line for line in lines)


def test_a_fork_replays_bit_for_bit_like_the_run_it_came_from():
    s = BANK.find_scenario("S-09")
    whole = Simulation.from_scenario(s, actions=["3:00 abort"]).run()
    part = Simulation.from_scenario(s, actions=["3:00 abort"])
    part.step(500)
    twin = part.fork()
    twin.run()
    assert twin.metrics == whole.metrics and damage(twin) == damage(whole)
    assert len(part.metrics) == 500  # the original is untouched


def test_compare_prints_the_curve_as_text_and_json(capsys):
    import json

    assert sim_cmd.run(_args("sim", "compare", "S-01", "--action", "6:45 undo",
                             "--points", "5", "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["curve"]["points"]) == 5 and data["curve"]["yours_t"] == 405
    assert sim_cmd.run(_args("sim", "compare", "S-01", "--action", "6:45 undo",
                             "--points", "5")) == 0
    assert "Cost of waiting" in capsys.readouterr().out


def test_seeds_spread_outcomes_and_the_same_seed_repeats_exactly():
    # D1: onset, severity, startup, load drift and user activity vary by seed.
    s = BANK.find_scenario("S-10")
    users = [Simulation.from_scenario(s, seed, s.simulation.recommended).run()
             .outcome().users_affected for seed in range(1, 9)]
    mean = sum(users) / len(users)
    spread = (sum((u - mean) ** 2 for u in users) / len(users)) ** 0.5 / mean
    assert spread > 0.05
    again = Simulation.from_scenario(s, 3, s.simulation.recommended).run()
    assert again.outcome().users_affected == users[2]


def test_simulation_checks_refuse_undefined_versions_and_actions_at_the_end():
    from trainer.bank.simcheck import validate_simulation

    base = BANK.find_scenario("S-01")
    sim = base.simulation
    bad = type(sim)(**{**{f: getattr(sim, f) for f in sim.__dataclass_fields__},
                       "recommended": ("30:00 undo", "6:30 deploy v9"),
                       "timeline": Timeline(duration_s=1800)})
    problems = validate_simulation(type(base)(**{**{f: getattr(base, f) for f in
                                                    base.__dataclass_fields__},
                                                 "simulation": bad}))
    assert any("not before the end" in p for p in problems)
    assert any("'6:30 deploy v9' deploys a version" in p for p in problems)
