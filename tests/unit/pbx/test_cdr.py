"""Parsing Kobikom's call records: every documented quirk, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop.pbx.cdr import (
    Disposition,
    channel_extension,
    group_legs,
    is_synthetic,
    parse_disposition,
    parse_duration,
    parse_iso_time,
    parse_local_time,
    parse_tekil_cdr,
    parse_tekil_missed,
    parse_vcdrs_page,
)

# The collection's v0 sample (digest §4.1), numbers as published there.
V0 = [
    {"calldate": "2021-04-15 20:27:37", "src": "05151234567", "dst": "s", "queue": "ivr-4",
     "dstchannel": "", "duration": "00:00:08", "dispositionn": "ANSWERED",
     "disposition": "CEVAPLANDI", "recording": "", "uniqueid": "1628557667.76127"},
    {"calldate": "2021-04-15 17:58:03", "src": "05151234567", "dst": "140",
     "queue": "from-did-direct", "dstchannel": "118", "duration": "00:01:56",
     "dispositionn": "ANSWERED", "disposition": "CEVAPLANDI",
     "recording": "2021/04/15/exten-140-908504664250-20210415-175828-1618498682.76015.WAV",
     "uniqueid": "1618598682.76115"},
]


def test_turkish_local_time_is_utc_plus_3() -> None:
    ts = parse_local_time("2024-03-10 20:28:44")
    assert ts == datetime(2024, 3, 10, 17, 28, 44, tzinfo=UTC).timestamp()
    assert parse_local_time("10.03.2024 20:28") is None
    assert parse_local_time(None) is None


def test_iso_utc_times() -> None:
    expected = datetime(2024, 12, 5, 6, 7, 37, tzinfo=UTC).timestamp()
    assert parse_iso_time("2024-12-05T06:07:37.000000Z") == expected
    assert parse_iso_time("2024-12-05T09:07:37+03:00") == expected
    assert parse_iso_time("2024-12-05T06:07:37") == expected  # no offset: UTC
    assert parse_iso_time("2024-12-05T06:07:37.123456789Z") == pytest.approx(expected + 0.123456)
    assert parse_iso_time("") is None
    assert parse_iso_time("yesterday") is None


@pytest.mark.parametrize(("text", "seconds"), [
    ("00:05:06", 306), ("0:01:51", 111), ("1:00:00", 3600), ("02:40", 160), ("17", 17),
    (25, 25), (3.6, 4), ("", None), ("abc", None), (None, None), (True, None),
])
def test_durations(text: object, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("values", "expected"), [
    (("ANSWERED", "CEVAPLANDI"), Disposition.ANSWERED),
    (("NO ANSWER", "CEVAPSIZ"), Disposition.NO_ANSWER),
    ((None, "MEŞGUL"), Disposition.BUSY),
    ((None, "meşgul"), Disposition.BUSY),
    ((None, "HATALI"), Disposition.FAILED),
    (("NO_ANSWER",), Disposition.NO_ANSWER),
    (("USER_BUSY",), Disposition.BUSY),
    (("???", "CEVAPSIZ"), Disposition.NO_ANSWER),
    (("CONGESTED?",), Disposition.UNKNOWN),
])
def test_dispositions_in_both_spellings(values: tuple[object, ...],
                                        expected: Disposition) -> None:
    assert parse_disposition(*values) is expected


@pytest.mark.parametrize(("channel", "extension"), [
    ("SIP/110-0000923e", "110"), ("Local/110@from-queue-00000c32;1", "110"), ("118", "118"),
    ("SIP/kobikom-00009241", "kobikom"), ("", None),
])
def test_dstchannel_names_the_extension(channel: str, extension: str | None) -> None:
    assert channel_extension(channel) == extension


def test_v0_rows_with_lower_case_uniqueid() -> None:
    parsed = parse_tekil_cdr(V0)
    assert parsed.skipped == 0
    ivr, direct = parsed.items
    assert ivr.call_id == "1628557667.76127"
    assert not ivr.synthetic
    assert ivr.dst == "s"
    assert ivr.context == "ivr-4"
    assert ivr.recording is None
    assert direct.call_id == "1618598682.76115"
    assert direct.duration == 116
    assert direct.channel_extension == "118"
    assert direct.disposition is Disposition.ANSWERED
    assert direct.recording
    assert direct.recording.startswith("2021/04/15/exten-140")


def test_v1_rows_share_ids_and_empty_ids_get_stable_synthetic_ones() -> None:
    rows = [
        {"calldate": "2024-03-14 17:52:01", "src": "05350000018", "dst": "104",
         "queue": "from-internal", "dstchannel": "SIP/104-00009adc", "duration": "00:00:02",
         "dispositionn": "NO ANSWER", "disposition": "CEVAPSIZ", "recording": "",
         "uniqueId": "1710427911.49480"},
        {"calldate": "2024-03-14 17:52:00", "src": "05350000018", "dst": "100",
         "queue": "from-internal", "dstchannel": "SIP/100-00009adb", "duration": "00:00:01",
         "dispositionn": "BUSY", "disposition": "MEŞGUL", "recording": "",
         "uniqueId": "1710427911.49480"},
        {"calldate": "2024-03-10 12:28:37", "src": "05430000085", "dst": "s", "queue": "ivr-18",
         "dstchannel": "", "duration": "00:00:25", "dispositionn": "ANSWERED",
         "disposition": "CEVAPLANDI", "recording": "", "uniqueId": ""},
    ]
    first = parse_tekil_cdr(rows)
    again = parse_tekil_cdr([dict(r) for r in rows])
    groups = group_legs(first.items)
    assert list(groups) == ["1710427911.49480", first.items[2].call_id]
    assert [leg.dst for leg in groups["1710427911.49480"]] == ["100", "104"]  # oldest first
    assert first.items[1].disposition is Disposition.BUSY
    ivr = first.items[2]
    assert ivr.synthetic
    assert is_synthetic(ivr.call_id)
    assert ivr.call_id == again.items[2].call_id  # re-fetch: same id
    other = parse_tekil_cdr([{**rows[2], "calldate": "2024-03-10 12:28:38"}]).items[0]
    assert other.call_id != ivr.call_id


def test_get_cdr_from_unique_id_v0_has_no_id_field() -> None:
    body = [{"calldate": "2021-04-16 17:08:54", "src": "101000", "dst": "02245320444",
             "queue": "from-internal", "dstchannel": "128", "duration": "00:00:03",
             "dispositionn": "NO ANSWER", "disposition": "CEVAPSIZ",
             "recording": "2021/04/16/exten-128-151-20191014-170854-1571062134.735.WAV"}]
    (leg,) = parse_tekil_cdr(body, default_id="1571062134.735").items
    assert leg.call_id == "1571062134.735"
    assert not leg.synthetic


def test_bad_rows_are_skipped_not_fatal() -> None:
    parsed = parse_tekil_cdr([*V0, "garbage", {"calldate": "yok"}, {"src": "1"}])
    assert len(parsed.items) == 2
    assert parsed.skipped == 3
    assert parse_tekil_cdr({"data": V0}).items == parsed.items
    with pytest.raises(ValueError):
        parse_tekil_cdr({"status": 0, "message": "hata"})


def test_missed_calls_have_synthetic_stable_ids() -> None:
    body = [{"calldate": "2021-04-15 20:27:37", "src": "05151234567", "queue": "10000",
             "duration": "00:00:08"},
            {"calldate": "2021-04-15 18:07:54", "src": "05158904567", "queue": "10005",
             "duration": "00:00:07"}]
    first = parse_tekil_missed(body).items
    assert [m.queue for m in first] == ["10000", "10005"]
    assert first[0].duration == 8
    assert all(is_synthetic(m.call_id) for m in first)
    assert [m.call_id for m in parse_tekil_missed(body).items] == [m.call_id for m in first]
    assert first[0].call_id != first[1].call_id


def test_vcdrs_page_with_documented_fields() -> None:
    body = {
        "current_page": 1,
        "data": [{
            "uuid": "3742f484-13ac-4386-9c22-f3832e93657f",
            "start_stamp": "2024-12-05T06:07:37.000000Z",
            "caller_number": "05460000007", "caller_destination": "902245320088",
            "responder": "902245320088", "last_entry_destination": "/var/www/x.al",
            "digits_dialed": "30778285774210519881", "ivr_duration": "0:00:00",
            "queue_duration": "0:01:51", "waiting_time": "00:00:00", "talk_time": "00:01:51",
            "total_call_time": "0:01:51", "direction": "inbound",
            "hangup_cause": "NORMAL_CLEARING", "call_status": None, "recording": None,
            "missed_call": False, "last_app": "playback"},
            {"uuid": "x", "start_stamp": None}],
        "summary": {"total": 15},
        "pagination": {"current_page": 1, "last_page": 173, "per_page": 15, "total": 2591,
                       "links": {"first": "…?page=1", "last": "…?page=173", "prev": None,
                                 "next": "…?page=2"}},
    }
    page = parse_vcdrs_page(body)
    assert (page.page, page.last_page, page.total, page.has_next, page.skipped) == (
        1, 173, 2591, True, 1)
    (record,) = page.records
    assert record.call_id == "3742f484-13ac-4386-9c22-f3832e93657f"
    assert record.talk_seconds == 111
    assert record.total_seconds == 111
    assert record.recording is None
    assert record.missed is False
    assert record.answered
    last = parse_vcdrs_page({**body, "pagination": {**body["pagination"], "current_page": 173}})
    assert not last.has_next
    flat = parse_vcdrs_page({"current_page": 2, "last_page": 2, "data": body["data"][:1]})
    assert flat.page == 2
    assert not flat.has_next
    with pytest.raises(ValueError):
        parse_vcdrs_page(["not", "a", "page"])
