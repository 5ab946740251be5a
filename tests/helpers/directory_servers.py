"""Fixtures: a real OpenLDAP server and a real HTTP lookup server with Turkish contacts.

Import them into a ``conftest.py`` (``from tests.helpers.directory_servers import *``
is avoided: name them).  ``slapd`` is one server per test module (starting
slapd takes a moment); ``lookup_server`` is one per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.ldap_server import Person, SlapdServer
from tests.helpers.lookup_server import LookupServer

#: The people in the test directory: Turkish names in UTF-8, numbers in the
#: forms address books really hold them.
PEOPLE = (
    Person("sukru", "Şükrü Çağlayan", "Çağlayan", phones=("+90 532 123 45 67",),
           company="Örnek Dış Ticaret A.Ş.", display_name="Şükrü Çağlayan (Satış)"),
    Person("ipek", "İpek Öztürk", "Öztürk", mobiles=("+90-533-765-43-21",),
           company="Işık Gıda Ltd. Şti."),
    Person("gul", "Gül Ağaoğlu", "Ağaoğlu", phones=("+902125551234",)),
    # Two entries share the switchboard number: the first one found is used.
    Person("santral1", "Santral Bir", "Bir", phones=("+90 212 444 00 00",), company="Ortak"),
    Person("santral2", "Santral İki", "İki", phones=("+90 212 444 00 00",), company="Ortak"),
)

#: The HTTP lookup's contacts, keyed by the E.164 number the client sends.
HTTP_CONTACTS = {
    "+905321234567": {"name": "Şükrü Çağlayan (CRM)", "company": "Örnek", "notes": "VIP"},
    "+905551112233": {"name": "Çiğdem Ünlü", "company": "Güneş Enerji A.Ş.",
                      "email": "cigdem@gunes.com.tr", "notes": "Sözleşme yenileme\nhaziran"},
    "+905559998877": [{"name": "Liste Birinci"}, {"name": "Liste İkinci"}],
    "+905550000000": None,
}


@pytest.fixture(scope="module")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlapdServer]:
    server = SlapdServer(tmp_path_factory.mktemp("slapd")).start()
    try:
        server.add_people(PEOPLE)
        yield server
    finally:
        server.stop()


@pytest.fixture
def lookup_server() -> Iterator[LookupServer]:
    server = LookupServer(contacts=dict(HTTP_CONTACTS)).start()
    try:
        yield server
    finally:
        server.stop()
