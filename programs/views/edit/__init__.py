"""Editor views: create, edit, delete, history and restore for every editable record."""
