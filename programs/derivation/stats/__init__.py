"""Pipeline statistics: what each group counts (``groups``), how it is written (``compute``)."""
