"""A process that logs calls into the store named by CALLPLAN_DB, for test_concurrency.

    python _log_worker.py MODE NAME DMS COUNT FOLDER

MODE is how each call is logged:
  core  the log command's own code path (one write session, find_dm, services.calls.log_call) on
        one engine, COUNT calls as fast as it goes
  cli   callplan.cli.main(["log", ...]), the console script's function, in this process:
        at least COUNT calls, then on until FOLDER/stop appears (at most 10 x COUNT), so
        the other workers always have company
  exe   the installed `callplan log ...` command, COUNT runs, three processes at a time

The worker writes FOLDER/NAME.ready once it is set up, waits for FOLDER/go so that every
worker starts at once, and writes the summaries of the calls it logged to FOLDER/NAME.json.
It stops at the first failure with a non-zero exit; the failure goes to stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from subprocess import PIPE

EXE_AT_ONCE = 3  # `callplan log` processes started together

# Every kind of outcome except left-company (which archives the DM).
TYPES = (
    ("-n", "no-answer"),
    ("-c", "callback"),
    ("-n", "voicemail"),
    ("-a", "cv-review"),
    ("-c", "rejection"),
    ("-n", "busy"),
    ("-a", "meeting"),
    ("-c", "objection"),
)


def call(name: str, i: int, dms: int, today: date) -> tuple[int, str, str, date, str]:
    """The i-th call of a worker: DM id, option, outcome type, date, unique summary.

    Dates go back and forth over six weeks, so calls often land before later ones already
    logged and the DM's conversation numbers have to be worked out again."""
    seed = sum(map(ord, name)) + i * 7
    flag, type_ = TYPES[seed % len(TYPES)]
    return seed % dms + 1, flag, type_, today - timedelta(days=seed % 43), f"{name}-{i}"


Call = tuple[int, str, str, date, str]


def main() -> None:
    mode, name, dms_arg, count_arg, folder_arg = sys.argv[1:]
    dms, count, folder = int(dms_arg), int(count_arg), Path(folder_arg)
    today = date.fromisoformat(os.environ["CALLPLAN_TODAY"])
    log = _setup(mode)
    at_once = EXE_AT_ONCE if mode == "exe" else 1
    most = count * 10 if mode == "cli" else count
    (folder / f"{name}.ready").touch()
    deadline = time.monotonic() + 20
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            sys.exit(f"{name}: no go after 20 s")
        time.sleep(0.002)
    logged: list[str] = []
    while len(logged) < most and (len(logged) < count or not (folder / "stop").exists()):
        batch = [call(name, len(logged) + i, dms, today) for i in range(at_once)]
        log(batch)
        logged += [summary for *_, summary in batch]
    (folder / f"{name}.json").write_text(json.dumps(logged))


def _setup(mode: str) -> Callable[[list[Call]], None]:
    if mode == "core":
        from callplan import services
        from callplan.core.config import load_settings
        from callplan.core.desk import Desk
        from callplan.core.outcomes import OUTCOMES
        from callplan.core.paths import resolve_url
        from callplan.store import db, queries

        settings = load_settings(os.environ)
        calendar = settings.calendar()
        engine = db.make_engine(resolve_url(None, os.environ))
        db.ensure_schema(engine)

        def core(batch: list[Call]) -> None:
            for dm_id, _, type_, on, summary in batch:
                with db.session(engine, write=True) as s:
                    services.calls.log_call(
                        s,
                        Desk(settings, calendar, today=on),
                        dm=queries.dms.find_dm(s, ref=str(dm_id)),
                        outcome=OUTCOMES[type_],
                        called_on=on,
                        summary=summary,
                        requested_next=None,
                    )

        return core
    if mode == "cli":
        from callplan.cli import main as callplan_main

        def cli(batch: list[Call]) -> None:
            for args in _args(batch):
                try:
                    callplan_main(args)
                except SystemExit as exc:
                    if exc.code != 0:
                        sys.exit(f"callplan {' '.join(args)} exited {exc.code}")

        return cli
    if mode == "exe":
        exe = str(Path(sys.executable).parent / "callplan")

        def run(batch: list[Call]) -> None:
            procs = [
                (args, subprocess.Popen([exe, *args], stdout=PIPE, stderr=PIPE, text=True))
                for args in _args(batch)
            ]
            for args, p in procs:
                out, err = p.communicate(timeout=60)
                sys.stdout.write(out)
                sys.stderr.write(err)
                if p.returncode != 0:
                    sys.exit(f"callplan {' '.join(args)} exited {p.returncode}")

        return run
    sys.exit(f"unknown mode {mode!r}")


def _args(batch: list[Call]) -> list[list[str]]:
    return [
        ["log", str(dm_id), flag, type_, "--on", on.isoformat(), "-s", summary]
        for dm_id, flag, type_, on, summary in batch
    ]


if __name__ == "__main__":
    main()
