"""The agent-view benchmark's goal table: the verdicts follow the figures, and the
table lines up (it is pasted as it is into a closing note)."""

from __future__ import annotations

import math

from bench.agentview.summary import goal_table, limit_row, ratio_row


def test_a_ratio_goal_is_met_up_to_its_limit_and_not_beyond() -> None:
    met = ratio_row("popup latency p50", 7.5, 5.0, "ms", 1.5)
    missed = ratio_row("popup latency p50", 7.6, 5.0, "ms", 1.5)
    assert (met.figure, met.ok, met.verdict) == ("1.50x", True, "PASS")
    assert (missed.figure, missed.ok, missed.verdict) == ("1.52x", False, "FAIL")
    assert (met.app, met.bare, met.goal) == ("7.5 ms", "5.0 ms", "<= 1.5x")


def test_a_ratio_against_a_zero_floor_fails_rather_than_dividing_by_zero() -> None:
    row = ratio_row("CPU per call", 3.0, 0.0, "ms", 4)
    assert not row.ok
    assert math.isinf(float(row.figure.rstrip("x")))


def test_a_limit_goal_is_strict() -> None:
    assert limit_row("RSS", 149.4, 60.0, "MB", 150, decimals=0).ok
    assert not limit_row("RSS", 150.0, 60.0, "MB", 150, decimals=0).ok
    idle = limit_row("idle wake-ups", 0.123, None, "/s", 0.5, decimals=2)
    assert (idle.app, idle.bare, idle.goal, idle.verdict) == ("0.12 /s", "-", "< 0.5 /s", "PASS")
    assert idle.as_json()["verdict"] == "PASS"


def test_the_table_counts_the_goals_met_and_aligns_its_columns() -> None:
    rows = [ratio_row("popup latency p50", 9.0, 4.5, "ms", 1.5),
            limit_row("RSS after 200 calls", 120.0, 60.0, "MB", 150, decimals=0)]
    lines = goal_table(rows, load_before=1.25, load_after=2.5, cpus=2)
    assert lines[0] == ("=== issue 14 goals: 1 of 2 met (load average 1.25 before, "
                        "2.50 after; 2 CPUs) ===")
    header, fail, ok = lines[1:]
    assert fail.endswith("FAIL")
    assert ok.endswith("PASS")
    assert header.index("result") == fail.index("FAIL") == ok.index("PASS")
    assert header.index("figure") == fail.index("2.00x")
