"""kobikom-desktop."""
