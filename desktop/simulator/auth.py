"""Credentials the simulated services hand out and check.

* Tekil panel ``POST /login`` returns a JWT.  The docs say only that "the JWT
  carries its own expiry date information"; we issue a real HS256 JWT
  (hand-built with hmac/base64/json) whose payload has ``iss``, ``iat``,
  ``nbf``, ``exp`` (seconds since the epoch), ``jti`` and ``sub`` (the panel
  e-mail), so a client can read its expiry without verifying it.  The
  signing key is random per simulator.
* KobiPBX ``POST /api/v1/login`` returns a Laravel Sanctum-style token
  ``"<n>|<48 alphanumerics>"`` (the observed format).  Its lifetime is not
  documented; the simulator lets it expire after ``token_ttl`` seconds too.
* Both kinds of token are remembered server-side: :meth:`expire_all` (the
  ``expire_tokens()`` test hook) makes every issued token invalid at once,
  as if the server had rotated its keys.
* SMS ``api_token`` / ``api_key`` and the Tekil API key are static
  configuration values.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
import time
from typing import Any

from .config import SimulatorConfig

_ALNUM = string.ascii_letters + string.digits


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authority:
    """Issues and checks the tokens of one simulated tenant."""

    def __init__(self, cfg: SimulatorConfig) -> None:
        self.cfg = cfg
        self._key = secrets.token_bytes(32)
        self._jwts: dict[str, float] = {}  # token -> exp
        self._bearers: dict[str, float] = {}  # token -> exp
        self._bearer_seq = 0

    # ------------------------------------------------------------ Tekil JWT

    def issue_jwt(self, subject: str) -> str:
        now = int(time.time())
        exp = now + int(self.cfg.token_ttl)
        header = {"typ": "JWT", "alg": "HS256"}
        payload = {"iss": "panelapi.kobikom.com.tr", "iat": now, "nbf": now, "exp": exp,
                   "jti": secrets.token_hex(8), "sub": subject}
        signing_input = ".".join(
            _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload))
        signature = hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{_b64url(signature)}"
        self._jwts[token] = float(exp)
        return token

    def check_jwt(self, token: str | None) -> bool:
        if not token or token not in self._jwts:
            return False
        try:
            signing_input, _, signature = token.rpartition(".")
            expected = hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _b64url_decode(signature)):
                return False
            payload: dict[str, Any] = json.loads(_b64url_decode(signing_input.split(".")[1]))
        except (ValueError, IndexError):
            return False
        return float(payload.get("exp", 0)) > time.time()

    # ------------------------------------------------------------ KobiPBX bearer

    def issue_bearer(self) -> str:
        self._bearer_seq += 1
        token = f"{self._bearer_seq}|" + "".join(secrets.choice(_ALNUM) for _ in range(48))
        self._bearers[token] = time.time() + self.cfg.token_ttl
        return token

    def check_bearer(self, token: str | None) -> bool:
        exp = self._bearers.get(token or "")
        return exp is not None and exp > time.time()

    # ------------------------------------------------------------ static keys

    def check_api_key(self, key: Any) -> bool:
        return isinstance(key, str) and bool(key) and hmac.compare_digest(key, self.cfg.api_key)

    def expire_all(self) -> None:
        self._jwts.clear()
        self._bearers.clear()


def bearer_from(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def redact_authorization(value: str) -> str:
    """``Bearer abc...`` -> ``Bearer <len 123>`` (never log a secret)."""
    scheme, _, token = value.partition(" ")
    if token:
        return f"{scheme} <len {len(token)}>"
    return f"<len {len(value)}>"
