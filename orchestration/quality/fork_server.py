"""Imported only by the check processes' fork server: pool.py preloads it there, and nothing
else may import it.

The fork server holds GX and pandas. When the build ends, Python would tear them down, for
most of a second in which the build's output stays open, though the server has nothing to
write or close. It leaves at once instead. The check processes forked from it end with
`os._exit` already, so this never runs in them.
"""

import atexit
import os

atexit.register(os._exit, 0)
