"""Recordings: the audio check, the cache (permissions, eviction) and the service.

The WAV49 files are real: GSM 6.10 in WAV, written by libsndfile (soundfile).
The service is tested against ``httpx.MockTransport`` here (one layer); the
simulator-backed download is in ``tests/integration/test_recordings.py``.
"""

from __future__ import annotations

import os
import random
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.core.journal import Journal, JournalCall
from desktop.core.recordings import (
    WAVE_FORMAT_GSM610,
    RecordingCache,
    RecordingError,
    RecordingService,
    inspect_audio,
)
from desktop.pbx.rest import TekilSession
from tests.helpers.audio import gsm_wav

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "sample-data" / \
    "sample-recording.WAV"


def test_gsm_wav_duration_from_its_header() -> None:
    data = gsm_wav(3.0)
    assert int.from_bytes(data[20:22], "little") == WAVE_FORMAT_GSM610
    info = inspect_audio(data)
    assert (info.container, info.codec, info.channels, info.sample_rate) == (
        "wav", "GSM 6.10 (WAV49)", 1, 8000)
    assert info.frames == 24_000
    assert info.duration == pytest.approx(3.0)


def test_the_simulators_sample_recording_is_wav49() -> None:
    info = inspect_audio(SAMPLE.read_bytes())
    assert info.codec == "GSM 6.10 (WAV49)"
    assert info.duration
    assert info.duration > 1


def test_a_file_cut_short_says_how_much_arrived() -> None:
    data = gsm_wav(10.0)
    with pytest.raises(RecordingError) as caught:
        inspect_audio(data[: len(data) // 2])
    assert caught.value.kind == "truncated"
    assert (caught.value.have, caught.value.want) == ("0:04", "0:10")
    assert "cut short" in str(caught.value)
    with pytest.raises(RecordingError) as header_only:
        inspect_audio(data[:40])
    assert header_only.value.kind == "truncated"


@pytest.mark.parametrize("body", [
    b"<html><body>Dosya bulunamad\xc4\xb1</body></html>",
    b'{"status":0,"message":"Yetkisiz"}',
    # Seeded, not os.urandom: a random body can start with a valid MPEG frame
    # header (a 1 in ~5,500 chance), and a test must not fail by luck.
    random.Random(2026).randbytes(2000),
    # MPEG frame sync followed by a reserved value: bitrate, version, layer, rate.
    b"\xff\xfb\xf0\x00" + bytes(400),
    b"\xff\xeb\x90\x00" + bytes(400),
    b"\xff\xf9\x90\x00" + bytes(400),
    b"\xff\xfb\x9c\x00" + bytes(400),
    b"",
    b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk",
])
def test_not_audio_is_refused_in_plain_words(body: bytes) -> None:
    with pytest.raises(RecordingError) as caught:
        inspect_audio(body)
    assert caught.value.kind in ("not_audio", "damaged", "truncated")


def test_other_containers_pass_with_unknown_duration() -> None:
    assert inspect_audio(b"\xff\xfb\x90\x64" + bytes(400)).container == "mp3"
    assert inspect_audio(b"ID3\x04\x00" + b"\x00" * 100).container == "mp3"
    assert inspect_audio(b"OggS" + b"\x00" * 100).duration is None


# ---------------------------------------------------------------- the cache


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_cache_files_are_private_and_named_by_hash(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path / "recordings", max_bytes=10_000_000)
    path = cache.store("../../etc/passwd", gsm_wav(1.0))
    assert path.parent == tmp_path / "recordings"
    assert ".." not in path.name
    assert "passwd" not in path.name
    assert path.suffix == ".wav"
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    assert cache.get("../../etc/passwd") == path
    assert cache.get("another") is None
    assert not list(path.parent.glob(".partial-*"))


def test_cache_evicts_the_least_recently_used(tmp_path: Path) -> None:
    one = gsm_wav(5.0)
    cache = RecordingCache(tmp_path, max_bytes=len(one) * 3 + 10)
    paths = {}
    for i, name in enumerate(["a", "b", "c"]):
        paths[name] = cache.store(name, one)
        os.utime(paths[name], (1000 + i, 1000 + i))
    assert cache.get("a") is not None  # "a" used again: now the freshest
    cache.store("d", one)
    assert cache.get("b") is None  # the least recently used went
    assert {p.name for p in cache.files()} == {paths["a"].name, paths["c"].name,
                                               cache.path_for("d").name}
    assert cache.size() <= cache.max_bytes
    # a file bigger than the cap is still kept while it is being played
    small = RecordingCache(tmp_path / "small", max_bytes=10)
    assert small.store("x", one).exists()


# ---------------------------------------------------------------- the service


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    j.record(JournalCall("1710091724.43696", direction="outbound", number_raw="05411234567",
                         ringing_at=100.0, outcome="answered",
                         recording="2024/03/10/out-05411234567-110-20240310-202844-"
                                   "1710091724.43696.WAV"))
    yield j
    j.close()


def _session(handler: object) -> TekilSession:
    transport = httpx.MockTransport(handler)  # type: ignore[arg-type]
    return TekilSession("a@b.example", "pw", base_url="https://panel.example",
                        client=httpx.AsyncClient(transport=transport), retry_delay=0)


def _login(request: httpx.Request) -> httpx.Response | None:
    if request.url.path == "/login":
        return httpx.Response(200, json={"status": 1, "token": "tok-123456"})
    return None


async def test_truncated_download_is_a_clear_error_and_not_cached(
        tmp_path: Path, journal: Journal) -> None:
    data = gsm_wav(6.0)

    def handler(request: httpx.Request) -> httpx.Response:
        return _login(request) or httpx.Response(200, content=data[: len(data) // 3])

    session = _session(handler)
    cache = RecordingCache(tmp_path / "rec")
    service = RecordingService(journal, cache, downloader=lambda: session)
    with pytest.raises(RecordingError) as caught:
        await service.fetch("1710091724.43696")
    assert caught.value.kind == "truncated"
    assert caught.value.want == "0:06"
    assert cache.files() == []
    await session.aclose()


async def test_a_page_instead_of_audio_is_a_clear_error(tmp_path: Path,
                                                       journal: Journal) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _login(request) or httpx.Response(
            200, text="<br /><b>Warning</b>: file not found", headers={
                "content-type": "text/html"})

    session = _session(handler)
    service = RecordingService(journal, RecordingCache(tmp_path / "rec"),
                               downloader=lambda: session)
    with pytest.raises(RecordingError) as caught:
        await service.fetch("1710091724.43696")
    assert caught.value.kind == "not_audio"
    await session.aclose()


async def test_download_once_then_from_the_cache(tmp_path: Path, journal: Journal) -> None:
    data = gsm_wav(2.0)
    downloads: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        found = _login(request)
        if found is not None:
            return found
        downloads.append(request.url)
        return httpx.Response(200, content=data,
                              headers={"content-type": "application/octet-stream"})

    session = _session(handler)
    seen: list[tuple[int, int | None]] = []
    service = RecordingService(journal, RecordingCache(tmp_path / "rec"),
                               downloader=lambda: session)
    first = await service.fetch("1710091724.43696", lambda n, total: seen.append((n, total)))
    assert not first.from_cache
    assert first.path.read_bytes() == data
    assert first.info.duration == pytest.approx(2.0)
    assert seen[-1] == (len(data), len(data))
    second = await service.fetch("1710091724.43696")
    assert second.from_cache
    assert second.path == first.path
    assert len(downloads) == 1
    # the documented URL shape: raw "/" in i, the token in a
    raw = downloads[0].raw_path.decode()
    assert raw.startswith("/downloadRecording?name=")
    assert "&i=2024/03/10/out-05411234567-110-20240310-202844-1710091724.43696.WAV" in raw
    assert raw.endswith("&a=tok-123456")
    await session.aclose()


async def test_no_recording_known_anywhere(tmp_path: Path, journal: Journal) -> None:
    journal.record(JournalCall("m1", number_raw="05321234567", ringing_at=5.0,
                               outcome="missed"))
    service = RecordingService(journal, RecordingCache(tmp_path), downloader=lambda: None)
    with pytest.raises(RecordingError) as caught:
        await service.fetch("m1")
    assert caught.value.kind == "no_recording"
    with pytest.raises(RecordingError) as unknown:
        await service.fetch("nope")
    assert unknown.value.kind == "unknown_call"
