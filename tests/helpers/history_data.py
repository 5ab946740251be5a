"""A large, plausible Turkish call journal for tests and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator

from desktop.core.journal import Journal, JournalCall


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Ayşe Mehmet Ahmet Fatma Zeynep Mustafa Emine Ali Hatice Hüseyin İsmail İbrahim Elif "
    "Yusuf Murat Ömer Kemal Serkan Burak Gül Derya Selin Cem Can Tolga Özge Esra Merve Hakan "
    "Işıl Çağrı Şule Gökhan Ümit Oğuz Büşra")
LAST = _words(
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç "
    "Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Işık Erdoğan Güneş")
COMPANY = _words(
    "Lojistik Tekstil Gıda İnşaat Otomotiv Enerji Medikal Mimarlık Nakliyat Eczanesi Turizm "
    "Yazılım Sigorta Mobilya")
PREFIXES = ("0532", "0533", "0542", "0505", "0555", "0212", "0216", "0224", "0312")
#: Wall-clock end of the generated history (2026-11-27 18:00 local-ish).
END = 1_795_000_000.0


def numbers(count: int, rng: random.Random) -> list[str]:
    return [f"{rng.choice(PREFIXES)}{rng.randrange(1_000_000, 9_999_999)}" for _ in range(count)]


def generate(count: int, *, seed: int = 5, end: float = END,
             span_days: float = 365.0) -> Iterator[JournalCall]:
    """*count* calls over *span_days* before *end*, oldest first.

    About 60 % incoming (a fifth of them missed), 30 % outgoing, 10 % queue
    calls a colleague took; half the numbers have a contact name.
    """
    rng = random.Random(seed)
    pool = numbers(max(50, count // 20), rng)
    names = {n: (f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.35 else
                 f"{rng.choice(LAST)} {rng.choice(COMPANY)} A.Ş.") if rng.random() < 0.5
             else None for n in pool}
    step = span_days * 86400.0 / max(1, count)
    t = end - span_days * 86400.0
    for i in range(count):
        t += step * rng.uniform(0.2, 1.8)
        number = rng.choice(pool)
        roll = rng.random()
        ring = rng.uniform(2, 20)
        talk = rng.uniform(15, 600)
        if roll < 0.48:
            direction, outcome, answered = "inbound", "answered", t + ring
        elif roll < 0.60:
            direction, outcome, answered = "inbound", "missed", None
        elif roll < 0.70:
            direction, outcome, answered = "inbound", "answered_elsewhere", None
        elif roll < 0.97:
            direction = "outbound"
            outcome, answered = ("answered", t + ring) if rng.random() < 0.7 else (
                "not_answered", None)
        else:
            direction, outcome, answered = "local", "answered", t + ring
            number = str(rng.choice((1001, 1002, 1003)))
        ended = (answered + talk) if answered is not None else t + ring
        yield JournalCall(
            call_id=f"{int(t)}.{i}", extension="1001", direction=direction, number_raw=number,
            contact_name_at_time=names.get(number), ringing_at=t, answered_at=answered,
            ended_at=ended, outcome=outcome, source="live" if i % 3 else "cdr",
            recording=f"{i}.WAV" if answered is not None and i % 2 else None,
            queue="60000" if outcome == "answered_elsewhere" else None)


def fill(journal: Journal, count: int, *, seed: int = 5, batch: int = 20_000) -> int:
    """Write *count* generated calls (in batches); returns how many."""
    buffer: list[JournalCall] = []
    written = 0
    for call in generate(count, seed=seed):
        buffer.append(call)
        if len(buffer) >= batch:
            written += journal.record_many(buffer)
            buffer.clear()
    if buffer:
        written += journal.record_many(buffer)
    return written
