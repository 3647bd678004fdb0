"""`callplan import`: contact files (LinkedIn, Google, Outlook, vCard, CSV) as prospects,
or a callplan JSON export: copied into an empty store, or merged into one with --merge."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from callplan.cli import output
from callplan.cli.context import runtime
from callplan.cli.options import clean_text
from callplan.core import contacts, dates, wording
from callplan.errors import FileError, UsageError

if TYPE_CHECKING:
    from sqlmodel import Session

    from callplan.core.contacts import Contact, Triage
    from callplan.store.archive import merge as merging
    from callplan.store.archive.load import Archive

PROGRESS_ROWS = 500


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", dir_okay=False, help="The file to import."),
    format_: str | None = typer.Option(
        None,
        "--format",
        "-f",
        metavar="FORMAT",
        help="linkedin, google, outlook, vcard, csv or callplan-json (default: recognised "
        "from the file's content).",
    ),
    map_: list[str] = typer.Option(
        [],
        "--map",
        metavar="'COLUMN=FIELD'",
        help="Read a CSV column as a field: name, first_name, last_name, company, title, "
        "phone, email, linkedin, tags, note; or history: last_spoke_on, next_call_on, "
        "status, do_not_call, owner; or ignore, to leave a column out. Repeatable.",
    ),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Tag everyone imported. Repeatable."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid rows and report the others."
    ),
    delimiter: str | None = typer.Option(
        None,
        "--delimiter",
        metavar="CHAR",
        help="The CSV's separator: , ; | or tab (default: read from the header line).",
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Refuse the file for a row without a name too (by default such a row, a "
        "hidden LinkedIn member say, is skipped with a warning).",
    ),
    update_jobs: bool = typer.Option(
        False,
        "--update-jobs",
        help="Record the job changes the file shows (a known DM at another company): "
        "their new company and title, and a note of the move for someone you have "
        "spoken to. Without it they are listed with the command that records each.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check the file and say what would be imported; write nothing."
    ),
    merge: bool = typer.Option(
        False,
        "--merge",
        help="A callplan JSON export into a store that isn't empty: new ids, and the DMs, "
        "calls and notes already here not added twice.",
    ),
) -> None:
    """Import contacts as prospects, merging duplicates (see docs/import.md); or a callplan
    JSON export, into an empty store or with --merge (see docs/export.md)."""
    from callplan import services
    from callplan.store import contact_import
    from callplan.store.archive import load as importer

    fmt = format_.strip().lower() if format_ else None
    if fmt is not None and fmt not in (*contacts.FORMATS, importer.FORMAT):
        raise UsageError(
            f"Unknown import format {format_!r}: use "
            f"{', '.join((*contacts.FORMATS, importer.FORMAT))}."
        )
    try:
        decoded = contacts.open_file(file.read_bytes())
    except OSError as exc:
        raise FileError(f"Can't read {file}: {exc.strerror or exc}.") from None
    text = decoded.text
    if fmt == importer.FORMAT or (
        fmt is None and (file.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")))
    ):
        _import_json(ctx, file, dry_run=dry_run, merge=merge)
        return
    if merge:
        raise UsageError(
            "--merge goes with a callplan JSON export; a contacts import always merges "
            "the people already in the store."
        )
    rt = runtime(ctx)
    _report_encoding(file, decoded)
    sep = _delimiter(delimiter)
    fmt = fmt or contacts.detect(text, sep)
    tags = [t for t in (clean_text(t, "tag", max_length=60) for t in tag) if t]
    mapping = contacts.parse_map(map_)
    first = dates.day_first(rt.settings.country)
    people = contacts.read(
        text, fmt, mapping, delimiter=sep, dates=contacts.FileDates(rt.today, first)
    )
    if fmt == "csv":  # an exporter's own columns are known; a spreadsheet's may not be
        _report_columns(*contacts.columns_used(text, fmt, mapping, sep))

    def triaged(s: Session) -> tuple[Triage, list[int]]:
        triage, suppressed = services.imports.triage_contacts(
            s, rt.desk(s), people, tags=tags, shown=_progress
        )
        # A row with no name is skipped and reported (unless --strict); any other bad row
        # refuses the file unless --skip-invalid.
        refused = [line for line in triage.skipped if strict or line not in triage.nameless]
        if refused and not skip_invalid:
            for line in refused:
                output.warn(f"{file}: {line}")
            raise FileError(
                f"{len(refused)} of {triage.rows} rows in {file} can't be imported; fix "
                "them or use --skip-invalid. Nothing was written."
            )
        return triage, suppressed

    # The triage (reading every DM to find duplicates) is made without the write lock, so
    # other terminals can log calls meanwhile; the write is one transaction, all of the
    # file or none of it, triaged again under the lock if another program wrote first.
    with rt.reading() as s:
        triage, suppressed = triaged(s)
        seen = contact_import.store_version(s)
    # The job changes recorded (--update-jobs), or to be; None: listed with their commands.
    jobs = [f"line {m.line}: {m.who} is at {m.at} now" for m in triage.moved]
    if not dry_run:
        with rt.writing() as s:
            if seen is None or contact_import.store_version(s) != seen:
                triage, suppressed = triaged(s)
            if triage.with_history():  # conversations are recruiters': you, if not yet
                rt.recruiter(s, register=True)
            contact_import.apply(s, triage, today=rt.today)
            if update_jobs:
                jobs = services.imports.update_jobs(s, rt.desk(s), triage)
    _report(triage, file, fmt, dry_run, suppressed, jobs if update_jobs else None)


def _delimiter(given: str | None) -> str | None:
    """The separator asked for with --delimiter: one of contacts.DELIMITERS ('tab' or
    '\\t' for a tab)."""
    if given is None:
        return None
    key = given if given == "\t" else given.strip().lower()
    sep = "\t" if key in ("tab", "\\t", "\t") else key
    if sep not in contacts.DELIMITERS:
        raise UsageError(f"--delimiter {given!r}: use , ; | or tab.")
    return sep


def _report_columns(used: list[str], ignored: list[str]) -> None:
    """Which columns of a CSV were read, when some were not: a column with a name callplan
    doesn't know is never dropped without a word."""
    if not ignored:
        return
    shown = ", ".join(ignored[:8]) + (f" and {len(ignored) - 8} more" if len(ignored) > 8 else "")
    output.message(
        f"Read the columns {', '.join(used)}; ignored {shown} (--map 'COLUMN=FIELD' reads one)."
    )


def _report_encoding(file: Path, decoded: contacts.Decoded) -> None:
    """Say how a file that isn't plain UTF-8 was read, so a garbled name can be traced."""
    if decoded.lines:
        shown = ", ".join(str(n) for n in decoded.lines[:10])
        more = f" and {len(decoded.lines) - 10} more" if len(decoded.lines) > 10 else ""
        output.warn(
            f"{file} is UTF-8 but "
            + (f"lines {shown}{more} hold" if len(decoded.lines) > 1 else f"line {shown} holds")
            + " bytes of another encoding: read as Windows-1252. Check those names."
        )
    elif decoded.encoding not in ("UTF-8", "an Excel workbook"):
        output.message(f"{file} is not UTF-8: read as {decoded.encoding}.")


def _progress(people: list[Contact]) -> Iterable[Contact]:
    """The rows, with a progress bar on a terminal for a big file."""
    if len(people) <= PROGRESS_ROWS or not sys.stderr.isatty():
        return people
    from rich.progress import track

    return track(people, description="Importing", console=output.console(stderr=True))


def _report(
    triage: Triage,
    file: Path,
    fmt: str,
    dry_run: bool,
    suppressed: list[int],
    jobs: list[str] | None,
) -> None:
    # Each kind of line in one print: a big file can have thousands.
    _lines([f"Merged {line}." for line in triage.merged])
    _lines(
        [
            f"Possible duplicate, {line}: check and merge by hand if it's the same."
            for line in triage.flagged
        ],
        warn=True,
    )
    _lines([f"Skipped {line}." for line in triage.skipped], warn=True)
    _lines([f"Not changed, {line}." for line in triage.theirs], warn=True)
    if jobs is None:
        _lines([f"Changed jobs? {move}" for move in triage.moved], warn=True)
    else:
        verb = "Would update" if dry_run else "Updated"
        _lines([f"{verb} the job: {line}." for line in jobs])
    _lines([f"Phone number not recognised, {line}." for line in triage.unparsed_phones], warn=True)
    _lines(
        [
            f"Suppressed line {number}: someone erased at their request (not added)."
            for number in suppressed
        ]
    )
    verb = "Would import" if dry_run else "Imported"
    theirs = wording.count(len(triage.theirs), "colleague's DM", "colleagues' DMs")
    known = sum(1 for person in triage.added if person.last_spoke_on)
    prospects = len(triage.added) - known
    added = (
        f"{len(triage.added)} added ({prospects} prospect{'s' if prospects != 1 else ''}, "
        f"{known} spoken to before)"
        if known
        else f"{len(triage.added)} added as prospects"
    )
    output.message(
        f"{verb} {file} ({fmt}): {added}, "
        f"{len(triage.merged)} updated, "
        + (f"{triage.unchanged} unchanged, " if triage.unchanged else "")
        + (f"{theirs} not changed, " if triage.theirs else "")
        + f"{len(triage.skipped)} skipped, "
        f"{len(triage.flagged)} flagged as possible duplicates"
        + (f", {len(suppressed)} suppressed" if suppressed else "")
        + (
            f", {len(triage.unparsed_phones)} phone number"
            f"{'s' if len(triage.unparsed_phones) != 1 else ''} kept as typed"
            if triage.unparsed_phones
            else ""
        )
        + "."
        + (" Nothing was written (--dry-run)." if dry_run else "")
    )
    if triage.in_cycle or triage.out_of_cycle:
        output.message(
            f"In the contact base with their last conversation: {triage.in_cycle} in cycle, "
            f"{triage.out_of_cycle} out of cycle"
            + (
                " (callplan sweep spreads those over the month's working days)."
                if triage.out_of_cycle
                else "."
            )
        )
    if triage.owner_ignored:
        output.message(
            f"Owner left out for {wording.count(triage.owner_ignored, 'prospect')}: a "
            "prospect is nobody's until someone speaks to them."
        )


def _lines(lines: list[str], *, warn: bool = False) -> None:
    if lines:
        (output.warn if warn else output.message)("\n".join(lines))


def _import_json(ctx: typer.Context, file: Path, *, dry_run: bool, merge: bool) -> None:
    from callplan import services
    from callplan.store.archive import load as importer
    from callplan.store.archive.export import section_counts

    rt = runtime(ctx)
    archive = importer.read(file, today=rt.today)
    with rt.reading() if dry_run else rt.writing() as s:
        held = importer.held(s)
        if held is not None and not merge:
            raise FileError(
                f"The store isn't empty (it has {held}): to add {file} to it, use --merge "
                "(see docs/export.md). Nothing was written."
            )
        loaded = services.imports.load_archive(s, rt.desk(s), archive, held=held, write=not dry_run)
    suppressed, given, merged = loaded.suppressed, loaded.given, loaded.merged
    people = [
        wording.count(n, what)
        for n, what in ((suppressed.dms, "decision maker"), (suppressed.candidates, "candidate"))
        if n
    ]
    left_out = f" ({' and '.join(people)} erased at their request left out)" if people else ""
    nothing = " Nothing was written (--dry-run)." if dry_run else ""
    if merged is not None:
        _report_merge(merged, archive, file, dry_run=dry_run, left_out=left_out, nothing=nothing)
    else:
        verb = "Would import" if dry_run else "Imported"
        output.message(f"{verb} {section_counts(archive.counts())} from {file}{left_out}.{nothing}")
    if given is not None:
        output.message(
            f"{file} is from before recruiters: its {wording.count(given.dms, 'DM')} spoken "
            f"to, {wording.count(given.calls, 'call')} and {wording.count(given.notes, 'note')} "
            f"{'would be' if dry_run else 'are'} {given.to}'s (see docs/team.md)."
        )


def _report_merge(
    merged: merging.Merge, store: Archive, file: Path, *, dry_run: bool, left_out: str, nothing: str
) -> None:
    from callplan.store.archive.export import section_counts

    _lines([f"Already here: {line}." for line in merged.matched])
    _lines([f"Owner kept: {line}." for line in merged.kept_owners], warn=True)
    _lines(
        [
            f"Erased at their request in {file}, still here: {who}. If they asked the "
            f"agency, erase them here too (callplan dm forget {dm_id})."
            for dm_id, who in merged.erased_there
        ],
        warn=True,
    )
    counts = merged.counts(store)
    dms_new, dms_here = counts.pop("decision_makers")
    added = section_counts({key: new for key, (new, _) in counts.items()})
    here = section_counts({key: old for key, (_, old) in counts.items() if old})
    output.message(
        f"{'Would merge' if dry_run else 'Merged'} {file} into the store{left_out}: "
        f"{wording.count(dms_new, 'new decision maker')}, {dms_here} already here; "
        f"{added} {'would be ' if dry_run else ''}added"
        + (f" ({here} already here, left out)" if here else "")
        + f".{nothing}"
    )
