"""Which calls get a popup window, which wait, and the one missed-calls summary.

A flood of calls must never become a flood of windows.  :class:`PopupQueue`
holds the decision, without Qt, so the popup windows (``desktop.ui.popup``)
only place and fill what it says:

* At most :data:`MAX_CALL_POPUPS` calls have a popup ("a slot").  Ringing
  calls come first, then calls in progress, then ended calls whose popup is
  still up (it closes itself a few seconds after the hang-up).  A call of a
  higher rank takes the slot of the lowest-ranked popup, unless the mouse is
  on that popup (:meth:`PopupQueue.pin`): nothing moves from under the
  agent's hand.  Calls that do not fit wait, in arrival order, and are
  counted (the tray sums them up); they get a slot as soon as one frees.
* A missed call never has a popup of its own: it is counted in one
  :class:`MissedSummary` ("N missed calls" with the latest callers), which
  the agent dismisses once for all of them (:meth:`PopupQueue.clear_missed`).
* A call whose popup was closed does not come back with later updates,
  unless it rings anew after it had ended, or the agent asks for it
  (``force``); a missed call is counted once.
* A queue call passed on to a colleague (``CardState.PASSED_ON``: no longer
  ringing here, its verdict pending) loses its popup at once, like a missed
  call, but is not counted: only its final card, if missed, is.  It gets a
  popup again if the queue rings the agent once more.

Every operation costs the same with 3 or 3,000 calls: the waiting calls are
insertion-ordered dicts (O(1) add, remove, oldest), the slots a short list,
and the summary keeps the count and the latest few cards only.  The memory
of closed calls is bounded.
"""

from __future__ import annotations

import enum
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Final

from desktop.core.caller_card import CallerCard, CardState

#: Call popups on screen at most (the missed-calls card comes on top of these).
MAX_CALL_POPUPS: Final = 3
#: Callers the missed-calls card names (the newest first).
MISSED_LATEST: Final = 3
#: How many closed or counted call ids are remembered, so late updates of a
#: call whose popup was closed (or that was counted as missed) change nothing.
SETTLED_MEMORY: Final = 4096


class Rank(enum.IntEnum):
    """Who gets a slot first: ringing, then in progress, then ended."""

    ENDED = 0
    IN_PROGRESS = 1
    RINGING = 2


def rank_of(card: CallerCard) -> Rank:
    if card.state is CardState.RINGING:
        return Rank.RINGING
    if card.state in (CardState.ANSWERED, CardState.ON_HOLD):
        return Rank.IN_PROGRESS
    return Rank.ENDED


@dataclass(frozen=True, slots=True)
class MissedSummary:
    """What the missed-calls card shows."""

    #: Missed calls since the agent last dismissed the card.
    count: int = 0
    #: The newest missed calls' cards, newest first (at most :data:`MISSED_LATEST`).
    latest: tuple[CallerCard, ...] = ()

    @property
    def newest(self) -> CallerCard | None:
        return self.latest[0] if self.latest else None


class PopupQueue:
    """The decision of which calls have a popup; see the module docstring."""

    def __init__(self, max_popups: int = MAX_CALL_POPUPS, *,
                 missed_latest: int = MISSED_LATEST,
                 settled_memory: int = SETTLED_MEMORY) -> None:
        self.max_popups = max(1, max_popups)
        self._settled_memory = max(1, settled_memory)
        #: Calls with a slot, in stack order (the first is nearest the corner).
        self._shown: dict[str, CallerCard] = {}
        #: Calls waiting for a slot, oldest first, by rank.
        self._waiting: dict[Rank, dict[str, CallerCard]] = {
            Rank.RINGING: {}, Rank.IN_PROGRESS: {}}
        self._pinned: set[str] = set()
        #: Closed popups: call id -> the state its card had last.
        self._closed: OrderedDict[str, CardState] = OrderedDict()
        #: Missed calls counted (in the current summary or an earlier one).
        self._counted: OrderedDict[str, None] = OrderedDict()
        self._missed_ids: dict[str, None] = {}
        self._missed_latest: deque[CallerCard] = deque(maxlen=max(1, missed_latest))
        self._missed_version = 0
        self._last_card: CallerCard | None = None

    # -- what to show ---------------------------------------------------------------

    def shown(self) -> list[CallerCard]:
        """The cards that have a popup, in stack order."""
        return list(self._shown.values())

    def is_shown(self, call_id: str) -> bool:
        return call_id in self._shown

    def card(self, call_id: str) -> CallerCard | None:
        """The latest card of a call with a slot or waiting for one."""
        found = self._shown.get(call_id)
        if found is None:
            for waiting in self._waiting.values():
                found = waiting.get(call_id)
                if found is not None:
                    break
        return found

    def waiting_count(self) -> int:
        """Live calls without a popup (the tray sums them up)."""
        return sum(len(waiting) for waiting in self._waiting.values())

    def missed(self) -> MissedSummary:
        return MissedSummary(len(self._missed_ids), tuple(self._missed_latest))

    @property
    def missed_version(self) -> int:
        """Changes whenever :meth:`missed` does (cheap change detection)."""
        return self._missed_version

    def missed_ids(self) -> list[str]:
        """The call ids the missed summary counts, oldest first."""
        return list(self._missed_ids)

    @property
    def last_card(self) -> CallerCard | None:
        """The newest card offered (for "show the last call again")."""
        return self._last_card

    # -- changes --------------------------------------------------------------------

    def offer(self, card: CallerCard, *, replaces: str | None = None, force: bool = False,
              enabled: bool = True) -> bool:
        """A call's card is new or changed; True if the call has a popup now.

        *replaces* is a call id whose popup now belongs to this call (a
        synthetic call merged into the real one).  With *enabled* False
        (popups switched off) only *force* shows anything.
        """
        self._last_card = card
        call_id = card.call_id
        if replaces is not None and replaces != call_id:
            self._rename(replaces, call_id)
        if call_id in self._shown:
            return self._update_shown(card)
        for waiting in self._waiting.values():
            if call_id in waiting:
                del waiting[call_id]
                if card.ended or card.state is CardState.PASSED_ON:
                    self._settle(card)
                    return False
                self._waiting[rank_of(card)][call_id] = card
                self._balance()
                return call_id in self._shown
        return self._offer_new(card, force=force, enabled=enabled)

    def close(self, call_id: str) -> None:
        """The call's popup went away (the agent, or it closed itself)."""
        card = self._shown.pop(call_id, None)
        self._pinned.discard(call_id)
        if card is None:
            return
        self._remember_closed(call_id, card.state)
        self._balance()

    def pin(self, call_id: str, pinned: bool) -> None:
        """The mouse is on this call's popup (True) or left it: no eviction meanwhile."""
        if pinned:
            if call_id in self._shown:
                self._pinned.add(call_id)
        else:
            self._pinned.discard(call_id)
            self._balance()

    def clear_missed(self) -> list[str]:
        """The agent dismissed the missed-calls card: start counting anew.

        Returns the call ids it summed up (to mark them seen).
        """
        ids = list(self._missed_ids)
        if ids:
            self._missed_ids.clear()
            self._missed_latest.clear()
            self._missed_version += 1
        return ids

    def clear(self) -> None:
        """Every popup closed by the app (quit, demo switch): nothing shown or waiting."""
        for call_id, card in self._shown.items():
            self._remember_closed(call_id, card.state)
        for waiting in self._waiting.values():
            for call_id, card in waiting.items():
                self._remember_closed(call_id, card.state)
            waiting.clear()
        self._shown.clear()
        self._pinned.clear()
        if self._missed_ids:
            self._missed_ids.clear()
            self._missed_latest.clear()
            self._missed_version += 1

    # -- internals ------------------------------------------------------------------

    def _update_shown(self, card: CallerCard) -> bool:
        call_id = card.call_id
        previous = self._shown[call_id]
        if (card.missed and not previous.missed) or card.state is CardState.PASSED_ON:
            # The ringing call was missed (the summary takes it), or the queue passed
            # it on (its verdict comes later): the slot frees.
            del self._shown[call_id]
            self._pinned.discard(call_id)
            self._settle(card)
            self._balance()
            return False
        self._shown[call_id] = card
        self._balance()
        return call_id in self._shown

    def _offer_new(self, card: CallerCard, *, force: bool, enabled: bool) -> bool:
        call_id = card.call_id
        if not force:
            if not enabled:
                return False
            if card.missed or card.state is CardState.PASSED_ON:
                self._settle(card)
                return False
            closed_state = self._closed.get(call_id)
            reopens = card.state is CardState.RINGING and closed_state in (
                CardState.ENDED, CardState.PASSED_ON)
            if closed_state is not None and not reopens:
                self._closed[call_id] = card.state  # so a later new ring is recognised
                return False
        self._closed.pop(call_id, None)
        if len(self._shown) < self.max_popups:
            self._shown[call_id] = card
            return True
        rank = rank_of(card)
        victim = self._lowest_shown(below=rank)
        if victim is not None:
            self._replace(victim, card)
            return True
        if rank is not Rank.ENDED:
            self._waiting[rank][call_id] = card
        # An ended call that finds no slot is not worth a popup any more.
        return False

    def _settle(self, card: CallerCard) -> None:
        """An ended call without a popup: a missed one is counted once."""
        call_id = card.call_id
        self._remember_closed(call_id, card.state)
        if not card.missed or call_id in self._counted:
            if call_id in self._missed_ids:
                # A later card of a call already counted: keep its details fresh.
                for index, latest in enumerate(self._missed_latest):
                    if latest.call_id == call_id:
                        self._missed_latest[index] = card
                        self._missed_version += 1
                        break
            return
        self._counted[call_id] = None
        while len(self._counted) > self._settled_memory:
            self._counted.popitem(last=False)
        self._missed_ids[call_id] = None
        self._missed_latest.appendleft(card)
        self._missed_version += 1

    def _remember_closed(self, call_id: str, state: CardState) -> None:
        self._closed[call_id] = state
        self._closed.move_to_end(call_id)
        while len(self._closed) > self._settled_memory:
            self._closed.popitem(last=False)

    def _rename(self, old: str, new: str) -> None:
        """The call *old* is now known as *new* (its popup or place in line follows)."""
        if old in self._shown:
            if new in self._shown:
                # Both have a popup: the merged one goes (not the agent's closing).
                del self._shown[old]
                self._pinned.discard(old)
                self._balance()
            else:
                self._shown = {(new if key == old else key): card
                               for key, card in self._shown.items()}
                if old in self._pinned:
                    self._pinned.discard(old)
                    self._pinned.add(new)
            return
        for waiting in self._waiting.values():
            card = waiting.pop(old, None)
            if card is not None:
                return

    def _lowest_shown(self, *, below: Rank) -> str | None:
        """The unpinned popup of the lowest rank under *below* (the newest of equals)."""
        victim: str | None = None
        lowest = below
        for call_id, card in self._shown.items():
            if call_id in self._pinned:
                continue
            rank = rank_of(card)
            if rank < below and rank <= lowest:
                victim, lowest = call_id, rank
        return victim

    def _replace(self, victim: str, card: CallerCard) -> None:
        """*card* takes *victim*'s slot, in its place in the stack (nothing else moves)."""
        old = self._shown[victim]
        self._shown = {(card.call_id if key == victim else key): (card if key == victim else c)
                       for key, c in self._shown.items()}
        old_rank = rank_of(old)
        if old_rank is Rank.ENDED:
            self._remember_closed(victim, old.state)
        else:
            self._waiting[old_rank][victim] = old

    def _next_waiting(self) -> CallerCard | None:
        for rank in (Rank.RINGING, Rank.IN_PROGRESS):
            waiting = self._waiting[rank]
            if waiting:
                return waiting[next(iter(waiting))]
        return None

    def _take(self, card: CallerCard) -> None:
        del self._waiting[rank_of(card)][card.call_id]

    def _balance(self) -> None:
        """Free slots go to the waiting calls (ringing first, oldest first); then a
        waiting call that outranks an unpinned popup takes its slot."""
        self._fill_free()
        while True:
            card = self._next_waiting()
            if card is None:
                return
            victim = self._lowest_shown(below=rank_of(card))
            if victim is None:
                return
            self._take(card)
            self._replace(victim, card)

    def _fill_free(self) -> None:
        while len(self._shown) < self.max_popups:
            card = self._next_waiting()
            if card is None:
                return
            self._take(card)
            self._shown[card.call_id] = card
