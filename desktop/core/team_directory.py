"""Who is on the team: the domain's extensions and queues, read from the PBX's REST API.

The live board (:mod:`desktop.core.team`) starts from this list and folds
the real-time events into it.  Sources (digest §5.4, §5.5, §8.2):

* **KobiPBX:** ``list-user-extension`` gives every extension with its names
  (``effective_caller_id_name``, ``outbound_caller_id_name``, else
  ``directory_first_name`` + ``directory_last_name``) and its call-center
  agent (``call_center_agent_uuid``, ``agent_name``, ``agent_status``): the
  agent events name agents by that UUID (FusionPBX), sometimes by the
  extension.  ``list-user-callcenters`` gives the queues; when it fails, the
  ``call_center_queue`` part of ``list-user-extension`` stands in.
  Which agents serve which queue (mod_callcenter's tiers) is not in either
  answer: the board learns it from the agent events.
* **Tekil:** ``getCentralData/extension;queue``: extensions (the number is
  the ``extension`` field, not the object's key; the name ``name``, else
  ``ampuser.cidname``) and queues (key or ``queue`` = number, ``descr`` =
  name, ``options.member`` = ``["SIP/112,0", "Local/241000@from-queue/n,0"]``:
  the queue's extensions).

No Qt here; the REST calls are :mod:`desktop.pbx.team_rest`'s.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from desktop.core.account_check import kobipbx_extension_list, tekil_extension_list
from desktop.pbx.errors import PbxError
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.pbx.team_rest import central_data, list_user_callcenters

log = logging.getLogger("kobikom.core.team")

#: ``SIP/112,0``, ``PJSIP/112,1``, ``Local/241000@from-queue/n,0`` -> the extension.
_MEMBER: Final = re.compile(r"^(?:[A-Za-z]+/)?([0-9]+)(?:@[^,/]*)?(?:/[^,]*)?(?:,.*)?$")


@dataclass(frozen=True, slots=True)
class Colleague:
    """One extension of the domain."""

    extension: str
    name: str = ""
    #: The call-center agent of this extension (KobiPBX ``call_center_agent_uuid``).
    agent_id: str | None = None
    #: ``agent_name`` (the extension in every example).
    agent_name: str | None = None
    #: ``agent_status`` at the time of the list (``Available``, ``On Break``, ...).
    agent_status: str | None = None


@dataclass(frozen=True, slots=True)
class QueueInfo:
    """One call-center queue."""

    #: The queue's number (``queue_extension``); its identity on the board.
    extension: str
    name: str = ""
    uuid: str | None = None
    #: Extensions known to answer it (Tekil ``options.member``; empty on KobiPBX).
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TeamDirectory:
    """The team as the REST API lists it (possibly empty: then events fill the board)."""

    colleagues: tuple[Colleague, ...] = ()
    queues: tuple[QueueInfo, ...] = ()
    #: "kobipbx", "tekil" or "" (nothing loaded).
    source: str = ""
    #: What could not be read ("" when everything was), for the status line.
    problem: str = ""


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""


def _natural(number: str) -> tuple[int, int | str]:
    return (0, int(number)) if number.isdigit() else (1, number)


def member_extension(member: str) -> str | None:
    """``"SIP/112,0"`` -> ``"112"``; ``"Local/241000@from-queue/n,0"`` -> ``"241000"``."""
    match = _MEMBER.match(member.strip())
    return match.group(1) if match else None


def kobipbx_team(extension_data: Mapping[str, Any],
                 callcenters: Sequence[Mapping[str, Any]] | None) -> TeamDirectory:
    """``list-user-extension`` data (and ``list-user-callcenters``, if read) -> the team."""
    agents: dict[str, Mapping[str, Any]] = {}
    entries = extension_data.get("extensions")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        inner = entry.get("extension")
        number = _text((inner if isinstance(inner, Mapping) else entry).get("extension"))
        agent = entry.get("call_center_agent")
        if number and isinstance(agent, Mapping):
            agents.setdefault(number, agent)
    colleagues = []
    for ext in kobipbx_extension_list(extension_data):
        agent = agents.get(ext.number, {})
        colleagues.append(Colleague(
            ext.number, ext.name, agent_id=_text(agent.get("call_center_agent_uuid")) or None,
            agent_name=_text(agent.get("agent_name")) or None,
            agent_status=_text(agent.get("agent_status")) or None))
    raw_queues = callcenters if callcenters is not None else \
        extension_data.get("call_center_queue") or []
    queues: dict[str, QueueInfo] = {}
    for item in raw_queues if isinstance(raw_queues, (list, tuple)) else []:
        if not isinstance(item, Mapping):
            continue
        number = _text(item.get("queue_extension"))
        uuid = _text(item.get("call_center_queue_uuid")) or None
        key = number or uuid
        if key:
            queues.setdefault(key, QueueInfo(key, _text(item.get("queue_name")), uuid))
    return TeamDirectory(tuple(colleagues),
                         tuple(sorted(queues.values(), key=lambda q: _natural(q.extension))),
                         source="kobipbx")


def tekil_team(central: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> TeamDirectory:
    """``getCentralData/extension;queue`` (by module) -> the team."""
    colleagues = tuple(Colleague(e.number, e.name)
                       for e in tekil_extension_list(central.get("extension", {})))
    queues: dict[str, QueueInfo] = {}
    for key, item in central.get("queue", {}).items():
        number = _text(item.get("queue")) or _text(item.get("extension")) or _text(key)
        if not number:
            continue
        options = item.get("options")
        raw_members = options.get("member") if isinstance(options, Mapping) else None
        members = []
        for member in raw_members if isinstance(raw_members, list) else []:
            ext = member_extension(member) if isinstance(member, str) else None
            if ext and ext not in members:
                members.append(ext)
        queues.setdefault(number, QueueInfo(number, _text(item.get("descr")) or
                                            _text(item.get("name")), None, tuple(members)))
    return TeamDirectory(colleagues,
                         tuple(sorted(queues.values(), key=lambda q: _natural(q.extension))),
                         source="tekil")


async def load_team(session: TekilSession | KobiPbxSession, domain_uuid: str) -> TeamDirectory:
    """Read the team from the PBX; raises :class:`~desktop.pbx.errors.PbxError` when the
    extensions cannot be read (a failed queue list alone is only a ``problem``)."""
    if isinstance(session, TekilSession):
        return tekil_team(await central_data(session, ("extension", "queue")))
    extensions, queues = await asyncio.gather(
        session.list_user_extensions(domain_uuid),
        list_user_callcenters(session, domain_uuid), return_exceptions=True)
    if isinstance(extensions, BaseException):
        raise extensions
    problem = ""
    if isinstance(queues, BaseException):
        if not isinstance(queues, PbxError):
            raise queues
        log.warning("queue list not read (%s); using the queues of the extension list",
                    queues.message)
        problem = queues.message
        queues = None
    team = kobipbx_team(extensions, queues)
    return TeamDirectory(team.colleagues, team.queues, team.source, problem)
