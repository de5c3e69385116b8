"""The reader's error, in a module of its own so that every file-reading module can raise it."""

from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be used as a roster. ``str(e)`` is a sentence for the user."""
