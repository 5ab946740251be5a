"""Fixtures of the frozen-app smoke test (``tests/run-frozen``, a separate CI step).

The tests here run only when ``--frozen-app PATH`` names a frozen
``kobikom-desktop`` (the bundle in ``dist/``, or the installed
``/usr/bin/kobikom-desktop``); without it they are deselected, not skipped,
so the normal suite neither runs nor reports them.  ``--frozen-root DIR``
runs the app inside a clean Debian root (``chroot``) where the .deb was
installed with apt: the root must see this run's temporary folder and the X
server's socket at the same paths (``tests/run-frozen`` bind-mounts them).

* ``frozen``: how to run the app (:class:`FrozenApp`);
* ``x_display`` (session): Xvfb + openbox + trayer;
* ``keyring_env`` (session): a private unlocked gnome-keyring on its own bus;
* ``tls_servers`` (session): two HTTPS servers on loopback, one with a
  certificate of a CA the system trusts (installed in the root's trust store,
  or named by ``SSL_CERT_FILE`` when the app runs on this machine), one with a
  CA nobody trusts.
"""

from __future__ import annotations

import http.server
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme

from tests.helpers.secret_service import SecretService
from tests.helpers.xserver import XDisplay, child_environment, require_programs

#: Longest run of one frozen command-line call.
COMMAND_TIMEOUT_S = 90.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--frozen-app"):
        return
    here = Path(__file__).parent
    chosen = [i for i in items if here not in Path(str(i.fspath)).parents]
    deselected = [i for i in items if here in Path(str(i.fspath)).parents]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = chosen


@dataclass
class FrozenApp:
    """The frozen ``kobikom-desktop``, maybe inside a chroot."""

    path: str
    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def chrooted(self) -> bool:
        return self.root != Path("/")

    def command(self) -> list[str]:
        return ["chroot", str(self.root), self.path] if self.chrooted else [self.path]

    def run(self, *args: str, env: dict[str, str] | None = None,
            timeout: float = COMMAND_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.command(), *args], env=env or self.env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def popen_argv(self, *args: str) -> list[str]:
        return [*self.command(), *args]


@pytest.fixture(scope="session")
def frozen(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> FrozenApp:
    path = request.config.getoption("--frozen-app")
    root = Path(request.config.getoption("--frozen-root")).resolve()
    if root == Path("/"):
        path = str(Path(path).resolve())
        assert Path(path).is_file(), f"no frozen app at {path}"
    else:
        target = root / path.lstrip("/")
        assert target.is_symlink() or target.exists(), f"{path} is not installed in {root}"
    env = child_environment()
    # No virtual environment, no Python: the frozen app must stand on its own.
    if NATIVE_DESKTOP:
        venv = os.environ.get("VIRTUAL_ENV") or str(Path(sys.executable).parent.parent)
        env["PATH"] = os.pathsep.join(d for d in env.get("PATH", "").split(os.pathsep)
                                      if not d.startswith(venv))
    else:
        env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        env.pop(name, None)
    env["KOBIKOM_DESKTOP_HOME"] = str(tmp_path_factory.mktemp("frozen-home"))
    env["KOBIKOM_DESKTOP_POLICY"] = os.devnull
    return FrozenApp(path=path, root=root, env=env)


#: Windows and macOS runners (.github/workflows/installers.yml) have their own window
#: system, tray and keyring; Xvfb, trayer and gnome-keyring are for Linux.
NATIVE_DESKTOP = sys.platform.startswith("win") or sys.platform == "darwin"
#: What the self-test should report on each system.
EXPECTED_PLATFORM = {"win32": "windows", "darwin": "cocoa"}.get(sys.platform, "xcb")
EXPECTED_KEYRING = {"win32": "WinVaultKeyring", "darwin": "macOS"}.get(sys.platform,
                                                                       "SecretService")


@dataclass
class NativeDisplay:
    """The runner's own desktop (Windows, macOS): nothing to start."""

    env: dict[str, str] = field(default_factory=dict)

    def screenshot(self, path: Path) -> Path | None:
        return None


@pytest.fixture(scope="session")
def x_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XDisplay | NativeDisplay]:
    if NATIVE_DESKTOP:
        yield NativeDisplay()
        return
    require_programs("Xvfb", "openbox", "trayer", "xdotool", "import")
    display = XDisplay(tmp_path_factory.mktemp("x")).start()
    try:
        yield display
    finally:
        display.stop()


@pytest.fixture(scope="session")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if NATIVE_DESKTOP:
        yield {}  # Windows Credential Manager, the macOS keychain
        return
    require_programs("dbus-daemon", "gnome-keyring-daemon")
    service = SecretService(tmp_path_factory.mktemp("keyring")).start()
    try:
        yield {k: service.env[k] for k in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
                                           "HOME", "XDG_DATA_HOME")}
    finally:
        service.stop()


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@dataclass
class TlsServers:
    trusted_url: str
    untrusted_url: str
    trusted_ca: Path
    untrusted_ca: Path
    #: Environment that makes the trusted CA part of the system trust store.
    env: dict[str, str]


def _serve(ca: trustme.CA) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def tls_servers(frozen: FrozenApp,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServers]:
    folder = tmp_path_factory.mktemp("tls")
    trusted, untrusted = trustme.CA(), trustme.CA()
    trusted_pem, untrusted_pem = folder / "company-ca.pem", folder / "other-ca.pem"
    trusted.cert_pem.write_to_path(str(trusted_pem))
    untrusted.cert_pem.write_to_path(str(untrusted_pem))
    env: dict[str, str] = {}
    installed: Path | None = None
    native_cleanup: list[str] | None = None
    if sys.platform.startswith("win"):
        # The machine's trusted roots, as a company's group policy would put its CA there.
        subprocess.run(["certutil", "-addstore", "Root", str(trusted_pem)], check=True,
                       capture_output=True, timeout=60)
        native_cleanup = ["certutil", "-delstore", "Root", _serial_hex(trusted_pem)]
    elif sys.platform == "darwin":
        subprocess.run(["sudo", "security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k",
                        "/Library/Keychains/System.keychain", str(trusted_pem)], check=True,
                       capture_output=True, timeout=60)
        native_cleanup = ["sudo", "security", "remove-trusted-cert", "-d", str(trusted_pem)]
    elif frozen.chrooted:
        # The way an IT department trusts its TLS-inspecting proxy: the CA goes
        # into the system's store (Debian: update-ca-certificates).
        installed = frozen.root / "usr/local/share/ca-certificates/kobikom-test-ca.crt"
        shutil.copy(trusted_pem, installed)
        subprocess.run(["chroot", str(frozen.root), "update-ca-certificates"], check=True,
                       capture_output=True, timeout=120)
    else:
        # On this machine: OpenSSL's documented override of the system bundle.
        bundle = folder / "system-bundle.pem"
        bundle.write_bytes(trusted_pem.read_bytes())
        env["SSL_CERT_FILE"] = str(bundle)
    servers = [_serve(trusted), _serve(untrusted)]
    try:
        yield TlsServers(servers[0][1], servers[1][1], trusted_pem, untrusted_pem, env)
    finally:
        for server, _url in servers:
            server.shutdown()
            server.server_close()
        if native_cleanup is not None:
            subprocess.run(native_cleanup, check=False, capture_output=True, timeout=60)
        if installed is not None:
            installed.unlink()
            subprocess.run(["chroot", str(frozen.root), "update-ca-certificates", "--fresh"],
                           check=False, capture_output=True, timeout=120)


def _serial_hex(pem: Path) -> str:
    """The serial number of the certificate in *pem* (certutil deletes by serial)."""
    from cryptography import x509

    return format(x509.load_pem_x509_certificate(pem.read_bytes()).serial_number, "x")


def compiled_locale(lang: str, folder: Path) -> dict[str, str]:
    """``LOCPATH`` for *lang* compiled with localedef (Debian images ship only C.UTF-8)."""
    name, _, charset = lang.partition(".")
    if NATIVE_DESKTOP or shutil.which("localedef") is None:
        return {}
    subprocess.run(["localedef", "-i", name, "-f", charset or "UTF-8", str(folder / lang)],
                   capture_output=True, timeout=120, check=False)
    return {"LOCPATH": str(folder)} if (folder / lang).is_dir() else {}


def argv_text(argv: Sequence[str]) -> str:
    return " ".join(argv)


# The company-directory servers (a real slapd, a real aiohttp lookup endpoint).
from tests.helpers.directory_servers import lookup_server, slapd  # noqa: E402

__all__ = ["lookup_server", "slapd"]
