"""The app's asyncio loop (:class:`desktop.ui.loop.QtLoop`): a readable socket is
read in the socket notifier's own slot, not one Qt timer later (issue 14), and
everything asyncio promises a reader still holds.  Real sockets (a socket pair,
a TCP server on loopback)."""

from __future__ import annotations

import asyncio
import socket
import traceback

from desktop.ui.loop import QtLoop
from tests.helpers.qt_asyncio import qt_asyncio_loop, run_coroutine, run_until


def test_a_readable_socket_is_read_without_a_timer_turn(qapp) -> None:
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    got: list[tuple[bytes, list[str]]] = []

    def on_readable() -> None:
        stack = [frame.name for frame in traceback.extract_stack()]
        got.append((reader.recv(64), stack))

    try:
        with qt_asyncio_loop(qapp) as loop:
            assert isinstance(loop, QtLoop)
            loop.add_reader(reader.fileno(), on_readable)
            writer.send(b"ringing")
            assert run_until(qapp, lambda: bool(got))
            assert loop.remove_reader(reader.fileno())
            data, stack = got[0]
            assert data == b"ringing"
            assert "_reader_ready" in stack
            assert "timerEvent" not in stack  # qasync's way: call_soon, a Qt timer
            writer.send(b"after removal")
            run_until(qapp, lambda: False, timeout_ms=100)
            assert len(got) == 1  # removed: not called again
    finally:
        reader.close()
        writer.close()


def test_a_failing_reader_goes_to_the_exception_handler_and_the_loop_goes_on(qapp) -> None:
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    errors: list[BaseException | None] = []
    try:
        with qt_asyncio_loop(qapp) as loop:
            loop.set_exception_handler(lambda _loop, context: errors.append(
                context.get("exception")))

            def broken() -> None:
                reader.recv(64)
                raise ValueError("a reader bug")

            loop.add_reader(reader.fileno(), broken)
            writer.send(b"x")
            assert run_until(qapp, lambda: bool(errors))
            loop.remove_reader(reader.fileno())
            assert isinstance(errors[0], ValueError)
            assert run_coroutine(qapp, asyncio.sleep(0, result="still running")) == \
                "still running"
    finally:
        reader.close()
        writer.close()


def test_streams_over_tcp_still_work(qapp) -> None:
    async def echo_once() -> bytes:
        async def handle(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            w.write((await r.readline()).upper())
            await w.drain()
            w.close()
            await w.wait_closed()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(b"merhaba\n")
        await w.drain()
        answer = await r.read()  # to the end: the server closed
        w.close()
        await w.wait_closed()
        server.close()
        await server.wait_closed()
        return answer

    with qt_asyncio_loop(qapp):
        assert run_coroutine(qapp, echo_once()) == b"MERHABA\n"
