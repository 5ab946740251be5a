"""The domain: calls, phone numbers, directory, call journal, SMS outbox, settings. No Qt here."""
