"""Hosted mock interviews (issue 18): how far behind the keyboard the interviewer sees the
candidate's answer. Target: <= 200 ms.

Run: python benchmarks/bench_remote.py [WORDS]
1. the hub alone: a 300-word answer message over loopback until the hub has it;
2. the candidate's app (headless, Pilot): a key press until the hub has the new text
   (the app sends at most every 50 ms; Pilot's handling of the key is included);
3. two real processes in 80x24 pseudo-terminals, `trainer mock host` and `trainer join`:
   a word typed into the candidate's terminal until the interviewer's terminal shows it.
   This one includes both programs' rendering and this script's terminal reading.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import SMALL_BANK  # noqa: E402

from trainer.bank import load_bank  # noqa: E402
from trainer.remote.access import bind  # noqa: E402
from trainer.remote.client import join  # noqa: E402
from trainer.remote.hub import Hub  # noqa: E402
from trainer.remote.protocol import Answer, Hello, encode  # noqa: E402

CODE = "bench-code-123456"
ANSWER = ("Roll back first, then compare the canary with the baseline and read the logs. "
          * 25)[:1800]  # about 300 words


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"{name:<44} median {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms   "
          f"max {ms[-1]:7.2f} ms   (n={len(ms)})")


async def hub_alone(n: int = 1000) -> list[float]:
    hub = Hub(CODE)
    await hub.start(bind("127.0.0.1", 0))
    hub.ask(load_bank().questions[0])
    reader, writer = await asyncio.open_connection(*hub.address)
    writer.write(encode(Hello(CODE, 1)))
    while not hub.connected:
        await asyncio.sleep(0.001)
    delays = []
    for i in range(n):
        text = f"{ANSWER} {i}"
        started = time.perf_counter()
        writer.write(encode(Answer(1, text)))
        while hub.answer != text:
            await asyncio.sleep(0)
        delays.append(time.perf_counter() - started)
    writer.close()
    await hub.close()
    return delays


async def candidate_app(n: int = 60) -> list[float]:
    from trainer.tui.candidate import CandidateApp

    hub = Hub(CODE)
    await hub.start(bind("127.0.0.1", 0))
    hub.ask(load_bank().questions[0])
    sock = await asyncio.to_thread(join, *hub.address, CODE)
    app = CandidateApp(*hub.address, CODE, sock)
    delays = []
    async with app.run_test(size=(80, 24)) as pilot:
        while app.interview.seq != 1:
            await pilot.pause(0.01)
        for i in range(n):
            started = time.perf_counter()  # Pilot's own handling of the key included
            await pilot.press("x" if i % 2 else "y")
            length = i + 1
            while len(hub.answer) != length:
                await asyncio.sleep(0.001)
            delays.append(time.perf_counter() - started)
        await pilot.press("ctrl+q")
    await hub.close()
    return delays


def two_processes(words: int) -> list[float]:
    from test_remote_processes import Term, free_port, spawn

    with tempfile.TemporaryDirectory() as home:
        data = Path(home)
        bank = data / "small.yaml"
        bank.write_text(SMALL_BANK, encoding="utf-8")
        port = free_port()
        host = Term(spawn(data, "mock", "host", "--listen", f"127.0.0.1:{port}", "--code",
                          CODE, "--no-builtin", "--bank", str(bank)))
        (data / "c").mkdir()
        try:
            host.wait("waiting for the candidate")
            candidate = Term(spawn(data / "c", "join", f"127.0.0.1:{port}", CODE))
            candidate.wait("canary release")
            host.wait("candidate connected", candidate)
            delays = []
            for i in range(words):
                word = f"w{i:03d}q"
                candidate.child.send(f" {word}")
                delays.append(host.wait(word, candidate))
                time.sleep(0.05)
            return delays
        finally:
            host.child.close(force=True)


def main() -> None:
    words = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    os.environ["TRAINER_HOME"] = tempfile.mkdtemp()
    report("hub alone (300-word answer, loopback)", asyncio.run(hub_alone()))
    report("candidate app: key -> hub", asyncio.run(candidate_app()))
    report("two processes: key -> interviewer's screen", two_processes(words))


if __name__ == "__main__":
    main()
