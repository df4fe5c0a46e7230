"""A GX filesystem store whose every write is whole or absent.

GX writes a stored suite, validation definition or result in place; a build killed during a
write left an empty file there, and every later check of that table failed on reading it. Here
each write goes to a temporary file in the same folder and is renamed over the old one.
"""

import os
import tempfile

from great_expectations.data_context.store.tuple_store_backend import TupleFilesystemStoreBackend


class AtomicFilesystemStoreBackend(TupleFilesystemStoreBackend):
    def _set(self, key, value, **kwargs):
        if not isinstance(key, tuple):
            key = key.to_tuple()
        path = os.path.join(self.full_base_directory, self._convert_key_to_filepath(key))
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(value.encode("utf-8") if isinstance(value, str) else value)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        return path


def make_atomic(stores: dict) -> dict:
    """`stores` (a GX store config) with every filesystem backend replaced by the atomic one."""
    for store in stores.values():
        backend = store.get("store_backend", {})
        if backend.get("class_name") == "TupleFilesystemStoreBackend":
            backend.update(class_name=AtomicFilesystemStoreBackend.__name__, module_name=__name__)
    return stores
