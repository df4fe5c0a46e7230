"""Loading source files into DuckDB's `raw` schema: the loading rules, the load log and the
factory of one Dagster step per source module (`orchestration/sources/`)."""
