"""File helpers, the lowest layer: SQL text for values and what a file's bytes hold. They import
nothing of the warehouse but its settings."""
