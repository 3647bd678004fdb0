"""The cockpit's speed (`callplan go` on a terminal), for benchmarks/run.py.

    python benchmarks/cockpit.py actions STORE --runs 30   # JSON: each action's seconds
    python benchmarks/cockpit.py ready STORE               # seconds to the first screen

``actions`` times the session's actions in-process, without a terminal, as the keys take
them (cli/cockpit/day.py's ``Day``, which the Textual app only draws): each one from the
key to the next brief read, since that is what the recruiter waits for.

- log:    log an advance with a summary (`a`, the form, Enter), then the next brief
- skip:   skip (`s`), then the next brief
- undo:   what `u` would take back, take it back (`u`, `y`), then that person's brief
- open:   open a search result (Enter on it), then their brief
- search: the search itself (Enter on the words typed), for the record

Every round logs the same call, skips, takes the call back and opens a search result, so
the store is the same at the start of each round. The first round warms up.

``ready`` runs the installed `callplan go` in a pseudo-terminal of 80×24, as a recruiter
does, and times it from the start of the process to the first screen drawn (the queue's
border title, in the first frame), and on to the day planned on it (the progress line's
"to call", drawn with the queue once the plan is made, in a thread, while the screen is
up). Then it quits with `q`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

ACTIONS = ("log", "skip", "undo", "open", "search")
SUMMARY = "Agreed to look at two CVs for the platform lead role"
SCREEN = b"Today"  # the queue's border title: in the first frame drawn
PLANNED = b" to call"  # the progress line: drawn once the day is planned
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def actions(store: Path, runs: int) -> dict[str, list[float]]:
    """Each action's seconds over ``runs`` rounds (after one to warm up), on ``store``
    (which is written to: give a copy), as the environment's recruiter on its day."""
    from callplan.cli.cockpit.day import DUE, Report, standalone
    from callplan.core.outcomes import Kind, types_of

    times: dict[str, list[float]] = {a: [] for a in ACTIONS}
    advance = types_of(Kind.ADVANCE)[0]
    with standalone(str(store), environ=os.environ) as day:
        due = [i for i, e in enumerate(day.entries) if e.section == DUE]
        if len(due) < 3:
            raise SystemExit(f"{store}: fewer than three calls due, nothing to time")
        # The name of someone far down the plan: found by name, opened from the search.
        wanted = day.entries[due[-1]].name
        for round_ in range(runs + 1):
            first = day.first_open()
            assert first is not None
            card = day.card(day.entries[first])

            started = time.perf_counter()
            day.log(card, Report(Kind.ADVANCE, type=advance, summary=SUMMARY))
            after = day.first_open(first)
            assert after is not None
            card = day.card(day.entries[after])
            logged = time.perf_counter()

            day.skip(card.entry)
            nxt = day.first_open(after)
            assert nxt is not None
            card = day.card(day.entries[nxt])
            skipped = time.perf_counter()

            last = day.last()
            assert last is not None
            day.undo(last[0])
            card = day.card(day.entries[first])
            undone = time.perf_counter()

            found = day.search(wanted)
            searched = time.perf_counter()
            assert found, f"{wanted!r} not found"
            day.card(day.entries[day.open(found[0])])
            opened = time.perf_counter()

            day.entries[after].state = ""  # skipped only for the round: open again
            if round_:
                times["log"].append(logged - started)
                times["skip"].append(skipped - logged)
                times["undo"].append(undone - skipped)
                times["search"].append(searched - undone)
                times["open"].append(opened - searched)
    return times


def ready(
    argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 60
) -> tuple[float, float, int]:
    """Seconds from starting ``argv`` in a pseudo-terminal of 80×24 to its first screen,
    and to the day planned on it; and the process's peak memory (KB). It is then quit."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**env, "TERM": "xterm-256color"}
    for name in ("COLUMNS", "LINES"):
        env.pop(name, None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, cwd=cwd, stdin=follower, stdout=follower, stderr=follower,
        start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    times: dict[bytes, float] = {}
    ended = None

    def done() -> bool:  # reaped here, not by Popen: wait4 gives the peak memory
        nonlocal ended
        if ended is None:
            pid, _, usage = os.wait4(proc.pid, os.WNOHANG)
            ended = usage if pid else None
        return ended is not None

    try:
        while PLANNED not in times:
            left = timeout - (time.perf_counter() - started)
            if left <= 0 or done():
                said = ESCAPES.sub(b"", seen).decode(errors="replace")[-300:]
                raise SystemExit(f"{' '.join(argv)}: no first screen: {said}")
            if select.select([leader], [], [], left)[0]:
                try:
                    seen += os.read(leader, 65536)
                except OSError:  # the terminal closed: the process ended
                    continue
                now, text = time.perf_counter(), ESCAPES.sub(b"", seen)
                for marker in (SCREEN, PLANNED):
                    if marker in text:
                        times.setdefault(marker, now - started)
        os.write(leader, b"q")
        deadline = time.perf_counter() + timeout
        while not done() and time.perf_counter() < deadline:
            if select.select([leader], [], [], 0.1)[0]:
                with contextlib.suppress(OSError):  # drain: a full terminal blocks its exit
                    os.read(leader, 65536)
    finally:
        if not done():
            proc.kill()
            ended = os.wait4(proc.pid, 0)[2]
        os.close(leader)
    assert ended is not None
    return times[SCREEN], times[PLANNED], ended.ru_maxrss


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("actions", "ready"))
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ["CALLPLAN_DB"] = str(args.store)
    if args.what == "actions":
        print(json.dumps(actions(args.store, args.runs)))
        return
    exe = Path(sys.executable).parent / "callplan"
    screen, planned, peak = ready([str(exe), "go"], dict(os.environ), Path.cwd())
    print(json.dumps({"screen": screen, "planned": planned, "peak_kb": peak}))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
