"""Every REST response the simulator serves has the shape Kobikom's collection shows.

The test reads ``postman-collection.json`` itself (the source of truth; set
``KOBIKOM_API_COLLECTION`` to use another copy).  For each served route it
finds the collection's saved example responses by method + path (the item's
request URL; if that path is not served, the example's ``originalRequest``
URL, which catches the collection's copy-pasted examples such as the
click-to-call example saved under ``click-to-call-between-numbers``).  Routes
without a saved example are checked against the JSON documented in the
request's or its folders' HTML descriptions (KobiPBX login, vcdrs, the
wrapped list-user-extension).  Then it asserts the simulator's response has:

* the same HTTP status (when the example records one),
* the same content-type family (when the example records one),
* the same JSON shape: same keys recursively for objects (objects keyed by
  numeric ids are compared value-to-value), first element for arrays, same
  JSON types, where ``null`` on either side is compatible with anything.

``test_shape_checker_detects_altered_shapes`` proves the checker can fail.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
#: Kobikom's collection, when this machine has it (the development machines do).
LIVE_COLLECTION = Path(os.environ.get(
    "KOBIKOM_API_COLLECTION", ROOT.parent / "shared" / "kobikom-api" / "postman-collection.json"))
#: A values-free skeleton of it, committed (no credentials), for machines without it.
SKELETON = ROOT / "tests" / "fixtures" / "kobikom-collection-skeleton.json"
COLLECTION = LIVE_COLLECTION if LIVE_COLLECTION.is_file() else SKELETON


def test_committed_skeleton_matches_the_collection() -> None:
    """The skeleton must be regenerated when Kobikom's collection changes."""
    import importlib.util

    if not LIVE_COLLECTION.is_file():
        # Nothing to compare with here; the skeleton itself must still be usable.
        assert json.loads(SKELETON.read_text(encoding="utf-8"))["item"]
        return
    spec = importlib.util.spec_from_file_location(
        "collection_skeleton", ROOT / "tools" / "collection_skeleton.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    fresh = tool.make_skeleton(json.loads(LIVE_COLLECTION.read_text(encoding="utf-8")))
    assert json.loads(SKELETON.read_text(encoding="utf-8")) == fresh, (
        "regenerate with: python tools/collection_skeleton.py <collection> " + str(SKELETON))


# ---------------------------------------------------------------- the shape checker


def jtype(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _is_id_map(value: dict) -> bool:
    return bool(value) and all(isinstance(k, str) and k.isdigit() for k in value)


def shape_diff(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Differences in JSON shape; ``null`` on either side matches anything."""
    if expected is None or actual is None:
        return []
    te, ta = jtype(expected), jtype(actual)
    if te != ta:
        return [f"{where}: {te} expected, got {ta}"]
    if te == "array":
        if expected and actual:
            return shape_diff(expected[0], actual[0], f"{where}[0]")
        return []
    if te != "object":
        return []
    if _is_id_map(expected) and _is_id_map(actual):
        return shape_diff(next(iter(expected.values())), next(iter(actual.values())),
                          f"{where}.<id>")
    out = []
    if missing := sorted(expected.keys() - actual.keys()):
        out.append(f"{where}: missing keys {missing}")
    if extra := sorted(actual.keys() - expected.keys()):
        out.append(f"{where}: unexpected keys {extra}")
    for key in expected.keys() & actual.keys():
        out += shape_diff(expected[key], actual[key], f"{where}.{key}")
    return out


def test_shape_checker_detects_altered_shapes():
    reference = {"status": 1, "message": "giris basarili", "token": "x",
                 "rows": [{"id": "1", "n": 2}], "map": {"110": {"a": "b"}}}
    assert shape_diff(reference, json.loads(json.dumps(reference))) == []
    assert shape_diff(reference, {**reference, "status": "1"})  # number -> string
    assert shape_diff(reference, {k: v for k, v in reference.items() if k != "token"})
    assert shape_diff(reference, {**reference, "extra": True})
    assert shape_diff(reference, {**reference, "rows": [{"id": 1, "n": 2}]})  # nested type
    assert shape_diff(reference, {**reference, "map": {"111": {"a": 1}}})  # id-map values
    assert shape_diff(reference, {**reference, "rows": {"id": "1"}})  # array -> object
    assert shape_diff({"a": None}, {"a": "x"}) == []  # null allowed


# ---------------------------------------------------------------- reading the collection


@dataclass
class Reference:
    origin: str  # "example <name>" or "documented in <where>"
    body: Any  # parsed JSON, or None when the example is not JSON
    raw: str
    status: int | None = None
    content_type: str | None = None


@dataclass
class Item:
    name: str
    method: str
    path: str
    query: dict[str, str]
    examples: list[tuple[str, dict]]
    descriptions: list[str] = field(default_factory=list)
    request_body: Any = None


def _url_parts(url: Any) -> tuple[str, dict[str, str]]:
    raw = url.get("raw", "") if isinstance(url, dict) else (url or "")
    raw, _, query = raw.partition("?")
    raw = re.sub(r"^[a-z]+://", "", raw)
    if raw.startswith("{{"):
        raw = raw[raw.index("}}") + 2:]
    elif "/" in raw:
        raw = raw[raw.index("/"):]
    else:
        raw = "/"
    params = {}
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key:
            params[key] = value
    return raw or "/", params


def _items(node: dict, folders: list[str]) -> list[Item]:
    out: list[Item] = []
    for child in node.get("item", []):
        if "item" in child:
            out += _items(child, [*folders, child.get("description") or ""])
            continue
        request = child.get("request") or {}
        path, query = _url_parts(request.get("url"))
        body = (request.get("body") or {}).get("raw")
        try:
            request_body = json.loads(body) if body else None
        except ValueError:
            request_body = None
        out.append(Item(
            name=child.get("name", ""), method=request.get("method", "GET"), path=path,
            query=query, examples=[(r.get("name", ""), r) for r in child.get("response", [])],
            descriptions=[request.get("description") or "", *reversed(folders)],
            request_body=request_body))
    return out


def _documented_json(descriptions: list[str], request_body: Any) -> list[Any]:
    """JSON blocks of the HTML descriptions that are not the request body."""
    for text in descriptions:
        found = []
        for block in re.findall(r'<code class="language-json">(.*?)</code>', text, re.S):
            try:
                value = json.loads(html.unescape(block))
            except ValueError:
                continue
            if isinstance(request_body, dict) and isinstance(value, dict) and (
                    value.keys() <= request_body.keys()):
                continue
            found.append(value)
        if found:
            return found
    return []


def _content_type(headers: list[dict] | None) -> str | None:
    for header in headers or []:
        if header.get("key", "").lower() == "content-type":
            return header["value"]
    return None


# ---------------------------------------------------------------- what the simulator serves


@dataclass
class Route:
    method: str
    paths: tuple[str, ...]  # the first is requested; all are matched
    auth: str | None = None  # "jwt" | "bearer" | None
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None
    json: Any = None
    match_query: dict[str, str] = field(default_factory=dict)
    variant: str = "default"  # which simulator answers the example check
    doc_variant: str | None = None  # also check the documented JSON with this one
    unreferenced: str | None = None  # why there is neither example nor documentation


ROUTES = [
    Route("POST", ("/login",), data={"usermail": "{panel_user}", "userpass": "{panel_pass}"}),
    Route("POST", ("/central/dial",), "jwt", data={"extension": "1001",
                                                   "number": "02163347190"}),
    Route("GET", ("/getcdr",), "jwt", params={"dateStart": "2020-01-01",
                                              "dateEnd": "2099-12-31"}),
    Route("GET", ("/v1/getcdr",), "jwt"),
    Route("GET", ("/getCDRFromUniqueID/{id}",), "jwt"),
    Route("GET", ("/v1/getCDRFromUniqueID/{id}", "/test/{id}"), "jwt"),
    Route("GET", ("/missedcalls",), "jwt"),
    Route("GET", ("/downloadRecording",), params={"name": "recording.WAV", "i": "{recording}",
                                                  "a": "{jwt}"}),
    Route("GET", ("/central/getQRCode/{extension}",), "jwt"),
    Route("GET", ("/central/getQRCodeZoiper/{extension}",), "jwt"),
    Route("GET", ("/getGroupList",), "jwt"),
    Route("POST", ("/createContact",), "jwt", data={
        "firma": "Ege Tekstil", "ad": "Cem", "soyad": "Aksoy", "telefon": "05325550187",
        "eposta": "", "diger": "", "tur": "2", "grup": "2601"}),
    Route("GET", ("/contacts/export/{token}",),
          unreferenced="no example; format undocumented (we serve Yealink XML)"),
    Route("GET", ("/getCentralData/{modules}",), "jwt"),
    Route("POST", ("/api/v1/login",), json={"email": "{pbx_user}", "password": "{pbx_pass}"}),
    Route("POST", ("/api/v1/clicktocall",), "bearer", json={
        "extensionNumber": "1001", "destinationNumber": "05427730516",
        "domainUuid": "{domain}"}),
    Route("GET", ("/api/v1/vcdrs/{domain}",), "bearer"),
    Route("GET", ("/api/v1/list-user-extension/{domain}",), "bearer", variant="unwrapped",
          doc_variant="default"),
    Route("GET", ("/api/v1/list-user-callcenters/{domain}",), "bearer"),
    Route("GET", ("/api/message/send",), params={"api_token": "{sms_token}", "to": "905324118027",
                                                 "from": "DEMOFIRMA", "message": "Merhaba"}),
    Route("POST", ("/api/message",), params={"api_token": "{sms_token}"}, json={
        "campaign": "Kampanya", "from": "DEMOFIRMA", "message": "Mesaj",
        "to": ["+905553026679", "+905366604428"]}),
    Route("GET", ("/api/message",), params={"api_token": "{sms_token}"}),
    Route("GET", ("/api/message/{uuid}",), params={"api_token": "{sms_token}"}),
    Route("GET", ("/api/subscription",), params={"api_token": "{sms_token}"}),
    Route("GET", ("/api/balance",), params={"api_token": "{sms_token}"}),
    Route("GET", ("/api/charges",), params={"api_token": "{sms_token}"}),
    Route("GET", ("/sms/api",), params={"action": "send-sms", "api_key": "{sms_key}",
                                        "to": "905427730516", "from": "DEMOFIRMA",
                                        "sms": "Test", "unicode": "1"},
          match_query={"action": "send-sms"}),
    Route("GET", ("/sms/api",), params={"action": "check-balance", "api_key": "{sms_key}",
                                        "response": "json"},
          match_query={"action": "check-balance"}),
    Route("POST", ("/sms/api/multiple",), params={"action": "send-sms", "api_key": "{sms_key}"},
          json=[{"from": "DEMOFIRMA", "to": "905324118027", "sms": "Mesaj 1",
                 "unicode": "turkish"}]),
    Route("GET", ("/sms/api/sender-id",), params={"action": "list", "api_key": "{sms_key}"}),
    Route("GET", ("/sms/api/history",), params={"action": "filtered", "api_key": "{sms_key}",
                                                "response": "json"}),
    Route("GET", ("/sms/api/transaction-history",), params={"action": "get",
                                                            "api_key": "{sms_key}"}),
]


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


def _matches(route: Route, method: str, path: str, query: dict[str, str]) -> bool:
    return (method == route.method
            and any(_template_regex(p).match(path) for p in route.paths)
            and all(query.get(k) == v for k, v in route.match_query.items()))


def _owner(method: str, path: str, query: dict[str, str]) -> Route | None:
    """The route that serves a request (the first match, like aiohttp's router)."""
    return next((r for r in ROUTES if _matches(r, method, path, query)), None)


def references_for(route: Route, items: list[Item]) -> list[Reference]:
    refs: list[Reference] = []
    for item in items:
        owner = _owner(item.method, item.path, item.query)
        for name, example in item.examples:
            if owner is None:
                original = example.get("originalRequest") or {}
                path, query = _url_parts(original.get("url"))
                if _owner(original.get("method", item.method), path, query) is not route:
                    continue
            elif owner is not route:
                continue
            raw = example.get("body") or ""
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            if not raw and example.get("code") is None:
                continue  # an empty placeholder example
            refs.append(Reference(f"example {item.name!r}/{name!r}", body, raw,
                                  example.get("code"), _content_type(example.get("header"))))
    return refs


def documented_for(route: Route, items: list[Item]) -> list[Reference]:
    out = []
    for item in items:
        if _owner(item.method, item.path, item.query) is route:
            for value in _documented_json(item.descriptions, item.request_body):
                out.append(Reference(f"documented for {item.name!r}", value, json.dumps(value)))
    return out


@pytest.fixture(scope="module")
def collection_items() -> list[Item]:
    return _items(json.loads(COLLECTION.read_text(encoding="utf-8")), [])


async def test_route_table_matches_the_live_router(make_sim):
    sim = await make_sim()
    live = set(sim.served_routes())
    listed = {(r.method, p) for r in ROUTES for p in r.paths}
    assert live == listed


async def test_responses_have_the_collections_shapes(make_sim, http, collection_items):
    variants = {
        "default": await make_sim(flavor="tekil", seed_history=10, random_seed=11),
        "unwrapped": await make_sim(flavor="bulut", seed_history=3,
                                    list_extension_shape="unwrapped"),
    }
    ctx: dict[str, dict[str, str]] = {}
    for key, sim in variants.items():
        call_id = await sim.ring(extension="1001", caller="05324118027", queue="60000",
                                 other_extensions=("1002",), answer_after=0.05,
                                 hangup_after=0.05)
        missed = await sim.ring(extension="1003", caller="02242219854", hangup_after=0.05)
        await sim.wait_call_end(call_id)
        await sim.wait_call_end(missed)
        async with http.post(f"{sim.http_base}/login", data={
                "usermail": sim.cfg.panel_user, "userpass": sim.cfg.panel_password}) as resp:
            jwt = json.loads(await resp.text())["token"]
        async with http.post(f"{sim.http_base}/api/v1/login", json={
                "email": sim.cfg.kobipbx_user, "password": sim.cfg.kobipbx_password}) as resp:
            bearer = (await resp.json())["token"]["token"]
        async with http.get(f"{sim.http_base}/api/message/send", params={
                "api_token": sim.cfg.sms_token, "to": "05553026679", "from": "DEMOFIRMA",
                "message": "Hoş geldiniz"}) as resp:
            sms_uuid = (await resp.json())["data"][0]["uuid"]
        record = next(r for r in sim.cdr if r["call_id"] == call_id)
        ctx[key] = {
            "jwt": jwt, "token": jwt, "bearer": bearer, "id": record["unique_id"],
            "extension": "1001",
            "domain": sim.cfg.domain_uuid, "uuid": sms_uuid,
            "modules": "queue;extension;ivr;timeinfo",
            "recording": record["recording"], "panel_user": sim.cfg.panel_user,
            "panel_pass": sim.cfg.panel_password, "pbx_user": sim.cfg.kobipbx_user,
            "pbx_pass": sim.cfg.kobipbx_password, "sms_token": sim.cfg.sms_token,
            "sms_key": sim.cfg.sms_api_key,
        }

    def fill(value: Any, values: dict[str, str]) -> Any:
        if isinstance(value, str):
            return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), value)
        if isinstance(value, dict):
            return {k: fill(v, values) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v, values) for v in value]
        return value

    async def call(route: Route, variant: str) -> tuple[int, str, bytes]:
        sim, values = variants[variant], ctx[variant]
        headers = {}
        if route.auth == "jwt":
            headers["Authorization"] = f"Bearer {values['jwt']}"
        elif route.auth == "bearer":
            headers["Authorization"] = f"Bearer {values['bearer']}"
        async with http.request(route.method, sim.http_base + fill(route.paths[0], values),
                                params=fill(route.params, values), data=fill(route.data, values),
                                json=fill(route.json, values), headers=headers) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), await resp.read()

    problems: list[str] = []
    checked = 0
    for route in ROUTES:
        refs = [(r, route.variant) for r in references_for(route, collection_items)]
        if not refs or route.doc_variant:
            refs += [(r, route.doc_variant or route.variant)
                     for r in documented_for(route, collection_items)]
        label = f"{route.method} {route.paths[0]}"
        if route.match_query:
            label += f" {route.match_query}"
        if not refs:
            if route.unreferenced is None:
                problems.append(f"{label}: no example and no documented response found")
            continue
        responses: dict[str, tuple[int, str, bytes]] = {}
        for ref, variant in refs:
            if variant not in responses:
                responses[variant] = await call(route, variant)
            status, content_type, body = responses[variant]
            checked += 1
            where = f"{label} vs {ref.origin}"
            if ref.status is not None and status != ref.status:
                problems.append(f"{where}: status {status}, expected {ref.status}")
            if ref.content_type is not None:
                want = ref.content_type.split(";")[0].strip().lower()
                got = content_type.split(";")[0].strip().lower()
                if want != got:
                    problems.append(f"{where}: content type {got!r}, expected {want!r}")
            if ref.body is None:
                try:
                    json.loads(body)
                except ValueError:
                    continue
                problems.append(f"{where}: JSON served where the example is not JSON")
                continue
            try:
                actual = json.loads(body)
            except ValueError:
                problems.append(f"{where}: not JSON: {body[:80]!r}")
                continue
            problems += [f"{where}: {p}" for p in shape_diff(ref.body, actual)]
    assert not problems, "\n".join(problems)
    assert checked >= len(ROUTES) - 1
