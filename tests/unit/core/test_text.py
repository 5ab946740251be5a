"""Cleaning untrusted text and folding it the Turkish way."""

from __future__ import annotations

import pytest

from desktop.core.text import MAX_NAME, clean, search_fold, turkish_fold


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("IŞIK", "ışık"),
        ("İSMAİL", "ismail"),
        ("Işıl Ilgaz", "ışıl ılgaz"),
        ("ÇAĞRI ÖZGÜR ŞÜKRÜ", "çağrı özgür şükrü"),
        ("I\u0307STANBUL", "istanbul"),  # decomposed İ (I + combining dot above)
    ],
)
def test_turkish_fold(raw: str, folded: str) -> None:
    assert turkish_fold(raw) == folded


def test_turkish_fold_differs_from_python_lower() -> None:
    assert "IŞIK".lower() != turkish_fold("IŞIK")
    assert "İ".lower() != turkish_fold("İ")


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("IŞIK", "isik"),
        ("ışık", "isik"),
        ("İSMAİL", "ismail"),
        ("Yıldız Lojistik A.Ş.", "yildiz lojistik a.s."),
        ("Âşık Ûmit", "asik umit"),
        ("José Müller", "jose muller"),
        ("SAHIN", "sahin"),
    ],
)
def test_search_fold(raw: str, folded: str) -> None:
    assert search_fold(raw) == folded


def test_clean_strips_controls_and_bidi_and_keeps_markup_literal() -> None:
    assert clean("Ay\x00şe\x07 Yıl\x1bmaz") == "Ayşe Yılmaz"
    assert clean("\u202eevil\u202c name\ufeff") == "evil name"
    assert clean("<b>x</b><img src=x>") == "<b>x</b><img src=x>"
    assert clean("  two\n lines\r\n ") == "two lines"
    assert clean(None) == ""
    assert clean(12) == "12"


def test_clean_multiline_keeps_line_breaks_only() -> None:
    assert clean("a\r\nb\rc\x0bd\te", multiline=True) == "a\nb\ncd e"


def test_clean_caps_length() -> None:
    assert len(clean("ş" * 1000)) == MAX_NAME
    assert clean("abc def", 4) == "abc"
