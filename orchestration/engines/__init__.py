"""The engines that build the models (DuckDB, or Spark over the raw tables as Parquet) and the
build file every step opens."""
