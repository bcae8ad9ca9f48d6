"""The fakes' HTTP server: threaded, and quiet when a client goes away mid-request.

Tests kill backlint processes in the middle of a request on purpose; the standard server would
print a traceback for every connection they leave behind.
"""

from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer
from typing import Any


class QuietHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that says nothing about connections reset or broken by the client."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
