"""A worker of the pool collects garbage as `kamrap.ingest.collector` says: on, seldom, and
never over what it shares with the forkserver."""

from __future__ import annotations

import gc
from pathlib import Path

from kamrap.ingest.pool import Job, ParsePool, WorkerSettings


def _collector_state(path: Path, sha256: str, password: str) -> tuple[bool, int, int]:
    return gc.isenabled(), gc.get_threshold()[0], gc.get_freeze_count()


def test_a_worker_collects_seldom_and_not_what_the_forkserver_froze() -> None:
    settings: WorkerSettings[tuple[bool, int, int]] = WorkerSettings(parse=_collector_state)
    with ParsePool(1, settings=settings) as pool:  # forked from the warm forkserver
        pool.submit(Job(Path("any.pdf"), "0" * 64))
        (answer,) = list(pool.answers())
    assert answer.failure is None, answer.failure
    enabled, young, frozen = answer.export
    assert enabled  # off in the forkserver only, while it warms up
    assert young == 20_000  # CPython's default is 700
    # the parsers, pydantic's models, pythainlp's trie (62 thousand words): far more than
    # a bare interpreter's few thousand objects
    assert frozen > 100_000, frozen


def _dictionaries_loaded(path: Path, sha256: str, password: str) -> tuple[int, int]:
    from pythainlp.tokenize import word_dict_trie

    from kamrap.text.thai import _words

    return word_dict_trie.cache_info().currsize, _words.cache_info().currsize


def test_a_worker_starts_with_the_dictionaries_loaded() -> None:
    # pythainlp's trie (about 1 s to build) and kamrap's word set: built once, in the forkserver
    settings: WorkerSettings[tuple[int, int]] = WorkerSettings(parse=_dictionaries_loaded)
    with ParsePool(1, settings=settings) as pool:
        pool.submit(Job(Path("any.pdf"), "0" * 64))
        (answer,) = list(pool.answers())
    assert answer.export == (1, 1), answer.failure
