"""kobikom-desktop: a tray companion for Kobikom PBX agents.

Layers (arrows point one way; enforced by import-linter, see pyproject.toml):

* ``desktop.pbx``: talking to Kobikom (event channels, REST, typed events). No Qt.
* ``desktop.core``: the domain (calls, numbers, directory, journal, outbox, settings). No Qt.
* ``desktop.ui``: PySide6 widgets; they get services through their constructors.
* ``desktop.simulator``: a stand-alone stand-in for Kobikom's servers (demo mode, tests).
* ``desktop.app``: the composition root; ``desktop.cli``: the command line.
"""

__version__ = "0.1.0"
