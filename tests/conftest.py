"""Suite-wide test configuration."""

import os

# The machine's own administrator policy (/etc/kobikom-desktop/policy.toml) must not
# steer the tests, nor the app processes they start: an empty policy unless a test
# points KOBIKOM_DESKTOP_POLICY at its own file.
os.environ["KOBIKOM_DESKTOP_POLICY"] = os.devnull

# Shared fixtures living in helper modules.
pytest_plugins = ["tests.helpers.memory_keyring"]


def pytest_addoption(parser):  # type: ignore[no-untyped-def]
    group = parser.getgroup("frozen", "smoke test of the frozen app (tests/run-frozen)")
    group.addoption("--frozen-app", metavar="PATH",
                    help="the frozen kobikom-desktop to smoke-test (tests/frozen run only "
                         "with it)")
    group.addoption("--frozen-root", metavar="DIR", default="/",
                    help="run it inside this root (a clean Debian chroot with the .deb)")
