"""The pure parts of the event channels: login messages, parsing, wording."""

from __future__ import annotations

import errno
import json
import socket
import ssl

import pytest
from websockets.exceptions import ConnectionClosedError, ConnectionClosedOK
from websockets.frames import Close

from desktop.pbx.channels import (
    BulutTcpChannel,
    BulutWebSocketChannel,
    ChannelTiming,
    Credentials,
    TekilTcpChannel,
    TekilWebSocketChannel,
    check_credentials,
    describe_close,
    describe_error,
    events_from_text,
    events_from_value,
    keepalive_reply,
    login_message,
    open_channel,
)
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.errors import AuthError, NetworkError
from desktop.pbx.events import (
    ExtensionStatusEvent,
    KeepAliveEvent,
    ReplyEvent,
    RingingEvent,
    UnknownEvent,
)
from desktop.pbx.framing import FrameTooLargeError
from desktop.pbx.redact import mask_digits, snippet

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
KEY = "demo-api-key-123"


def ignore(_: object) -> None:
    pass


# ---------------------------------------------------------------- login messages


def test_documented_login_messages() -> None:
    creds = Credentials(domain_uuid=DOMAIN, api_key=KEY, crm_id="crm-7")
    assert login_message(Flavor.BULUT, Transport.TCP, creds) == \
        {"type": "handshake", "domainUuid": DOMAIN}
    assert login_message(Flavor.BULUT, Transport.WS, creds) == \
        {"type": "kobipbx_tenant", "domainUuid": DOMAIN}
    assert login_message(Flavor.TEKIL, Transport.TCP, creds) == {"cmd": "login", "apikey": KEY}
    assert login_message(Flavor.TEKIL, Transport.WS, creds) == \
        {"command": "login", "password": KEY, "crm_id": "crm-7"}


def test_tekil_ws_prefers_the_token_when_given() -> None:
    creds = Credentials(api_key=KEY, token="jwt.jwt.jwt", crm_id="c")
    assert login_message(Flavor.TEKIL, Transport.WS, creds) == \
        {"command": "login", "token": "jwt.jwt.jwt", "crm_id": "c"}
    assert login_message(Flavor.TEKIL, Transport.WS, Credentials(api_key=KEY), token="t2")[
        "token"] == "t2"


@pytest.mark.parametrize(("flavor", "transport", "creds", "needs"), [
    (Flavor.BULUT, Transport.TCP, Credentials(api_key=KEY), "domain UUID"),
    (Flavor.BULUT, Transport.WS, Credentials(), "domain UUID"),
    (Flavor.TEKIL, Transport.TCP, Credentials(domain_uuid=DOMAIN), "API key"),
    (Flavor.TEKIL, Transport.WS, Credentials(domain_uuid=DOMAIN), "API key or a token"),
])
def test_missing_credentials_are_refused_up_front(
        flavor: Flavor, transport: Transport, creds: Credentials, needs: str) -> None:
    with pytest.raises(ValueError, match=needs):
        check_credentials(flavor, transport, creds)
    with pytest.raises(ValueError, match=needs):
        open_channel(flavor, transport, None, creds, on_event=ignore, on_state=ignore)


def test_credentials_never_show_their_secrets() -> None:
    creds = Credentials(domain_uuid=DOMAIN, api_key=KEY, token="eyJsecret.tok.en")
    for text in (repr(creds), str(creds), f"{creds}"):
        assert DOMAIN not in text
        assert KEY not in text
        assert "eyJsecret" not in text
    assert "api_key" in repr(creds)  # but it says which ones are set


def test_factory_picks_the_class_and_the_documented_endpoint() -> None:
    creds = Credentials(domain_uuid=DOMAIN, api_key=KEY)
    expected = {
        (Flavor.BULUT, Transport.TCP): (BulutTcpChannel, "185.86.152.197:8990"),
        (Flavor.BULUT, Transport.WS): (BulutWebSocketChannel, "wss.kobipbx.com:443 (TLS)"),
        (Flavor.TEKIL, Transport.TCP): (TekilTcpChannel, "93.186.116.95:57000"),
        (Flavor.TEKIL, Transport.WS): (TekilWebSocketChannel, "api.kobikom.com.tr:8098 (TLS)"),
    }
    for (flavor, transport), (cls, where) in expected.items():
        channel = open_channel(flavor, transport, None, creds, on_event=ignore, on_state=ignore)
        assert type(channel) is cls
        assert channel.endpoint.describe() == where
        assert channel.state.phase is Phase.DISCONNECTED
        assert KEY not in repr(channel)
        assert DOMAIN not in repr(channel)


def test_websocket_channels_do_not_use_the_tcp_idle_timer() -> None:
    creds = Credentials(domain_uuid=DOMAIN)
    ws = open_channel(Flavor.BULUT, Transport.WS, Endpoint("127.0.0.1", 1), creds,
                      on_event=ignore, on_state=ignore, timing=ChannelTiming(idle_timeout=5))
    tcp = open_channel(Flavor.BULUT, Transport.TCP, Endpoint("127.0.0.1", 1), creds,
                       on_event=ignore, on_state=ignore, timing=ChannelTiming(idle_timeout=5))
    assert ws.timing.idle_timeout is None
    assert tcp.timing.idle_timeout == 5


# ---------------------------------------------------------------- parsing


def test_a_top_level_array_is_a_batch_of_events() -> None:
    batch = [{"event": "ringing", "callUUID": "c1", "callerNumber": "05321234567"},
             {"type": "ExtensionStatus", "extension": "1001", "status": "8"}]
    events = events_from_value(batch, 1.0)
    assert [type(e) for e in events] == [RingingEvent, ExtensionStatusEvent]
    assert events_from_text(json.dumps(batch), 1.0) == events


def test_websocket_text_variants() -> None:
    assert isinstance(events_from_text("ping", 0)[0], KeepAliveEvent)
    assert isinstance(events_from_text('{"type":"ping"}', 0)[0], KeepAliveEvent)
    assert isinstance(events_from_text("not json", 0)[0], UnknownEvent)
    reply = events_from_text('{"command":"login","status":"error","message":"bad key"}', 0)[0]
    assert isinstance(reply, ReplyEvent)
    assert reply.ok is False
    assert reply.message == "bad key"


def test_absurdly_nested_websocket_text_is_unknown_not_a_crash() -> None:
    deep = "[" * 200_000 + "]" * 200_000  # fits in 1 MiB; json.loads would recurse
    (event,) = events_from_text(deep, 0)
    assert isinstance(event, UnknownEvent)


def test_keepalive_replies_in_kind() -> None:
    def reply_to(text: str) -> object:
        event = events_from_text(text, 0)[0]
        assert isinstance(event, KeepAliveEvent)
        return keepalive_reply(event)

    assert reply_to("ping") == "pong"
    assert reply_to(" PING\n") == "pong"
    assert reply_to('{"type":"ping","id":7}') == {"type": "pong", "id": 7}
    assert reply_to('{"event":"ping"}') == {"event": "pong"}
    assert reply_to("pong") is None
    assert reply_to('{"type":"heartbeat"}') is None


# ---------------------------------------------------------------- wording


def reason(exc: BaseException) -> str:
    return describe_error(exc)[0]


def test_connection_failures_in_plain_english() -> None:
    assert reason(ConnectionRefusedError(errno.ECONNREFUSED, "x")) == "connection refused"
    assert reason(TimeoutError()) == "connection timed out"
    assert reason(ConnectionResetError(errno.ECONNRESET, "x")) == "connection reset by the server"
    assert reason(OSError(errno.ENETUNREACH, "Network is unreachable")) == "network unreachable"
    assert reason(socket.gaierror(-2, "Name or service not known")).startswith(
        "server name not found")
    assert reason(FrameTooLargeError(2_000_000, 1 << 20)) == "frame larger than 1 MiB"
    assert reason(NetworkError("panelapi: cannot connect")) == "panelapi: cannot connect"
    assert describe_error(AuthError("login rejected by panelapi: bad password")) == \
        ("login rejected by panelapi: bad password", True)


def test_tls_failure_says_not_trusted() -> None:
    exc = ssl.SSLCertVerificationError(1, "certificate verify failed")
    exc.verify_message = "self-signed certificate"
    assert reason(exc) == "TLS certificate not trusted: self-signed certificate"


def test_close_codes() -> None:
    timing = ChannelTiming(ping_timeout=20)
    auth = ConnectionClosedError(Close(4001, "invalid tenant"), None, None)
    assert describe_close(auth, timing) == (
        "login rejected: the server closed the connection (code 4001: invalid tenant)", True)
    for code in (1008, 4003, 4401, 4403):
        assert describe_close(ConnectionClosedError(Close(code, ""), None, None), timing)[1]
    assert describe_close(ConnectionClosedOK(Close(1000, ""), None, None), timing) == \
        ("server closed the connection", False)
    ping = ConnectionClosedError(None, Close(1011, "keepalive ping timeout"), None)
    assert describe_close(ping, timing) == (
        "no answer to ping within 20 s (half-open connection?)", False)
    big = ConnectionClosedError(None, Close(1009, "over size limit"), None)
    assert describe_close(big, timing) == ("frame larger than 1 MiB", False)
    assert describe_close(ConnectionClosedError(None, None), timing) == ("connection lost", False)


def test_redaction_helpers() -> None:
    assert mask_digits("caller 05321234567 ext 1001") == "caller 05•••••••67 ext 1001"
    assert snippet("<html>\n  token abcd1234 \n</html>", ["abcd1234"]) == \
        "<html> token <secret> </html>"
    assert len(snippet("x" * 500)) == 120


async def test_a_command_failing_while_being_sent_may_have_reached_the_server() -> None:
    """Once the frame is handed to the transport a failed drain does not mean "not
    sent": callers must not send the same effect again another way."""
    from desktop.pbx.channels import Credentials, TekilWebSocketChannel
    from desktop.pbx.connection import ConnectionState, Endpoint, Phase
    from desktop.pbx.errors import ChannelError, NotConnectedError

    class FailingLink:
        def __init__(self) -> None:
            self.sent: list[dict] = []

        async def send(self, message: dict) -> None:
            self.sent.append(message)  # written...
            raise ConnectionResetError("reset while draining")  # ...then the drain failed

    channel = TekilWebSocketChannel(Endpoint("127.0.0.1", 9), Credentials(api_key="k"),
                                    on_event=lambda _e: None, on_state=lambda _s: None)
    link = FailingLink()
    channel._link = link  # type: ignore[assignment]
    channel.state = ConnectionState(Phase.CONNECTED)
    with pytest.raises(ChannelError, match="may have been sent") as caught:
        await channel.send_command({"command": "originate", "customer_num": "05321234567"})
    assert not isinstance(caught.value, NotConnectedError)
    assert caught.value.may_have_reached_server
    assert len(link.sent) == 1


def test_the_time_scale_knob_shrinks_only_the_waiting_timeouts() -> None:
    from desktop.pbx.channel_setup import TIME_SCALE_ENV, line_timing, time_scale

    assert time_scale({}) == 1.0
    assert time_scale({TIME_SCALE_ENV: "0.02"}) == 0.02
    for bad in ("0", "-1", "2", "nan", "inf", "fast"):
        assert time_scale({TIME_SCALE_ENV: bad}) == 1.0, bad
    fast = line_timing({TIME_SCALE_ENV: "0.02"})
    assert fast.idle_timeout == pytest.approx(1.8)
    assert fast.watchdog_tick == pytest.approx(0.2)
    assert fast.clock_jump == pytest.approx(0.3)
    assert fast.connect_timeout == ChannelTiming().connect_timeout  # real work stays real
    assert line_timing({}) == ChannelTiming()
    assert ChannelTiming().for_websocket().scaled(0.5).idle_timeout is None
