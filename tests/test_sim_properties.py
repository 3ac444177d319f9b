"""Hypothesis properties of the simulator (issue 5, item 11)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sim_helpers import spec
from trainer.bank.simulation import Fault
from trainer.sim import Simulation
from trainer.sim.dns import DnsState, moved
from trainer.sim.flags import in_rollout


@settings(max_examples=25, deadline=None)
@given(replicas=st.integers(1, 12), surge=st.sampled_from(["1", "2", "25%", "50%", "100%"]),
       startup=st.integers(0, 40), min_ready=st.integers(0, 20), seed=st.integers(0, 10**6))
def test_max_unavailable_zero_never_lowers_available_capacity(replicas, surge, startup,
                                                              min_ready, seed):
    s = spec(strategy={"max_surge": surge, "max_unavailable": "0"},
             fleet={"replicas": replicas, "startup_s": startup, "min_ready_s": min_ready},
             duration=1500)
    sim = Simulation(s, seed)
    for _ in range(1500):
        sim.step()
        available = sum(p.available(sim.t - 1) for rs in sim.cluster.sets for p in rs.pods)
        assert available >= replicas
    assert sim.strategy.dep.complete


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), error=st.floats(0, 1), replicas=st.integers(1, 10),
       undo_at=st.integers(0, 400), rps=st.floats(1, 3000))
def test_served_plus_failed_equals_offered_every_tick(seed, error, replicas, undo_at, rps):
    s = spec(fleet={"replicas": replicas, "pod_capacity_rps": 50}, traffic={"rps": rps},
             faults=(Fault(kind="bad_version", version="v2", error_rate=error),
                     Fault(kind="abrupt_shutdown")), duration=500)
    sim = Simulation(s, seed, [f"{undo_at} undo"]).run()
    for m in sim.metrics:
        assert m.served + m.failed == m.requests
        assert sum(n for _, n, _ in m.versions) == m.requests
        assert 0 <= m.incident_failed <= m.failed


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), undo_at=st.integers(0, 600))
def test_same_seed_and_actions_give_the_same_timeline(seed, undo_at):
    s = spec(faults=(Fault(kind="memory_leak", version="v2", leak_mib_per_min=60),
                     Fault(kind="bad_version", version="v2", error_rate=0.2)))
    runs = [Simulation(s, seed, [f"{undo_at} undo"]).run() for _ in range(2)]
    assert runs[0].metrics == runs[1].metrics
    assert [str(e) for e in runs[0].events] == [str(e) for e in runs[1].events]


@settings(max_examples=200, deadline=None)
@given(user=st.text(min_size=1, max_size=12), low=st.floats(0, 100), high=st.floats(0, 100),
       key=st.sampled_from(["new-checkout", "dark-mode"]))
def test_raising_a_flag_percentage_never_drops_a_user(user, low, high, key):
    low, high = min(low, high), max(low, high)
    if in_rollout(key, key, user, low):
        assert in_rollout(key, key, user, high)


@settings(max_examples=200, deadline=None)
@given(ttl=st.integers(1, 3600), keepalive=st.integers(0, 600), age=st.floats(0, 5000))
def test_dns_change_never_completes_before_ttl_plus_keepalive(ttl, keepalive, age):
    f = moved(age, ttl, keepalive)
    assert 0.0 <= f <= 1.0
    if age < ttl + keepalive:
        assert f < 1.0
    else:
        assert f == 1.0


@settings(max_examples=50, deadline=None)
@given(ttl=st.integers(10, 900), keepalive=st.integers(0, 300), weight=st.integers(1, 100),
       revert_at=st.integers(0, 2000))
def test_dns_rollback_still_sends_clients_to_the_new_side_until_ttl_plus_keepalive(
        ttl, keepalive, weight, revert_at):
    dns = DnsState(ttl, keepalive)
    dns.set_weight(0, weight)
    before = dns.share(revert_at)
    dns.set_weight(revert_at, 0)
    for t in (revert_at + 1, revert_at + (ttl + keepalive) // 2, revert_at + ttl + keepalive - 1):
        if t < revert_at + ttl + keepalive and before > 0:
            assert dns.share(t) > 0
    assert dns.share(revert_at + 2 * (ttl + keepalive) + 1) == 0.0
