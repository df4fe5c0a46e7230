"""Data quality: Great Expectations suites from `expectations/`, run as blocking Dagster asset
checks on the build file, with Data Docs for analysts."""
