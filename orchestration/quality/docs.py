"""Great Expectations Data Docs (static HTML) in `MOBILITY_HOME/docs/` for analysts.

Each check stores its validation result under `MOBILITY_HOME/quality/`. `build_docs` keeps each
suite's latest result and renders every page at once (about 5 s for all suites; one page at a
time costs about 0.3 s each). `publish` runs it, so the docs describe what analysts query;
`python -m orchestration.quality.docs` renders them after a failed run too.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SITE = "warehouse"


def docs_dir(home: Path) -> Path:
    return Path(home) / "docs"


def store_dir(home: Path) -> Path:
    return Path(home) / "quality"


def context(home: Path):
    """A GX context whose results and suites persist under MOBILITY_HOME (each write whole or
    absent, see `atomic_store`), with the docs site."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig, FilesystemStoreBackendDefaults

    from orchestration.quality.atomic_store import make_atomic

    stores = FilesystemStoreBackendDefaults(root_directory=str(store_dir(home)))
    make_atomic(stores.stores)
    config = DataContextConfig(
        store_backend_defaults=stores,
        data_docs_sites={
            SITE: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir(home))},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def keep_latest(gx_context) -> int:
    """Drop every stored result but each suite's latest; returns how many suites have one."""
    store = gx_context.validation_results_store
    keys = store.list_keys()
    latest: dict[str, tuple] = {}
    for key in keys:
        name = key.expectation_suite_identifier.name
        if name not in latest or key.run_id.run_time > latest[name].run_id.run_time:
            latest[name] = key
    keep = {key.to_tuple() for key in latest.values()}
    for key in keys:
        if key.to_tuple() not in keep:
            store.remove_key(key)
    return len(latest)


def build_docs(home: Path) -> Path:
    """Render the Data Docs site from each suite's latest result. Returns index.html."""
    gx_context = context(home)
    keep_latest(gx_context)
    shutil.rmtree(docs_dir(home), ignore_errors=True)
    gx_context.build_data_docs(site_names=[SITE])
    return docs_dir(home) / "index.html"


def main() -> None:
    from orchestration import settings

    print(f"Data Docs: {build_docs(settings.mobility_home())}")


if __name__ == "__main__":
    sys.exit(main())
