"""Text analysis shared by rules and packs: sections, prose, stories, criteria. Pure; no I/O."""
