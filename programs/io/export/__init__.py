"""Exports of the deal and asset tables (CSV and XLSX), exactly as filtered and sorted.

``rows`` turns a filtered queryset into rows chunk by chunk (a few queries per 5,000 rows, never the
whole table in memory); ``writers`` turns rows into a streamed CSV or a write-only XLSX file.
"""
