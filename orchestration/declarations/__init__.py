"""What the warehouse declares, read and never built here: every table and column, from the
parsed dbt project (`make manifest` parses it)."""
