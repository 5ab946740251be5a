"""An X watcher for the agent-view benchmark: when did which window appear on screen?

    DISPLAY=:N python bench/xwatch.py      # one JSON line per event on stdout

Selects ``SubstructureNotifyMask`` on the root window, so the X server tells
it about every top-level window (or window-manager frame) that is created,
mapped, unmapped or reparented.  Each event is stamped with
``time.monotonic()`` (``CLOCK_MONOTONIC``, system-wide on Linux) the moment
python-xlib parses it off the socket (:func:`stamp_on_arrival`), so the stamp
compares with the simulator's write time in another process and does not wait
for the lookups this watcher makes for the events before it (until 2026-12-06
it was taken when ``next_event()`` returned: a map that came while the watcher
was describing an earlier window -- several round trips each -- was stamped up
to ~15 ms late, more often for a reused window, whose map follows the window
manager's frame and reparent events).

Windows that leave the root (a tray icon embedded by the tray host, a client
reparented into a frame) are also watched with ``StructureNotifyMask``
(selected on ``CreateNotify``), so their own ``MapNotify`` arrives too; that is
how a tray icon's appearance is seen.

Output, one line per map/unmap::

    {"t": 1234.5678, "ev": "map", "win": 4194313, "top": true, "pid": 4242,
     "client": 4194320, "own": false, "xembed": false, "name": "..."}

``top`` is true for a child of the root (on screen once mapped), ``pid`` is the
owning client's ``_NET_WM_PID`` (looked up in the window or its descendants:
openbox maps a frame whose client is inside), ``client`` the window that
carries it, ``own`` whether that is the mapped window itself (the
application's window, not a frame around it), ``xembed`` is true when the
client window carries ``_XEMBED_INFO`` (a tray icon).  Unmaps are reported
for children of the root and for the watched windows.  The first line is
``{"ev": "ready"}`` once the selection is in place.

Commands on stdin: ``close WIN`` sends ``WM_DELETE_WINDOW`` to the client of
*WIN* (what the window manager's close button does).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import sys
import time
from typing import Any

from Xlib import X, Xatom, display, error
from Xlib.protocol import event as xevent
from Xlib.xobject.drawable import Window

#: How deep below a frame the client window with ``_NET_WM_PID`` is looked for.
CLIENT_DEPTH = 3
#: The attribute :func:`stamp_on_arrival` gives every event.
ARRIVED = "_arrived_at"


def stamp_on_arrival(dpy: display.Display) -> None:
    """Give every event the ``time.monotonic()`` of its arrival (its parsing off the
    socket, in whatever call read it: ``next_event()`` or a lookup's round trip)."""
    protocol = dpy.display
    parse = protocol.parse_event_response

    def parse_and_stamp(etype: int) -> None:
        # One thread here: python-xlib's queue lock is a no-op without threads.
        stamp = time.monotonic()
        queued = len(protocol.event_queue)
        parse(etype)
        if len(protocol.event_queue) > queued:
            protocol.event_queue[-1].__dict__[ARRIVED] = stamp

    protocol.parse_event_response = parse_and_stamp  # type: ignore[method-assign]


class Watcher:
    def __init__(self) -> None:
        self.dpy = display.Display()
        self.dpy.set_error_handler(lambda *_: None)  # windows vanish; lookups say so
        stamp_on_arrival(self.dpy)
        self.root = self.dpy.screen().root
        self.atom_pid = self.dpy.intern_atom("_NET_WM_PID")
        self.atom_xembed = self.dpy.intern_atom("_XEMBED_INFO")
        self.atom_protocols = self.dpy.intern_atom("WM_PROTOCOLS")
        self.atom_delete = self.dpy.intern_atom("WM_DELETE_WINDOW")
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.watched: set[int] = set()
        self.dpy.sync()

    # -- lookups (after the stamp) ------------------------------------------------

    def _pid(self, win: Window) -> int | None:
        prop = win.get_full_property(self.atom_pid, Xatom.CARDINAL)
        return int(prop.value[0]) if prop is not None and len(prop.value) else None

    def client(self, win: Window, depth: int = CLIENT_DEPTH) -> tuple[Window, int] | None:
        """*win* or the first descendant with ``_NET_WM_PID``, and that pid."""
        pid = self._pid(win)
        if pid is not None:
            return win, pid
        if depth == 0:
            return None
        for child in win.query_tree().children:
            found = self.client(child, depth - 1)
            if found is not None:
                return found
        return None

    def describe(self, wid: int) -> dict[str, Any]:
        info: dict[str, Any] = {"pid": None, "xembed": False, "name": ""}
        try:
            win = self.dpy.create_resource_object("window", wid)
            found = self.client(win)
            if found is not None:
                client, info["pid"] = found
                info["xembed"] = client.get_full_property(self.atom_xembed, 0) is not None
                name = client.get_wm_name()
                info["name"] = name if isinstance(name, str) else ""
                info["client"] = client.id
                info["own"] = client.id == wid
        except error.XError:
            info["gone"] = True
        return info

    def watch_new(self, wid: int, stamp: float) -> None:
        """Watch *wid*'s own structure; report it mapped if it already is.

        A window may be mapped before our selection reaches the server (the
        tray host embeds an icon quickly): then its MapNotify never comes, so
        the map is reported with the stamp of the event that led here (an
        upper bound of its time) and ``"late": true``.
        """
        if wid in self.watched:
            return
        self.watched.add(wid)
        try:
            win = self.dpy.create_resource_object("window", wid)
            win.change_attributes(event_mask=X.StructureNotifyMask)
            mapped = win.get_attributes().map_state != X.IsUnmapped
        except error.XError:
            return
        if mapped:
            self.emit(stamp, "map", wid, False, late=True)

    def close(self, wid: int) -> None:
        """``WM_DELETE_WINDOW`` to the client of *wid* (the close button's message)."""
        win = self.dpy.create_resource_object("window", wid)
        found = self.client(win)
        if found is None:
            return
        client = found[0]
        message = xevent.ClientMessage(window=client, client_type=self.atom_protocols,
                                       data=(32, [self.atom_delete, X.CurrentTime, 0, 0, 0]))
        client.send_event(message)
        self.dpy.flush()

    # -- the loop -----------------------------------------------------------------

    def emit(self, stamp: float, kind: str, wid: int, top: bool, *, late: bool = False) -> None:
        record: dict[str, Any] = {"t": stamp, "ev": kind, "win": wid, "top": top}
        if late:
            record["late"] = True
        if kind == "map":
            record.update(self.describe(wid))
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()

    def handle(self, ev: Any, stamp: float) -> None:
        root = self.root.id
        if ev.type == X.CreateNotify and ev.parent.id == root:
            self.watch_new(ev.window.id, stamp)
        elif ev.type == X.ReparentNotify and ev.event.id == root and ev.parent.id != root:
            # Leaving the root (into a tray host or a frame): if the CreateNotify
            # selection came too late for its MapNotify, this catches it.
            self.watch_new(ev.window.id, stamp)
        elif ev.type == X.MapNotify:
            # On the root's substructure: ev.event is the root.  On the window's
            # own structure: ev.event is the window (it may live in a tray/frame).
            top = ev.event.id == root
            if top or ev.window.id in self.watched:
                if not top and ev.event.id != ev.window.id:
                    return
                self.emit(stamp, "map", ev.window.id, top)
        elif ev.type == X.UnmapNotify:
            top = ev.event.id == root
            if top or (ev.window.id in self.watched and ev.event.id == ev.window.id):
                self.emit(stamp, "unmap", ev.window.id, top)
        elif ev.type == X.DestroyNotify:
            self.watched.discard(ev.window.id)

    def run(self) -> None:
        sys.stdout.write(json.dumps({"ev": "ready", "t": time.monotonic()}) + "\n")
        sys.stdout.flush()
        xfd = self.dpy.fileno()
        stdin = sys.stdin.fileno()
        pending = b""
        while True:
            while self.dpy.pending_events():
                ev = self.dpy.next_event()
                self.handle(ev, arrival(ev))
            ready, _, _ = select.select([xfd, stdin], [], [])
            if xfd in ready:
                ev = self.dpy.next_event()
                self.handle(ev, arrival(ev))
            if stdin in ready:
                data = os.read(stdin, 4096)
                if not data:
                    return
                *commands, pending = (pending + data).split(b"\n")
                for command in commands:
                    verb, _, arg = command.decode().partition(" ")
                    if verb == "close" and arg.isdigit():
                        with contextlib.suppress(error.XError):
                            self.close(int(arg))


def arrival(ev: Any) -> float:
    """When *ev* came off the socket (now, if it carries no stamp)."""
    stamp = ev.__dict__.get(ARRIVED)
    return stamp if isinstance(stamp, float) else time.monotonic()


def main() -> int:
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        Watcher().run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
