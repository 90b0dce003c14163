"""How a process that parses runs Python's cyclic garbage collector.

Reading a page makes tens of thousands of small objects that live until the page is read (a
pdfminer `LTChar` and a `TextChar` per glyph, lines, cells). With CPython's default thresholds
(700, 10, 10) the collector runs every 700 of them and traverses the survivors again and again:
1.3 of 9.5 s of parsing the 16 samples in one process (timed with `gc.callbacks`), 0.15 s with
the threshold below. Reference counting frees nearly all of it as before; the collector only
finds cycles, and finds them a little later.

In the worker pool's forkserver the collector is off while the parsers are imported and warmed,
and what they made is frozen before any worker is forked (the recipe of `gc.freeze`'s
documentation): a worker's collections then never touch, and so never copy, the memory it
shares with the forkserver (a `kamrap ingest samples/`: 89 thousand page faults before, 75
thousand after, `perf stat -e page-faults`).
"""

from __future__ import annotations

import gc

#: Allocations (less deallocations) of container objects between two collections of the
#: youngest generation while parsing (CPython's default: 700)
YOUNG_THRESHOLD = 20_000


def for_parsing() -> None:
    """The collector as a parsing process runs it: on, collecting the youngest generation
    every `YOUNG_THRESHOLD` allocations (the older generations as CPython does)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    gc.enable()


def off_while_warming() -> None:
    """In the forkserver, first thing: no collection while the parsers are imported, so that
    freed objects leave no holes in the pages the workers will share."""
    gc.disable()


def freeze_before_forking() -> None:
    """In the forkserver, once warm: everything alive moves to the permanent generation, which
    a forked worker's collections do not traverse."""
    gc.freeze()
