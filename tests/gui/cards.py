"""Cards and a clock for the GUI tests."""

from __future__ import annotations

from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.numbers import parse_number

#: Text that would be markup (and load an image) if it were ever rendered as rich text.
HOSTILE = "<b>x</b><img src=x>"

#: 2026-03-12 10:00:00 UTC, a fixed "now".
NOW = 1_773_309_600.0


class FakeClock:
    """Wall-clock time that only moves when a test moves it."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_card(call_id: str = "call-1", state: CardState = CardState.RINGING,
              number: str = "05321234567", *, called: str | None = None,
              outcome: CardOutcome | None = None, **fields: object) -> CallerCard:
    """A card with *number* parsed; other fields as given."""
    if state is CardState.ENDED and outcome is None:
        outcome = CardOutcome.ANSWERED
    return CallerCard(
        call_id=call_id,
        state=state,
        number=parse_number(number),
        called=parse_number(called) if called is not None else None,
        outcome=outcome,
        **fields,  # type: ignore[arg-type]
    )


def known_card(call_id: str = "call-1", state: CardState = CardState.RINGING,
               **fields: object) -> CallerCard:
    """Ayşe Yılmaz of Yılmaz Tekstil, who called three times before."""
    values: dict[str, object] = {
        "extension": "1001", "called": "02125550000", "queue": "Satış", "contact_id": 7,
        "name": "Ayşe Yılmaz", "company": "Yılmaz Tekstil A.Ş.",
        "notes": "Fatura adresi değişti.", "previous_calls": 3,
        "last_call_at": NOW - 3 * 86400, "ringing_at": NOW,
    }
    values.update(fields)
    return make_card(call_id, state, **values)  # type: ignore[arg-type]
