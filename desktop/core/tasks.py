"""Background tasks that are always referenced, logged and cancellable.

asyncio keeps only weak references to tasks: a fire-and-forget
``create_task`` can be garbage-collected mid-flight and its exception is
lost ("a Heisenbug generator", Electrum).  Every long-lived or background
coroutine in the app is started through a :class:`TaskSet` instead:

* the set holds a strong reference until the task finishes;
* an exception other than ``CancelledError`` is logged with its traceback
  (and passed to an optional ``on_error`` hook, e.g. the crash dialog);
* ``cancel_all()`` on shutdown cancels and awaits everything;
* ``len(taskset)`` is what the soak test watches for leaks.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger("kobikom.core.tasks")

T = TypeVar("T")


class TaskSet:
    """A named collection of running tasks."""

    def __init__(
        self, name: str = "tasks", *, on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.name = name
        self._tasks: set[asyncio.Task[Any]] = set()
        self._on_error = on_error
        self.failures = 0

    def __len__(self) -> int:
        return len(self._tasks)

    def __repr__(self) -> str:
        return f"<TaskSet {self.name} running={len(self._tasks)}>"

    def spawn(self, coro: Coroutine[Any, Any, T], *, name: str | None = None) -> asyncio.Task[T]:
        """Start *coro* as a task that this set keeps alive and watches."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        self.failures += 1
        log.error("task %s failed", task.get_name(), exc_info=exc)
        if self._on_error is not None:
            try:
                self._on_error(exc)
            except Exception:
                log.exception("error hook failed")

    def names(self) -> list[str]:
        return sorted(t.get_name() for t in self._tasks)

    async def cancel_all(self, timeout: float = 5.0) -> None:
        """Cancel every task and wait (bounded) for them to finish."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                log.warning("task %s did not stop within %.1f s", task.get_name(), timeout)


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel *task* and wait until it has finished.

    ``task.cancel(); with suppress(CancelledError): await task`` would also
    swallow a cancellation of the *caller* that arrives while it waits, and the
    caller would carry on after being cancelled (e.g. restart the phone line
    during shutdown).  ``asyncio.wait`` never raises the task's CancelledError
    but does raise the caller's own.  An exception the task ended with (other
    than its cancellation) is re-raised, as ``await task`` would.
    """
    task.cancel()
    await asyncio.wait([task])
    if not task.cancelled():
        exc = task.exception()
        if exc is not None:
            raise exc
