"""Every data source: one module of this package, found here without a list to keep.

A source module declares its files in a `SourceGroup` (one ingestion step) and may add
assets of its own in a module-level `assets` list. The pilot program registry lives with
the pilots and is found the same way.
"""

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from orchestration.ingestion.asset_factory import SourceGroup

# Outside this package: the pilots' registry files and their landing-zone assets.
OTHER_MODULES = ["orchestration.pilots.assets"]


def source_modules() -> list[ModuleType]:
    names = [f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)] + OTHER_MODULES
    return [importlib.import_module(name) for name in names]


def source_groups() -> list[SourceGroup]:
    return [value for module in source_modules() for value in vars(module).values() if isinstance(value, SourceGroup)]


def source_assets() -> list:
    """Every source file spec, raw table and other asset the source modules define."""
    groups = [a for group in source_groups() for a in group.assets]
    return groups + [a for module in source_modules() for a in getattr(module, "assets", [])]


def declared_files() -> dict[str, list[Path]]:
    """Raw table -> the file(s) its next load reads: what the source-files sensor watches."""
    return {table: files for group in source_groups() for table, files in group.declared_files().items()}
