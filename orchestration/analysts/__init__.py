"""What analysts and city teams run (`mobility`: sql, export, brief, status). It reads the
published file only, and imports neither Dagster nor dbt."""
