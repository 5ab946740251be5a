"""``kobikom-desktop settings``: the settings in effect, and where each comes from.

::

    kobikom-desktop settings [--json] [--config FILE]

Each value is shown with its origin: ``default`` (built in), ``policy``
(the administrator's machine-wide file, :mod:`desktop.core.policy`) or
``agent`` (the agent's own settings file), and whether the policy locks it.
``--json`` prints one JSON object::

    {"config_file": "...", "policy_file": "..." | null,
     "settings": {"server": {"host": {"value": "...", "origin": "policy",
                                      "locked": true}, ...}, ...},
     "warnings": ["..."]}

Warnings (unknown keys, ignored policy entries) also go to stderr.  Exit
codes: 0 shown, 2 the agent's file is invalid (every bad value is named).
No secret is ever shown: they live in the keyring, not in these files.
"""

from __future__ import annotations

import argparse
import json
import sys

from desktop.cli.common import EXIT_OK, EXIT_USAGE, add_config_options, fail

COMMANDS = ("settings",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "settings", help="show the settings in effect (default, policy or agent; locked)",
        description="Show the settings in effect: each value with where it comes from "
                    "(default, the administrator's policy, or the agent's file) and whether "
                    "the policy locks it.")
    add_config_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from desktop.core.paths import app_paths
    from desktop.core.policy import load_effective_settings, load_policy
    from desktop.core.settings import SettingsError

    config = args.config or app_paths().config_file
    policy = load_policy()
    try:
        effective = load_effective_settings(config, policy)
    except SettingsError as exc:
        return fail(EXIT_USAGE, str(exc))
    warnings = [*policy.warnings, *effective.warnings]
    for warning in warnings:
        print(f"kobikom-desktop: warning: {warning}", file=sys.stderr)
    described = effective.describe()
    if args.json:
        json.dump({"config_file": str(config),
                   "policy_file": str(policy.path) if policy.path else None,
                   "settings": described, "warnings": warnings},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    print(f"settings file: {config}")
    print(f"policy file:   {policy.path if policy.path else '(none)'}")
    for section, values in described.items():
        print(f"\n[{section}]")
        for key, info in values.items():
            lock = " locked" if info["locked"] else ""
            print(f"  {key} = {json.dumps(info['value'], ensure_ascii=False)}"
                  f"    ({info['origin']}{lock})")
    return EXIT_OK
