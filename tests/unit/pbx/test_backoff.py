"""The reconnect policy as pure functions: no sockets, no sleeps."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.pbx.backoff import (
    AUTH_BACKOFF,
    NETWORK_BACKOFF,
    Backoff,
    BackoffSettings,
    Outcome,
    ReconnectPolicy,
)
from desktop.pbx.connection import Phase

seeds = st.integers(min_value=0, max_value=2**32)


@given(seeds)
def test_first_retry_within_one_second(seed: int) -> None:
    assert 0 < Backoff(NETWORK_BACKOFF, rng=random.Random(seed)).next_delay() <= 1.0


@given(seeds, st.integers(min_value=1, max_value=200))
def test_delays_never_exceed_the_cap_and_reach_it(seed: int, n: int) -> None:
    backoff = Backoff(NETWORK_BACKOFF, rng=random.Random(seed))
    delays = [backoff.next_delay() for _ in range(n)]
    assert all(0 < d <= 30.0 for d in delays)
    if n >= 6:  # nominal 1, 2, 4, 8, 16, 30: from the 6th on it sits at the cap
        assert all(15.0 <= d <= 30.0 for d in delays[5:])


def test_nominal_schedule_doubles_up_to_the_cap() -> None:
    backoff = Backoff(NETWORK_BACKOFF, rng=random.Random(1))
    nominal = []
    for _ in range(8):
        nominal.append(backoff.nominal())
        backoff.next_delay()
    assert nominal == [1, 2, 4, 8, 16, 30, 30, 30]


def test_long_outage_does_not_overflow() -> None:
    backoff = Backoff(NETWORK_BACKOFF, rng=random.Random(1))
    backoff.failures = 10_000
    assert backoff.next_delay() <= 30.0


def test_jitter_spreads_clients_apart() -> None:
    """Many clients failing at once must not retry at the same instant."""
    delays = {round(Backoff(NETWORK_BACKOFF, rng=random.Random(i)).next_delay(), 3)
              for i in range(50)}
    assert len(delays) > 40
    assert min(delays) >= 0.5
    assert max(delays) <= 1.0


@given(seeds, st.integers(min_value=1, max_value=20))
def test_reset_brings_the_first_delay_back(seed: int, failures: int) -> None:
    backoff = Backoff(NETWORK_BACKOFF, rng=random.Random(seed))
    for _ in range(failures):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 1.0


@pytest.mark.parametrize("bad", [
    {"first": 0}, {"first": 5, "cap": 1}, {"factor": 0.5}, {"jitter": 1.5},
])
def test_nonsense_settings_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BackoffSettings(**bad)


# ---------------------------------------------------------------- the policy


def policy(seed: int = 0) -> ReconnectPolicy:
    return ReconnectPolicy(rng=random.Random(seed))


def test_policy_resets_after_a_good_connection() -> None:
    p = policy()
    for _ in range(6):
        p.after(Outcome.FAILED, "connection refused")
    assert p.network.nominal() == 30
    decision = p.after(Outcome.LOST, "server closed the connection", good=True)
    assert decision.phase is Phase.RECONNECTING
    assert decision.delay <= 1.0
    assert p.failed_attempts == 0


def test_policy_keeps_backing_off_after_short_connections() -> None:
    p = policy()
    delays = [p.after(Outcome.LOST, "server closed the connection").delay for _ in range(8)]
    assert delays[0] <= 1.0
    assert delays[-1] >= 15.0


def test_auth_rejection_waits_a_minute_then_up_to_five() -> None:
    p = policy()
    delays = []
    for _ in range(8):
        decision = p.after(Outcome.AUTH_REJECTED, "login rejected: invalid key")
        assert decision.phase is Phase.AUTH_FAILED
        assert decision.reason == "login rejected: invalid key"
        delays.append(decision.delay)
    assert all(48.0 <= d <= 300.0 for d in delays)  # 60 s nominal, 20 % jitter
    assert delays[0] <= 60.0
    assert delays[-1] >= 240.0


def test_three_silent_early_closes_in_a_row_mean_auth_failed() -> None:
    p = policy()
    first = p.after(Outcome.EARLY_CLOSE, "server closed the connection")
    second = p.after(Outcome.EARLY_CLOSE, "server closed the connection")
    third = p.after(Outcome.EARLY_CLOSE, "server closed the connection")
    assert [first.phase, second.phase] == [Phase.RECONNECTING, Phase.RECONNECTING]
    assert third.phase is Phase.AUTH_FAILED
    assert "3 times in a row" in third.reason
    assert third.delay >= 48.0
    # And it stays AUTH_FAILED on the next early close, without three more tries.
    assert p.after(Outcome.EARLY_CLOSE, "server closed the connection").phase is Phase.AUTH_FAILED


def test_early_closes_must_be_consecutive() -> None:
    p = policy()
    p.after(Outcome.EARLY_CLOSE, "x")
    p.after(Outcome.EARLY_CLOSE, "x")
    p.after(Outcome.LOST, "server closed the connection")  # it talked to us this time
    assert p.after(Outcome.EARLY_CLOSE, "x").phase is Phase.RECONNECTING


def test_refused_connections_do_not_break_an_early_close_streak() -> None:
    """A refused connection says nothing about credentials either way."""
    p = policy()
    p.after(Outcome.EARLY_CLOSE, "x")
    p.after(Outcome.FAILED, "connection refused")
    p.after(Outcome.EARLY_CLOSE, "x")
    assert p.after(Outcome.EARLY_CLOSE, "x").phase is Phase.AUTH_FAILED


def test_kick_means_now_and_resets_the_network_backoff() -> None:
    p = policy()
    for _ in range(5):
        p.after(Outcome.FAILED, "connection refused")
    decision = p.after(Outcome.KICKED, "reconnect requested")
    assert decision.delay == 0.0
    assert p.after(Outcome.FAILED, "connection refused").delay <= 1.0


def test_kick_keeps_showing_auth_failed_until_it_works() -> None:
    p = policy()
    p.after(Outcome.AUTH_REJECTED, "login rejected: bad key")
    assert p.after(Outcome.KICKED, "network changed").phase is Phase.AUTH_FAILED


def test_new_credentials_forget_the_auth_backoff() -> None:
    p = policy()
    for _ in range(4):
        p.after(Outcome.AUTH_REJECTED, "login rejected")
    p.credentials_changed()
    assert p.after(Outcome.AUTH_REJECTED, "login rejected").delay <= AUTH_BACKOFF.first


def test_a_quiet_line_is_no_failure_and_reconnects_at_once() -> None:
    policy = ReconnectPolicy(rng=random.Random(1))
    policy.after(Outcome.FAILED, "connection refused")
    policy.after(Outcome.FAILED, "connection refused")
    decision = policy.after(Outcome.QUIET, "no data for 90 s (half-open connection?)")
    assert decision.phase is Phase.CONNECTED
    assert decision.delay == 0.0
    assert policy.failed_attempts == 0
    # The backoff starts over: the next real failure retries within a second.
    assert policy.after(Outcome.LOST, "connection lost").delay <= 1.0
