"""Turning the PBX's event stream into the agent's calls.

:class:`CallTracker` consumes the typed events of :mod:`desktop.pbx.events`
and keeps one record per *customer call* that rang (or was answered) on one
of the agent's extensions, however many legs the PBX used for it.  Each
change is published as an immutable :class:`Call` snapshot with a
:class:`CallChange`, both to the ``on_change`` callback and as the return
value of :meth:`CallTracker.feed` / :meth:`CallTracker.tick`.  One call, one
``STARTED``, one ``ENDED``: one popup, one journal row, at most one missed
call.

The rules, and why (Kobikom documents the event names, not their order, nor
what a ``callUUID`` stands for; KobiPBX is a FreeSWITCH, see
``freeswitch-evidence.md``):

* **Legs.** FreeSWITCH (and Tekil's Asterisk) give every leg its own id: the
  trunk leg of an incoming call, one leg per phone rung, the leg to the
  customer of a click-to-call.  A leg is ours when a ``ringing``/``answered``
  (or a ``hangup`` carrying the leg's fields) names one of our extensions.
  A new leg joins an active call when a hint names one of its legs
  (``otherLegUUID``, ``linkedid``), or when it has the same customer number
  on the same extension (while the call rings, for an outgoing call, or, for
  a leg that does not start by ringing, within :data:`GROUP_WINDOW` of the
  call's start; a new ringing leg for an answered call is call waiting).
  The first leg's id is the call's id.
* **Whose side.** "Incoming to me" comes from where the agent's extension
  stands, never from the PBX's per-leg ``direction`` (the leg that rings the
  agent's phone is "outbound" for FreeSWITCH): a call the app itself placed
  (:class:`~desktop.core.calls.dials.RecentDials`: the PBX may present its
  first leg with the customer as the caller) or whose caller is one of our
  extensions is outgoing; a colleague's extension calling is LOCAL;
  anything else ringing us is INBOUND.  The agent's own click-to-call is
  marked ``own_dial``: never incoming, never missed, no popup.
* **Answered elsewhere.** A leg of ours ending with ``LOSE_RACE`` or
  ``PICKED_OFF``, another extension answering our call's id (one id per
  call), or a colleague's leg answering with a hint that names our call:
  ``ANSWERED_ELSEWHERE``, which is not a missed call.
* **Queues that ring one agent at a time.** Our unanswered leg of a queue
  call ending (``NO_ANSWER``...) does not end the call: it is
  ``PASSED_ON`` (no longer ringing here) until its fate is known, see
  :mod:`desktop.core.calls.queues`.
* **Ending.** A ringing call ends with the first leg that hangs up; an
  answered one when a leg that was answered hangs up (a phone of ours that
  only rang and lost the race does not end it).  ``destroy`` without
  ``hangup`` ends a leg too.
* **Repeats and order.** Repeats (the server may resend a message with a
  new timestamp) and events that add nothing produce no notification.
  ``answered`` without ``ringing`` starts the call answered; ``hold`` before
  ``answered`` means answered and held; a ``hangup`` with no ``ringing``
  before it that carries the leg's fields is a call that rang out (missed)
  unless it is the other leg of a call that just ended
  (:data:`LATE_LEG_WINDOW`); anything arriving for a recently ended leg id
  (a bounded LRU of ``recent_limit`` ids) is ignored, so late repeats never
  resurrect a call.
* **Domain.** Never a reason to drop an event: the server filters by domain
  already, and FusionPBX's ``domain`` is usually the domain *name*, not the
  UUID we are configured with.  A value we did not expect is counted
  (``stats.other_domain``) and logged once.
* **Dropped.** What cannot be used at all (unparseable or unknown messages)
  is counted in ``stats.dropped`` (the status window shows it) and each
  kind is logged once at WARNING.
* **Tekil** Santral documents only ``ExtensionStatus``; see
  :mod:`desktop.core.calls.status` for the synthetic calls made from it.

The tracker is synchronous and never sleeps or starts tasks: the owner calls
:meth:`CallTracker.tick` periodically (a few times per second).  Ended calls
leave the active maps at once; only bounded recently-ended ids remain.

Modules: ``model`` (Call, CallChange, ...), ``dials`` (the agent's own
click-to-calls), ``core`` (state, ending, timers), ``status`` (Tekil
``ExtensionStatus``), ``queues`` (the verdict of queue calls passed on),
``tracker`` (call events and legs), ``factory`` (how the app makes trackers).
"""

from desktop.core.calls.core import (
    DEFAULT_GRACE,
    DEFAULT_RECENT_LIMIT,
    DEFAULT_RING_TIMEOUT,
    DEFAULT_STALE_AFTER,
    DEFAULT_STATUS_QUIET,
    ELSEWHERE_CAUSES,
    GROUP_WINDOW,
    LATE_LEG_WINDOW,
    MAX_EXTENSION_STATES,
    SYNTHETIC_PREFIX,
)
from desktop.core.calls.dials import DIAL_MATCH_WINDOW, DialNote, RecentDials
from desktop.core.calls.factory import TrackerFactory, TrackerSpec
from desktop.core.calls.model import (
    Call,
    CallChange,
    CallOutcome,
    CallState,
    Change,
    OnChange,
    OnDropped,
    OnExtensionState,
    TrackerStats,
)
from desktop.core.calls.queues import QUEUE_VERDICT_TIMEOUT
from desktop.core.calls.status import STATUS_PAIR_WINDOW
from desktop.core.calls.tracker import CallTracker

__all__ = [
    "DEFAULT_GRACE", "DEFAULT_RECENT_LIMIT", "DEFAULT_RING_TIMEOUT", "DEFAULT_STALE_AFTER",
    "DEFAULT_STATUS_QUIET", "DIAL_MATCH_WINDOW", "ELSEWHERE_CAUSES", "GROUP_WINDOW",
    "LATE_LEG_WINDOW", "MAX_EXTENSION_STATES", "QUEUE_VERDICT_TIMEOUT", "STATUS_PAIR_WINDOW",
    "SYNTHETIC_PREFIX", "Call",
    "CallChange", "CallOutcome", "CallState", "CallTracker", "Change", "DialNote", "OnChange",
    "OnDropped", "OnExtensionState", "RecentDials", "TrackerFactory", "TrackerSpec",
    "TrackerStats",
]
