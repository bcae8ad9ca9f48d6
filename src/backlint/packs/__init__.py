"""Declarative rule packs: TOML rules that need no code, and what they can test and measure."""
