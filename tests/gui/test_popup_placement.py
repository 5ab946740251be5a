"""Where popups go: the pure placement functions."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRect, QSize

from desktop.core.settings import PopupCorner
from desktop.ui.popup import popup_geometry, stack_geometries

AREA = QRect(100, 50, 1000, 700)  # right edge x=1100, bottom edge y=750 (exclusive)
SIZE = QSize(360, 170)


@pytest.mark.parametrize(
    ("corner", "top_left"),
    [
        (PopupCorner.TOP_LEFT, (116, 66)),
        (PopupCorner.TOP_RIGHT, (1100 - 16 - 360, 66)),
        (PopupCorner.BOTTOM_LEFT, (116, 750 - 16 - 170)),
        (PopupCorner.BOTTOM_RIGHT, (1100 - 16 - 360, 750 - 16 - 170)),
    ],
)
def test_each_corner_with_margin(corner: PopupCorner, top_left: tuple[int, int]) -> None:
    rect = popup_geometry(AREA, SIZE, corner, 0, 16)
    assert (rect.x(), rect.y()) == top_left
    assert rect.size() == SIZE
    assert AREA.contains(rect)


@pytest.mark.parametrize(
    ("corner", "dy"),
    [(PopupCorner.TOP_LEFT, 180), (PopupCorner.TOP_RIGHT, 180),
     (PopupCorner.BOTTOM_LEFT, -180), (PopupCorner.BOTTOM_RIGHT, -180)],
)
def test_offset_moves_away_from_the_corner(corner: PopupCorner, dy: int) -> None:
    first = popup_geometry(AREA, SIZE, corner, 0, 16)
    second = popup_geometry(AREA, SIZE, corner, 180, 16)
    assert second.x() == first.x()
    assert second.y() - first.y() == dy


def test_column_offset_moves_toward_the_centre() -> None:
    right = popup_geometry(AREA, SIZE, PopupCorner.BOTTOM_RIGHT, 0, 16, column_offset=370)
    left = popup_geometry(AREA, SIZE, PopupCorner.BOTTOM_LEFT, 0, 16, column_offset=370)
    assert right.x() == 1100 - 16 - 370 - 360
    assert left.x() == 116 + 370


@pytest.mark.parametrize("corner", list(PopupCorner))
def test_taller_and_wider_than_the_area_starts_at_its_top_left(corner: PopupCorner) -> None:
    area = QRect(1280, 0, 300, 120)
    rect = popup_geometry(area, SIZE, corner, 0, 16)
    assert rect.topLeft() == area.topLeft()
    assert rect.size() == SIZE


@pytest.mark.parametrize("corner", list(PopupCorner))
def test_a_too_large_offset_is_clamped_on_screen(corner: PopupCorner) -> None:
    rect = popup_geometry(AREA, SIZE, corner, 5000, 16)
    assert AREA.contains(rect)


@pytest.mark.parametrize("corner", list(PopupCorner))
def test_stack_has_no_overlap_and_fits(corner: PopupCorner) -> None:
    rects = stack_geometries(AREA, [SIZE, QSize(360, 240), SIZE], corner, 16, 10)
    assert len(rects) == 3
    for i, a in enumerate(rects):
        assert AREA.contains(a)
        for b in rects[i + 1:]:
            assert not a.intersects(b)
    # Spacing between neighbours is exactly 10 px.
    ordered = sorted(rects, key=QRect.y)
    for upper, lower in itertools.pairwise(ordered):
        assert lower.y() - (upper.y() + upper.height()) == 10


def test_stack_first_is_nearest_the_corner() -> None:
    rects = stack_geometries(AREA, [SIZE, SIZE], PopupCorner.BOTTOM_RIGHT, 16, 10)
    assert rects[0].bottom() > rects[1].bottom()
    rects = stack_geometries(AREA, [SIZE, SIZE], PopupCorner.TOP_LEFT, 16, 10)
    assert rects[0].top() < rects[1].top()


def test_a_full_column_continues_in_a_second_one() -> None:
    # 700 px high, margin 16: four 170 px popups with 10 px gaps need 710 px > 668.
    rects = stack_geometries(AREA, [SIZE] * 4, PopupCorner.BOTTOM_RIGHT, 16, 10)
    xs = sorted({r.x() for r in rects}, reverse=True)
    assert xs == [1100 - 16 - 360, 1100 - 16 - 360 - 10 - 360]
    assert rects[3].x() == xs[1]
    assert rects[3].bottom() == rects[0].bottom()  # the new column starts at the corner
    for i, a in enumerate(rects):
        assert AREA.contains(a)
        for b in rects[i + 1:]:
            assert not a.intersects(b)


@given(
    x=st.integers(-3000, 3000), y=st.integers(-3000, 3000),
    w=st.integers(1, 4000), h=st.integers(1, 3000),
    sizes=st.lists(st.tuples(st.integers(1, 800), st.integers(1, 900)), min_size=1,
                   max_size=12),
    corner=st.sampled_from(list(PopupCorner)),
    margin=st.integers(0, 40),
)
def test_every_popup_starts_on_screen(x: int, y: int, w: int, h: int,
                                      sizes: list[tuple[int, int]], corner: PopupCorner,
                                      margin: int) -> None:
    area = QRect(x, y, w, h)
    rects = stack_geometries(area, [QSize(*s) for s in sizes], corner, margin, 10)
    for rect, (sw, sh) in zip(rects, sizes, strict=True):
        assert area.contains(rect.topLeft())
        if sw <= w and sh <= h:
            assert area.contains(rect)
