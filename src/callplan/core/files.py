"""Files callplan writes for the user: one writer, one set of rules, for every command.

Every file a command writes (``export --out``, ``dm export --out``, ``--ics``, ``stats
--svg``, ``backup PATH``, the config file) goes through ``Target``:

- ``-`` is stdout (and so is ``/dev/stdout``).
- A symlink is followed: its target is what is written, by these same rules.
- The live store, its ``-wal``, ``-shm`` and ``-journal``, and the files of the store's
  backups folder are never written (exit 7), whatever the flags.
- A path that doesn't exist is created (0600) under a temporary name and moved into place
  only when complete; it never replaces a file that appears in the meantime.
- An existing regular file is replaced (atomically, the same way) only when the user
  asked for it (``--force``); without it the error names the flag.
- Anything else that exists (a FIFO, a character device such as /dev/null, a terminal) is
  written to directly: it is never replaced by a regular file.
- A folder is refused, except where a command takes one (``backup FOLDER``).
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO, TextIO

from callplan.errors import FileError

STDOUT = "-"
# Names of stdout itself: written to as stdout, never opened (a shell's `> file` behind
# /dev/stdout must not be replaced by a new file, nor written from its start).
STDOUT_ALIASES = ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")
BACKUP_FOLDER = "backups"
STORE_PARTS = ("", "-wal", "-shm", "-journal")  # the store file and its working files


@dataclass(frozen=True)
class Guard:
    """What no writer may touch: the live SQLite store (None for a server store or when
    there is no store in play) and its backups folder."""

    store: Path | None = None

    def _store_files(self) -> list[Path]:
        if self.store is None:
            return []
        real = Path(os.path.realpath(self.store))
        return [Path(f"{real}{suffix}") for suffix in STORE_PARTS]

    @property
    def backups(self) -> Path | None:
        if self.store is None:
            return None
        return Path(os.path.realpath(self.store.parent / BACKUP_FOLDER))

    def in_backups(self, real: Path) -> bool:
        return self.backups is not None and self.backups in real.parents

    def refuse(
        self, real: Path, found: os.stat_result | None, given: str, *, backups_ok: bool = False
    ) -> None:
        """FileError if ``real`` (a resolved path; ``found``, what is there) is the store,
        one of its files, or a file of its backups folder (a new file there is allowed
        with ``backups_ok``)."""
        files = self._store_files()
        same = real in files
        if not same and found is not None:  # a hard link to the store is the store
            for part in files:
                try:
                    same = same or os.path.samestat(found, part.stat())
                except OSError:
                    continue
        if same:
            raise FileError(f"{given} is callplan's store: callplan never writes over it.")
        if self.in_backups(real) and not (backups_ok and found is None):
            raise FileError(
                f"{given} is in the store's backups folder ({self.backups}): "
                "callplan never writes over its backups; choose another file."
            )


def _reason(exc: OSError | ValueError) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


class Kind(Enum):
    STDOUT = "stdout"  # '-'
    NEW = "new"  # no file there yet: create it, never over one that appears meanwhile
    REPLACE = "replace"  # an existing regular file, replaced as the user asked
    STREAM = "stream"  # a FIFO, a device, a terminal: written to, never replaced


@dataclass(frozen=True)
class Target:
    """Where a command's output goes, checked against the rules above."""

    given: str  # as the user typed it, for messages
    path: Path  # resolved (symlinks followed); as given for a stream; Path('-') for stdout
    kind: Kind
    what: str

    @property
    def is_stdout(self) -> bool:
        return self.kind is Kind.STDOUT

    @property
    def shown(self) -> str:
        return "stdout" if self.is_stdout else self.given

    def _fail(self, exc: OSError | ValueError) -> FileError:
        return FileError(f"Can't write the {self.what} {self.given}: {_reason(exc)}.")


def target(
    given: str | os.PathLike[str],
    *,
    what: str,
    guard: Guard,
    force: bool = False,
    folder_ok: bool = False,
) -> Target:
    """Check where the user asked a command to write, before any work is done.

    ``force``: the user asked to replace an existing file (--force; the error names it
    otherwise). ``folder_ok``: the command puts a new file into a folder itself
    (the returned Target's path is then the folder, kind NEW)."""
    text = os.fspath(given)
    if text == STDOUT or text in STDOUT_ALIASES:
        return Target(text, Path(STDOUT), Kind.STDOUT, what)
    if not text.strip():
        raise FileError(f"The {what} needs a file name ('-' for stdout).")
    try:
        path = Path(text).expanduser()
        real = Path(os.path.realpath(path))
        found = _stat(path)  # through any symlink: what would be written
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise FileError(f"Can't write the {what} {text}: {_reason(exc)}.") from None
    guard.refuse(real, found, text, backups_ok=folder_ok)
    if found is None:
        if not real.parent.is_dir():
            raise FileError(
                f"Can't write the {what} {text}: the folder {real.parent} doesn't exist."
            )
        return Target(text, real, Kind.NEW, what)
    if stat.S_ISDIR(found.st_mode):
        if folder_ok:
            return Target(text, real, Kind.NEW, what)
        raise FileError(f"Can't write the {what} {text}: it is a folder; name a file in it.")
    if stat.S_ISREG(found.st_mode):
        if not force:
            raise FileError(f"{text} already exists: add --force to replace it.")
        return Target(text, real, Kind.REPLACE, what)
    if stat.S_ISSOCK(found.st_mode):
        raise FileError(f"Can't write the {what} {text}: it is a socket.")
    # A FIFO, a device, a pipe behind /proc/self/fd/N: opened by the name given (the
    # resolved name of a pipe is no path).
    return Target(text, path, Kind.STREAM, what)


def _stat(path: Path) -> os.stat_result | None:
    """What is at ``path`` (symlinks followed); None if nothing is (or a dangling link)."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None


@contextmanager
def _direct(t: Target) -> Iterator[BinaryIO]:
    """Write into something that is not a regular file, as it is (never created)."""
    try:
        fd = os.open(t.path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise t._fail(exc) from None
    if stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a regular file since the check
        os.close(fd)
        raise FileError(f"{t.given} changed while callplan was writing: nothing was written.")
    with os.fdopen(fd, "wb") as stream:
        yield stream


def _scratch(t: Target, folder: Path, prefix: str) -> Path:
    """A new empty temporary file (0600) in ``folder``, for writing ``t``."""
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except (OSError, ValueError) as exc:
        raise t._fail(exc) from None
    os.close(fd)
    return Path(name)


@contextmanager
def _placed(t: Target) -> Iterator[Path]:
    """A private temporary file beside the target, moved into place once complete."""
    tmp = _scratch(t, t.path.parent, f".{t.path.name}.")
    try:
        yield tmp
        _sync(tmp)
        if t.kind is Kind.REPLACE:
            os.replace(tmp, t.path)
        else:
            _link_new(tmp, t)
        _sync_folder(t.path.parent)
    except OSError as exc:
        raise t._fail(exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def _link_new(tmp: Path, t: Target) -> None:
    """Put ``tmp`` at the target's path only if nothing is there (no race with a file
    made since the check)."""
    try:
        os.link(tmp, t.path)
    except FileExistsError:
        raise FileError(
            f"{t.given} appeared while callplan was writing it: nothing was replaced."
        ) from None
    except OSError:  # a file system without hard links: reserve the name, then move
        try:
            os.close(os.open(t.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            raise FileError(
                f"{t.given} appeared while callplan was writing it: nothing was replaced."
            ) from None
        os.replace(tmp, t.path)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def binary(t: Target) -> Iterator[BinaryIO]:
    """A binary stream to the target; a file is complete before it appears."""
    if t.is_stdout:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    if t.kind is Kind.STREAM:
        with _direct(t) as stream:
            yield stream
        return
    with _placed(t) as tmp:
        try:
            with open(tmp, "wb") as stream:
                yield stream
        except OSError as exc:
            raise t._fail(exc) from None


@contextmanager
def text(t: Target) -> Iterator[TextIO]:
    """A UTF-8 text stream to the target (newlines as written)."""
    if t.is_stdout:
        yield sys.stdout
        sys.stdout.flush()
        return
    import io

    with binary(t) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()  # the binary stream is closed by its own context


def write(t: Target, data: bytes) -> None:
    with binary(t) as out:
        out.write(data)


@contextmanager
def filled(t: Target, *, scratch: Path | None = None) -> Iterator[Path]:
    """A new private file to fill by path (a SQLite backup), then put at the target: moved
    into place for a file, copied into a FIFO, device or stdout (made in ``scratch``, a
    private folder)."""
    if t.kind in (Kind.NEW, Kind.REPLACE):
        with _placed(t) as tmp:
            yield tmp
        return
    if scratch is None:
        raise ValueError("a stream target needs a scratch folder")
    tmp = _scratch(t, scratch, ".callplan-out.")
    try:
        yield tmp
        with open(tmp, "rb") as source, binary(t) as out:
            shutil.copyfileobj(source, out)
    except OSError as exc:
        raise t._fail(exc) from None
    finally:
        tmp.unlink(missing_ok=True)
