"""PySide6 widgets. They receive their services in constructors and never open sockets or SQL."""
