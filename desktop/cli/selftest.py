"""``kobikom-desktop self-test``: check this installation (Qt plugins, Turkish, audio,
keyring, TLS).  See :mod:`desktop.ui.selftest`; it is the one sub-command that
loads Qt (offscreen when there is no display).  Exit 0 when every check passed,
1 otherwise (the JSON report says which and why).
"""

from __future__ import annotations

import argparse

COMMANDS = ("self-test",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "self-test", help="check this installation: Qt plugins, Turkish, audio, keyring, TLS",
        description="Check that this installation has what it needs and print a JSON report.")
    p.add_argument("--tls-url", metavar="URL",
                   help="also make a verified HTTPS request to URL (system trust store)")
    p.add_argument("--ca-file", metavar="PEM", help="extra CA certificates for --tls-url")
    p.add_argument("--keyring-roundtrip", action="store_true",
                   help="store, read back and delete a throw-away secret in the keyring")
    p.add_argument("--debug", action="store_true", help="verbose logging to stderr")


def run(args: argparse.Namespace) -> int:
    from desktop.ui.selftest import main

    return main(tls_url=args.tls_url, ca_file=args.ca_file,
                keyring_roundtrip=args.keyring_roundtrip)
