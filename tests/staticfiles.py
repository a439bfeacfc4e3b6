"""A STATIC_ROOT as ``collectstatic`` leaves it, as far as the deploy check and gunicorn read it.

Production processes refuse to start without the manifest (adctrack.E002); the real command takes
about 40 s here, so tests that start one write the manifest alone (the Dockerfile and the documented
start run the real command). Pages that name a static file would still fail: use these processes for
the API and /healthz only.
"""

from __future__ import annotations

import json
from pathlib import Path


def collected(static_root: Path) -> Path:
    static_root.mkdir(parents=True, exist_ok=True)
    (static_root / "staticfiles.json").write_text(json.dumps({"paths": {}, "version": "1.1", "hash": "0"}))
    return static_root
