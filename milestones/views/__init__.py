"""Milestone pages (read) and editor views (``milestones.views.edit``)."""

from __future__ import annotations

from milestones.views.pages import milestone_detail

__all__ = ["milestone_detail"]
