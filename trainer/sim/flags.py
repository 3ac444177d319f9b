"""Feature flags: consistent-hash bucketing of users and propagation to the SDKs.

Bucketing follows the LaunchDarkly/Unleash scheme: hash(flag key, salt, user key) gives a
point in [0, 1) (units of 1/100000); a user is in the rollout when that point lies below the
percentage. So raising the percentage only ever adds users, and different salts give
unrelated cohorts.
"""

from __future__ import annotations

import hashlib

from trainer.bank.simulation import Flag

SCALE = 100_000
STREAMING_S = 1


def bucket(flag_key: str, salt: str, user_key: str) -> int:
    """The user's point for this flag, 0..99999."""
    digest = hashlib.sha1(f"{flag_key}.{salt}.{user_key}".encode()).hexdigest()[:15]
    return int(digest, 16) * SCALE // 16**15


def in_rollout(flag_key: str, salt: str, user_key: str, percentage: float) -> bool:
    return bucket(flag_key, salt, user_key) < percentage * SCALE / 100


class FlagState:
    """One flag's served percentage over time, as the SDK fleet sees it.

    Targeting has a toggle above its rules: off serves the off variation to everyone,
    whatever the rollout rule says, and a scheduled rollout edits the rule underneath
    without turning the flag back on (reference section 5).
    """

    def __init__(self, spec: Flag) -> None:
        self.key = spec.key
        self.salt = spec.salt or spec.key
        self.rule = spec.percentage  # the percentage rollout rule
        self.on = True  # the targeting toggle
        self.target = spec.percentage  # what the SDKs converge to
        self._settled = spec.percentage
        self._lag = STREAMING_S if spec.propagation == "streaming" else spec.poll_s
        self._polling = spec.propagation == "polling"
        self._changes: list[tuple[int, float]] = []  # (tick, change of percentage)

    def set(self, t: int, percentage: float) -> None:
        if percentage != self.target:
            self._changes.append((t, percentage - self.target))
            self.target = percentage

    def set_rule(self, t: int, percentage: float) -> None:
        self.rule = percentage
        if self.on:
            self.set(t, percentage)

    def switch(self, t: int, on: bool) -> None:
        self.on = on
        self.set(t, self.rule if on else 0.0)

    @property
    def settled(self) -> bool:
        """No change is still on its way to the SDKs."""
        return not self._changes

    def effective(self, t: int) -> float:
        """Percentage of requests evaluated with the flag on at tick t.

        Streaming SDKs switch about a second after the change; polling SDKs each pick it up
        at their next poll, spread evenly over one interval, so processes are briefly out
        of step.
        """
        if not self._changes:
            return self._settled
        pct = self._settled
        keep: list[tuple[int, float]] = []
        for t0, delta in self._changes:
            age = t - t0
            if age >= self._lag:
                if not keep:
                    self._settled += delta
                    pct = self._settled
                    continue
                pct += delta
            elif age > 0:
                pct += delta * (age / self._lag if self._polling else 0.0)
            keep.append((t0, delta))
        self._changes = keep
        return min(100.0, max(0.0, pct))
