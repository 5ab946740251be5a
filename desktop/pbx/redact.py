"""Keeping secrets and phone numbers out of messages, logs and captures.

The ``pbx`` layer cannot use the core's log filter (layers point one way),
so the few places that put server-supplied text into an exception, a state
reason or a WARNING line pass it through :func:`scrub` / :func:`snippet`
first.  :class:`FrameRedaction` does the same for the raw frames a capture
keeps (:mod:`desktop.pbx.capture`), without breaking their JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

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


# ---------------------------------------------------------------- raw frames (captures)
#
# A capture (desktop.pbx.capture) keeps the server's frames as received, so
# its redaction must leave valid JSON valid and change nothing else: known
# secrets and anything keyed like a secret become placeholders, and (when the
# agent did not choose to keep them) phone numbers lose their middle digits.

#: What a capture writes instead of the account's domain UUID.
DOMAIN_UUID: Final = "<domain-uuid>"
#: ... instead of a UUID-shaped domain that is not the account's.
OTHER_DOMAIN_UUID: Final = "<other-domain-uuid>"
SECRET: Final = "<secret>"
JWT: Final = "<jwt>"
#: The mask of a phone number's hidden digits inside a JSON string ...
MASK_IN_STRING: Final = "•"
#: ... and in a bare JSON number (anything else would break the JSON).
MASK_IN_NUMBER: Final = "0"
#: Digit runs this long (or longer) are phone numbers; extensions are shorter.
PHONE_MIN_DIGITS: Final = 7

_PLACEHOLDER = re.compile(r'"<[a-z-]+>"')
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._|\-~+/=]{8,}")
_JWT_SHAPE = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
# A JSON string never holds a raw newline, so a newline ends any string context.
_STRING = r'"(?:[^"\\\n]|\\.)*"'
_NUMBER = r"-?\d[\d.eE+\-]*"
_TOKEN = re.compile(
    rf'(?P<key>{_STRING})\s*:\s*(?P<value>{_STRING}|{_NUMBER})|(?P<string>{_STRING})')
_PHONE_RUN = re.compile(rf"(?<![0-9A-Za-z])(\+?)(\d{{{PHONE_MIN_DIGITS},}})(?![0-9A-Za-z])")
# Key names, lower-cased without "_" and "-".
_SECRET_KEY = re.compile(r"password|passwd|secret|token|apikey|jwt|authorization|userpass")
_DOMAIN_KEY = frozenset({"domain", "domainuuid", "domainid", "tenantuuid", "tenant"})
_NUMBER_KEY = re.compile(r"caller|called|callee|number|num$|phone|cid|ani$|dnis|dest|from$|"
                         r"to$|src|dst|did|msisdn")
_KEEP_DIGITS_KEY = re.compile(r"time|stamp|date|epoch|uuid|unique|id$|created|updated|"
                              r"duration|billsec|seconds|count|size|length|version|port")


@dataclass(frozen=True, slots=True)
class FrameRedaction:
    """What to hide in captured frames.

    ``secrets`` maps each known secret value (domain UUID, API key, token) to
    its placeholder; values shorter than 4 characters are ignored.  With
    ``mask_numbers`` digit runs of 7+ digits keep only their first and last
    two digits, except where the key says they are an id or a time.
    """

    secrets: Mapping[str, str] = field(default_factory=dict)
    mask_numbers: bool = True
    domain_uuid: str | None = None
    _pattern: re.Pattern[str] | None = field(init=False, default=None, repr=False)
    _lookup: dict[str, str] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for value, placeholder in self.secrets.items():
            if value and len(value) >= 4:
                lookup[value.lower()] = placeholder
                # PHP's json_encode writes "/" as "\/".
                lookup[value.replace("/", "\\/").lower()] = placeholder
                if _UUID.fullmatch(value):  # a UUID may also come without its hyphens
                    lookup[value.replace("-", "").lower()] = placeholder
        object.__setattr__(self, "_lookup", lookup)
        if lookup:
            alternatives = sorted(lookup, key=len, reverse=True)
            object.__setattr__(self, "_pattern", re.compile(
                "|".join(re.escape(s) for s in alternatives), re.IGNORECASE))

    def apply(self, text: str) -> str:
        """*text* (a frame, or a part of one that splits no token) made safe to keep."""
        text = self._known(text)
        out: list[str] = []
        pos = 0
        for m in _TOKEN.finditer(text):
            out.append(self._outside(text[pos:m.start()]))
            if m.group("string") is not None:
                out.append(self._digits(m.group("string"), in_string=True))
            else:
                out.append(text[m.start():m.start("value")])
                out.append(self._value(m.group("key"), m.group("value")))
            pos = m.end()
        out.append(self._outside(text[pos:]))
        return "".join(out)

    def apply_text(self, text: str) -> str:
        """Plain text (a close reason): the secrets and numbers rules, no JSON."""
        return self._digits(self._known(text), in_string=True)

    def _known(self, text: str) -> str:
        """The known secrets, bearer tokens and JWTs replaced."""
        if self._pattern is not None:
            lookup = self._lookup
            text = self._pattern.sub(lambda m: lookup[m.group().lower()], text)
        return _JWT_SHAPE.sub(JWT, _BEARER.sub(rf"\1{SECRET}", text))

    def _value(self, key_token: str, value: str) -> str:
        key = key_token[1:-1].lower().replace("_", "").replace("-", "")
        quoted = value.startswith('"')
        if _PLACEHOLDER.fullmatch(value):
            return value
        if _SECRET_KEY.search(key):
            return f'"{SECRET}"' if value != '""' else value
        if key in _DOMAIN_KEY and quoted and _UUID.fullmatch(value[1:-1]):
            same = self.domain_uuid and value[1:-1].lower() == self.domain_uuid.lower()
            return f'"{DOMAIN_UUID if same else OTHER_DOMAIN_UUID}"'
        if not _NUMBER_KEY.search(key) and _KEEP_DIGITS_KEY.search(key):
            return value
        return self._digits(value, in_string=quoted)

    def _outside(self, text: str) -> str:
        return self._digits(text, in_string=False) if text else text

    def _digits(self, text: str, *, in_string: bool) -> str:
        if not self.mask_numbers or len(text) < PHONE_MIN_DIGITS:
            return text
        mask = MASK_IN_STRING if in_string else MASK_IN_NUMBER
        out: list[str] = []
        pos = 0
        for uuid in _UUID.finditer(text):  # call ids are not phone numbers
            out.append(_mask_runs(text[pos:uuid.start()], mask))
            out.append(uuid.group())
            pos = uuid.end()
        out.append(_mask_runs(text[pos:], mask))
        return "".join(out)


def _mask_runs(text: str, mask: str) -> str:
    def repl(m: re.Match[str]) -> str:
        digits = m.group(2)
        return m.group(1) + digits[:2] + mask * (len(digits) - 4) + digits[-2:]

    return _PHONE_RUN.sub(repl, text)
