"""Exceptions that cross module boundaries."""
from __future__ import annotations


class InputError(Exception):
    """An input that could not be read; carries the path and a one-line reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UsageError(Exception):
    """Bad settings or arguments (exit status 2)."""
