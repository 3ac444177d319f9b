"""Certificate expiry and rotation on proxies that load the certificate at start-up.

The model follows how a plain nginx (or any process reading a PEM file) behaves behind a
Kubernetes Secret volume:

* From the certificate's notAfter (`at_s`) every TLS client that validates the chain
  (`error_rate` of them, 1.0 for browsers) refuses the handshake: the request never
  reaches the app, so it fails whatever version serves it.
* `rotate-cert` issues a new certificate by hand and updates the Secret `issue_s` later.
* A pod created after that update mounts the new files at once. A running pod's mounted
  files are refreshed `sync_s` after the update ("the kubelet checks whether the mounted
  secret is fresh on every periodic sync", kubernetes.io/docs/concepts/configuration/
  secret/#using-secrets-as-files-from-a-pod; the default syncFrequency is 1 minute), but
  nginx keeps the certificate it read until `nginx -s reload` or a restart (nginx.org/en/
  docs/control.html: HUP re-reads the configuration and the files it names).
* So `reload` only helps once the files have been refreshed, and a rolling restart
  (`restart VERSION`) helps for every pod it replaces after the Secret update.

Deterministic: no draw at all, the times follow from the actions.
"""

from __future__ import annotations

from collections.abc import Iterable

from trainer.bank.simulation import Fault

from .pods import NEVER, Pod

Result = tuple[bool, str]


class CertState:
    def __init__(self, fault: Fault) -> None:
        self.expires = fault.at_s
        self.refuse = fault.error_rate  # share of clients that validate the certificate
        self.issue_s = fault.issue_s
        self.sync_s = fault.sync_s
        self.updated = NEVER  # when the Secret holds the new certificate
        self.reloaded = -1  # last `nginx -s reload` across the fleet

    @classmethod
    def of(cls, faults: Iterable[Fault]) -> CertState | None:
        return next((cls(f) for f in faults if f.kind == "cert_expiry"), None)

    def valid(self, pod: Pod) -> bool:
        """Whether the pod's process serves the new certificate."""
        if self.updated == NEVER:
            return False
        if pod.created >= self.updated or pod.container_start >= self.updated + self.sync_s:
            return True  # mounted after the update, or started after the files refreshed
        return self.reloaded >= self.updated + self.sync_s

    def failing(self, alive: list[Pod], t: int, error: float) -> float:
        """The group's error share once the handshakes that an expired certificate breaks
        are added to the faults' own `error`."""
        if t < self.expires or not alive:
            return error
        stale = sum(1 for p in alive if not self.valid(p)) / len(alive)
        return 1.0 - (1.0 - error) * (1.0 - stale * self.refuse)

    def quiet(self, pods: Iterable[Pod], t: int) -> bool:
        """No handshake can fail again: expired, and every live pod serves the new one."""
        return t >= self.updated + self.sync_s and all(
            self.valid(p) for p in pods if not p.terminating)

    def rotate(self, t: int) -> Result:
        if self.updated != NEVER:
            return False, "the Secret already holds the new certificate"
        self.updated = t + self.issue_s
        return True, (f"new certificate issued and the Secret updated in {self.issue_s}s; "
                      f"mounted files refresh about {self.sync_s}s after that, and the "
                      "running nginx keeps serving the certificate it loaded until it is "
                      "reloaded or restarted")

    def reload(self, t: int) -> Result:
        self.reloaded = t
        if self.updated == NEVER or t < self.updated + self.sync_s:
            return True, ("nginx -s reload on every pod: it re-reads the mounted files, "
                          "which still hold the old certificate")
        return True, "nginx -s reload on every pod: the new certificate is served"
