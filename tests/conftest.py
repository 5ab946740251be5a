"""Suite-wide test configuration."""

import os

# The machine's own administrator policy (/etc/kobikom-desktop/policy.toml) must not
# steer the tests, nor the app processes they start: an empty policy unless a test
# points KOBIKOM_DESKTOP_POLICY at its own file.
os.environ["KOBIKOM_DESKTOP_POLICY"] = os.devnull

# Shared fixtures living in helper modules.
pytest_plugins = ["tests.helpers.memory_keyring"]
