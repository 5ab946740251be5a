"""Realistic, reproducible Turkish contacts for soak tests and benchmarks.

Names and companies are common Turkish ones (with ``ı İ ş ğ ü ö ç``);
numbers are valid for libphonenumber: mobiles with real operator prefixes
and landlines of real area codes, written the ways people type them.
:func:`fake_contacts` returns the drafts for ``Directory.add_many`` and the
customers' numbers as digit strings (what the PBX sends as ``callerNumber``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from desktop.core.directory import ContactDraft, ContactNumber


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Ayşe Mehmet Ahmet Fatma Zeynep Mustafa Emine Ali Hatice Hüseyin İsmail İbrahim Elif "
    "Yusuf Murat Ömer Kemal Serkan Burak Gül Derya Selin Cem Can Tolga Özge Esra Merve Hakan "
    "Volkan Işıl Çağrı Şule Gökhan Ümit Oğuz Büşra Sevgi Barış Gizem Onur Ebru Caner Nur"
)
LAST = _words(
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç "
    "Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Işık Erdoğan Güneş Aksoy Acar Tekin "
    "Bulut Güler Erdem Yalçın Kaplan Önal Taş Sarı Uçar Aktaş Karaca Yavuz Çakır"
)
SECTOR = _words(
    "Lojistik Tekstil Gıda İnşaat Otomotiv Enerji Medikal Mimarlık Nakliyat Eczanesi Turizm "
    "Yazılım Sigorta Mobilya Kırtasiye Optik Makina Elektrik Reklam Tarım"
)
SUFFIX = ("A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş.", "", "Hizmetleri")
MOBILE = ("0530", "0532", "0533", "0535", "0536", "0542", "0543", "0544", "0505", "0506",
          "0507", "0551", "0552", "0555")
LANDLINE = ("0212", "0216", "0224", "0312", "0232")


def _typed(digits: str, rng: random.Random) -> str:
    """*digits* (``05321234567``) the way a person or a CSV export writes it."""
    body = digits[1:]
    form = rng.randrange(4)
    if form == 0:
        return f"{digits[:4]} {digits[4:7]} {digits[7:9]} {digits[9:]}"
    if form == 1:
        return f"+90 {body[:3]} {body[3:6]} {body[6:]}"
    if form == 2:
        return f"({digits[:4]}) {digits[4:7]} {digits[7:9]} {digits[9:]}"
    return digits


def numbers(rng: random.Random) -> Iterator[str]:
    """Distinct Turkish numbers as digits (``05xx…`` mobiles, some landlines)."""
    seen: set[str] = set()
    while True:
        if rng.random() < 0.8:
            digits = rng.choice(MOBILE) + f"{rng.randrange(10**7):07d}"
        else:
            digits = rng.choice(LANDLINE) + f"{rng.randrange(2 * 10**6, 10**7):07d}"
        if digits not in seen:
            seen.add(digits)
            yield digits


def fake_contacts(count: int, seed: int = 7) -> tuple[list[ContactDraft], list[str]]:
    """*count* contacts and the digits of every number they have."""
    rng = random.Random(seed)
    companies = [f"{rng.choice(LAST)} {rng.choice(SECTOR)} {rng.choice(SUFFIX)}".strip()
                 for _ in range(max(10, count // 30))]
    pool = numbers(rng)
    drafts: list[ContactDraft] = []
    all_numbers: list[str] = []
    for _ in range(count):
        mine = [next(pool) for _ in range(2 if rng.random() < 0.25 else 1)]
        all_numbers.extend(mine)
        drafts.append(ContactDraft(
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            company=rng.choice(companies) if rng.random() < 0.6 else "",
            numbers=tuple(ContactNumber.of(_typed(n, rng)) for n in mine),
            notes="VIP müşteri" if rng.random() < 0.05 else "",
        ))
    return drafts, all_numbers


def strangers(known: list[str], rng: random.Random) -> Iterator[str]:
    """Numbers that are in none of the contacts."""
    taken = set(known)
    for digits in numbers(rng):
        if digits not in taken:
            yield digits
