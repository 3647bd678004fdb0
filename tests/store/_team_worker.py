"""A recruiter's process for test_team_concurrency: runs callplan commands once told to.

    python _team_worker.py FOLDER NAME COMMAND...

It imports callplan, writes FOLDER/NAME.ready, waits for FOLDER/go (so that every
worker starts at once), then runs ``callplan --as NAME COMMAND...`` through the console
script's function, with its output in FOLDER/NAME.out and .err. A COMMAND of
``log-many N`` logs N calls instead: a conversation with DM 1 + (i mod 40), each with a
summary NAME-i; it stops at the first failure.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path


def main() -> None:
    folder, name, *command = sys.argv[1:]
    run = Path(folder)
    from callplan.cli import main as callplan

    (run / f"{name}.ready").touch()
    deadline = time.monotonic() + 30
    while not (run / "go").exists():
        if time.monotonic() > deadline:
            sys.exit(f"{name}: no go after 30 s")
        time.sleep(0.002)
    if command[0] == "log-many":
        runs = [
            ["--as", name, "log", str(1 + i % 40), "-c", "callback", "-s", f"{name}-{i}"]
            for i in range(int(command[1]))
        ]
    else:
        runs = [["--as", name, *command]]
    with (run / f"{name}.out").open("w") as out, (run / f"{name}.err").open("w") as err:
        for args in runs:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    callplan(args)
                except SystemExit as exc:
                    if exc.code not in (0, None):
                        sys.exit(exc.code)


if __name__ == "__main__":
    main()
