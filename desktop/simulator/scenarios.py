"""Realistic call scripts, seed data and the demo loop.

The scripts drive :class:`~desktop.simulator.Simulator` through its public
API, so everything they do also shows up in the CDR store:

* :func:`answered_call`: rings, answered after a few seconds, talk, hang up;
* :func:`missed_call`: rings until the caller gives up;
* :func:`unknown_number`: an answered call from a number in no phonebook;
* :func:`queue_call`: offered to every agent of a queue (agent-offering and
  ringing on several extensions), answered by one; the others see it
  answered elsewhere;
* :func:`hold_call`: answered, put on hold, taken off hold, hung up;
* :func:`outbound_call`: the agent calls a customer (click to call);
* :func:`noise`: extension registration and agent status changes.

:func:`run_demo` loops over them forever with random pauses (demo mode).

Phone numbers are realistic Turkish numbers (valid for libphonenumber):
mobiles with real operator prefixes (0530-0539 Turkcell, 0541-0546 Vodafone,
0505-0507 and 0551-0555 Türk Telekom) and landlines of real area codes
(0212/0216 İstanbul, 0224 Bursa, 0312 Ankara, 0232 İzmir).  The seeded
phonebook's numbers are fixed, so tests can rely on them.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .records import make_record

if TYPE_CHECKING:
    from .simulator import Simulator

log = logging.getLogger("kobikom.simulator.scenarios")

MOBILE_PREFIXES = ("0530", "0532", "0533", "0535", "0536", "0538", "0539", "0541", "0542",
                   "0543", "0544", "0545", "0546", "0505", "0506", "0507", "0551", "0552",
                   "0553", "0554", "0555")
LANDLINE_PREFIXES = ("0212", "0216", "0224", "0312", "0232")

PHONEBOOK_GROUPS: tuple[dict[str, str], ...] = (
    {"id": "2601", "k_id": "512", "isim": "Müşteriler", "aciklama": ""},
    {"id": "2602", "k_id": "512", "isim": "Tedarikçiler", "aciklama": "Toptancı ve servisler"},
)

#: (firma, ad, soyad, telefon, eposta, tur, grup)
PHONEBOOK: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("Yıldız İnşaat", "Ahmet", "Yıldız", "05324118027", "ahmet@yildizinsaat.example", "2", "2601"),
    ("", "Elif", "Şahin", "05427730516", "", "1", "2601"),
    ("Öztürk Lojistik", "Mustafa", "Öztürk", "02163347190", "", "2", "2602"),
    ("", "Fatma", "Arslan", "05058862241", "fatma.arslan@posta.example", "1", "2601"),
    ("Doğan Gıda", "Emre", "Doğan", "02242219854", "", "2", "2602"),
    ("", "Selin", "Aydın", "05553026679", "", "3", "2601"),
    ("Koç Otomotiv Servis", "Burak", "Koç", "03124480312", "", "2", "2602"),
    ("", "Hülya", "Kurt", "05366604428", "", "1", "2601"),
)


def seed_phonebook() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    groups = [dict(g) for g in PHONEBOOK_GROUPS]
    keys = ("firma", "ad", "soyad", "telefon", "eposta", "tur", "grup")
    contacts = [{**dict(zip(keys, row, strict=True)), "diger": ""} for row in PHONEBOOK]
    return groups, contacts


def known_numbers(sim: Simulator | None = None) -> list[str]:
    """Numbers in the PBX phonebook, plus the config's ``known_callers``."""
    extra = list(sim.cfg.known_callers) if sim is not None else []
    return [row[3] for row in PHONEBOOK] + extra


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(1000000, 9999999)}"


def landline(rng: random.Random) -> str:
    return rng.choice(LANDLINE_PREFIXES) + f"{rng.randint(2000000, 9999999)}"


def stranger(rng: random.Random, sim: Simulator | None = None) -> str:
    """A number that is in no phonebook."""
    known = set(known_numbers(sim))
    while True:
        number = mobile(rng) if rng.random() < 0.7 else landline(rng)
        if number not in known:
            return number


def some_caller(rng: random.Random, sim: Simulator | None = None) -> str:
    return rng.choice(known_numbers(sim)) if rng.random() < 0.6 else stranger(rng, sim)


# ---------------------------------------------------------------- scripts

Script = Callable[["Simulator", str, random.Random], Awaitable[str | None]]


def _t(sim: Simulator, rng: random.Random, lo: float, hi: float) -> float:
    """A random duration in [lo, hi] seconds, scaled by ``scenario_speed``."""
    return sim.pace * rng.uniform(lo, hi)


async def answered_call(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    return await sim.ring(extension=extension, caller=some_caller(rng, sim),
                          answer_after=_t(sim, rng, 2, 5), hangup_after=_t(sim, rng, 8, 25))


async def known_caller_call(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    """A customer the agent's side knows (``known_callers`` first), answered soon."""
    pool = list(sim.cfg.known_callers) or known_numbers(sim)
    return await sim.ring(extension=extension, caller=rng.choice(pool),
                          answer_after=_t(sim, rng, 3, 5), hangup_after=_t(sim, rng, 12, 25))


async def missed_call(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    return await sim.ring(extension=extension, caller=some_caller(rng, sim),
                          hangup_after=_t(sim, rng, 6, 14))


async def unknown_number(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    return await sim.ring(extension=extension, caller=stranger(rng, sim),
                          answer_after=_t(sim, rng, 2, 6), hangup_after=_t(sim, rng, 10, 30))


async def queue_call(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    others = tuple(e for e in sim.cfg.extensions if e != extension)
    answerer = extension if rng.random() < 0.6 or not others else rng.choice(others)
    queue = rng.choice(sim.cfg.queues).extension if sim.cfg.queues else None
    return await sim.ring(extension=extension, caller=some_caller(rng, sim), queue=queue,
                          other_extensions=others, answered_by=answerer,
                          answer_after=_t(sim, rng, 3, 7), hangup_after=_t(sim, rng, 10, 30))


async def hold_call(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    return await sim.ring(extension=extension, caller=some_caller(rng, sim),
                          answer_after=_t(sim, rng, 2, 4),
                          hold_for=(_t(sim, rng, 3, 6), _t(sim, rng, 4, 6)),
                          hangup_after=_t(sim, rng, 16, 24))


async def outbound_call(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    return await sim.ring(extension=extension, called=rng.choice(known_numbers(sim)),
                          direction="outbound", answer_after=_t(sim, rng, 3, 8),
                          hangup_after=_t(sim, rng, 20, 60))


async def noise(sim: Simulator, extension: str, rng: random.Random) -> str | None:
    others = [e for e in sim.cfg.extensions if e != extension] or [extension]
    target = rng.choice(others)
    if rng.random() < 0.5:
        sim.switch.register(target, False)
        await asyncio.sleep(_t(sim, rng, 1, 3))
        sim.switch.register(target, True)
    else:
        sim.switch.set_agent_status(target, "On Break")
        await asyncio.sleep(_t(sim, rng, 2, 5))
        sim.switch.set_agent_status(target, "Available")
    return None


DEMO_SCRIPTS: tuple[tuple[Script, int], ...] = (
    (answered_call, 4), (missed_call, 2), (unknown_number, 2), (queue_call, 3),
    (hold_call, 1), (outbound_call, 1), (noise, 2),
)


async def run_demo(sim: Simulator, extension: str = "1001",
                   interval: tuple[float, float] = (8, 20),
                   first_after: float | None = None) -> None:
    """Varied calls to *extension* forever; cancel the task to stop.

    ``first_after`` (seconds) makes the first call come sooner, with a known
    caller answered after a few seconds, so a newcomer sees a popup at once.
    """
    rng = sim.rng
    scripts = [s for s, _ in DEMO_SCRIPTS]
    weights = [w for _, w in DEMO_SCRIPTS]
    first = first_after is not None
    while True:
        await asyncio.sleep(first_after if first and first_after is not None
                            else _t(sim, rng, *interval))
        script = known_caller_call if first else rng.choices(scripts, weights)[0]
        first = False
        log.info("demo: %s on %s", script.__name__, extension)
        call_id = await script(sim, extension, rng)
        if call_id is not None:
            await sim.wait_call_end(call_id)


# ---------------------------------------------------------------- history


def seed_history(sim: Simulator, count: int) -> None:
    """Append *count* plausible past calls (the last week, office hours) to the CDR."""
    rng = sim.rng
    cfg = sim.cfg
    now = time.time()
    records: list[dict[str, Any]] = []
    for _ in range(count):
        day = rng.randint(0, 6)
        start = now - day * 86400 - rng.uniform(3600, 9 * 3600)
        ext = rng.choice(cfg.extensions)
        ring = rng.uniform(2, 14)
        roll = rng.random()
        uid, unique_id = sim.switch.ids.uuid(), sim.switch.ids.unique_id(start)
        call_id = unique_id if cfg.flavor == "tekil" else uid
        common: dict[str, Any] = {"call_id": call_id, "uuid": uid, "unique_id": unique_id}
        if roll < 0.35:  # answered, direct
            answer = start + ring
            records.append(make_record(**common, kind="direct", direction="inbound",
                                       caller=some_caller(rng, sim), called=cfg.did_number,
                                       start=start, answer=answer,
                                       end=answer + rng.uniform(20, 400), extension=ext))
        elif roll < 0.55:  # missed
            records.append(make_record(**common, kind="direct", direction="inbound",
                                       caller=some_caller(rng, sim), called=cfg.did_number,
                                       start=start, end=start + ring, extension=ext))
        elif roll < 0.8 and cfg.queues:  # queue call, several legs
            answer = start + ring
            end = answer + rng.uniform(30, 300)
            legs = []
            for other in cfg.extensions:
                took = other == ext
                legs.append({"extension": other, "start": start,
                             "answer": answer if took else None,
                             "end": end if took else answer,
                             "disposition": "ANSWERED" if took else rng.choice(
                                 ["NO ANSWER", "BUSY"]),
                             "channel": sim.switch.ids.channel(other)})
            records.append(make_record(**common, kind="queue", direction="inbound",
                                       caller=some_caller(rng, sim), called=cfg.did_number,
                                       start=start, answer=answer, end=end, extension=ext,
                                       queue=rng.choice(cfg.queues).extension, legs=legs))
        else:  # outbound
            answer = start + ring
            records.append(make_record(**common, kind="outbound", direction="outbound",
                                       caller=ext, called=rng.choice(known_numbers(sim)),
                                       start=start, answer=answer,
                                       end=answer + rng.uniform(15, 240), extension=ext))
    records.sort(key=lambda r: r["end"])
    sim.cdr.extend(records)
