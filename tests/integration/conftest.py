"""Fixtures for channel tests over real loopback sockets."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from desktop.pbx.backoff import BackoffSettings
from desktop.pbx.channels import ChannelTiming
from tests.helpers.fakepbx import ChannelProbe

#: Fast retries so that reconnect tests take milliseconds, not seconds.
FAST_BACKOFF = BackoffSettings(first=0.05, factor=2.0, cap=0.2, jitter=0.5)
#: A rejected login still waits long: tests must see it not retry.
SLOW_AUTH = BackoffSettings(first=60.0, factor=2.0, cap=300.0, jitter=0.2)


@pytest.fixture
def probe() -> ChannelProbe:
    return ChannelProbe()


@pytest.fixture
def timing() -> ChannelTiming:
    return ChannelTiming(connect_timeout=5.0, write_timeout=5.0, idle_timeout=None,
                         ping_interval=None, ping_timeout=None, watchdog_tick=0.1,
                         early_close_window=2.0, auth_reply_window=2.0)


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def server_cert(ca: trustme.CA) -> trustme.LeafCert:
    return ca.issue_cert("127.0.0.1", "localhost")


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


# The company-directory servers (a real slapd, a real aiohttp lookup endpoint).
from tests.helpers.directory_servers import lookup_server, slapd  # noqa: E402

__all__ = ["lookup_server", "slapd"]
