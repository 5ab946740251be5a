"""Talking to Kobikom: real-time event channels, REST clients, typed events. No Qt here."""
