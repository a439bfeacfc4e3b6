"""adctrack: a self-hosted tracker of antibody-drug conjugate development pipelines."""

from __future__ import annotations

from adctrack.celery_app import app as celery_app

__all__ = ["celery_app"]
