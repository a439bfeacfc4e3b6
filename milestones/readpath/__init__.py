"""The read path of milestone facts: queries compiled once for the pages (``trial_queries``).

Same role as ``programs.readpath``: derived from the curated tables, never writes them, and must
not import views, forms or the API.
"""
