"""A real OpenLDAP server for the directory tests: Debian's ``slapd`` on loopback.

:class:`SlapdServer` writes its own ``slapd.conf`` (core, cosine and
inetOrgPerson schemas; one MDB database under the test's folder; a root DN
with a password; read access for a bind user; anonymous reads refused), starts
``slapd -d 0`` in the foreground on ``ldap://127.0.0.1:PORT`` with a port the
OS picked, waits until a bind works and stops it (SIGTERM, then SIGKILL).
Nothing of the machine's own ``/etc/ldap`` configuration is used or changed.

Entries are added over the protocol (ldap3), with UTF-8 values as they are:
Turkish names such as ``Şükrü Çağlayan`` go through the real server.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import ldap3

from tests.helpers.xserver import require_programs

#: Where Debian's slapd keeps its schemas and modules.
SCHEMA_DIR: Final = Path("/etc/ldap/schema")
MODULE_DIR: Final = Path("/usr/lib/ldap")
BASE_DN: Final = "dc=example,dc=com,dc=tr"
ROOT_DN: Final = f"cn=admin,{BASE_DN}"
ROOT_PASSWORD: Final = "root-secret-ÇĞ"
#: The read-only user the app binds as.
READER_DN: Final = f"cn=reader,{BASE_DN}"
READER_PASSWORD: Final = "okuyucu-şifre-42"
PEOPLE_DN: Final = f"ou=people,{BASE_DN}"
#: Longest wait for slapd to accept a bind.
STARTUP_TIMEOUT_S: Final = 20.0
STOP_TIMEOUT_S: Final = 5.0
POLL_S: Final = 0.05

_CONF: Final = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
modulepath {modules}
moduleload back_mdb
sizelimit 50

access to attrs=userPassword
    by self write
    by anonymous auth
    by * none
access to *
    by dn.exact="{reader}" read
    by anonymous auth
    by * none

database mdb
maxsize 67108864
suffix "{base}"
rootdn "{rootdn}"
rootpw {rootpw}
directory {root}/data
index objectClass eq
index telephoneNumber,mobile eq
"""


@dataclass(frozen=True, slots=True)
class Person:
    """One entry under ``ou=people``."""

    uid: str
    cn: str
    sn: str
    phones: tuple[str, ...] = ()
    mobiles: tuple[str, ...] = ()
    company: str = ""
    display_name: str = ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SlapdServer:
    """One slapd process with its own configuration and database folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = root / "slapd.log"

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    def restart_same_port(self) -> bool:
        """Start again on the port it had (a restarted server), keeping its database."""
        slapd = shutil.which("slapd") or "/usr/sbin/slapd"
        with self._log.open("ab") as log:
            self._proc = subprocess.Popen(
                [slapd, "-d", "0", "-f", str(self.root / "slapd.conf"), "-h", self.url],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self._wait_ready()

    def start(self) -> SlapdServer:
        require_programs("slapd")
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        conf = self.root / "slapd.conf"
        conf.write_text(_CONF.format(
            schema=SCHEMA_DIR, modules=MODULE_DIR, root=self.root, base=BASE_DN,
            rootdn=ROOT_DN, rootpw=ROOT_PASSWORD, reader=READER_DN), encoding="utf-8")
        slapd = shutil.which("slapd") or "/usr/sbin/slapd"
        for _attempt in range(5):  # the free port may be taken in between: try another
            self.port = free_port()
            with self._log.open("ab") as log:
                self._proc = subprocess.Popen(
                    [slapd, "-d", "0", "-f", str(conf), "-h", self.url],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if self._wait_ready():
                self._seed()
                return self
            self.stop()
        raise RuntimeError(f"slapd did not start: {self._log.read_text(errors='replace')[-2000:]}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                return False
            try:  # a plain TCP connect first: no client library state to clean up
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(POLL_S)
                continue
            conn = ldap3.Connection(ldap3.Server(self.url, connect_timeout=1), ROOT_DN,
                                    ROOT_PASSWORD)
            try:
                if conn.bind():
                    return True
            except ldap3.core.exceptions.LDAPException:
                pass
            finally:
                conn.unbind()
            time.sleep(POLL_S)
        return False

    def admin(self) -> ldap3.Connection:
        return ldap3.Connection(ldap3.Server(self.url, connect_timeout=2), ROOT_DN, ROOT_PASSWORD,
                                auto_bind=True, raise_exceptions=True)

    def _seed(self) -> None:
        conn = self.admin()
        try:
            conn.add(BASE_DN, ["dcObject", "organization"], {"o": "Örnek Holding", "dc": "example"})
            conn.add(READER_DN, ["simpleSecurityObject", "organizationalRole"],
                     {"userPassword": READER_PASSWORD})
            conn.add(PEOPLE_DN, ["organizationalUnit"], {"ou": "people"})
        finally:
            conn.unbind()

    def add_people(self, people: Iterable[Person]) -> None:
        conn = self.admin()
        try:
            for person in people:
                attrs: dict[str, object] = {"cn": person.cn, "sn": person.sn, "uid": person.uid}
                if person.phones:
                    attrs["telephoneNumber"] = list(person.phones)
                if person.mobiles:
                    attrs["mobile"] = list(person.mobiles)
                if person.company:
                    attrs["o"] = person.company
                if person.display_name:
                    attrs["displayName"] = person.display_name
                conn.add(f"uid={person.uid},{PEOPLE_DN}", ["inetOrgPerson"], attrs)
        finally:
            conn.unbind()

    def modify(self, uid: str, changes: Mapping[str, str]) -> None:
        conn = self.admin()
        try:
            conn.modify(f"uid={uid},{PEOPLE_DN}",
                        {k: [(ldap3.MODIFY_REPLACE, [v])] for k, v in changes.items()})
        finally:
            conn.unbind()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT_S)

    def pause(self) -> None:
        """SIGSTOP: the server holds its sockets but answers nothing (a hung server)."""
        assert self._proc is not None
        self._proc.send_signal(19)

    def resume(self) -> None:
        assert self._proc is not None
        self._proc.send_signal(18)
