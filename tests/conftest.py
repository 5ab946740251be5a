"""Suite-wide test configuration."""

# Shared fixtures living in helper modules.
pytest_plugins = ["tests.helpers.memory_keyring"]
