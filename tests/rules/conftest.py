"""Fixtures for the rule tests: the built-in rules, loaded the way a run loads them."""

from __future__ import annotations

import pytest

from backlint.plugins import load_plugins


@pytest.fixture(scope="session")
def rules():
    """Every built-in rule by code (entry-point plugins are not loaded)."""
    return load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""}).rules
