"""``kobikom-desktop replay FILE``: the calls a capture holds, as JSON lines.

Feeds a capture (``listen --capture``, or the app's own when the agent
turned it on in Settings) through the real decoder and call tracker
(:mod:`desktop.core.replay`) and prints one line per call change, like
``listen`` prints events; ``--summary`` prints one line per call instead.
One FILE with rotated older parts (``FILE.1``, ``FILE.2``, …) is read with
them, oldest first; several FILEs are read in the order given.

The agent's extensions come from ``--extension``, else from the capture's
header, else from the settings file.  The tracker gets the account's domain
as the capture wrote it (``<domain-uuid>``), so it filters exactly as the
app did.  Exit codes: 0 calls seen, 1 none, 2 not a capture.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.cli.common import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, add_config_options, fail

COMMANDS = ("replay",)


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("replay", help="print the calls a capture holds (JSON lines)")
    add_config_options(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="capture file(s) from 'listen --capture' or the app")
    p.add_argument("--extension", action="append", metavar="EXT",
                   help="the agent's extension (repeat for several; default: the capture's)")
    p.add_argument("--domain", metavar="DOMAIN",
                   help="accept call events of this domain only (default: as the app did)")
    p.add_argument("--summary", action="store_true",
                   help="one line per call (its last state) instead of one per change")
    p.add_argument("--events", action="store_true",
                   help="also print every decoded event (as 'listen' does)")


def run(args: argparse.Namespace) -> int:
    from desktop.core.calls import RecentDials, TrackerFactory
    from desktop.core.replay import CaptureReplay, call_json
    from desktop.pbx.capture import CaptureError, CaptureReader, capture_files

    paths: list[Path] = list(args.files)
    if len(paths) == 1:
        paths = capture_files(paths[0]) or paths
    reader = CaptureReader(paths)
    try:
        records = list(reader.records())
    except CaptureError as exc:
        return fail(EXIT_USAGE, str(exc))
    header = reader.headers[0] if reader.headers else {}
    extensions = args.extension or [str(e) for e in header.get("extensions") or []]
    if not extensions:
        extensions = _configured_extensions(args)
    if not extensions:
        return fail(EXIT_USAGE, "no extension: the capture names none; pass --extension EXT")
    domain = args.domain if args.domain is not None else header.get("domain")

    calls: dict[str, Any] = {}
    printed = 0

    def on_change(call: Any, change: Any) -> None:
        nonlocal printed
        calls[call.call_id] = call
        if call.replaces:
            calls.pop(call.replaces, None)
        if not args.summary:
            _print(call_json(call, change))
            printed += 1

    def on_event(event: Any) -> None:
        from desktop.cli.listen import event_json

        _print(event_json(event))

    # The app's tracker factory, with the recorded time of the record being replayed
    # as "now" (for its timers and for the click-to-call record, empty here: the
    # agent's own dials are not in a capture).
    def now() -> float:
        return replay.now

    factory = TrackerFactory(RecentDials(clock=now), clock=now)
    tracker = factory.make(extensions, domain or None, on_change=on_change)
    replay = CaptureReplay(tracker, on_event=on_event if args.events else None)
    replay.run(records)
    replay.finish()
    if args.summary:
        for call in calls.values():
            _print(call_json(call))
    stats = replay.stats
    for problem in [*reader.problems, *stats.problems]:
        print(f"kobikom-desktop: {problem}", file=sys.stderr)
    print(f"replay: {stats.records} records, {stats.connections} connection(s), "
          f"{stats.frames} frames, {stats.events} events ({stats.unknown} unknown), "
          f"{len(calls)} call(s) for {', '.join(extensions)}", file=sys.stderr)
    return EXIT_OK if calls else EXIT_NOT_FOUND


def _configured_extensions(args: argparse.Namespace) -> list[str]:
    from desktop.cli.common import load_settings

    return list(load_settings(args).account.extensions)


def _print(item: dict[str, Any]) -> None:
    print(json.dumps(item, ensure_ascii=False), flush=True)
