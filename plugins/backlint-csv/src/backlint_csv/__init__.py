"""backlint-csv: a tracker adapter for CSV exports, registered through ``register_trackers``."""

from backlint import hookimpl
from backlint_csv.tracker import CsvTracker

__version__ = "0.1.0"


@hookimpl
def register_trackers(register):
    """Register the CSV tracker; plugins' trackers are asked before backlint's file tracker."""
    register(CsvTracker())
