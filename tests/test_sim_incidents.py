"""The incidents simulated for issue 16: their fault models, teaching moments and plans.

Each scenario's recommended plan must beat doing nothing and every listed wrong plan on
users affected on seeds 1-5, not only on the scenario's own seed, so the lesson does not
hinge on one lucky draw.
"""

from __future__ import annotations

import pytest

from tests.sim_helpers import spec
from trainer.bank import load_bank
from trainer.bank.simulation import Fault
from trainer.sim import Simulation, plan_outcomes

BANK = load_bank()
# The incidents simulated with their own fault models (this file and test_sim_systems.py).
NEW = ["S-17", "S-23", "S-24", "S-30", "S-33", "S-18", "S-21", "S-26", "S-32"]


def _failed(sim: Simulation, start: int, end: int) -> tuple[int, int]:
    ms = sim.metrics[start:end]
    return sum(m.incident_failed for m in ms), sum(m.requests for m in ms)


@pytest.mark.parametrize("code", NEW)
def test_new_scenario_is_simulated_and_keeps_its_tabletop_reveals(code):
    s = BANK.find_scenario(code)
    assert s.simulation is not None and s.simulation.wrong
    assert s.reveals and s.first_action  # still playable as a tabletop drill


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("code", NEW)
def test_recommended_beats_every_wrong_plan_on_seeds_1_to_5(code, seed):
    outcomes = plan_outcomes(BANK.find_scenario(code), seed)
    best = outcomes.pop("recommended")
    for label, out in outcomes.items():
        assert best.users_affected < out.users_affected, f"{code} seed {seed}: '{label}'"


@pytest.mark.parametrize("code", NEW)
def test_same_seed_and_actions_give_the_same_timeline(code):
    s = BANK.find_scenario(code)
    a = Simulation.from_scenario(s, 2, s.simulation.recommended).run()
    b = Simulation.from_scenario(s, 2, s.simulation.recommended).run()
    assert a.metrics == b.metrics and [e.text for e in a.events] == [e.text for e in b.events]


# --- certificate expiry (S-17) ---------------------------------------------------------------

CERT = Fault(kind="cert_expiry", at_s=120, error_rate=1.0, issue_s=60, sync_s=60)


def test_an_expired_certificate_fails_every_handshake():
    sim = Simulation(spec(faults=(CERT,), fleet={"new_version": "v1"}), 1).run()
    before, after = _failed(sim, 60, 120), _failed(sim, 200, 400)
    assert before[0] == 0 and after[0] == after[1]


def test_reload_before_the_kubelet_refreshes_the_files_keeps_the_old_certificate():
    # Secret updated at 3:30 (rotate at 2:30 + 60 s); files refreshed at 4:30.
    early = Simulation(spec(faults=(CERT,), fleet={"new_version": "v1"}), 1,
                       ["2:30 rotate-cert", "4:00 reload"]).run()
    late = Simulation(spec(faults=(CERT,), fleet={"new_version": "v1"}), 1,
                      ["2:30 rotate-cert", "4:40 reload"]).run()
    assert _failed(early, 600, 800)[0] == _failed(early, 600, 800)[1]
    assert _failed(late, 300, 800)[0] == 0


def test_updating_the_secret_alone_changes_nothing_but_a_rolling_restart_does():
    alone = Simulation(spec(faults=(CERT,), fleet={"new_version": "v1"}), 1,
                       ["2:30 rotate-cert"]).run()
    restart = Simulation(spec(faults=(CERT,), fleet={"new_version": "v1"}), 1,
                         ["2:30 rotate-cert", "4:00 restart v1"]).run()
    assert _failed(alone, 800, 900)[0] == _failed(alone, 800, 900)[1]
    # New pods mount the updated Secret at once, so the restart needs no kubelet sync.
    assert _failed(restart, 800, 900)[0] == 0


def test_cert_actions_are_refused_without_a_certificate_fault():
    sim = Simulation(spec(), 1)
    assert not sim.apply("rotate-cert").accepted and not sim.apply("reload").accepted


# --- flag interaction (S-30) -----------------------------------------------------------------

def test_toggling_an_innocent_flag_does_not_stop_the_wrong_emails():
    s = BANK.find_scenario("S-30")
    sim = Simulation.from_scenario(s, 1, ["16:00 flag email-template-v3 off"]).run()
    after = sim.metrics[1000:1200]
    assert sum(m.degraded for m in after) > 0
    fixed = Simulation.from_scenario(s, 1, s.simulation.recommended).run()
    assert sum(m.degraded for m in fixed.metrics[1000:1200]) == 0


# --- cache stampede after a flush (S-33) -----------------------------------------------------

def test_the_refill_crawls_while_the_database_sheds_and_warming_ends_it():
    s = BANK.find_scenario("S-33")
    nothing = Simulation.from_scenario(s, 1).run()
    warmed = Simulation.from_scenario(s, 1, s.simulation.recommended).run()
    assert _failed(nothing, 230, 240)[0] == 0  # the deploy itself is healthy
    # Ten minutes after the flush the cache would have refilled with an idle database...
    assert _failed(nothing, 840, 900)[0] > 0.3 * _failed(nothing, 840, 900)[1]
    # ...and warming the hottest tenth of the keys ends the shedding within minutes.
    assert _failed(warmed, 600, 900)[0] == 0


def test_hot_keys_serve_most_reads_and_a_second_flush_starts_over():
    from trainer.sim.cache import CacheState

    c = CacheState(Fault(kind="cache_flush", at_s=10, hit_rate=0.9, queries_per_request=2,
                         keys=100000))
    assert 0.79 < c.covered(0.1) < 0.81 and c.covered(1.0) == 1.0  # ln(1+kN)/ln(1+N)
    for t in range(12):
        c.tick(t, 0.0)
    assert c.hit < 0.1 and c.queries() > 1.8
    c.warm(10, 12)
    for t in range(12, 200):
        c.tick(t, 1.0)  # a fully shedding database refills nothing; the warmer still loads
    assert c.hit >= 0.9 * c.covered(0.1) - 1e-9
    c.flush(200)
    assert c.hit == 0.0


# --- Argo CD reverts a manual fix (S-24) -----------------------------------------------------

def _version_at(sim: Simulation, t: int) -> set[str]:
    return {v for v, n, _ in sim.metrics[t].versions if n}


def test_the_next_commit_by_anyone_syncs_git_over_a_hand_fix():
    s = BANK.find_scenario("S-24")
    sim = Simulation.from_scenario(s, 1, ["5:30 deploy cfg-hotfix"]).run()
    assert _version_at(sim, 850) == {"cfg-hotfix"}  # the hand fix holds until...
    assert any(e.t == 900 and "applied Git (git-r41)" in e.text for e in sim.events)
    assert "git-r41" in _version_at(sim, 1100)  # ...the 15:00 poll after the 12:00 commit


def test_paused_auto_sync_keeps_the_hand_fix_until_git_holds_the_fix():
    s = BANK.find_scenario("S-24")
    sim = Simulation.from_scenario(s, 1, s.simulation.recommended).run()
    assert any(e.t == 900 and "auto-sync is off" in e.text for e in sim.events)
    assert not any("git-r41" in _version_at(sim, t) for t in range(600, 2700, 60))
    assert _version_at(sim, 2600) == {"git-r42"}  # Git and the cluster agree again


def test_self_heal_reverts_drift_within_seconds():
    from trainer.bank.simulation import GitOps

    bad = Fault(kind="bad_version", version="v2", error_rate=0.5)
    s = spec(faults=(bad,), gitops=GitOps(self_heal=True))
    sim = Simulation(s, 1, ["5:00 deploy v1"]).run()
    assert any(e.t == 305 and e.text.startswith("argocd: sync") for e in sim.events)
    assert "v2" in _version_at(sim, 500)


# --- Argo CD syncs a bad config (S-23) -------------------------------------------------------

def test_a_git_revert_with_a_manual_sync_beats_the_poll_and_kubectl_is_self_healed_away():
    s = BANK.find_scenario("S-23")
    hand = Simulation.from_scenario(s, 1, ["4:00 deploy git-r87"]).run()
    assert any(e.t == 245 and "applied Git (git-r88)" in e.text for e in hand.events)
    synced = Simulation.from_scenario(s, 1, s.simulation.recommended).run()
    polled = Simulation.from_scenario(s, 1, ["4:00 commit git-r87"]).run()
    assert any(e.t == 360 and "applied Git (git-r87)" in e.text for e in synced.events)
    assert any(e.t == 540 and "applied Git (git-r87)" in e.text for e in polled.events)


# --- the action grammar and the checks -------------------------------------------------------

@pytest.mark.parametrize("line", ["1:00 warm-cache 101", "1:00 warm-cache nan",
                                  "1:00 auto-sync maybe", "1:00 reload now",
                                  "1:00 commit a b"])
def test_new_actions_refuse_bad_arguments(line):
    from trainer.bank.simgrammar import ActionError, parse_action

    with pytest.raises(ActionError):
        parse_action(line)


def test_simcheck_wants_the_blocks_the_new_models_need():
    import dataclasses

    from trainer.bank.simcheck import validate_simulation

    s = BANK.find_scenario("S-33")
    sim = s.simulation
    no_db = dataclasses.replace(s, simulation=dataclasses.replace(
        sim, database=None, recommended=("7:00 warm-cache 10", "8:00 sync")))
    problems = "\n".join(validate_simulation(no_db))
    assert "needs a database block" in problems and "needs a gitops block" in problems
