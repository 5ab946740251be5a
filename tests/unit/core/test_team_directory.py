"""The team lists as the REST answers shape them (digest §5.4, §5.5, §8.2), and the
member-event fields the board reads."""

from __future__ import annotations

import pytest

from desktop.core.team_directory import (
    Colleague,
    QueueInfo,
    kobipbx_team,
    member_extension,
    tekil_team,
)
from desktop.pbx.events import BridgeAgentStartEvent, MemberQueueEndEvent, parse_message

EXTENSION_DATA = {
    "extensions": [
        {"extension": {"extension_uuid": "e1", "extension": "1001",
                       "effective_caller_id_name": "MUSA HIZLI", "directory_first_name": "X",
                       "directory_last_name": "Y"},
         "call_center_agent": {"call_center_agent_uuid": "ab15e38b", "agent_name": "1001",
                               "agent_email": "user/1001@x", "agent_status": "Available"}},
        {"extension": {"extension": "1002", "effective_caller_id_name": None,
                       "outbound_caller_id_name": None, "directory_first_name": "Şükrü",
                       "directory_last_name": "Öztürk"}},
        {"extension": {"extension": "1000"}, "call_center_agent": None},
        "junk",
    ],
    "call_center_queue": [{"call_center_queue_uuid": "b579", "queue_name": "DESTEK-KURUKQ(60002)",
                           "queue_extension": "60002"}],
}


def test_kobipbx_extensions_agents_and_the_callcenters_list() -> None:
    callcenters = [
        {"call_center_queue_uuid": "6a6b", "queue_name": "ARAMA MERKEZİ-KUYRUKQ",
         "queue_extension": "60001"},
        {"call_center_queue_uuid": "0dd4", "queue_name": "MUHSEBE-KUYRUKQ",
         "queue_extension": "60000"},
        {"queue_name": "no number, no uuid"},
    ]
    team = kobipbx_team(EXTENSION_DATA, callcenters)
    assert team.colleagues == (
        Colleague("1000", ""),
        Colleague("1001", "MUSA HIZLI", agent_id="ab15e38b", agent_name="1001",
                  agent_status="Available"),
        Colleague("1002", "Şükrü Öztürk"))
    assert team.queues == (QueueInfo("60000", "MUHSEBE-KUYRUKQ", "0dd4"),
                           QueueInfo("60001", "ARAMA MERKEZİ-KUYRUKQ", "6a6b"))
    assert team.source == "kobipbx"


def test_kobipbx_queues_from_the_extension_list_when_callcenters_failed() -> None:
    team = kobipbx_team(EXTENSION_DATA, None)
    assert team.queues == (QueueInfo("60002", "DESTEK-KURUKQ(60002)", "b579"),)


def test_tekil_central_data_extension_field_not_key_and_queue_members() -> None:
    central = {
        "extension": {"110": {"extension": "101000", "name": "Ali Yılmaz"},
                      "111": {"extension": "101001", "name": "",
                              "ampuser": {"cidname": "Veli Kaya"}}},
        "queue": {"10000": {"descr": "Satış", "options": {
            "member": ["SIP/101000,0", "Local/101001@from-queue/n,0", "SIP/101000,1", 7]}},
                  "10005": {"queue": "10005", "descr": "Destek", "options": []}},
    }
    team = tekil_team(central)
    assert team.colleagues == (Colleague("101000", "Ali Yılmaz"),
                               Colleague("101001", "Veli Kaya"))
    assert team.queues == (QueueInfo("10000", "Satış", None, ("101000", "101001")),
                           QueueInfo("10005", "Destek", None, ()))


@pytest.mark.parametrize(("member", "extension"), [
    ("SIP/112,0", "112"), ("PJSIP/112,1", "112"), ("Local/241000@from-queue/n,0", "241000"),
    ("112", "112"), ("SIP/,0", None),
])
def test_member_extension(member: str, extension: str | None) -> None:
    assert member_extension(member) == extension


def test_member_events_take_mod_callcenter_fields_when_sent() -> None:
    end = parse_message({"event": "member-queue-end", "memberUUID": "m", "cidName": "Ali",
                         "cidNumber": "05321234567", "cause": "Cancel",
                         "cancelReason": "TIMEOUT", "queue": "60000@x.kobipbx.com"})
    assert isinstance(end, MemberQueueEndEvent)
    assert (end.queue, end.cid_number, end.cancel_reason) == (
        "60000@x.kobipbx.com", "05321234567", "TIMEOUT")
    documented = parse_message({"event": "member-queue-end", "memberUUID": "m",
                                "cidName": "Ali", "cause": "Cancel"})
    assert isinstance(documented, MemberQueueEndEvent)
    assert (documented.queue, documented.cid_number) == (None, None)
    bridge = parse_message({"event": "bridge-agent-start", "agent": "a", "agentUUID": "l",
                            "memberUUID": "m"})
    assert isinstance(bridge, BridgeAgentStartEvent)
    assert bridge.member_uuid == "m"
