"""Log scrubbing: secrets never reach a record; phone numbers are masked at INFO (KVKK)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop.core.logs import mask_numbers, redact, register_secret, setup_logging


@pytest.mark.parametrize(("text", "expected"), [
    ("from +905321234567", "from +**********67"),
    ("from 0532 123 45 67", "from *********67"),
    ("from 05321234567.", "from 05321234567."),  # glued to '.', could be an id: left alone
    ("ext 1001 rang", "ext 1001 rang"),  # extensions are not personal data
    ("call 12345678-3f39-4a6b-9c3d-000000000001", "call 12345678-3f39-4a6b-9c3d-000000000001"),
    ("id 1520317155.59", "id 1520317155.59"),
    ("call 5b0c0e4e-1d2f-4a6b-9c3d-000000000001", "call 5b0c0e4e-1d2f-4a6b-9c3d-000000000001"),
])
def test_mask_numbers(text: str, expected: str) -> None:
    assert mask_numbers(text) == expected


def test_redact_registered_secret_bearer_jwt_and_query_credentials() -> None:
    register_secret("s3cr3t-api-key-value")
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjEwMDB9.c2lnbmF0dXJl"
    text = redact(f"key s3cr3t-api-key-value; Authorization: Bearer abcdefghijk12345; {jwt}; "
                  "GET /api/balance?api_token=tok123456&x=1")
    assert "s3cr3t-api-key-value" not in text
    assert "abcdefghijk12345" not in text
    assert jwt not in text
    assert "tok123456" not in text
    assert "x=1" in text


@pytest.fixture
def restore_kobikom_logger():
    logger = logging.getLogger("kobikom")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    for handler in logger.handlers:
        handler.close()
    logger.handlers[:], logger.level, logger.propagate = saved


@pytest.mark.usefixtures("restore_kobikom_logger")
def test_log_file_holds_no_secret_and_masks_numbers_at_info(tmp_path: Path) -> None:
    log_file = tmp_path / "app.log"
    setup_logging(log_file=log_file, debug=True, stderr=False)
    log = logging.getLogger("kobikom.test")
    register_secret("hunter2-password")
    log.info("login with %s from %s", "hunter2-password", "+905321234567")
    log.debug("debug keeps %s", "+905321234567")
    try:
        raise ValueError("boom hunter2-password")
    except ValueError:
        log.exception("failed")
    for handler in logging.getLogger("kobikom").handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "hunter2-password" not in text
    assert "login with <secret> from +**********67" in text
    assert "debug keeps +905321234567" in text
    assert "ValueError: boom <secret>" in text


def test_the_log_file_rotates_at_its_size_counting_what_it_wrote(tmp_path: Path) -> None:
    from desktop.core.logs import LogFile

    path = tmp_path / "app.log"
    path.write_text("x" * 900, encoding="utf-8")  # a log left by the last run counts too
    handler = LogFile(path, max_bytes=1000, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("kobikom.test.rotation")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(60):
            logger.warning("satır %02d: çağrı ğüşiöç", n)  # multi-byte: bytes, not characters
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(tmp_path.glob("app.log*"))
    assert [f.name for f in files] == ["app.log", "app.log.1", "app.log.2"]
    line = len("satır 00: çağrı ğüşiöç\n".encode())
    for f in files:
        assert f.stat().st_size < 1000 + line, f.name
    assert "satır 59" in path.read_text(encoding="utf-8")
    assert (tmp_path / "app.log.1").stat().st_size >= 1000 - line  # rotated when full, not early

