"""Derivation: facts computed from the curated data, never typed by hand, and the jobs that keep them.

Per-asset derived facts and regulatory status (``derived``), the target and company summaries
(``summaries``), the statistics (``stats``), the dirty marks and queueing of their recomputes
(``queue``) and the signal receivers that mark them on every edit (``signals``). The Celery task
module (``programs.tasks``) runs them; this package queues work by name through ``programs.jobs``
and must not import the task module, views, forms or the API.
"""
