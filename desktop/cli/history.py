"""``kobikom-desktop history`` and ``kobikom-desktop recording save``.

::

    kobikom-desktop history [--missed] [--since DATE] [--limit N] [--json] [--demo]
    kobikom-desktop recording save CALL_ID --out FILE [connection options] [--demo]

``history`` prints the local call journal (the calls this computer's app
saw live, plus those filled in from the PBX's records), newest first: a
readable table by default, one JSON object per line with ``--json``.
``--since`` takes ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM``, ``today``,
``yesterday`` or ``Nd`` (the last N days), in local time.  ``--demo`` reads
the demo mode's separate journal.  It reads only; it never contacts the PBX.

``recording save`` writes one call's recording to FILE: from the local cache
if it is there, else downloaded from the PBX (Tekil ``downloadRecording``;
KobiPBX when its call record carries a link) with the account of the
settings file and keyring (``KOBIKOM_USER``/``KOBIKOM_PASSWORD`` override).
CALL_ID is the journal's call id (``history --json`` shows it) or the PBX's
unique id.  The file is checked before it is written (a WAV49 cut short or a
page instead of audio is refused), atomically; one JSON line on stdout
describes it.

Exit codes: 0 done, 1 no such call / no recording / no history yet, 2 usage
(bad date, unwritable file), 3 credentials missing or rejected, 4 server or
network failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.cli.common import (
    EXIT_AUTH,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
    add_connection_options,
    add_local_options,
    exit_code_for,
    fail,
    load_account,
    output_file,
)

_RELATIVE_DAYS = re.compile(r"^(\d{1,4})d$")


COMMANDS = ("history", "recording")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = sub.add_parser(
        "history", help="print the local call history (newest first)",
        description="Print the calls in the local journal, newest first.")
    history.add_argument("--missed", action="store_true", help="only missed calls")
    history.add_argument("--since", metavar="DATE",
                         help="YYYY-MM-DD, 'YYYY-MM-DD HH:MM', today, yesterday or Nd")
    history.add_argument("--limit", type=int, metavar="N", help="at most N calls")
    history.add_argument("--json", action="store_true", help="one JSON object per line")
    history.add_argument("--demo", action="store_true", help="the demo mode's journal")
    add_local_options(history, "only the local call journal")

    recording = sub.add_parser("recording", help="call recordings")
    actions = recording.add_subparsers(dest="recording_command", metavar="ACTION",
                                       required=True)
    save = actions.add_parser("save", help="save a call's recording to a file",
                              description="Save a call's recording (WAV49) to FILE, from "
                                          "the local cache or downloaded from the PBX.")
    save.add_argument("call_id", metavar="CALL_ID")
    save.add_argument("--out", metavar="FILE", type=output_file, required=True)
    save.add_argument("--demo", action="store_true", help="the demo mode's journal and cache")
    add_connection_options(save)


def parse_since(text: str, now: float | None = None) -> float:
    """Epoch seconds of a ``--since`` value (local time); ValueError if unreadable."""
    now_dt = datetime.fromtimestamp(time.time() if now is None else now)
    midnight = now_dt.replace(hour=0, minute=0, second=0, microsecond=0)
    value = text.strip().lower()
    if value in ("today", "bugün", "bugun"):
        return midnight.timestamp()
    if value in ("yesterday", "dün", "dun"):
        return (midnight - timedelta(days=1)).timestamp()
    match = _RELATIVE_DAYS.match(value)
    if match:
        return (now_dt - timedelta(days=int(match.group(1)))).timestamp()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).timestamp()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, today, yesterday or Nd)")


def _data_dir(demo: bool) -> Path:
    from desktop.core.paths import app_paths

    paths = app_paths()
    return paths.data_dir / "demo" if demo else paths.data_dir


_OUTCOMES = {"answered": "answered", "missed": "MISSED", "answered_elsewhere": "colleague",
             "not_answered": "no answer", "unknown": "?"}
_ARROWS = {"inbound": "<-", "outbound": "->", "local": "<>", "unknown": "  "}


def _row_text(row: Any) -> list[str]:
    from desktop.core.numbers import parse_number

    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row.started_at)) \
        if row.started_at is not None else ""
    number = parse_number(row.number_raw).display() if row.number_raw else ""
    talk = row.talk_seconds
    duration = f"{talk // 60}:{talk % 60:02d}" if talk else "-"
    outcome = _OUTCOMES.get(row.outcome, row.outcome)
    if row.is_missed and row.called_back_at is not None:
        outcome += " (called back)"
    elif row.is_new_missed:
        outcome += " (new)"
    return [when, _ARROWS.get(row.direction, "  "), number or "-", row.contact_name or "",
            duration, outcome, "rec" if row.recording else "", row.call_id]


def run_history(args: argparse.Namespace) -> int:
    from desktop.core.journal import HistoryFilter, HistoryKind, Journal
    from desktop.core.storage import StorageError

    since = None
    if args.since:
        try:
            since = parse_since(args.since)
        except ValueError as exc:
            return fail(EXIT_USAGE, str(exc))
    if args.limit is not None and args.limit < 0:
        return fail(EXIT_USAGE, "--limit must not be negative")
    path = _data_dir(args.demo) / "journal.sqlite3"
    if not path.exists():
        return fail(EXIT_NOT_FOUND, f"no call history yet ({path})")
    try:
        journal = Journal(path)
    except StorageError as exc:
        return fail(EXIT_USAGE, str(exc))
    try:
        flt = HistoryFilter(kind=HistoryKind.MISSED if args.missed else HistoryKind.ALL,
                            since=since)
        rows = journal.history_rows(flt, limit=args.limit)
    finally:
        journal.close()
    out = sys.stdout
    if args.json:
        for row in rows:
            out.write(json.dumps(row.to_json(), ensure_ascii=False) + "\n")
        return EXIT_OK
    if not rows:
        print("no calls", file=sys.stderr)
        return EXIT_OK
    table = [["TIME", "", "NUMBER", "CONTACT", "TALK", "OUTCOME", "REC", "CALL ID"],
             *(_row_text(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    widths[3] = min(widths[3], 28)
    for line in table:
        cells = [cell[:widths[i]].ljust(widths[i]) for i, cell in enumerate(line)]
        out.write("  ".join(cells).rstrip() + "\n")
    return EXIT_OK


def _write_atomic(path: Path, data: bytes) -> None:
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".recording-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


async def _save_recording(args: argparse.Namespace) -> int:
    from desktop.core.account import AccountIncomplete
    from desktop.core.history_sync import HistorySync, KobiPbxCdrSource, TekilCdrSource
    from desktop.core.journal import Journal
    from desktop.core.recordings import (
        DEFAULT_CACHE_BYTES,
        RecordingCache,
        RecordingError,
        RecordingService,
    )
    from desktop.pbx.connection import Flavor

    account = load_account(args)
    settings = account.settings
    data_dir = _data_dir(args.demo)
    data_dir.mkdir(parents=True, exist_ok=True)
    journal = Journal(data_dir / "journal.sqlite3")
    session: Any = None
    try:
        try:
            session = account.rest_session()
        except AccountIncomplete:
            session = None

        def source() -> Any:
            if session is None:
                return None
            extensions = settings.account.extensions
            if account.flavor is Flavor.TEKIL:
                return TekilCdrSource(session, extensions)
            if not settings.account.domain_uuid:
                return None
            return KobiPbxCdrSource(session, settings.account.domain_uuid, extensions)

        cache_mb = getattr(getattr(settings, "history", None), "recordings_cache_mb", 0)
        cache = RecordingCache(data_dir / "recordings",
                               cache_mb * 1024 * 1024 if cache_mb else DEFAULT_CACHE_BYTES)
        service = RecordingService(journal, cache, downloader=lambda: session,
                                   lookup=HistorySync(journal, source))
        try:
            recording = await service.fetch(args.call_id)
        except RecordingError as exc:
            cause = exc.__cause__
            if exc.kind == "no_account":
                return fail(EXIT_AUTH, str(exc))
            if exc.kind in ("no_recording", "unknown_call"):
                return fail(EXIT_NOT_FOUND, str(exc))
            if exc.kind == "download" and cause is not None:
                return fail(exit_code_for(cause), str(exc))
            return fail(EXIT_SERVER, str(exc))
        try:
            data = recording.path.read_bytes()
            _write_atomic(args.out, data)
        except OSError as exc:
            return fail(EXIT_USAGE, f"{args.out}: {exc.strerror or exc}")
        print(json.dumps({
            "call_id": recording.call_id, "file": str(args.out), "bytes": len(data),
            "codec": recording.info.codec, "seconds": recording.info.duration,
            "from_cache": recording.from_cache}, ensure_ascii=False))
        return EXIT_OK
    finally:
        journal.close()
        if session is not None:
            await session.aclose()


def run_recording(args: argparse.Namespace) -> int:
    if args.recording_command != "save":  # pragma: no cover - argparse requires one
        return fail(EXIT_USAGE, "unknown action")
    try:
        return asyncio.run(_save_recording(args))
    except KeyboardInterrupt:
        return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    return run_history(args) if args.command == "history" else run_recording(args)
