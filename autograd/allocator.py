"""Let freed NumPy buffers be reused instead of returned to the kernel (glibc only).

glibc serves large allocations (above a threshold that starts at 128 KiB) with fresh
``mmap`` pages and gives them back on free, and it trims the top of its heap as soon as
128 KiB there are free. A backward pass frees and allocates arrays of the same sizes over
and over, so without this every large gradient or temporary is a new set of pages, each
touched page a page fault (tens of thousands per step; measured here: the 1000x1000 chain of
benchmarks/ops.py took 227 ms with 38,000 faults, and 109 ms with none, as fast as NumPy by
hand). PyTorch avoids the same cost with its caching allocator.

So at import chainrule asks glibc (``mallopt``) to serve allocations up to 32 MiB from its
heap and to keep up to 256 MiB of free memory there. The price: up to that much freed memory
stays with the process instead of going back to the system. Set ``CHAINRULE_MALLOC_TUNING=0``
to leave the allocator alone; explicit ``MALLOC_MMAP_THRESHOLD_``/``MALLOC_TRIM_THRESHOLD_``
environment settings are respected as well.
"""

import ctypes
import ctypes.util
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed value on 64-bit systems
TRIM_THRESHOLD = 256 << 20


def tune_allocator():
    """Apply the settings above; True when glibc accepted them."""
    if os.environ.get("CHAINRULE_MALLOC_TUNING", "1") == "0":
        return False
    if not sys.platform.startswith("linux"):
        return False
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "MALLOC_TRIM_THRESHOLD_" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows): nothing to do
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


tuned = tune_allocator()
