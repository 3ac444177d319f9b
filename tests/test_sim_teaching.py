"""One test per teaching moment of the rollout reference's section 7, plus the tool
behaviours those moments rest on."""

from __future__ import annotations

from tests.sim_helpers import spec
from trainer.bank.simulation import Analysis, Build, Fault
from trainer.sim import Simulation


def _window(sim: Simulation, start: int, end: int) -> tuple[int, int]:
    ms = sim.metrics[start:end]
    return sum(m.incident_failed for m in ms), sum(m.requests for m in ms)


def canary(**strategy) -> dict:
    return {"steps": ("setWeight 20", "pause 600", "setWeight 100"), **strategy}


def test_abort_is_not_undo():
    s = spec("argo_canary", strategy=canary(),
             faults=(Fault(kind="bad_version", version="v2", error_rate=0.5),))
    sim = Simulation(s, 3)
    sim.step(120)
    rec = sim.apply("abort")
    assert rec.accepted
    sim.step(5)
    strat = sim.strategy
    assert strat.phase == "Degraded" and strat.weight == 0
    assert strat.template.version == "v2"  # desired is still the new version
    assert sim.apply("retry").accepted  # ...so retry redeploys the same bad version
    sim.step(120)
    assert strat.weight == 20 and strat.template.version == "v2"
    assert sim.apply("undo").accepted  # undo puts the old template back, fast-tracked
    sim.step(5)
    assert strat.template.version == "v1" and strat.phase == "Healthy" and strat.weight == 0


def test_no_data_is_a_measurement_error_and_the_failure_limit_is_strict():
    # An empty query result is an Error, not Inconclusive; Errors do not count towards
    # `count`, and the run errors (the rollout aborts) on the 5th in a row with the default
    # consecutiveErrorLimit 4 (argoproj/argo-rollouts#1466; analysis/analysis.go,
    # assessMetricFailureInconclusiveOrError).
    s = spec("argo_canary", strategy={"steps": ("setWeight 20", "analysis", "setWeight 100")},
             traffic={"rps": 0.1}, analysis=Analysis(min_requests=50, count=3))
    sim = Simulation(s, 1).run()
    assert sim.strategy.phase == "Degraded" and sim.strategy.aborted
    line = next(e for e in sim.events if "analysis Error" in e.text)
    started = next(e for e in sim.events if "analysis run started" in e.text)
    assert line.t - started.t == 5 * 60

    def aborted_after(limit: int) -> int:
        s = spec("argo_canary", strategy={"steps": ("setWeight 50", "analysis")},
                 faults=(Fault(kind="bad_version", version="v2", error_rate=0.5),),
                 analysis=Analysis(failure_limit=limit, count=10, interval_s=60))
        sim = Simulation(s, 1).run()
        run_line = next(e for e in sim.events if "analysis Failed" in e.text)
        return run_line.t

    # limit 0 fails on the 1st failed measurement, limit 3 on the 4th: 3 intervals later.
    assert aborted_after(3) - aborted_after(0) == 3 * 60


def test_no_traffic_canary_fails_flagger_checks():
    s = spec("flagger", strategy={"interval_s": 60, "threshold": 3, "step_weight": 10},
             traffic={"rps": 0.1}, analysis=Analysis(min_requests=20))
    sim = Simulation(s, 1).run()
    texts = [e.text for e in sim.events]
    assert any("no values found" in x for x in texts)
    assert sim.strategy.phase == "Failed"
    assert any("failed checks threshold reached 3" in x for x in texts)


def test_flagger_failed_checks_never_reset():
    s = spec("flagger", strategy={"threshold": 50, "step_weight": 10, "max_weight": 50},
             faults=(Fault(kind="bad_version", version="v2", error_rate=0.05, ramp_s=1),),
             duration=600)
    sim = Simulation(s, 2).run()
    counts = [int(e.text.split("failed checks ")[1].split("/")[0])
              for e in sim.events if "halt advancement" in e.text]
    assert counts == sorted(counts) and counts[-1] == len(counts)


def test_kubernetes_never_rolls_back_by_itself():
    s = spec(faults=(Fault(kind="bad_version", version="v2", error_rate=0.6),),
             strategy={"progress_deadline_s": 60}, fleet={"readiness_period_s": 10},
             duration=1800)
    sim = Simulation(s, 4).run()
    assert sim.strategy.dep.template.version == "v2" and sim.strategy.dep.complete
    assert sim.metrics[-1].error_rate > 0.4  # still failing at the end
    assert sim.detected_at is not None  # the alert fired, nobody acted


def test_progress_deadline_only_reports():
    s = spec(faults=(Fault(kind="crash_loop", version="v2", crash_every=5),),
             strategy={"progress_deadline_s": 120, "max_unavailable": "0"})
    sim = Simulation(s, 4).run()
    assert any("ProgressDeadlineExceeded" in e.text for e in sim.events)
    assert sim.strategy.dep.template.version == "v2"  # nothing rolled back


def test_undo_is_refused_while_paused_and_is_a_rolling_update():
    s = spec(faults=(Fault(kind="bad_version", version="v2", error_rate=0.5),))
    sim = Simulation(s, 1)
    sim.step(60)
    assert sim.apply("pause").accepted
    rec = sim.apply("undo")
    assert not rec.accepted and "cannot rollback a paused deployment" in rec.reason
    assert sim.apply("resume").accepted and sim.apply("undo").accepted
    sim.step(3)
    assert sim.strategy.dep.template.version == "v1"
    assert not sim.strategy.dep.complete  # pods still have to be replaced, batch by batch


def test_missing_prestop_gives_5xx_during_rolling_updates():
    # A SIGTERM handler closes the listener, so what the proxies send before the endpoint
    # removal reaches them is refused: a preStop sleep covering the lag is what prevents
    # it (reference section 1, "Termination"; section 7).
    def dropped(faults=(), **fleet) -> int:
        s = spec(fleet={"endpoint_lag_s": 5, **fleet}, faults=faults, duration=600)
        return Simulation(s, 9).run().outcome().failed_requests

    handler_only = dropped()
    assert handler_only > 300
    assert dropped(prestop_s=5) == 0
    assert dropped((Fault(kind="abrupt_shutdown"),)) >= handler_only


def test_rollback_after_irreversible_migration_does_not_recover_forward_fix_does():
    faults = (Fault(kind="schema_migration", version="v2", breaks=("v1",), error_rate=0.3),
              Fault(kind="bad_version", version="v2", error_rate=0.2, fixed_in=("v2.1",)))
    builds = (Build(version="v2.1", lead_time_s=60),)
    undo = Simulation(spec(faults=faults, duration=1200, builds=builds), 5, ["2:00 undo"]).run()
    fix = Simulation(spec(faults=faults, duration=1200, builds=builds), 5,
                     ["2:00 deploy v2.1"]).run()
    assert undo.metrics[-1].error_rate > 0.2
    assert undo.outcome().recover_t is None
    assert fix.outcome().recover_t is not None
    assert fix.outcome().failed_requests < undo.outcome().failed_requests


def test_canary_that_skips_work_passes_the_mann_whitney_judge():
    s = spec("argo_canary", strategy={"steps": ("setWeight 50", "analysis")},
             faults=(Fault(kind="skip_work", version="v2", latency_factor=0.6,
                           degraded_rate=0.3),),
             analysis=Analysis(judge="mann_whitney", count=3))
    sim = Simulation(s, 1).run()
    assert sim.strategy.canary is None and sim.strategy.stable.template.version == "v2"
    assert sim.outcome().degraded_requests > 0


def test_mann_whitney_judge_fails_a_worse_canary_and_is_marginal_on_latency_alone():
    def phase(fault: Fault) -> str:
        s = spec("argo_canary", strategy={"steps": ("setWeight 50", "analysis")},
                 faults=(fault,), analysis=Analysis(judge="mann_whitney", count=3))
        return Simulation(s, 1).run().strategy.phase

    # Error rate is critical: High scores 0 and the run fails.
    assert phase(Fault(kind="bad_version", version="v2", error_rate=0.05,
                       added_latency_ms=600)) == "Degraded"
    # Latency High alone scores 50 = marginal: Inconclusive, which pauses.
    assert phase(Fault(kind="bad_version", version="v2", added_latency_ms=600)) == "Paused"


def test_load_dependent_database_saturation_fine_at_5_percent_fails_at_100():
    from trainer.bank.simulation import Database

    s = spec("argo_canary", strategy={"steps": ("setWeight 5", "pause 300", "setWeight 100",
                                                "pause 300")},
             database=Database(capacity_qps=1300, queries_per_request=5),
             faults=(Fault(kind="db_saturation", version="v2", queries_per_request=10),),
             duration=900)
    sim = Simulation(s, 1).run()
    at5 = _window(sim, 200, 300)
    at100 = _window(sim, 700, 800)
    assert at5[0] < 0.005 * at5[1] and at100[0] > 0.2 * at100[1]


def test_blue_green_undo_inside_scale_down_delay_is_instant_after_it_is_cold():
    s = spec("blue_green", strategy={"scale_down_delay_s": 120},
             fleet={"startup_s": 30}, duration=900)
    quick = Simulation(s, 1, ["2:00 undo"])
    quick.step(125)
    assert quick.strategy.active.template.version == "v1"
    late = Simulation(s, 1, ["6:00 undo"])
    late.step(365)
    assert late.strategy.active.template.version == "v2"  # blue must start again first
    assert late.strategy.preview is not None


def test_stale_cdn_assets_until_purge_and_hashed_fix():
    from trainer.bank.simulation import Cdn

    cdn = Cdn(edge_max_age_s=600, browser_share=0.0, purge_s=60)
    s = spec("blue_green", cdn=cdn, faults=(Fault(kind="stale_cdn", degraded_rate=1.0),))
    left = Simulation(s, 1).run()
    purged = Simulation(s, 1, ["2:00 purge"]).run()
    assert left.metrics[200].degraded > 0
    assert purged.metrics[300].degraded < left.metrics[300].degraded


def test_flag_kill_switch_propagates_by_polling_interval():
    from trainer.bank.simulation import Flag

    flag = Flag(key="f", percentage=0, propagation="polling", poll_s=30)
    s = spec("flag", strategy={"flag": "f", "steps": ("setWeight 50",)}, flags=(flag,),
             fleet={"new_version": "f"},
             faults=(Fault(kind="bad_version", version="f", error_rate=0.5),))
    sim = Simulation(s, 1, ["3:00 flag f off"])
    sim.step(181)
    share_just_after = sim.metrics[-1].new_share
    sim.step(40)
    assert 0 < share_just_after <= 0.5 and sim.metrics[-1].new_share == 0


def test_two_flags_interact_only_for_users_in_both():
    from trainer.bank.simulation import Flag

    flags = (Flag(key="a", percentage=50), Flag(key="b", percentage=0))
    fault = Fault(kind="flag_interaction", flag_a="a", flag_b="b", error_rate=0.5)
    s = spec("flag", strategy={"flag": "b", "steps": ("pause 120", "setWeight 40")},
             flags=flags, fleet={"new_version": "b"}, faults=(fault,))
    sim = Simulation(s, 1).run()
    assert sum(m.incident_failed for m in sim.metrics[:120]) == 0
    late = _window(sim, 300, 600)
    assert 0.05 < late[0] / late[1] < 0.15  # 0.5 x 0.4 x 0.5 = 10% of requests


def test_memory_leak_oom_kills_with_crash_loop_backoff():
    s = spec(faults=(Fault(kind="memory_leak", version="v2", leak_mib_per_min=100),),
             duration=1200)
    sim = Simulation(s, 1).run()
    oom = [e for e in sim.events if "OOMKilled at 512 MiB" in e.text]
    assert oom
    assert any("back-off 20s" in e.text for e in sim.events)
