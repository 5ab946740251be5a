"""``kobikom-desktop qr``: save an extension's softphone QR code as a PNG file.

::

    kobikom-desktop qr --app zoiper|grandstream [--extension EXT] --out FILE.png

Tekil Santral only (``GET /central/getQRCodeZoiper/{ext}`` or
``GET /central/getQRCode/{ext}``, digest §6); KobiPBX documents no QR
service, which is a usage error (exit 2).  The extension defaults to the
first one in the settings.  The PNG is written exactly as the panel sent it
(after checking it is one), atomically; one JSON line on stdout describes
it.  The code contains the extension's SIP password: the file is created
readable by the user only, and its content is never printed or logged.

Exit codes as for every sub-command: 0 saved, 1 the PBX has no such
extension, 2 usage (KobiPBX account, no extension, unwritable file), 3
credentials missing or rejected, 4 server or network failure (including an
answer that is not a PNG).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
from pathlib import Path

from desktop.cli.common import (
    EXIT_AUTH,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
    add_connection_options,
    exit_code_for,
    fail,
    load_account,
    output_file,
)

COMMANDS = ("qr",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``qr`` sub-command to *sub* (``add_connection_options(p)`` adds --config…)."""
    qr = sub.add_parser(
        "qr", help="save an extension's softphone QR code as a PNG (Tekil Santral)",
        description="Save the provisioning QR code of an extension for the Zoiper or "
                    "Grandstream Wave phone app (Tekil Santral accounts).")
    add_connection_options(qr)
    qr.add_argument("--app", choices=["zoiper", "grandstream"], required=True,
                    help="the phone app the code is for")
    qr.add_argument("--out", metavar="FILE.png", type=output_file, required=True,
                    help="where to write the PNG")


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically, readable by the user only (the code holds a SIP password)."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".qr-", suffix=".png", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def _fetch(args: argparse.Namespace) -> int:
    from desktop.core.account import AccountIncomplete
    from desktop.pbx.connection import Flavor
    from desktop.pbx.errors import PbxError, RequestError
    from desktop.pbx.rest import TekilSession, png_size

    account = load_account(args)
    if account.flavor is not Flavor.TEKIL:
        return fail(EXIT_USAGE, "QR codes are only available for Tekil Santral accounts: "
                                 "KobiPBX (Bulut Santral) documents no QR code service. Ask "
                                 "Kobikom's technical team for the extension's SIP settings.")
    extensions = account.settings.account.extensions
    if not extensions:
        return fail(EXIT_USAGE, "no extension: pass --extension EXT or set one in the "
                                 "settings")
    extension = extensions[0]
    if not args.out.parent.is_dir() and str(args.out.parent):
        return fail(EXIT_USAGE, f"{args.out.parent}: no such folder")
    try:
        session = account.rest_session()
    except AccountIncomplete as exc:
        return fail(EXIT_AUTH, f"cannot sign in: {exc}")
    assert isinstance(session, TekilSession)
    try:
        png = await session.get_qr_code(extension, args.app)
    except RequestError as exc:
        if exc.status == 404:
            return fail(EXIT_NOT_FOUND, f"the PBX has no extension {extension} "
                                         f"({exc.server_message or exc.message})")
        return fail(exit_code_for(exc), exc.message)
    except PbxError as exc:
        return fail(exit_code_for(exc), exc.message)
    finally:
        await session.aclose()
    try:
        await asyncio.to_thread(_write_private, args.out, png)
    except OSError as exc:
        return fail(EXIT_USAGE, f"cannot write {args.out}: {exc.strerror or exc}")
    width, height = png_size(png)
    print(json.dumps({"file": str(args.out), "app": args.app, "extension": extension,
                      "width": width, "height": height, "bytes": len(png)}))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """The ``qr`` sub-command (see the module docstring)."""
    try:
        return asyncio.run(_fetch(args))
    except KeyboardInterrupt:
        return EXIT_SERVER


__all__ = ["COMMANDS", "add_parsers", "run"]
