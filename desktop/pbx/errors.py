"""The exceptions of the ``pbx`` layer.

Every error the layer raises is a :class:`PbxError`, and its message names
the service, the request and what went wrong, in plain English, without
secrets.  ``may_have_reached_server`` is the one flag callers of effectful
requests (click-to-call, SMS) must look at: when it is True the server may
have acted, and the request must **not** be retried automatically.

::

    PbxError
    ├── AuthError          credentials or token rejected (never retried in a loop)
    ├── RequestError       the server refused this request (4xx other than 401)
    ├── ServerError        5xx, or an answer we cannot read (not JSON, wrong shape)
    ├── NetworkError       could not talk to the server (nothing was sent)
    │   └── AmbiguousError the request may have reached the server (timeout after
    │                      sending, connection lost mid-response)
    └── ChannelError       real-time event channel errors
        └── NotConnectedError  a command was not sent because we are not connected
"""

from __future__ import annotations


class PbxError(Exception):
    """Base of every error of the ``pbx`` layer."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        may_have_reached_server: bool = False,
        server_message: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        #: HTTP status, when there was a response.
        self.status = status
        #: True when the server may have acted on the request.
        self.may_have_reached_server = may_have_reached_server
        #: The server's own words (scrubbed, short), e.g. "Dahili bulunamadı"; "" if none.
        self.server_message = server_message


class AuthError(PbxError):
    """The server rejected our credentials (or our token even after a re-login)."""


class RequestError(PbxError):
    """The server refused this request (a 4xx other than 401, or a 3xx)."""


class ServerError(PbxError):
    """The server failed (5xx) or answered something we cannot read."""


class NetworkError(PbxError):
    """We could not talk to the server; the request was not sent."""


class AmbiguousError(NetworkError):
    """The request may have reached the server; do not retry effectful requests."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message, status=status, may_have_reached_server=True)


class ChannelError(PbxError):
    """An error of a real-time event channel."""


class NotConnectedError(ChannelError):
    """A command was not sent: the channel is not connected (nothing is queued)."""
