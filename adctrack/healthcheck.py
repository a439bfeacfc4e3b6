"""Container health check: ``python -m adctrack.healthcheck`` exits 0 when /healthz answers 200.

Sends the first ALLOWED_HOSTS entry as Host (Django refuses unknown hosts) and
``X-Forwarded-Proto: https`` (as the TLS proxy would), so the check passes through the same
host validation as real traffic. Standard library only: it runs every 30 s.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("PORT", "8000")
    host = (os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost").lstrip(".")
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as response:  # noqa: S310 - fixed loopback URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthcheck failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
