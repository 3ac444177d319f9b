"""Who may reach a hosted interview: the listening address and the join code.

The hub listens on loopback unless the interviewer asks for another address and says so
(`allow_remote`): across machines the README's SSH tunnel gives encryption and login, a
bare TCP port gives neither. The join code is the only secret between the two people; a
generated one has 50 bits (10 characters of a 32-letter alphabet), read aloud in two
groups of five, and a code of one's own must have at least `MIN_CUSTOM` characters.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket

# Crockford's base 32 without the look-alikes i, l, o and u: easy to read aloud and type.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
CODE_LENGTH = 10  # 10 x 5 bits = 50 bits
MIN_CUSTOM = 12


class AccessError(ValueError):
    """An address or code the hub will not use; the message says why, for the user."""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(code: str) -> str:
    """What is compared: case, spaces and dashes do not count, so `AB12C-...` read aloud
    and typed any way still matches."""
    return "".join(code.split()).replace("-", "").lower()


def custom_code(code: str) -> str:
    if len(normalize_code(code)) < MIN_CUSTOM:
        raise AccessError(f"a join code needs at least {MIN_CUSTOM} letters or digits "
                          "(spaces and dashes do not count); leave --code out for a "
                          "random one")
    return code


def parse_address(text: str, *, default_port: int = 0) -> tuple[str, int]:
    """`HOST:PORT`, `[v6]:PORT`, `:PORT` or `PORT` (loopback), or `HOST` (with
    `default_port`)."""
    if text.isdigit():
        text = f":{text}"
    host, sep, port_text = text.rpartition(":")
    if not sep or (host.count(":") and not host.startswith("[")):
        host, port_text = text, ""  # a bare host, or a bare IPv6 address
    host = host.strip("[]") or "127.0.0.1"
    if not port_text:
        port = default_port
    elif port_text.isdigit() and int(port_text) <= 65535:
        port = int(port_text)
    else:
        raise AccessError(f"{text!r}: the port must be a number from 0 to 65535")
    return host, port


def parse_join_line(text: str) -> tuple[str, int, str]:
    """`trainer join HOST:PORT CODE` as a host screen shows it (or just `HOST:PORT CODE`):
    the address and the code, for the other side of a role swap. `AccessError` if not."""
    words = text.split()
    if words[:2] == ["trainer", "join"]:
        words = words[2:]
    if len(words) != 2:
        raise AccessError("expected the join line: trainer join HOST:PORT CODE")
    host, port = parse_address(words[0])
    if port == 0:
        raise AccessError("the join line needs the port too: HOST:PORT CODE")
    return host, port, words[1]


def is_loopback(host: str) -> bool:
    """True when every address `host` stands for is on this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(str(i[4][0]).split("%")[0]).is_loopback
                               for i in infos)


def remote_warning(host: str, port: int) -> str:
    return (f"listening on {host}:{port}, beyond this machine: anyone who can reach that "
            "port may try to join, the traffic is not encrypted and only the join code "
            "stands in the way. Prefer the default (127.0.0.1) and an SSH tunnel "
            "(see the README, 'Mock interviews on two machines').")


def bind(host: str, port: int, *, allow_remote: bool = False) -> socket.socket:
    """A listening socket for the hub; a non-loopback address only with `allow_remote`.

    Bound here, before any UI starts, so a port in use is one plain error message.
    """
    if not allow_remote and not is_loopback(host):
        raise AccessError(f"{host} is reachable from other machines; the hub listens on "
                          "loopback unless you add --allow-remote (or use an SSH tunnel)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise AccessError(f"cannot listen on {host}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if hasattr(socket, "SO_REUSEADDR"):  # a restart right after a session: no wait
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(8)
    except OSError as exc:
        sock.close()
        raise AccessError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock
