"""The team board's folding, one reading of the events per test (no network, no Qt).

Messages are written as each simulator profile puts them on the wire
(``desktop/simulator/profiles.py``, ``team.py``) and parsed by the real
parser; ``tests/integration/test_team_board.py`` runs the same against the
simulator itself.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.team import CALL_LIMIT, RING_LIMIT, TeamBoard
from desktop.core.team_directory import Colleague, QueueInfo, TeamDirectory
from desktop.core.team_model import Presence
from desktop.core.team_queues import PENDING_WINDOW
from desktop.pbx.events import parse_message

DOMAIN = "902242345678.kobipbx.com"
CUSTOMER = "05321234567"
DID = "02242345678"
AGENT_UUID = {"1001": "a-1001-uuid", "1002": "a-1002-uuid", "1003": "a-1003-uuid"}


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def team() -> TeamDirectory:
    return TeamDirectory(
        tuple(Colleague(ext, name, agent_id=AGENT_UUID[ext], agent_name=ext,
                        agent_status="Available")
              for ext, name in (("1001", "Ayşe Demir"), ("1002", "Mehmet Kaya"),
                                ("1003", "Zeynep Çelik"))),
        (QueueInfo("60000", "SATIS-KUYRUKQ", "q-60000-uuid"),
         QueueInfo("60001", "DESTEK-KUYRUKQ", "q-60001-uuid")),
        source="kobipbx")


class Board:
    """A loaded board, fed raw messages at the clock's time."""

    def __init__(self, load: bool = True, name_for: Any = None) -> None:
        self.clock = Clock()
        self.board = TeamBoard(clock=self.clock, name_for=name_for)
        if load:
            self.board.load(team())
        self.board.take_changes()

    def __call__(self, **msg: Any) -> Board:
        self.board.feed(parse_message(msg, received_at=self.clock.now))
        return self

    def at(self, seconds: float) -> Board:
        self.clock.now += seconds
        return self

    def state(self, ext: str) -> Presence:
        self.board.take_changes()
        view = self.board.colleague(ext)
        assert view is not None
        return view.presence

    def view(self, ext: str) -> Any:
        self.board.take_changes()
        return self.board.colleague(ext)

    def queue(self, ext: str) -> Any:
        self.board.take_changes()
        return self.board.queue(ext)


def call(event: str, call_id: str, **fields: Any) -> dict[str, Any]:
    return {"event": event, "callUUID": call_id, "domain": DOMAIN, **fields}


# ---------------------------------------------------------------- lines


def test_freeswitch_legs_of_a_direct_call() -> None:
    b = Board()
    b(**call("ringing", "T", extension="1002", callerNumber=CUSTOMER, calledNumber=DID))
    b(**call("ringing", "B", extension="1002", callerNumber=CUSTOMER, calledNumber="1002"))
    assert b.state("1002") is Presence.RINGING
    assert b.view("1002").other_number == CUSTOMER
    b.at(3)(**call("answered", "B", extension="1002", callerNumber=CUSTOMER,
                   calledNumber="1002", direction="outbound"))
    b(**call("answered", "T", extension="1002", callerNumber=CUSTOMER, calledNumber=DID))
    view = b.view("1002")
    assert view.presence is Presence.IN_CALL
    assert view.since == b.clock.now  # the time counts from the answer
    b.at(5)(**call("hold", "B"))
    assert b.state("1002") is Presence.ON_HOLD
    b(**call("unhold", "B"))
    assert b.state("1002") is Presence.IN_CALL
    b(**call("hangup", "T", hangupCause="NORMAL_CLEARING"))
    assert b.state("1002") is Presence.IN_CALL  # the agent's leg is still up
    b(**call("hangup", "B", hangupCause="NORMAL_CLEARING"))
    b(**call("destroy", "B"))
    assert b.state("1002") is Presence.FREE  # seen in a call: registered


def test_queue_legs_losers_hang_up_with_lose_race() -> None:
    b = Board()
    b(**call("ringing", "T", extension="60001", callerNumber=CUSTOMER, calledNumber=DID))
    b(**call("answered", "T", extension="60001", callerNumber=CUSTOMER, calledNumber=DID))
    for ext in ("1001", "1002", "1003"):
        b(**call("ringing", f"B{ext}", extension=ext, callerNumber=CUSTOMER,
                 calledNumber=ext))
    assert [b.state(e) for e in ("1001", "1002", "1003")] == [Presence.RINGING] * 3
    b(**call("answered", "B1002", extension="1002", callerNumber=CUSTOMER, calledNumber="1002"))
    b(**call("hangup", "B1001", hangupCause="LOSE_RACE"))
    b(**call("hangup", "B1003", hangupCause="LOSE_RACE"))
    assert [b.state(e) for e in ("1001", "1002", "1003")] == [
        Presence.FREE, Presence.IN_CALL, Presence.FREE]
    assert b.board.queue("60001") is not None  # the queue is no colleague


def test_one_id_per_call_answered_elsewhere_ends_the_other_rings() -> None:
    b = Board()
    for ext in ("1001", "1002", "1003"):
        b(**call("ringing", "C", extension=ext, callerNumber=CUSTOMER, calledNumber=DID))
    b(**call("answered", "C", extension="1003", callerNumber=CUSTOMER, calledNumber=DID))
    assert [b.state(e) for e in ("1001", "1002", "1003")] == [
        Presence.FREE, Presence.FREE, Presence.IN_CALL]
    b(**call("hold", "C"))
    assert b.state("1003") is Presence.ON_HOLD
    b(**call("hangup", "C"))
    assert b.state("1003") is Presence.FREE


def test_dialling_out_is_in_a_call_not_ringing() -> None:
    b = Board()
    b(**call("ringing", "P", extension="1001", callerNumber="1001", calledNumber=CUSTOMER))
    view = b.view("1001")
    assert view.presence is Presence.IN_CALL
    assert (view.outgoing, view.other_number) == (True, CUSTOMER)


def test_a_colleague_calling_another_is_busy_with_their_name() -> None:
    b = Board()
    b(**call("ringing", "I", extension="1003", callerNumber="1001", calledNumber="1003"))
    assert b.state("1003") is Presence.RINGING
    assert b.view("1003").other_name == "Ayşe Demir"
    caller = b.view("1001")
    assert (caller.presence, caller.other_name, caller.outgoing) == (
        Presence.IN_CALL, "Zeynep Çelik", True)
    b(**call("answered", "I", extension="1003", callerNumber="1001", calledNumber="1003"))
    assert (b.state("1001"), b.state("1003")) == (Presence.IN_CALL, Presence.IN_CALL)
    b(**call("hangup", "I"))
    assert (b.state("1001"), b.state("1003")) == (Presence.FREE, Presence.FREE)


def test_without_ringing_events_the_answer_shows_the_call() -> None:
    b = Board()
    b(**call("answered", "B", extension="1002", callerNumber=CUSTOMER, calledNumber="1002"))
    assert b.state("1002") is Presence.IN_CALL
    b(**call("hangup", "B", extension="1002", callerNumber=CUSTOMER, calledNumber="1002"))
    assert b.state("1002") is Presence.FREE


def test_registration_and_no_news() -> None:
    b = Board()
    assert b.state("1003") is Presence.UNKNOWN  # KobiPBX sends no snapshot
    b(event="extension-registration", extension="1003", registered=False,
      statusText="Unregistered", domainUuid="d")
    assert b.state("1003") is Presence.OFFLINE
    assert b.view("1003").registered is False
    b(event="extension-registration", extension="1003", registered="true", domainUuid="d")
    assert b.state("1003") is Presence.FREE


def test_a_registration_of_an_unlisted_extension_adds_a_row() -> None:
    b = Board()
    b(event="extension-registration", extension="1099", registered=True)
    changes = b.board.take_changes()
    assert changes.structure
    assert [v.extension for v in b.board.colleagues] == ["1001", "1002", "1003", "1099"]


def test_tekil_status_codes() -> None:
    b = Board()
    cases = [("0", Presence.FREE), ("8", Presence.RINGING), ("1", Presence.IN_CALL),
             ("9", Presence.IN_CALL), ("16", Presence.ON_HOLD), ("17", Presence.ON_HOLD),
             ("2", Presence.IN_CALL), ("4", Presence.OFFLINE), ("-1", Presence.NOT_FOUND)]
    for code, presence in cases:
        b.at(1)(type="ExtensionStatus", extension="1002", status=code)
        assert b.state("1002") is presence, code
    b(type="ExtensionStatus", extension="1002", status="1")
    assert b.view("1002").status_text == "Kullanımda"
    assert b.view("1002").since == b.clock.now  # in use since the status said so


def test_tekil_status_wins_over_a_stale_leg() -> None:
    b = Board()
    b(**call("answered", "1520317155.59", extension="1002", callerNumber=CUSTOMER))
    b(type="ExtensionStatus", extension="1002", status="1")
    assert b.view("1002").other_number == CUSTOMER
    b(type="ExtensionStatus", extension="1002", status="0")  # the hangup was lost
    view = b.view("1002")
    assert (view.presence, view.other_number, view.since) == (Presence.FREE, "", None)


def test_an_unknown_extension_not_found_adds_nothing() -> None:
    b = Board()
    b(type="ExtensionStatus", extension="7777", status="-1")
    assert b.board.colleague("7777") is None


def test_legs_nobody_ended_are_dropped_after_their_limits() -> None:
    b = Board()
    b(**call("ringing", "R", extension="1001", callerNumber=CUSTOMER))
    b(**call("answered", "U", extension="1002", callerNumber=CUSTOMER))
    b.at(RING_LIMIT + 1)
    assert (b.state("1001"), b.state("1002")) == (Presence.FREE, Presence.IN_CALL)
    b.at(CALL_LIMIT)
    assert b.state("1002") is Presence.FREE


def test_names_of_other_parties_come_from_the_directory_once() -> None:
    asked: list[str] = []

    def name_for(number: str) -> str | None:
        asked.append(number)
        if number == "02163347190":
            raise OSError("the directory is gone")
        return "Yıldız Lojistik" if number == CUSTOMER else None

    b = Board(name_for=name_for)
    b(**call("ringing", "A", extension="1001", callerNumber=CUSTOMER))
    b(**call("ringing", "B", extension="1002", callerNumber=CUSTOMER))
    b(**call("ringing", "C", extension="1003", callerNumber="02163347190"))
    assert b.view("1001").other_name == b.view("1002").other_name == "Yıldız Lojistik"
    assert b.view("1003").other_name == ""  # a failing directory is no crash
    assert asked.count(CUSTOMER) == 1


def test_take_changes_names_only_the_rows_that_changed() -> None:
    b = Board()
    b(event="extension-registration", extension="1002", registered=True)
    b(event="extension-registration", extension="1003", registered=False)
    changes = b.board.take_changes()
    assert (changes.structure, changes.colleagues) == (False, (1, 2))
    b(event="extension-registration", extension="1003", registered=False)  # no change
    assert b.board.take_changes().empty


# ---------------------------------------------------------------- agents


def test_agents_by_uuid_extension_or_fusionpbx_name() -> None:
    b = Board()
    b(event="agent-status-change", agent=AGENT_UUID["1001"], agentName="1001",
      status="On Break", queue="60000@" + DOMAIN, queueExtension="60000")
    b(event="agent-state-change", agent="1002@" + DOMAIN, state="Waiting")
    b(event="agent-offering", agent="1003", queue="DESTEK-KUYRUKQ")
    assert (b.view("1001").agent_status, b.view("1002").agent_state) == ("On Break", "Waiting")
    satis, destek = b.queue("60000"), b.queue("60001")
    assert [a.extension for a in satis.agents] == ["1001"]
    assert [a.extension for a in destek.agents] == ["1003"]
    assert b.view("1002").agent_status == "Available"  # from the extension list


def test_agent_events_before_the_team_list_bind_once_it_is_read() -> None:
    b = Board(load=False)
    b(event="agent-status-change", agent=AGENT_UUID["1002"], status="On Break")
    b.board.load(team())
    assert b.view("1002").agent_status == "On Break"


def test_ready_agents_are_available_and_waiting_or_free() -> None:
    b = Board()
    for ext in ("1001", "1002", "1003"):
        b(event="agent-status-change", agent=AGENT_UUID[ext], status="Available",
          queue="SATIS-KUYRUKQ")
    b(event="agent-state-change", agent=AGENT_UUID["1001"], state="In a queue call")
    b(event="agent-status-change", agent=AGENT_UUID["1003"], status="On Break")
    # 1002: no state heard; its line is free -> ready.
    assert [a.ready for a in b.queue("60000").agents] == [False, True, False]


# ---------------------------------------------------------------- queues


def test_queue_names_in_every_reading_find_the_same_queue() -> None:
    b = Board()
    for name in ("60000@" + DOMAIN, "SATIS-KUYRUKQ", "60000", "satis-kuyrukq",
                 "q-60000-uuid"):
        b(event="members-count", queue=name, count=2)
        b.board.take_changes()
        assert [q.extension for q in b.board.queues] == ["60000", "60001"], name
    b(event="members-count", queue="DESTEK-KUYRUKQ(60001)", count=1)
    b(event="members-count", queue="60005@" + DOMAIN, count=4)
    b.board.take_changes()
    assert [(q.extension, q.waiting) for q in b.board.queues] == [
        ("60000", 2), ("60001", 1), ("60005", 4)]


def test_waiting_callers_with_their_queue_and_abandoned_ones() -> None:
    b = Board()
    b(event="member-queue-start", memberUUID="m1", cidName=CUSTOMER, cidNumber=CUSTOMER,
      queue="60000@" + DOMAIN)
    b(event="members-count", queue="60000@" + DOMAIN, count=1)
    b.at(2)(event="member-queue-start", memberUUID="m2", cidName="Ali Veli",
            cidNumber="05449998877", queue="60000@" + DOMAIN)
    b(event="members-count", queue="60000@" + DOMAIN, count=2)
    queue = b.queue("60000")
    assert (queue.waiting, [c.number for c in queue.callers]) == (2, [CUSTOMER, "05449998877"])
    assert queue.callers[1].name == "Ali Veli"
    assert queue.longest_since == b.clock.now - 2
    b.at(40)(event="member-queue-end", memberUUID="m2", cidName="Ali Veli",
             cidNumber="05449998877", cause="Cancel", cancelReason="NONE",
             queue="60000@" + DOMAIN)
    b(event="members-count", queue="60000@" + DOMAIN, count=1)
    (gone,) = b.board.abandoned
    assert (gone.number, gone.name, gone.queue, gone.waited) == (
        "05449998877", "Ali Veli", "60000", 40)
    b(event="member-queue-end", memberUUID="m1", cidName=CUSTOMER, cause="Terminated")
    b(event="members-count", queue="60000@" + DOMAIN, count=0)
    assert b.queue("60000").callers == ()
    assert len(b.board.abandoned) == 1  # answered callers are not abandoned


def test_documented_member_events_find_their_queue_by_the_count_that_rises() -> None:
    b = Board()
    b(event="members-count", queue="SATIS-KUYRUKQ", count=0)
    b(event="member-queue-start", memberUUID="m1", cidName=CUSTOMER)
    b(event="members-count", queue="SATIS-KUYRUKQ", count=1)
    assert [c.number for c in b.queue("60000").callers] == [CUSTOMER]
    b(event="member-queue-end", memberUUID="m1", cidName=CUSTOMER, cause="Cancel")
    b(event="members-count", queue="SATIS-KUYRUKQ", count=0)
    assert b.board.abandoned[0].queue == "60000"


def test_a_member_whose_queue_never_shows_is_listed_under_no_queue() -> None:
    b = Board()
    b(event="member-queue-start", memberUUID="m1", cidName=CUSTOMER)
    b.at(PENDING_WINDOW + 1)
    b.board.take_changes()
    (caller,) = b.board.waiting
    assert (caller.number, caller.queue) == (CUSTOMER, "?")
    assert "?" not in b.board.my_queues(["1001"])


def test_the_count_is_the_truth_and_bridge_agent_start_says_whom() -> None:
    b = Board()
    for i, number in enumerate(("05320000001", "05320000002", "05320000003")):
        b.at(1)(event="member-queue-start", memberUUID=f"m{i}", cidName=number, queue="60000")
        b(event="members-count", queue="60000", count=i + 1)
    # An agent took the second (a priority caller): bridge-agent-start names the member.
    b(event="bridge-agent-start", agent=AGENT_UUID["1001"], agentUUID="leg", memberUUID="m1")
    b(event="members-count", queue="60000", count=2)
    assert [c.number for c in b.queue("60000").callers] == ["05320000001", "05320000003"]
    # Without a member id: the longest waiting is taken to be answered.
    b(event="members-count", queue="60000", count=1)
    assert [c.number for c in b.queue("60000").callers] == ["05320000003"]
    assert [c.number for c in b.board.waiting] == ["05320000003"]


def test_abandoned_callers_of_the_day() -> None:
    b = Board()
    for _ in range(2):
        b(event="member-queue-start", memberUUID="m", cidName="05449998877", queue="60001")
        b.at(10)(event="member-queue-end", memberUUID="m", cidName="05449998877",
                 cause="Cancel", queue="60001")
    (gone,) = b.board.abandoned
    assert (gone.times, gone.waited) == (2, 10)
    assert b.board.mark_called_back(gone.key)
    assert b.board.abandoned[0].called_back
    assert not b.board.mark_called_back(gone.key)
    b.at(86400)
    b.board.take_changes()
    assert b.board.abandoned == []  # a new day


def test_the_agents_queues_for_the_badge() -> None:
    b = Board()
    b(event="members-count", queue="60000", count=2)
    b(event="members-count", queue="60001", count=5)
    b.board.take_changes()
    assert b.board.waiting_for(["1001"]) == 7  # nothing known: every queue
    b(event="agent-offering", agent=AGENT_UUID["1001"], queue="60001")
    b.board.take_changes()
    assert b.board.my_queues(["1001"]) == ["60001"]
    assert b.board.waiting_for(["1001"]) == 5
    assert b.board.waiting_for(["1001"], ["SATIS-KUYRUKQ"]) == 2
    assert b.board.waiting_for(["1001"], ["60000", " destek-kuyrukq "]) == 7


def test_tekil_queue_members_by_configuration() -> None:
    b = Board(load=False)
    b.board.load(TeamDirectory((Colleague("110", "Ali"), Colleague("112", "Veli")),
                               (QueueInfo("10000", "Satış", members=("110", "112")),),
                               source="tekil"))
    b(type="ExtensionStatus", extension="110", status="0")
    b(type="ExtensionStatus", extension="112", status="1")
    queue = b.queue("10000")
    assert [(a.extension, a.status, a.ready) for a in queue.agents] == [
        ("110", "Boşta Hazır", True), ("112", "Kullanımda", False)]
    assert not queue.reported  # Tekil reports no waiting callers


def test_snapshot_is_plain_data() -> None:
    b = Board()
    b(**call("answered", "B", extension="1002", callerNumber=CUSTOMER))
    b.at(65)(event="member-queue-start", memberUUID="m", cidName=CUSTOMER, queue="60000")
    snap = b.board.snapshot()
    ext = {e["extension"]: e for e in snap["extensions"]}
    assert (ext["1002"]["state"], ext["1002"]["with"], ext["1002"]["seconds"]) == (
        "in-call", CUSTOMER, 65)
    assert ext["1001"]["state"] == "unknown"
    assert snap["queues"][0]["callers"] == [{"number": CUSTOMER, "name": None, "seconds": 0}]
    assert snap["source"] == "kobipbx"


def test_clear_forgets_everything() -> None:
    b = Board()
    b(**call("answered", "B", extension="1002", callerNumber=CUSTOMER))
    b.board.clear()
    assert b.board.take_changes().structure
    assert b.board.colleagues == []


# ---------------------------------------------------------------- anything goes

_EVENTS = st.sampled_from(["ringing", "answered", "hangup", "destroy", "hold", "unhold"])
_EXTS = st.sampled_from(["1001", "1002", "1003", "60000", "", CUSTOMER])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_EVENTS, st.sampled_from(["a", "b", "c"]), _EXTS, _EXTS,
                          _EXTS), max_size=40))
def test_any_call_sequence_ends_free_once_every_leg_hung_up(
        steps: list[tuple[str, str, str, str, str]]) -> None:
    b = Board()
    for name, call_id, ext, caller, called in steps:
        b(**call(name, call_id, extension=ext, callerNumber=caller, calledNumber=called))
        b.board.take_changes()
    for call_id in ("a", "b", "c"):
        b(**call("hangup", call_id))
    assert {b.state(e) for e in ("1001", "1002", "1003")} <= {Presence.FREE, Presence.UNKNOWN}
