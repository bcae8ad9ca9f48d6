"""The ``html`` report: one self-contained page, its charts, sections and assets."""
