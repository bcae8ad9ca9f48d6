"""backlint-wsjf: WSJF consistency rules, registered through backlint's ``register_rules`` hook.

The entry point ``wsjf = "backlint_wsjf"`` (group ``backlint``) makes backlint import this module
and call :func:`register_rules`.
"""

from backlint import hookimpl
from backlint_wsjf.rules import inputs_incomplete, priority_contradicts_wsjf, score_mismatch

__version__ = "0.1.0"
RULES = (score_mismatch, inputs_incomplete, priority_contradicts_wsjf)


@hookimpl
def register_rules(register):
    """Register the three WSJF rules."""
    for rule in RULES:
        register(rule)
