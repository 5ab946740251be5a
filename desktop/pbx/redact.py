"""Keeping secrets and phone numbers out of messages and logs.

The ``pbx`` layer cannot use the core's log filter (layers point one way),
so the few places that put server-supplied text into an exception, a state
reason or a WARNING line pass it through these two functions first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LONG_DIGITS = re.compile(r"\d{5,}")


def mask_digits(text: str) -> str:
    """Hide the middle of long digit runs (phone numbers): ``05321234567`` -> ``05•••••••67``."""
    return _LONG_DIGITS.sub(
        lambda m: m.group()[:2] + "•" * (len(m.group()) - 4) + m.group()[-2:], text)


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of a secret (4 characters or more) with ``<secret>``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "<secret>")
    return text


def snippet(text: str, secrets: Iterable[str | None] = (), limit: int = 120) -> str:
    """A short, single-line, scrubbed and masked sample of a server answer."""
    flat = " ".join(text.split())
    flat = mask_digits(scrub(flat, secrets))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
