"""Import and export of tables (CSV/XLSX). ``columns`` is the contract both sides share."""
