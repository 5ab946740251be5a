"""A faithful stand-in for Kobikom's servers, on loopback.

We cannot reach Kobikom, so this package runs real servers that behave as
the Postman collection (``postman-collection.json``, digested in
``digest.md``) documents: the real-time event channels (TCP and WebSocket,
Bulut/KobiPBX or Tekil flavour) and the REST services (Tekil panel, KobiPBX,
the new and the old SMS API).  It is the app's demo mode
(``kobikom-desktop --demo``) and the fixture of every end-to-end test.

It deliberately shares no code with the client (``desktop.pbx``,
``desktop.core``, …; enforced by import-linter): a simulator that imports
the client's parser would only prove that the client agrees with itself.
Where the documentation is silent the simulator makes a plausible choice;
each module's docstring lists the choices it made.

Python API::

    from desktop.simulator import Simulator, SimulatorConfig

    sim = Simulator(SimulatorConfig(flavor="bulut"))   # or "tekil"
    await sim.start(); sim.ports        # {"tcp": int, "ws": int, "http": int}
    sim.http_base, sim.ws_url
    call_id = await sim.ring(extension="1001", caller="05321234567", called=None,
                             queue=None, answer_after=3.0, hangup_after=10.0,
                             hold_for=None, other_extensions=(), direction="inbound")
    sim.answer(call_id), sim.hangup(call_id), await sim.wait_call_end(call_id)
    sim.emit({...}); sim.emit_raw(b"...")           # fault injection on the channels
    sim.silent = True                                # half-open connections
    sim.hub.on_sent = fn     # benchmarks: fn(session, message) after a TCP write + drain
    sim.connected_clients(); sim.commands; sim.received; sim.cdr; sim.sms
    sim.fault("/central/dial", "500", count=1); sim.expire_tokens()
    await sim.restart_event_servers(); await sim.disconnect_clients()
    await sim.run_demo(extension="1001", interval=(8, 20))
    await sim.stop()                                 # or: async with Simulator(cfg) as sim

The same functions are available over HTTP under ``/_sim/`` (see
``control.py``), for tests that drive the app from another process.

Modules: ``config`` (SimulatorConfig), ``events`` (message builders,
de-duplication), ``sessions`` (handshakes/logins, fan-out), ``tcp`` and
``ws`` (the event listeners and TCP framing variants), ``pbx`` (calls and
extension states), ``records`` (CDR store and renderings), ``auth``
(tokens), ``http_common``, ``http_tekil``, ``tekil_settings``,
``http_kobipbx``, ``http_sms``, ``control`` (REST), ``assets`` (WAV49
recording, QR PNGs, phonebook XML), ``scenarios`` (call scripts, seed data,
demo loop).
"""

from .config import Queue, SimulatorConfig
from .simulator import Simulator

__all__ = ["Queue", "Simulator", "SimulatorConfig"]
