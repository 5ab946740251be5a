"""The Turkish translation: complete, placeholders intact, compiled, and current.

``resources/translations/kobikom_tr.ts`` is the source; ``kobikom_tr.qm`` the
compiled file the app loads.  A developer who adds ``self.tr("…")`` without
translating it (``python tools/update_translations.py``, then fill in the
``.ts``) fails :func:`test_the_ts_covers_every_string_in_the_sources`.

Uses Qt's command-line tools (``pyside6-lupdate``/``pyside6-lrelease``, which
come with PySide6), no QApplication.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_tool() -> ModuleType:
    """``tools/update_translations.py``: the one list of sources and options."""
    path = ROOT / "tools" / "update_translations.py"
    spec = importlib.util.spec_from_file_location("update_translations", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _load_tool()
TS: Path = TOOL.TS
QM: Path = TOOL.QM

#: ``{0}``, ``{name}`` (str.format fields) and Qt's ``%n``, ``%1``, ``%L1``, ``%p``.
PLACEHOLDER = re.compile(r"\{\w*\}|%L?\d+|%[np]")
#: A keyboard accelerator: a single ``&`` before a character (``&&`` is a literal ``&``).
ACCELERATOR = re.compile(r"(?<!&)&(?!&)(?=\S)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    #: The translation, or each numerus form.
    texts: tuple[str, ...]
    unfinished: bool

    def __str__(self) -> str:
        return f"{self.context}: {self.source!r}"


def read_ts(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, (name, message.findtext("source"))
            if message.get("numerus") == "yes":
                texts = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                texts = (translation.text or "",)
            messages.append(Message(
                name, message.findtext("source") or "", texts,
                translation.get("type") in ("unfinished", "vanished", "obsolete")))
    return messages


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    found = read_ts(TS)
    assert len(found) > 500, "the .ts looks truncated"
    return found


def test_every_message_is_translated(messages: list[Message]) -> None:
    missing = [str(m) for m in messages
               if m.unfinished or not m.texts or not all(t.strip() for t in m.texts)]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_turkish_has_one_plural_form(messages: list[Message]) -> None:
    numerus = [m for m in messages if "%n" in m.source or len(m.texts) > 1]
    assert numerus, "expected plural messages (%n)"
    assert [str(m) for m in numerus if len(m.texts) != 1] == []


def test_placeholders_survive_translation(messages: list[Message]) -> None:
    broken = []
    for message in messages:
        wanted = sorted(PLACEHOLDER.findall(message.source))
        for text in message.texts:
            got = sorted(PLACEHOLDER.findall(text))
            # A numerus form may spell the number out ("1 arama" for "Called
            # once before"); it must never invent or drop a field .format() fills.
            if got != wanted:
                broken.append(f"{message}: {wanted} -> {got} in {text!r}")
    assert not broken, "placeholders changed:\n" + "\n".join(broken)


def test_accelerators_ellipses_and_layout_are_kept(messages: list[Message]) -> None:
    """``&`` keys, "…" (opens a window), line breaks and edge spaces (" s" suffixes)."""
    broken = []
    for message in messages:
        source = message.source
        for text in message.texts:
            if len(ACCELERATOR.findall(text)) != len(ACCELERATOR.findall(source)):
                broken.append(f"{message}: accelerator -> {text!r}")
            if source.endswith("…") != text.endswith("…"):
                broken.append(f"{message}: ellipsis -> {text!r}")
            if source.count("\n") != text.count("\n"):
                broken.append(f"{message}: line breaks -> {text!r}")
            if (source[:1].isspace(), source[-1:].isspace()) != \
                    (text[:1].isspace(), text[-1:].isspace()):
                broken.append(f"{message}: leading/trailing space -> {text!r}")
    assert not broken, "\n".join(broken)


def test_the_committed_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    subprocess.run([TOOL.tool("pyside6-lrelease"), str(TS), "-qm", str(fresh)],
                   check=True, capture_output=True)
    assert fresh.read_bytes() == QM.read_bytes(), (
        "kobikom_tr.qm is stale: run python tools/update_translations.py")


def test_the_ts_covers_every_string_in_the_sources(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    copy.write_bytes(TS.read_bytes())
    subprocess.run([TOOL.tool("pyside6-lupdate"), *map(str, TOOL.SOURCES), "-ts", str(copy),
                    "-no-obsolete", "-locations", "none", "-source-language", "en",
                    "-target-language", "tr_TR"], check=True, capture_output=True)
    before = {(m.context, m.source) for m in read_ts(TS)}
    after = read_ts(copy)
    new = [str(m) for m in after if (m.context, m.source) not in before or m.unfinished]
    assert not new, ("strings in the code that the .ts lacks (run python "
                     "tools/update_translations.py and translate them):\n" + "\n".join(new))
    gone = before - {(m.context, m.source) for m in after}
    assert not gone, f"the .ts keeps strings the code no longer has: {sorted(gone)}"
