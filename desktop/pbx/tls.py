"""Verifying TLS contexts: the operating system's trust store, plus an optional CA file.

`truststore <https://pypi.org/project/truststore/>`_ verifies server
certificates with the system's own machinery: the Windows certificate
store (CryptoAPI), the macOS keychain (Security framework), and on Linux
OpenSSL with the distribution's CA bundle (``/etc/ssl/certs`` on Debian,
``SSL_CERT_FILE``/``SSL_CERT_DIR`` honoured).  Call centres whose proxies
inspect TLS install their company CA in that store, and a frozen build
needs no CA bundle of its own that would go stale.  ``ca_file`` (the
setting ``[server] ca_file``: a private or test CA in PEM) is trusted in
addition.  Verification is never switched off.

Without truststore (a development install that lacks it) the context falls
back to Python's defaults plus certifi's bundle, as before.
"""

from __future__ import annotations

import logging
import ssl

log = logging.getLogger("kobikom.pbx.tls")


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """A client context that verifies host names and certificates (see the module docstring)."""
    try:
        import truststore
    except ImportError:
        ctx = ssl.create_default_context()
        try:
            import certifi

            ctx.load_verify_locations(cafile=certifi.where())
        except (ImportError, OSError):
            pass
    else:
        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file:
        ctx.load_verify_locations(cafile=ca_file)
    return ctx


def trust_store_name() -> str:
    """Which trust store :func:`tls_context` uses (for the about box and the self-test)."""
    try:
        import truststore  # noqa: F401
    except ImportError:
        return "Python defaults + certifi"
    return "system trust store (truststore)"
