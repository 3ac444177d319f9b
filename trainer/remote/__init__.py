"""Mock interviews on two machines: the interviewer's hub and the candidate's client.

UI-free, so both faces and the tests use it alike. The hub (`hub.Hub`) lives in the
interviewer's process; the candidate's process holds only `client.Client`, which can
receive nothing but the messages of `protocol.HOST_SENDS`. `access` holds the listening
address rules and the join code; `timeline` the record of what happened.

Only the candidate's side is imported here: the hub (which knows bank items) is imported
from `trainer.remote.hub`, so `trainer join` never loads the bank's code.
"""

from trainer.remote.access import AccessError, bind, new_code, parse_address
from trainer.remote.client import Client, Finish, JoinRefused, join
from trainer.remote.protocol import ProtocolError

__all__ = ["AccessError", "Client", "Finish", "JoinRefused", "ProtocolError", "bind", "join",
           "new_code", "parse_address"]
