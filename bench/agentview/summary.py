"""The agent-view benchmark's closing table: one line per goal of issue 14, PASS or FAIL.

Meant to be pasted as it is into a closing note: every line says what was
measured on both sides, the figure the goal is about (a ratio to the bare
script, or an absolute value), the goal and the verdict; the header carries
the load average before and after the run, without which the figures mean
little on a shared machine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class GoalRow:
    """One goal: what both sides measured, the judged figure, the goal, the verdict."""

    name: str
    app: str
    bare: str
    figure: str
    goal: str
    ok: bool

    @property
    def verdict(self) -> str:
        return "PASS" if self.ok else "FAIL"

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"verdict": self.verdict}


def ratio_row(name: str, app: float, bare: float, unit: str, goal: float) -> GoalRow:
    """A goal on app / bare (e.g. latency p50 at most 1.5x the bare script's)."""
    figure = app / bare if bare else float("inf")
    return GoalRow(name, f"{app:.1f} {unit}", f"{bare:.1f} {unit}", f"{figure:.2f}x",
                   f"<= {goal:g}x", figure <= goal)


def limit_row(name: str, app: float, bare: float | None, unit: str, goal: float, *,
              decimals: int = 1) -> GoalRow:
    """A goal on the app's own figure (e.g. RSS under 150 MB)."""
    shown = f"{app:.{decimals}f} {unit}"
    return GoalRow(name, shown, "-" if bare is None else f"{bare:.{decimals}f} {unit}",
                   shown, f"< {goal:g} {unit}", app < goal)


def goal_table(rows: list[GoalRow], *, load_before: float, load_after: float,
               cpus: int | None) -> list[str]:
    """The table's lines (header, one line per goal, a count of the goals met)."""
    header = ("goal", "app", "bare", "figure", "goal", "result")
    body = [(r.name, r.app, r.bare, r.figure, r.goal, r.verdict) for r in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    met = sum(r.ok for r in rows)
    lines = [f"=== issue 14 goals: {met} of {len(rows)} met (load average {load_before:.2f} "
             f"before, {load_after:.2f} after; {cpus} CPUs) ==="]
    for line in [header, *body]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths,
                                                                      strict=True)).rstrip())
    return lines
