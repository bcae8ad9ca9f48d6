"""Tracker adapters: the only code that reads tickets from or writes to a tracker or a file."""
