"""A worker's last words name why it died, however long the list CPython prints after them."""

from __future__ import annotations

import signal
import tempfile

from kamrap.ingest.pool import _death_reason, _tail
from kamrap.schema.models import Failure, FailureKind


def test_a_fatal_memory_error_before_a_long_module_list_is_out_of_memory() -> None:
    # what CPython writes when the memory cap hits it while it handles an exception (seen in
    # CI: the first line fell outside a 4 KB tail and the reason became "worker crashed")
    modules = ", ".join(f"pandas._libs.module_{n}" for n in range(400))  # about 10 KB
    words = ("Fatal Python error: _PyErr_NormalizeException: Cannot recover from MemoryErrors "
             "while normalizing exceptions.\nPython runtime state: initialized\n\n"
             f"Extension modules: {modules} (total: 400)\n")
    with tempfile.TemporaryFile() as log:
        log.write(words.encode())
        log.flush()
        assert _death_reason(-signal.SIGABRT, _tail(log)) == Failure(
            kind=FailureKind.out_of_memory, reason="out of memory (the worker died of it)")


def test_a_segfault_names_its_signal_and_first_words() -> None:
    assert _death_reason(-signal.SIGSEGV, "Fatal Python error: Segmentation fault\n\nStack…") == Failure(
        kind=FailureKind.worker_crashed,
        reason="worker crashed (killed by SIGSEGV: Fatal Python error: Segmentation fault)")
