"""One ladder from an httpx failure to our error classes, for every REST client.

The only question that matters to the caller of an effectful request (a
click-to-call, an SMS) is whether the server may have acted:

* the connection was never made (connect timeout/refused, no free pool
  slot, bad URL, proxy refusal): :class:`NetworkError`, nothing was sent;
* the request went out and the answer was lost (read timeout, connection
  dropped, protocol error, write failure): :class:`AmbiguousError`;
* an answer came but cannot be decoded: :class:`ServerError` with
  ``may_have_reached_server``.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from desktop.pbx.errors import AmbiguousError, NetworkError, PbxError, ServerError
from desktop.pbx.redact import snippet

__all__ = ["describe", "request_error"]


def describe(exc: Exception, secrets: Iterable[str | None] = ()) -> str:
    """A short, secret-free description of *exc* (TLS trust failures named as such)."""
    text = str(exc) or type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text:
        text = "TLS certificate not trusted: " + text
    return snippet(text, secrets, limit=200)


def request_error(exc: httpx.RequestError, what: str,
                  secrets: Iterable[str | None] = ()) -> PbxError:
    """The error to raise for *exc*, raised while sending the request *what*."""
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return NetworkError(f"{what}: cannot connect (timed out)")
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(f"{what}: cannot connect ({describe(exc, secrets)})")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.ProxyError)):
        return NetworkError(f"{what}: {describe(exc, secrets)}")
    if isinstance(exc, httpx.ReadTimeout):
        return AmbiguousError(
            f"{what}: no answer in time (the request may have reached the server)")
    if isinstance(exc, httpx.DecodingError):
        return ServerError(f"{what}: unreadable answer ({describe(exc, secrets)})",
                           may_have_reached_server=True)
    # Write errors/timeouts, connection lost mid-answer, protocol errors, redirects.
    return AmbiguousError(
        f"{what}: connection lost ({describe(exc, secrets)}; the request may have reached "
        "the server)")
