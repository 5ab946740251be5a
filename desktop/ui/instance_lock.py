"""The single-instance lock file, with nothing but QtCore.

:func:`desktop.launch.main` takes it before anything else of the app is
imported, so the launch that will be the instance can show its tray icon
at once (and a second launch never shows one); :func:`desktop.ui.single_instance.claim`
then keeps it for the instance's life.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile


def instance_lock(path: Path) -> QLockFile:
    """The lock at *path*, not taken yet.

    ``QLockFile`` is an OS lock plus the holder's PID: the lock of a crashed
    instance is recognised as stale and taken over, and never only because
    it is old (a stale lock time of 0).
    """
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)
    return lock
