"""Tests of the Kobikom simulator (desktop.simulator) on real loopback sockets."""
