"""Editing plumbing shared by the editor forms, the CSV import and the API.

Versioned saves without lost updates (``versions``), uniqueness checks reported beside the field
(``uniqueness``), find-or-create lookups by name (``lookups``), history in words (``history``) and
bulk writes that keep history and signals (``bulk``). It sits right above the domain: it must not
import derivation, the read path, forms, views or the API (a write tells them through signals).
"""
