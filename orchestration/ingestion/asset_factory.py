"""The asset factory: one Dagster step per source module, loading its raw tables.

A module's declared files (`SourceFile`) and custom loaders (`CustomTable`) form one
`SourceGroup`: one step that loads them, several at once on one database, and records each
load's row count, file, hash and time as the raw table's metadata. A bad file stops its own
table only: the step loads every good file, then fails naming every bad one.
"""

import os
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetSpec, Config, MaterializeResult, MetadataValue, multi_asset

from orchestration import settings
from orchestration.engines.build_file import BUILD_FILE_POOL, Warehouse
from orchestration.files.bytes import SourceFileError
from orchestration.ingestion.load_log import Load, create_raw_schema
from orchestration.ingestion.loading import SourceFile, load_source

# Files of one source group loaded at once, each in its own transaction.
LOADS_AT_ONCE = max(1, min(4, os.cpu_count() or 1))


def load_metadata(load: Load) -> dict:
    return {
        "table": MetadataValue.text(f"raw.{load.table}"),
        "dagster/row_count": MetadataValue.int(load.rows),
        "source_file": MetadataValue.path(load.source_file),
        "sha256": MetadataValue.text(load.sha256),
        "loaded_at": MetadataValue.timestamp(load.loaded_at),
    }


def source_file_spec(table: str, group: str, paths: list[str], description: str) -> AssetSpec:
    """The file(s) behind a raw table, shown in the lineage graph as an external asset."""
    return AssetSpec(
        key=AssetKey(["source_files", table]),
        group_name=group,
        description=description,
        metadata={"paths": MetadataValue.text(", ".join(paths))},
        kinds={"file"},
    )


@dataclass(frozen=True)
class CustomTable:
    """A raw table that code of its own loads (API responses, a wide file reshaped)."""

    table: str
    group: str
    description: str
    file_spec: AssetSpec
    files: Callable[[], list[Path]]  # what the next load reads, watched for changes
    load: Callable[[duckdb.DuckDBPyConnection, Path, Config], Load]  # (connection, home, config) -> the load


class SourceGroup:
    """The raw tables of one source module, loaded by one step, several at once; the step can
    load any subset of its tables."""

    def __init__(self, name: str, files: list[SourceFile], custom: Sequence[CustomTable] = (),
                 config: type[Config] = Config) -> None:
        self.name = name
        self.files = files
        self.custom = list(custom)
        self.config = config
        self.assets = [
            *(source_file_spec(s.table, s.group, [f"seeds/{s.path}"], s.provenance or s.description) for s in files),
            *(c.file_spec for c in self.custom),
            self._step(config),
        ]

    def declared_files(self) -> dict[str, list[Path]]:
        """Raw table -> the file(s) its next load reads."""
        return {s.table: [settings.source_dir() / s.path] for s in self.files} | {c.table: c.files() for c in self.custom}

    def _step(self, config_class: type[Config]):
        loaders = {s.table: (lambda con, home, config, s=s: load_source(s, con, home)) for s in self.files}
        loaders |= {c.table: c.load for c in self.custom}
        specs = [
            AssetSpec(AssetKey(["raw", s.table]), group_name=s.group, description=s.description,
                      deps=[AssetKey(["source_files", s.table])], kinds={"duckdb"},
                      metadata={"source_file": MetadataValue.text(f"seeds/{s.path}")})
            for s in self.files
        ] + [
            AssetSpec(AssetKey(["raw", c.table]), group_name=c.group, description=c.description,
                      deps=[c.file_spec.key], kinds={"duckdb"})
            for c in self.custom
        ]

        @multi_asset(name=f"raw__{self.name}", specs=specs, can_subset=True, pool=BUILD_FILE_POOL)
        def _load(context: AssetExecutionContext, warehouse: Warehouse, config: config_class) -> Iterator[MaterializeResult]:
            home = Path(warehouse.home)
            tables = [spec.key.path[1] for spec in specs if spec.key in context.selected_asset_keys]
            failures = []
            with warehouse.connect() as con:
                create_raw_schema(con)

                def load(table: str) -> dict | str:
                    """The table's metadata, or what went wrong: a bad file stops its own table only."""
                    cursor = con.cursor()  # a connection of its own to the same database
                    try:
                        return load_metadata(loaders[table](cursor, home, config))
                    except SourceFileError as error:
                        return str(error)
                    except Exception as error:
                        context.log.error(f"raw.{table}: {traceback.format_exc()}")
                        return (f"raw.{table} could not be loaded: {type(error).__name__}: "
                                + (str(error).strip().splitlines() or [""])[0][:300])
                    finally:
                        cursor.close()

                # DuckDB reads a small file on about one core and releases the GIL: files load side by side.
                with ThreadPoolExecutor(LOADS_AT_ONCE) as loading:
                    for table, outcome in zip(tables, loading.map(load, tables)):
                        if isinstance(outcome, str):
                            failures.append(outcome)
                        else:
                            yield MaterializeResult(asset_key=AssetKey(["raw", table]), metadata=outcome)
            if failures:
                raise SourceFileError("\n".join(failures))

        return _load
