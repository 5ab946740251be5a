"""Parts of the agent-view benchmark (``bench/bench_agent_view.py``).

``procstat``: what a process costs, read from ``/proc`` (CPU, RSS, wake-ups)
and the percentile summaries; ``xclient``: the X watcher subprocess
(``bench/xwatch.py``) seen from asyncio; ``sides``: the real app and the
bare scripts as subprocesses.
"""
