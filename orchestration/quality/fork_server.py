"""Imported only by the check processes' fork server, before GX: pool.py preloads it there, and
nothing else may import it.

The engine prepares the processes first: on DuckDB they never import pyspark, which GX would
otherwise load (seconds, and pyspark's warnings in the build's output) when the `spark` extra is
installed. Then, when the build ends, Python would tear GX and pandas down, for most of a second
in which the build's output stays open, though the server has nothing to write or close: it
leaves at once instead. The check processes forked from it end with `os._exit` already, so this
never runs in them.
"""

import atexit
import os

from orchestration.engines import engine

engine.current().prepare_check_process()
atexit.register(os._exit, 0)
