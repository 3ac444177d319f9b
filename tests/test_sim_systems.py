"""The second batch of issue 16's incidents: reconnect storms on WebSocket gateways (S-32),
a retry storm that outlives its trigger (S-26), failover to a cold standby region (S-18)
and replication lag during a region migration (S-21).

As in test_sim_incidents: each recommended plan beats doing nothing and every listed wrong
plan on users affected on seeds 1-5, and each fault model's teaching moment is pinned.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.sim_helpers import spec
from trainer.bank import load_bank
from trainer.bank.simsystems import Gateways, Replication, Retries
from trainer.sim import Simulation

BANK = load_bank()
NEW = ["S-18", "S-21", "S-26", "S-32"]


def _failed(sim: Simulation, start: int, end: int) -> tuple[int, int]:
    ms = sim.metrics[start:end]
    return sum(m.incident_failed for m in ms), sum(m.requests for m in ms)


def _share(sim: Simulation, start: int, end: int) -> float:
    bad, total = _failed(sim, start, end)
    return bad / total if total else 0.0


@pytest.mark.parametrize("code", NEW)
def test_stopping_at_rest_keeps_the_damage_of_the_full_run(code):
    # run_to_rest() is what replays and the cost-of-waiting curve use: the models' `quiet`
    # must never let it stop while something can still fail.
    s = BANK.find_scenario(code)
    for plan in (s.simulation.recommended, *(w.actions for w in s.simulation.wrong)):
        full = Simulation.from_scenario(s, 1, plan).run().totals
        rest = Simulation.from_scenario(s, 1, plan).run_to_rest().totals
        assert (rest.incident_failed, rest.degraded) == (full.incident_failed, full.degraded)


# --- WebSocket gateways and the reconnect storm (S-32) ----------------------------------------

def _gateways(actions: tuple[str, ...] = (), **kw) -> Simulation:
    s = spec(fleet={"new_version": "v1", "replicas": 20, "pod_capacity_rps": 2000},
             traffic={"rps": 20000, "users": 1_000_000}, duration=900,
             gateways=Gateways(**kw))
    return Simulation(s, 1, actions).run()


def _up(sim: Simulation) -> int:
    return sum(g.up for g in sim.incidents.models[0].gws)


def test_without_jitter_the_reconnect_storm_topples_the_survivors_and_with_jitter_not():
    fixed, jittered = _gateways(), _gateways(jitter=True)
    assert _up(fixed) == 0 and _share(fixed, 600, 900) == 1.0  # one crash became all
    assert _up(jittered) == 19 and _share(jittered, 300, 900) == 0.0


def test_rate_limited_admission_absorbs_the_herd_that_restarting_feeds():
    limited = _gateways(("1:30 admission 150",))
    assert _up(limited) == 19 and _share(limited, 300, 900) == 0.0
    restarted = _gateways(("1:30 restart-gateway",))
    assert _up(restarted) == 0


def test_a_wave_bigger_than_the_timeout_allows_completes_no_handshake_in_time():
    from trainer.sim.wsgate import Gateways as Model

    sim = Simulation(spec(fleet={"new_version": "v1"}, gateways=Gateways(
        count=2, clients=10000, max_units=10**6, drop_share=0.0, crash_at_s=10)), 1)
    model = sim.incidents.models[0]
    assert isinstance(model, Model)
    sim.step(120)
    # 5,000 clients on one gateway at once: 25 s of work against a 10 s timeout, every
    # 15 s, forever: nobody reconnects though the gateway is up and never crashes.
    assert model.gws[1].up and model.lost > 4999


# --- the retry storm that outlives its trigger (S-26) ---------------------------------------

def _storm(actions: tuple[str, ...] = (), **kw) -> Simulation:
    s = spec(fleet={"new_version": "v1", "replicas": 10, "pod_capacity_rps": 100},
             traffic={"rps": 600, "users": 200000}, duration=1800,
             retries=Retries(**{"lock_at_s": 120, "lock_s": 300, **kw}))
    return Simulation(s, 1, actions).run()


def test_after_the_lock_is_gone_the_retry_storm_keeps_the_service_down_until_load_is_shed():
    waited = _storm()  # the migration lets go by itself at about 7:00
    assert _share(waited, 1200, 1800) == 1.0  # twenty minutes later: still down
    shed = _storm(("9:00 rate-limit 700",))
    assert _share(shed, 1200, 1800) < 0.001  # only a burst above the limit gets a 429
    fewer = _storm(("9:00 retries 1",))
    assert _share(fewer, 1200, 1800) == 0.0


def test_with_a_queue_shorter_than_the_timeout_there_is_no_metastable_state():
    short = _storm(queue_limit=20000)  # 20 s of work: what is served is still wanted
    assert _share(short, 900, 1800) == 0.0


def test_without_retries_the_lock_leaves_no_storm_behind():
    assert _share(_storm(attempts=1), 900, 1800) == 0.0


# --- failover to a cold standby (S-18) ------------------------------------------------------

def test_the_cold_standby_database_falls_over_again_and_again_unless_load_is_admitted_in_steps():
    s = BANK.find_scenario("S-18")
    nothing = Simulation.from_scenario(s, 1).run()
    falls = [e.t for e in nothing.events if "standby database stops answering" in e.text]
    assert len(falls) >= 3 and falls[0] < 180  # within seconds of the full load, repeatedly
    assert _share(nothing, 1500, 1800) > 0.9
    stepped = Simulation.from_scenario(s, 1, s.simulation.recommended).run()
    assert not any("stops answering" in e.text for e in stepped.events)
    assert _share(stepped, 600, 1800) == 0.0


def test_the_autoscaler_adds_pods_minutes_after_the_load_arrives():
    s = BANK.find_scenario("S-18")
    sim = Simulation.from_scenario(s, 1).run()
    scaled = [r for r in sim.actions if r.by == "hpa"]
    assert [r.t for r in scaled] == [30 + 180 + 1] and scaled[0].text == "scale 40"


# --- replication lag in a region migration (S-21) -------------------------------------------

def _lags(actions: tuple[str, ...] = (), **kw) -> list[float]:
    """The replica's lag at every second of a 20-minute run at 25% weight."""
    s = spec(fleet={"new_version": "v1", "replicas": 40, "pod_capacity_rps": 2000},
             traffic={"rps": 50000, "users": 5_000_000}, duration=1200,
             replication=Replication(**{"write_rows_s": 3000, "batch_rows": 130000, **kw}))
    sim, out = Simulation(s, 1, actions), []
    for _ in range(1200):
        sim.step()
        out.append(sim.incidents.models[0].lag)
    return out


def test_the_batch_transaction_stalls_the_replica_whatever_the_worker_count():
    one, four = _lags(), _lags(workers=4)
    assert 20 < max(one) < 40  # the ~30 s bursts of the briefing...
    assert min(one[600:]) == 0  # ...with no lag between them
    assert max(four) > 20  # one transaction, one worker
    assert max(_lags(("1:00 pause-batch",), workers=4)[120:]) <= 1


def test_promoting_with_lag_loses_the_unapplied_writes_and_fails_the_stragglers():
    s = BANK.find_scenario("S-21")
    base = Simulation.from_scenario(s, 1)
    base.step(240)
    lag = base.incidents.models[0].lag
    promoted = base.fork()
    promoted.apply("promote-replica")
    promoted.run()
    assert promoted.totals.data_at_risk == pytest.approx(lag * 50000 * 0.2)
    assert _failed(promoted, 240, 320)[0] > 0 and _failed(promoted, 400, 3600)[0] == 0


def test_a_hand_set_weight_freezes_the_migration_ladder():
    s = BANK.find_scenario("S-21")
    sim = Simulation.from_scenario(s, 1, ["4:00 region-weight 5"]).run()
    refused = [r for r in sim.actions if r.by == "script"]
    assert refused and not any(r.accepted for r in refused)


# --- the action grammar and the checks -------------------------------------------------------

@pytest.mark.parametrize("line", ["1:00 admission -1", "1:00 jitter maybe", "1:00 retries 0",
                                  "1:00 retries 2.5", "1:00 shed 101", "1:00 admit nan",
                                  "1:00 region-weight 200", "1:00 parallel-apply 65",
                                  "1:00 add-gateway 0", "1:00 rate-limit inf",
                                  "1:00 release-lock now", "1:00 disconnect"])
def test_new_actions_refuse_bad_arguments(line):
    from trainer.bank.simgrammar import ActionError, parse_action

    with pytest.raises(ActionError):
        parse_action(line)


def test_system_actions_are_refused_without_their_system():
    sim = Simulation(spec(), 1)
    for line in ("admission 100", "release-lock", "admit 50", "promote-replica"):
        assert not sim.apply(line).accepted


def test_simcheck_wants_the_block_each_action_acts_on():
    from trainer.bank.simcheck import validate_simulation

    s = BANK.find_scenario("S-26")
    bare = dataclasses.replace(s, simulation=dataclasses.replace(
        s.simulation, retries=None, recommended=("5:00 release-lock", "5:00 admit 50")))
    problems = "\n".join(validate_simulation(bare))
    assert "needs a retries block" in problems and "needs a failover block" in problems
