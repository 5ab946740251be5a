#!/usr/bin/env python3
"""Make a values-free skeleton of Kobikom's Postman collection for the test suite.

The conformance test (``tests/unit/simulator/test_conformance.py``) checks every
simulator response against the *shapes* in Kobikom's collection.  The
collection itself contains example credentials, which must not be copied into
this repository, and it may not be present on a CI machine.  This tool keeps
only what the test reads:

* the folder/item tree, item names, request methods;
* URLs as path + query *keys* (every query value becomes ``"x"``);
* example responses: status code, Content-Type, and the body as a JSON
  skeleton in which every string becomes ``"s"`` and every number ``0``
  (booleans and nulls stay: they are types, not data); non-JSON bodies become
  a fixed non-JSON marker;
* the JSON blocks of the HTML descriptions and the raw request bodies, as
  skeletons too.

Headers (other than Content-Type), auth blocks, variables and every value are
dropped.  Regenerate after the collection changes::

    python tools/collection_skeleton.py ../shared/kobikom-api/postman-collection.json \\
        tests/fixtures/kobikom-collection-skeleton.json
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

NOT_JSON = "<not json>"
_CODE = re.compile(r'<code class="language-json">(.*?)</code>', re.S)


def skeleton(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): skeleton(v) for k, v in value.items()}
    if isinstance(value, list):
        return [skeleton(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return 0
    return "s"


def _json_text(raw: Any) -> str:
    if not raw:
        return ""
    try:
        return json.dumps(skeleton(json.loads(raw)), ensure_ascii=False)
    except (TypeError, ValueError):
        return NOT_JSON


#: Query parameters that carry credentials: their values are replaced.
_SECRET_PARAMS = frozenset({"api_key", "api_token", "apikey", "a", "token", "password",
                            "userpass", "customer_mail"})
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-Fx]{4}-[0-9a-fA-Fx]{4}-[0-9a-fA-Fx]{4,5}-[0-9a-fA-Fx]+")
_DUMMY_UUID = "00000000-0000-4000-8000-000000000000"


def _url(url: Any) -> dict[str, str]:
    """Path with UUIDs (KobiPBX domains act as credentials) replaced; query values
    kept (``action=send-sms`` selects the endpoint) except credentials."""
    raw = url.get("raw", "") if isinstance(url, dict) else (url or "")
    base, _, query = raw.partition("?")
    base = _UUID.sub(_DUMMY_UUID, base)
    pairs = []
    for pair in query.split("&"):
        key, eq, value = pair.partition("=")
        if not key:
            continue
        if key.lower() in _SECRET_PARAMS or "@" in value or _UUID.search(value):
            value = "x"
        pairs.append(f"{key}{eq}{value}")
    return {"raw": base + ("?" + "&".join(pairs) if pairs else "")}


def _description(text: Any) -> str:
    if not text:
        return ""
    blocks = []
    for block in _CODE.findall(str(text)):
        try:
            value = json.loads(html.unescape(block))
        except ValueError:
            continue
        blocks.append('<code class="language-json">'
                      + html.escape(json.dumps(skeleton(value), ensure_ascii=False))
                      + "</code>")
    return "\n".join(blocks)


def _request(request: Any) -> dict[str, Any]:
    request = request or {}
    out: dict[str, Any] = {"method": request.get("method", "GET"), "url": _url(request.get("url"))}
    desc = _description(request.get("description"))
    if desc:
        out["description"] = desc
    raw = (request.get("body") or {}).get("raw")
    if raw:
        out["body"] = {"raw": _json_text(raw)}
    return out


def _content_type_header(headers: Any) -> list[dict[str, str]]:
    for h in headers or []:
        if isinstance(h, dict) and str(h.get("key", "")).lower() == "content-type":
            return [{"key": "Content-Type", "value": str(h.get("value", ""))}]
    return []


def _item(node: dict[str, Any]) -> dict[str, Any]:
    if "item" in node:
        out: dict[str, Any] = {"name": node.get("name", ""),
                               "item": [_item(child) for child in node["item"]]}
        desc = _description(node.get("description"))
        if desc:
            out["description"] = desc
        return out
    responses = []
    for resp in node.get("response", []):
        entry: dict[str, Any] = {"name": resp.get("name", ""),
                                 "body": _json_text(resp.get("body"))}
        if resp.get("code") is not None:
            entry["code"] = resp["code"]
        header = _content_type_header(resp.get("header"))
        if header:
            entry["header"] = header
        if resp.get("originalRequest"):
            original = _request(resp["originalRequest"])
            entry["originalRequest"] = {"method": original["method"], "url": original["url"]}
        responses.append(entry)
    return {"name": node.get("name", ""), "request": _request(node.get("request")),
            "response": responses}


def make_skeleton(collection: dict[str, Any]) -> dict[str, Any]:
    return {"info": {"name": (collection.get("info") or {}).get("name", ""),
                     "note": "values-free skeleton; see tools/collection_skeleton.py"},
            "item": [_item(child) for child in collection.get("item", [])]}


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    collection = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    Path(argv[2]).parent.mkdir(parents=True, exist_ok=True)
    Path(argv[2]).write_text(json.dumps(make_skeleton(collection), ensure_ascii=False, indent=1)
                             + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
