"""``kobikom-desktop team``: the team and queue board, without a screen.

Reads the domain's extensions and queues over REST (KobiPBX
``list-user-extension`` + ``list-user-callcenters``, Tekil
``getCentralData/extension;queue``), connects to the real-time channel as
``listen`` does, folds the events into the same board the app shows
(:class:`desktop.core.team.TeamBoard`) for ``--timeout`` seconds, then
prints it: each extension with its state (and with whom, for how long),
each queue with its waiting callers and agents, and today's abandoned
callers.  ``--json`` prints one JSON object instead (the shape of
:meth:`TeamBoard.snapshot`).

KobiPBX sends no snapshot when a client connects: an extension nothing was
heard of while following is ``unknown``.  A team list that cannot be read
is a warning on stderr; the board then holds what the events name.

Exit codes: 0 printed, 2 bad input, 3 login rejected or credentials
missing, 4 the channel never connected.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any, Final

from desktop.cli.common import (
    EXIT_OK,
    add_connection_options,
    follow_channel,
    follow_failure,
    line_setup,
    positive_seconds,
)

COMMANDS = ("team",)

#: How long ``team`` follows the events without ``--timeout`` (s).
DEFAULT_FOLLOW: Final = 5.0
#: The most the team list may take before following starts anyway (s).
LIST_TIMEOUT: Final = 15.0

STATE_TEXT: Final = {
    "unknown": "no news yet", "offline": "offline", "free": "free", "ringing": "ringing",
    "in-call": "in a call", "on-hold": "on hold", "not-found": "extension not found",
}


def add_parsers(sub: Any) -> None:
    team = sub.add_parser("team", help="follow the events and print the team and queue board")
    add_connection_options(team)
    team.add_argument("--timeout", type=positive_seconds, metavar="S",
                      default=DEFAULT_FOLLOW,
                      help=f"follow the events for S seconds (default {DEFAULT_FOLLOW:g})")
    team.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_run(args))
    except KeyboardInterrupt:
        return EXIT_OK


async def _team(setup: Any) -> Any:
    """The REST team list, or None (a warning on stderr) when it cannot be read."""
    from desktop.core.team_directory import load_team
    from desktop.pbx.errors import PbxError

    if setup.session is None:
        print("kobikom-desktop: warning: no REST login in the settings: the team list is "
              "not read; showing the extensions the events name", file=sys.stderr)
        return None
    try:
        async with asyncio.timeout(LIST_TIMEOUT):
            return await load_team(setup.session, setup.settings.account.domain_uuid)
    except (PbxError, TimeoutError) as exc:
        why = exc.message if isinstance(exc, PbxError) else f"no answer in {LIST_TIMEOUT:g} s"
        print(f"kobikom-desktop: warning: the team list could not be read ({why}); "
              "showing the extensions the events name", file=sys.stderr)
        return None


async def _run(args: argparse.Namespace) -> int:
    from desktop.core.team import TeamBoard

    setup = line_setup(args)
    board = TeamBoard()
    try:
        directory = await _team(setup)
        if directory is not None:
            board.load(directory)
        outcome = await follow_channel(setup, board.feed, timeout=args.timeout)
    finally:
        await setup.aclose()
    failed = follow_failure(outcome, setup.settings)
    if failed is not None:
        return failed
    snapshot = board.snapshot()
    if args.json:
        print(json.dumps(snapshot, ensure_ascii=False))
    else:
        print(board_text(snapshot))
    return EXIT_OK


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else \
        f"{rest // 60}:{rest % 60:02d}"


def _who(number: str | None, name: str | None) -> str:
    if name and number:
        return f"{name} ({number})"
    return name or number or "unknown caller"


def board_text(snapshot: dict[str, Any]) -> str:
    """The board as lines of text (what ``team`` prints without ``--json``)."""
    lines = [f"Extensions ({len(snapshot['extensions'])})"]
    for ext in snapshot["extensions"]:
        state = STATE_TEXT.get(ext["state"], ext["state"])
        if ext["with"]:
            word = "to" if ext["outgoing"] else "from" if ext["state"] == "ringing" \
                else "with"
            state += f" {word} {_who(ext['with'], ext['with_name'])}"
        if ext["seconds"] is not None:
            state += f" ({_duration(ext['seconds'])})"
        agent = " / ".join(p for p in (ext["agent_status"], ext["agent_state"]) if p)
        lines.append(f"  {ext['extension']:<7} {ext['name'][:24]:<24} {state}"
                     + (f"   agent: {agent}" if agent else ""))
    lines.append(f"Queues ({len(snapshot['queues'])})")
    for queue in snapshot["queues"]:
        waiting = f"{queue['waiting']} waiting" if queue["reported"] or queue["callers"] \
            else "waiting callers not reported"
        lines.append(f"  {queue['extension']:<7} {queue['name'][:24]:<24} {waiting}")
        for caller in queue["callers"]:
            lines.append(f"      waiting {_duration(caller['seconds']):>6}  "
                         f"{_who(caller['number'], caller['name'])}")
        for agent in queue["agents"]:
            who = " ".join(p for p in (agent["extension"] or agent["agent"], agent["name"])
                           if p)
            what = " / ".join(p for p in (agent["status"], agent["state"]) if p) or "-"
            lines.append(f"      agent   {who}: {what}")
    lines.append(f"Abandoned today ({len(snapshot['abandoned'])})")
    for gone in snapshot["abandoned"]:
        at = time.strftime("%H:%M", time.localtime(gone["at"]))
        times = f", {gone['times']} times" if gone["times"] > 1 else ""
        lines.append(f"  {at}  {_who(gone['number'], gone['name'])}  queue "
                     f"{gone['queue'] or '?'}  waited {_duration(gone['waited'])}{times}")
    return "\n".join(lines)
