"""Audit history in SQLite: the runs recorded, and the file that holds them."""
