"""The wire format of hosted mock interviews: the allow-list, the caps, strict decoding."""

from __future__ import annotations

import json

import pytest

from trainer.bank import load_bank
from trainer.remote.access import (
    AccessError,
    custom_code,
    is_loopback,
    new_code,
    normalize_code,
    parse_address,
)
from trainer.remote.hub import ask_for
from trainer.remote.protocol import (
    CANDIDATE_SENDS,
    HOST_SENDS,
    MAX_LINE,
    MAX_TEXT,
    Answer,
    Ask,
    Clock,
    Hello,
    ProtocolError,
    RateInterviewer,
    Refused,
    SelfRating,
    Welcome,
    decode_candidate,
    decode_host,
    encode,
)


def test_the_host_allow_list_is_prompts_clock_and_state_only() -> None:
    assert sorted(HOST_SENDS) == ["ask", "bye", "clock", "draft", "ended", "ping", "refused",
                                  "welcome"]
    assert sorted(CANDIDATE_SENDS) == ["answer", "hello", "ping", "rate_interviewer",
                                       "self_rating"]


def test_round_trip_and_direction() -> None:
    ask = Ask(3, "follow-up", "How big is the first step?", "What is a canary?")
    assert decode_host(encode(ask)) == ask
    assert decode_candidate(encode(Answer(3, "one percent"))) == Answer(3, "one percent")
    with pytest.raises(ProtocolError):
        decode_candidate(encode(ask))  # a host message is not accepted from a candidate
    with pytest.raises(ProtocolError):
        decode_host(encode(Hello("code", 1)))


def test_ask_for_copies_the_prompt_and_nothing_else() -> None:
    bank = load_bank()
    question = bank.questions[0]
    line = encode(ask_for(question, 1))
    assert json.loads(line) == {"type": "ask", "seq": 1, "kind": "question",
                                "prompt": question.prompt, "question": ""}
    follow_up = question.follow_ups[0]
    body = json.loads(encode(ask_for(follow_up, 2, question)))
    assert body["prompt"] == follow_up.prompt and body["question"] == question.prompt


@pytest.mark.parametrize("line", [
    b"not json\n",
    b"[1, 2]\n",
    b'{"type": "rubric", "concepts": ["x"]}\n',         # off the allow-list
    b'{"type": "answer", "seq": 1}\n',                   # a field missing
    b'{"type": "answer", "seq": 1, "text": "a", "rubric": "x"}\n',  # a field too many
    b'{"type": "answer", "seq": "1", "text": "a"}\n',    # wrong type
    b'{"type": "answer", "seq": true, "text": "a"}\n',   # a bool is not a number here
    b'{"type": "answer", "seq": 0, "text": "a"}\n',      # out of range
    b'{"type": "self_rating", "rating": 5}\n',
    b'{"type": "answer", "seq": 1, "text": "\\ud800"}\n',  # a lone surrogate
    b'{"type": "answer", "seq": 1, "text": "\xff"}\n',     # not UTF-8
    b'{"type": "hello", "code": "x", "version": NaN}\n',
    b"[" * 100_000 + b"\n",                              # deep nesting
])
def test_strict_decoding_refuses(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_candidate(line)


def test_size_caps() -> None:
    with pytest.raises(ProtocolError):
        Answer(1, "x" * (MAX_TEXT + 1))
    worst = Answer(1, "\x01" * MAX_TEXT)  # every character escaped as \u0001
    assert len(encode(worst)) <= MAX_LINE
    with pytest.raises(ProtocolError):
        decode_candidate(b'{"type": "ping"' + b" " * MAX_LINE + b"}\n")
    with pytest.raises(ProtocolError):
        RateInterviewer(3, "x" * 5000)


def test_encode_refuses_anything_but_a_message() -> None:
    with pytest.raises(ProtocolError):
        encode(load_bank().questions[0])  # type: ignore[arg-type]
    assert encode(Welcome()) == b'{"type":"welcome"}\n'
    assert decode_host(encode(Refused("locked"))) == Refused("locked")
    assert decode_host(b'{"type":"clock","elapsed":5,"running":true}\n') == Clock(5, True)
    assert decode_candidate(encode(SelfRating(2))) == SelfRating(2)


def test_join_codes() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(normalize_code(code)) == 10  # 10 x 5 bits = 50 bits >= 40
    assert normalize_code(code.upper().replace("-", " ")) == normalize_code(code)
    with pytest.raises(AccessError):
        custom_code("short-code")
    assert custom_code("correct horse battery") == "correct horse battery"


def test_addresses() -> None:
    assert parse_address("127.0.0.1:7878") == ("127.0.0.1", 7878)
    assert parse_address("[::1]:7878") == ("::1", 7878)
    assert parse_address(":7878") == ("127.0.0.1", 7878)
    assert parse_address("7878") == ("127.0.0.1", 7878)
    assert parse_address("localhost") == ("localhost", 0)
    with pytest.raises(AccessError):
        parse_address("127.0.0.1:http")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("::")
    assert not is_loopback("192.168.1.20")
