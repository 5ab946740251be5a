"""The ``[board]`` section of the settings file (issue 15 §1: the waiting badge)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.settings import (
    Settings,
    SettingsError,
    load_settings,
    read_settings,
    save_settings,
)


def test_the_board_section_is_read_and_saved(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[board]\nwaiting_badge = false\nqueues = ["60000", "SATIS-KUYRUKQ"]\n',
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.board.waiting_badge is False
    assert settings.board.queues == ["60000", "SATIS-KUYRUKQ"]
    save_settings(settings, tmp_path / "again.toml")
    assert load_settings(tmp_path / "again.toml").board == settings.board
    assert Settings().board.waiting_badge is True  # on unless switched off


def test_a_wrong_type_in_the_board_section_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[board]\nwaiting_badge = "maybe"\nqueues = 60000\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        read_settings(path)
    text = str(caught.value)
    assert "[board] waiting_badge" in text
    assert "[board] queues" in text
