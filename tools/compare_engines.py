"""Compare every mart built on Spark with the same mart built on DuckDB, from the command line
(tests/test_spark_engine.py does the same with the published Parquet marts).

Both builds must have run in the same MOBILITY_HOME: DuckDB's marts are read from the build
file, Spark's from its metastore under MOBILITY_HOME/spark (so no other Spark session may hold
it). How rows are matched and numbers compared: orchestration/engines/compare.py. Prints one
line per mart; exits 1 if any differs.

    MOBILITY_HOME=... python tools/compare_engines.py [mart ...]
"""

import sys

import duckdb

from orchestration import settings
from orchestration.engines.compare import compare, fetched, normalised
from orchestration.engines.spark_lake import spark_session


def main(selected: list[str]) -> int:
    settings.export_environment()
    with duckdb.connect(str(settings.build_db_path()), read_only=True) as con:
        marts = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by table_name").fetchall()]
        duck = {}
        for mart in marts:
            if selected and mart not in selected:
                continue
            duck[mart] = fetched(con.execute(f'select * from marts."{mart}"'))
    spark = spark_session()
    differing = 0
    try:
        for mart, (duck_columns, duck_rows) in duck.items():
            try:
                frame = spark.table(f"marts.{mart}")
            except Exception as error:  # noqa: BLE001 - reported, not raised
                print(f"{mart:32} not on Spark: {str(error).splitlines()[0]}")
                differing += 1
                continue
            spark_columns = frame.columns
            spark_rows = [tuple(normalised(v) for v in row) for row in frame.collect()]
            verdict = compare(mart, duck_columns, duck_rows, spark_columns, spark_rows)
            differing += verdict != "match"
            print(f"{mart:32} {len(duck_rows):>8} rows  {verdict}")
    finally:
        spark.stop()
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
