"""Editor forms for the programs app (one module per model family)."""
