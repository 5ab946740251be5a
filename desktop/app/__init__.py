"""The composition root: :class:`~desktop.app.application.Application` builds every
service and widget and wires them; one module per feature's wiring
(:mod:`~desktop.app.dialing`, :mod:`~desktop.app.history`, :mod:`~desktop.app.sms`)."""

from desktop.app.application import Application

__all__ = ["Application"]
