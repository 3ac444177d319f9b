"""The candidate's side of a hosted mock interview: join, receive prompts, send typing.

`join` is a plain blocking handshake (it runs before the candidate's app starts, so a
wrong code is one line on the terminal, and in a thread when rejoining). `Client` then
keeps the link on an asyncio loop: it decodes what the hub sends, strictly against the
allow-list, pings when idle, and after a dropped link joins again with the same code for
a while; the hub then re-sends the current prompt and the answer so far.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from trainer.remote.protocol import (
    MAX_LINE,
    PROTOCOL_VERSION,
    REFUSALS,
    Bye,
    CandidateMessage,
    Ended,
    Hello,
    HostMessage,
    Ping,
    ProtocolError,
    RefusalReason,
    Refused,
    Welcome,
    decode_host,
    encode,
)

HANDSHAKE_LINE = 1024  # Welcome and Refused are a few dozen bytes


class JoinRefused(Exception):
    def __init__(self, reason: RefusalReason) -> None:
        super().__init__(REFUSALS[reason])
        self.reason = reason


def join(host: str, port: int, code: str, *, timeout: float = 10.0) -> socket.socket:
    """A connected socket past the hub's check of `code`.

    Raises `JoinRefused` (wrong code, locked, busy, ended), `OSError` (unreachable) or
    `ProtocolError` (not a trainer hub at that address).
    """
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        sock.sendall(encode(Hello(code[:200], PROTOCOL_VERSION)))
        reply = decode_host(_read_line(sock))
    except BaseException:
        sock.close()
        raise
    if isinstance(reply, Refused):
        sock.close()
        raise JoinRefused(reply.reason)
    if not isinstance(reply, Welcome):
        sock.close()
        raise ProtocolError("the hub did not answer the join")
    sock.settimeout(None)
    with contextlib.suppress(OSError):  # a dead peer shows up even when nobody types
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    return sock


def _read_line(sock: socket.socket) -> bytes:
    # Byte by byte, so nothing after the first line is taken from the socket: the prompt
    # that follows the welcome is read by the asyncio side.
    line = bytearray()
    while len(line) < HANDSHAKE_LINE:
        byte = sock.recv(1)
        if not byte:
            raise ProtocolError("the hub closed the connection")
        line += byte
        if byte == b"\n":
            return bytes(line)
    raise ProtocolError("the hub's answer is too long")


Outcome = Literal["ended", "closed", "lost", "refused"]


@dataclass(frozen=True, slots=True)
class Finish:
    """How the link ended, and the sentence to tell the candidate."""

    outcome: Outcome
    message: str


class Client:
    """One candidate's link to a hub; `run` until the session is over or lost."""

    def __init__(self, host: str, port: int, code: str, sock: socket.socket, *,
                 on_message: Callable[[HostMessage], None],
                 on_status: Callable[[str], None] = lambda status: None,
                 ping_every: float = 3.0, idle_timeout: float = 15.0,
                 retry_for: float = 20.0, give_up_refused: float = 3.0) -> None:
        self.host, self.port, self.code = host, port, code
        self._sock: socket.socket | None = sock
        self.on_message = on_message
        self.on_status = on_status
        self.ping_every = ping_every
        self.idle_timeout = idle_timeout
        self.retry_for = retry_for
        self.give_up_refused = give_up_refused
        self.ended = False
        self._writer: asyncio.StreamWriter | None = None
        self._quitting = False

    @property
    def connected(self) -> bool:
        return self._writer is not None and not self._writer.is_closing()

    def send(self, message: CandidateMessage) -> None:
        """Send now if connected; otherwise dropped (the app re-sends after a rejoin)."""
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(encode(message))

    async def run(self) -> Finish:
        while True:
            if self._sock is None:
                finish = await self._rejoin()
                if finish is not None:
                    return finish
            assert self._sock is not None
            reader, self._writer = await asyncio.open_connection(sock=self._sock,
                                                                 limit=MAX_LINE)
            self._sock = None
            self.on_status("connected")
            finish = await self._pump(reader)
            self._writer.close()
            self._writer = None
            if finish is not None or self._quitting:
                return finish or Finish("closed", "You left the interview.")
            if self.ended:  # nothing to rejoin: the hub takes no joins after the end
                return Finish("ended", "The interview has ended; the interviewer's session "
                              "has closed.")
            self.on_status("reconnecting")

    async def quit(self) -> None:
        self._quitting = True
        if self._writer is not None:
            with contextlib.suppress(ConnectionError, OSError):
                await asyncio.wait_for(self._writer.drain(), 1.0)
            self._writer.close()

    async def _pump(self, reader: asyncio.StreamReader) -> Finish | None:
        """Messages until the link ends: a Finish, or None for a dropped link."""
        silent = 0.0
        while True:
            try:
                line = await asyncio.wait_for(reader.readline(), self.ping_every)
            except TimeoutError:
                silent += self.ping_every
                if silent >= self.idle_timeout:
                    return None
                self.send(Ping())
                continue
            except (ConnectionError, OSError, ValueError):  # reset, or a line over the cap
                return None
            if not line.endswith(b"\n"):
                return None
            silent = 0.0
            try:
                message = decode_host(line)
            except ProtocolError:
                return Finish("lost", "The interviewer's side sent something this "
                              "trainer does not accept; the link was closed.")
            if isinstance(message, Bye):
                return Finish("ended" if self.ended else "closed",
                              "The interviewer closed the session.")
            if isinstance(message, Ended):
                self.ended = True
            if not isinstance(message, Ping):
                self.on_message(message)

    async def _rejoin(self) -> Finish | None:
        """Join again with the same code; a Finish when that is not possible."""
        deadline = time.monotonic() + self.retry_for
        refused_since: float | None = None
        delay = 0.25
        while not self._quitting:
            try:
                self._sock = await asyncio.to_thread(join, self.host, self.port, self.code,
                                                     timeout=5.0)
                return None
            except JoinRefused as exc:
                # "busy": the hub has not yet seen the old link die; it will, within its
                # idle timeout. Any other refusal is final.
                if exc.reason != "busy":
                    return Finish("refused", f"Could not rejoin: {exc}.")
                refused_since = None
            except ConnectionRefusedError:
                refused_since = refused_since or time.monotonic()
                if time.monotonic() - refused_since >= self.give_up_refused:
                    return Finish("lost", "The interviewer's session is gone (nothing "
                                  f"listens on {self.host}:{self.port} any more).")
            except (OSError, ProtocolError):
                refused_since = None
            if time.monotonic() >= deadline:
                return Finish("lost", "Lost the connection to the interviewer and could "
                              "not rejoin.")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
        return Finish("closed", "You left the interview.")
