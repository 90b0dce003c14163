"""Imported by the worker pool's forkserver first thing (see `kamrap.ingest.pool`): the
forkserver dies with the process that started it (`kamrap.ingest.orphans.die_with_parent`),
and collects no garbage while it warms up (`kamrap.ingest.collector`)."""

from kamrap.ingest.collector import off_while_warming
from kamrap.ingest.orphans import die_with_parent

die_with_parent()
off_while_warming()
