"""Duplicate rule BL601 and the near-duplicate search behind it (stems, MinHash, similarity)."""
