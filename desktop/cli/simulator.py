"""``kobikom-desktop simulator``: Kobikom's stand-in servers on loopback.

Prints one JSON line with the ports when ready (port 0 = pick a free one)
and runs until SIGINT/SIGTERM.  ``--replay FILE`` serves a capture
(``listen --capture`` or the app's) on the event channels instead of
simulated calls, at the recorded timing (``--replay-speed`` to go faster).
``--team-demo`` gives the tenant a team of twelve and plays their day
(``desktop/simulator/team.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
from pathlib import Path
from typing import Any

from desktop.cli.common import EXIT_OK, EXIT_SERVER, EXIT_USAGE, fail, port_or_zero

COMMANDS = ("simulator",)



def add_parsers(sub: Any) -> None:
    sim = sub.add_parser("simulator", help="run the Kobikom simulator on loopback")
    sim.add_argument("--flavor", choices=["tekil", "bulut"],
                     help="default: bulut, or the flavour a --replay capture was made with")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--tcp-port", type=port_or_zero, default=0,
                     help="0 (the default): any free port")
    sim.add_argument("--ws-port", type=port_or_zero, default=0,
                     help="0 (the default): any free port")
    sim.add_argument("--http-port", type=port_or_zero, default=0,
                     help="0 (the default): any free port")
    sim.add_argument("--tcp-framing", choices=["ndjson", "concat", "split", "noisy"],
                     default="ndjson", help="how events are framed on the TCP stream")
    # Names are checked when the simulator starts: importing desktop.simulator
    # here would load aiohttp for every command.
    sim.add_argument("--profile", default="freeswitch", metavar="NAME",
                     help="how call events read where Kobikom's documentation is silent: "
                          "single, freeswitch, callcenter, bridged, sparse, noisy, "
                          "status-only (default: %(default)s; see "
                          "desktop/simulator/profiles.py)")
    sim.add_argument("--queue-strategy", choices=["ring-all", "one-at-a-time"],
                     help="how queues offer a caller to their agents (default: the "
                          "profile's; 'one-at-a-time' is mod_callcenter's default)")
    sim.add_argument("--queue-offer-timeout", type=float, metavar="S",
                     help="one at a time: each agent's phone rings S seconds (default 6)")
    sim.add_argument("--demo-calls", metavar="EXT",
                     help="keep making EXT ring with varied demo calls")
    sim.add_argument("--team-demo", action="store_true",
                     help="a team of twelve with three queues, and the colleagues' day: "
                          "their calls, breaks, registrations and callers waiting in queues "
                          "(for the team board)")
    sim.add_argument("--debug", action="store_true")
    # No --config: the simulator reads no settings (argparse refuses the option).
    replay = sim.add_argument_group("replay a capture from a real installation")
    replay.add_argument("--replay", type=Path, metavar="FILE",
                        help="serve this capture on the event channels (its rotated older "
                             "parts FILE.1, FILE.2, ... too)")
    replay.add_argument("--replay-speed", type=float, default=1.0, metavar="X",
                        help="play the recorded timing X times faster (default 1)")


def run(args: argparse.Namespace) -> int:
    from desktop.cli.common import setup_logging

    setup_logging(args.debug, to_file=False)
    try:
        return asyncio.run(_run(args))
    except KeyboardInterrupt:
        return EXIT_OK


async def _run(args: argparse.Namespace) -> int:
    from desktop.simulator import Simulator, SimulatorConfig
    from desktop.simulator.profiles import PROFILES

    if args.profile not in PROFILES:
        return fail(EXIT_USAGE, f"unknown profile {args.profile!r}; known: {', '.join(PROFILES)}")
    cfg = SimulatorConfig(flavor=args.flavor or "bulut", host=args.host, tcp_port=args.tcp_port,
                          ws_port=args.ws_port, http_port=args.http_port,
                          tcp_framing=args.tcp_framing, profile=args.profile)
    if args.queue_strategy is not None:
        cfg.profile = PROFILES[args.profile].but(queue_strategy=args.queue_strategy)
    if args.queue_offer_timeout is not None:
        if not args.queue_offer_timeout > 0:
            return fail(EXIT_USAGE, "--queue-offer-timeout must be positive")
        cfg.queue_offer_timeout = args.queue_offer_timeout
    if args.team_demo:
        from desktop.simulator.team import demo_config

        for key, value in demo_config().items():
            setattr(cfg, key, value)
    if args.replay is not None:
        from desktop.pbx.capture import capture_files
        from desktop.simulator.replay import CaptureFileError, load_capture

        if not args.replay_speed > 0:
            return fail(EXIT_USAGE, "--replay-speed must be positive")
        cfg.replay_files = tuple(map(str, capture_files(args.replay) or [args.replay]))
        cfg.replay_speed = args.replay_speed
        try:
            recorded = load_capture(cfg.replay_files).flavor
            if args.flavor is None and recorded in ("bulut", "tekil"):
                cfg.flavor = recorded  # type: ignore[assignment]
            sim = Simulator(cfg)
        except CaptureFileError as exc:
            return fail(EXIT_USAGE, f"cannot replay: {exc}")
    else:
        sim = Simulator(cfg)
    try:
        await sim.start()
    except OSError as exc:
        return fail(EXIT_SERVER, f"cannot start the simulator: {exc.strerror or exc}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    ready = {
        "flavor": cfg.flavor, "host": cfg.host, **sim.ports, "http_base": sim.http_base,
        "domain_uuid": cfg.domain_uuid, "extensions": list(cfg.extensions),
        "profile": cfg.calls.name, "domain_name": cfg.domain_name,
        "control": f"{sim.http_base}/_sim/",
    }
    if cfg.replay_files:
        ready["replay"] = list(cfg.replay_files)
    print(json.dumps(ready), flush=True)
    demos: list[asyncio.Task[None]] = []
    if args.demo_calls:
        demos.append(asyncio.create_task(sim.run_demo(extension=args.demo_calls),
                                         name="demo-calls"))
    if args.team_demo:
        from desktop.simulator.team import run_team_demo

        demos.append(asyncio.create_task(run_team_demo(sim, args.demo_calls or "1001"),
                                         name="team-demo"))
    try:
        await stop.wait()
    finally:
        for demo in demos:
            demo.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await demo
        await sim.stop()
    return EXIT_OK
