"""One instance per user session, without races: real local sockets, real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.ui.single_instance import InstanceError, SingleInstance, answers, claim

REPO = Path(__file__).resolve().parents[2]
READY_S = 20.0


class Holder:
    """tests/helpers/instance_holder.py in a subprocess."""

    def __init__(self, name: str, lock: Path, mode: str, delay: float = 0.0) -> None:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.instance_holder", name, str(lock), mode,
             str(delay)], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)

    def line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def expect(self, text: str) -> None:
        line = self.line()
        assert line == text, line

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def name() -> str:
    return f"kobikom-desktop-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def holders() -> Iterator[list[Holder]]:
    started: list[Holder] = []
    yield started
    for holder in started:
        holder.kill()


def test_a_live_instance_without_the_lock_is_handed_over_to_not_deleted(
        qapp, name: str, tmp_path: Path, holders: list[Holder]) -> None:
    """The old bug: failing to listen, the second launch deleted the first one's socket."""
    holder = Holder(name, tmp_path / "other.lock", "listen")
    holders.append(holder)
    holder.expect("ready")
    holder.expect("listening")
    assert claim(name, ["tel:+905321234567"], tmp_path / "instance.lock", wait=5) is None
    assert json.loads(holder.line()) == {"got": json.dumps(
        {"argv": ["tel:+905321234567"], "cwd": os.getcwd()}) + "\n"}
    assert answers(name)  # its socket is still there


def test_a_stale_socket_is_removed_when_nothing_answers(qapp, name: str, tmp_path: Path,
                                                        holders: list[Holder]) -> None:
    holder = Holder(name, tmp_path / "other.lock", "listen")
    holders.append(holder)
    holder.expect("ready")
    holder.expect("listening")
    holder.kill()  # a crash: the socket file stays behind
    assert not answers(name)
    instance = claim(name, [], tmp_path / "instance.lock", wait=5)
    assert isinstance(instance, SingleInstance)
    try:
        assert answers(name)
    finally:
        instance.close()


def test_a_launch_that_lost_the_race_waits_for_the_winner_to_listen(
        qapp, name: str, tmp_path: Path, holders: list[Holder]) -> None:
    lock = tmp_path / "instance.lock"
    holder = Holder(name, lock, "lock-then-listen", delay=1.0)  # still starting up
    holders.append(holder)
    holder.expect("ready")
    started = time.monotonic()
    assert claim(name, ["tel:123"], lock, wait=10) is None
    assert time.monotonic() - started >= 0.5  # it waited, it did not start a second app
    assert holder.line() == "listening"
    assert "tel:123" in json.loads(holder.line())["got"]


def test_a_hung_instance_is_reported_never_doubled(qapp, name: str, tmp_path: Path,
                                                   holders: list[Holder]) -> None:
    lock = tmp_path / "instance.lock"
    holder = Holder(name, lock, "lock-only")
    holders.append(holder)
    holder.expect("ready")
    with pytest.raises(InstanceError, match=rf"pid {holder.process.pid}\b"):
        claim(name, [], lock, wait=0.5)
    assert not answers(name)


def test_the_lock_of_a_crashed_instance_is_taken_over(qapp, name: str, tmp_path: Path,
                                                      holders: list[Holder]) -> None:
    lock = tmp_path / "instance.lock"
    holder = Holder(name, lock, "lock-and-listen")
    holders.append(holder)
    holder.expect("ready")
    holder.expect("listening")
    holder.kill()  # crashed: its lock file and its socket stay behind
    assert lock.exists()
    instance = claim(name, [], lock, wait=5)
    assert isinstance(instance, SingleInstance)
    try:
        # ... and now we hold it: another claimant hands over to us.
        holder2 = Holder(name, lock, "lock-only")
        holders.append(holder2)
        assert holder2.line() == "lock-busy"
    finally:
        instance.close()


def test_messages_that_come_while_the_app_starts_are_held_not_lost(
        qapp, qtbot, name: str, tmp_path: Path) -> None:
    instance = claim(name, [], tmp_path / "instance.lock", wait=5)
    assert isinstance(instance, SingleInstance)
    try:
        got: list[dict] = []
        sender = subprocess.Popen(
            [sys.executable, "-c", "import sys; from desktop.ui.single_instance import "
             "hand_over; sys.exit(0 if hand_over(sys.argv[1], ['tel:555']) else 1)", name],
            cwd=REPO, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        qtbot.waitUntil(lambda: sender.poll() is not None, timeout=int(READY_S * 1000))
        assert sender.returncode == 0
        qtbot.wait(200)  # the message is read while nobody listens yet
        instance.messageReceived.connect(got.append)
        assert got == []
        instance.release()
        assert [m["argv"] for m in got] == [["tel:555"]]
    finally:
        instance.close()
