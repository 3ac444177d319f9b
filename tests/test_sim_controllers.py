"""The controller rules the audit found wrong (reports/sim.md, section A), each stated as
the real tool behaves, with its source."""

from __future__ import annotations

from tests.sim_helpers import spec
from trainer.bank.simulation import Analysis, Build, Cdn, Database, Fault, Flag
from trainer.sim import Simulation
from trainer.sim.cdn import CdnState


def _events(sim: Simulation, words: str) -> list[int]:
    return [e.t for e in sim.events if words in e.text]


def test_progress_deadline_is_never_reported_after_the_rollout_completed():
    # A1. Kubernetes docs, Deployment, "Complete Deployment": Progressing stays True until
    # a new rollout starts, whatever later happens to availability.
    s = spec(faults=(Fault(kind="memory_leak", version="v2", leak_mib_per_min=40),),
             strategy={"progress_deadline_s": 120, "max_unavailable": "0"}, duration=1500)
    sim = Simulation(s, 3).run()
    done = _events(sim, "successfully rolled out v2")
    assert done and _events(sim, "OOMKilled")
    assert not _events(sim, "ProgressDeadlineExceeded")


def test_pid1_without_a_handler_ignores_sigterm_and_is_sigkilled_at_the_grace_period():
    # A3. The kernel applies no default action to PID 1, so SIGTERM is ignored: the pod
    # serves until SIGKILL at terminationGracePeriodSeconds (exit 137), cutting only the
    # requests still running then; an app that exits on SIGTERM shows 143 (reference
    # section 1, "Termination"; the audit's sources on 137 vs 143).
    fleet = {"endpoint_lag_s": 5, "long_request_share": 0.05, "long_request_s": 120}
    ignores = Simulation(spec(fleet=fleet, faults=(Fault(kind="ignores_sigterm"),),
                              duration=600), 2).run()
    exits = Simulation(spec(fleet=fleet, faults=(Fault(kind="abrupt_shutdown"),),
                            duration=600), 2).run()
    kills = [e for e in ignores.events if "exit 137" in e.text]
    assert kills and not _events(ignores, "exit 143") and _events(exits, "exit 143")
    # Killed 30 s after deletion, not at once: every pod of the old version is gone 30 s
    # after its replacement starts, never sooner.
    assert all(e.t >= 30 for e in kills)
    cut = ignores.outcome().failed_requests
    longer = Simulation(spec(fleet=fleet, faults=(Fault(kind="ignores_sigterm"),),
                             duration=600, strategy={}), 2, ["0 patch grace 130"]).run()
    assert 0 < cut < exits.outcome().failed_requests
    # A grace period covering the longest request saves what SIGKILL would have cut (only
    # the first rollout, whose old pods still have 30 s, drops anything).
    assert longer.outcome().failed_requests < cut + exits.outcome().failed_requests


def test_a_mid_rollout_template_change_never_weights_a_canary_without_available_pods():
    # A5. argo-rollouts rollout/trafficrouting.go: "when newRS is not available or
    # replicas num is 0. never weight to canary".
    s = spec("argo_canary", strategy={"steps": ("setWeight 20", "pause 600", "setWeight 100")},
             builds=(Build(version="v3"),), duration=600)
    sim = Simulation(s, 4, ["3:00 deploy v3"]).run()
    assert all(v != "(none)" for m in sim.metrics for v, _, _ in m.versions)
    assert sim.outcome().failed_requests == 0


def test_setting_the_stable_image_back_on_an_argo_canary_is_a_fast_rollback():
    # A6. Argo docs, features/rollback.md: moving back to the stable ReplicaSet of an
    # unfinished update is fast-tracked (no steps, no analysis): the same as undo.
    s = spec("argo_canary", strategy={"steps": ("setWeight 25", "pause 600", "setWeight 100")},
             faults=(Fault(kind="bad_version", version="v2", error_rate=0.2),), duration=900)
    back = Simulation(s, 5, ["3:00 deploy v1"]).run()
    undo = Simulation(s, 5, ["3:00 undo"]).run()
    assert back.strategy.canary is None and back.strategy.stable.template.version == "v1"
    assert back.metrics[-1].error_rate < 0.02
    assert back.outcome().failed_requests == undo.outcome().failed_requests


def test_blue_green_keeps_the_old_side_until_post_promotion_analysis_and_switches_back():
    # A7. Argo docs, features/bluegreen.md, sequence of events: after postPromotionAnalysis
    # succeeds the new ReplicaSet is stable and the old one is scaled down after
    # scaleDownDelaySeconds; a failed analysis aborts and switches back to the old one.
    bad = (Fault(kind="bad_version", version="v2", error_rate=0.3, onset_s=40),)
    s = spec("blue_green", strategy={"scale_down_delay_s": 30}, faults=bad,
             analysis=Analysis(interval_s=60, count=3), duration=600)
    sim = Simulation(s, 1).run()
    failed = _events(sim, "post-promotion analysis Failed")
    assert failed and not _events(sim, "starting behind the preview service")[1:]
    assert sim.strategy.active.template.version == "v1"  # switched straight back
    assert not _events(sim, "blue-v1 scaled down") and not _events(sim, "v1 scaled down")
    good = Simulation(spec("blue_green", strategy={"scale_down_delay_s": 30},
                           analysis=Analysis(interval_s=60, count=3), duration=600), 1).run()
    passed = _events(good, "post-promotion analysis Successful")
    assert passed and _events(good, "v1 scaled down")[0] == passed[0] + 30


def test_restart_is_a_rolling_restart_never_every_pod_at_once():
    # A8. `kubectl rollout restart` patches a restartedAt annotation into the template, an
    # ordinary rolling update; Argo's restart evicts at most maxUnavailable pods at a time
    # (Argo docs, features/restart).
    s = spec(strategy={"max_surge": "1", "max_unavailable": "0"}, fleet={"prestop_s": 5},
             duration=900)
    sim = Simulation(s, 2, ["6:00 restart v2"])
    sim.run()
    ready = [sum(n for _, ph, n in m.pods if ph == "Ready") for m in sim.metrics[360:]]
    assert min(ready) >= 6  # maxUnavailable 0: capacity never drops
    assert len(_events(sim, "successfully rolled out v2")) == 2
    assert sim.outcome().failed_requests == 0
    argo = Simulation(spec("argo_canary", strategy={"steps": ("setWeight 50",)}, duration=900),
                      2, ["5:00 restart v2"]).run()
    terminating = [sum(n for _, ph, n in m.pods if ph == "Terminating") for m in argo.metrics]
    assert max(terminating[300:]) <= 2  # floor(25% of 6) at a time, never all six


def test_a_kill_switch_stays_off_while_the_rollout_keeps_editing_its_rule():
    # A9. Reference section 5 (LaunchDarkly targeting): turning a flag off serves the off
    # variation to everyone, whatever the rollout rules say.
    flag = Flag(key="f", percentage=0)
    s = spec("flag", strategy={"flag": "f", "steps": ("setWeight 10", "pause 300",
                                                      "setWeight 50")},
             flags=(flag,), fleet={"new_version": "f"},
             faults=(Fault(kind="bad_version", version="f", error_rate=0.5),), duration=900)
    sim = Simulation(s, 1, ["2:00 flag f off"]).run()
    assert _events(sim, "rule 50%")  # the schedule still moved the rule...
    assert all(m.new_share == 0 for m in sim.metrics[130:])  # ...but nobody was served it
    on = Simulation(s, 1, ["2:00 flag f off", "10:00 flag f on"]).run()
    assert on.metrics[-1].new_share > 0.4  # back on: the rule (50%) is served again


def test_dropping_the_column_counts_only_what_the_new_version_wrote():
    # A10. The data lost with the column is what the version that knows the column wrote;
    # the old version's writes never touched it (PostgreSQL and MySQL ALTER TABLE docs).
    mig = Fault(kind="schema_migration", version="v2", breaks=("v1",), error_rate=0.3)
    s = spec(faults=(mig,), duration=900)
    early = Simulation(s, 3, ["0:20 migrate-down"]).run().outcome().data_at_risk
    late = Simulation(s, 3, ["10:00 migrate-down"]).run().outcome().data_at_risk
    undone = Simulation(s, 3, ["2:00 undo", "10:00 migrate-down"]).run().outcome().data_at_risk
    assert early < late and 0 < undone < late  # writes stop once v1 is back


def test_cdn_copies_expire_by_max_age_linearly_never_exponentially():
    # A11. RFC 9111 section 4.2: a copy is fresh until its age passes max-age; refills are
    # spread evenly, so the stale share falls linearly to zero at max-age.
    cdn = CdnState(Cdn(edge_max_age_s=600, browser_share=0.0), "v1")
    for t in range(900):
        cdn.tick(t, {"v2": 1.0})
        if t == 299:
            assert abs(cdn.edge.share("v1") - 0.5) < 0.01
    assert cdn.edge.share("v1") == 0.0 and cdn.mismatch("v2") == 0.0


def test_the_alert_fires_only_after_its_for_duration_and_detection_adds_the_page():
    # A12. Prometheus `for:` / Grafana pending period: the condition must hold for the
    # whole duration before the alert fires; then a person must be paged and acknowledge.
    s = spec(faults=(Fault(kind="bad_version", version="v2", error_rate=0.4),),
             analysis=Analysis(alert_for_s=120, reaction_s=90), duration=900)
    sim = Simulation(s, 6).run()
    fired = _events(sim, "ALERT firing")[0]
    out = sim.outcome()
    assert out.onset_t is not None and fired - out.onset_t >= 120 + 60  # window + for:
    assert out.detect_t == fired + 90


def test_undo_keeps_the_old_canary_for_scale_down_delay_and_flagger_measures_little_traffic():
    # A14. Argo: after undo the old canary is an old ReplicaSet under scaleDownDelaySeconds
    # (abortScaleDownDelaySeconds 0 means "never" only for aborts). Flagger reports "no
    # values found" only when the query has no samples; 5 requests give a success rate.
    s = spec("argo_canary", strategy={"steps": ("setWeight 50", "pause 600"),
                                      "scale_down_delay_s": 45, "abort_scale_down_delay_s": 0},
             duration=400)
    sim = Simulation(s, 1, ["2:00 undo"]).run()
    v2 = [sum(n for v, ph, n in m.pods if v == "v2" and ph != "Terminating")
          for m in sim.metrics]
    assert v2[150] > 0 and v2[170] == 0
    few = spec("flagger", strategy={"interval_s": 60, "threshold": 2, "step_weight": 5},
               traffic={"rps": 20}, duration=400)
    assert not _events(Simulation(few, 1).run(), "no values found")


def test_proportional_scaling_spreads_replicas_plus_max_surge_and_idle_pods_hold_connections():
    # A14. Deployment controller `scale`: during a rollout the allowed total is replicas +
    # maxSurge, spread over the active ReplicaSets by size. Every running pod keeps its
    # connection pool open, serving or idle.
    s = spec(strategy={"max_surge": "2", "max_unavailable": "0"}, duration=300)
    sim = Simulation(s, 1)
    sim.step(20)
    sim.apply("scale 12")
    specs = sum(rs.spec for rs in sim.strategy.dep.sets)
    assert specs == 12 + 2
    db = Database(capacity_qps=10_000, max_connections=100)
    canary = spec("argo_canary", strategy={"steps": ("setWeight 100", "pause 600")},
                  fleet={"pool_size": 10}, database=db, duration=300)
    both = Simulation(canary, 1).run()
    assert both.server.connections() == 120  # 6 stable (idle at weight 100) + 6 canary
    assert both.outcome().failed_requests > 0  # 120 > 100: the database refuses some


def test_a_basic_canary_gives_up_stable_pods_only_within_max_unavailable():
    # A14. Argo basic canary: replica counts honour maxSurge and maxUnavailable, so with
    # maxUnavailable 0 no stable pod goes before a canary pod is available.
    s = spec("argo_canary", strategy={"traffic_routing": False, "steps": ("setWeight 50",),
                                      "max_unavailable": "0"}, duration=300)
    sim = Simulation(s, 1).run()
    ready = [sum(n for _, ph, n in m.pods if ph == "Ready") for m in sim.metrics]
    assert min(ready) >= 6
