"""Imported once by the worker pool's forkserver (see `kamrap.ingest.pool`), so every worker
forked from it starts warm: the parsers imported, pythainlp's dictionary trie, which its
first `word_tokenize` builds (about a second), already built, and kamrap's own set of its
words (`kamrap.text.thai.dictionary_coverage`, 40 ms a worker otherwise)."""

from pythainlp.tokenize import word_tokenize

from kamrap.ingest.collector import freeze_before_forking
import kamrap.ingest.parse_job  # noqa: F401  (parsers, normalize, the models; not the store)
import kamrap.ingest.text_job  # noqa: F401  (`kamrap text` runs in a worker too)
from kamrap.text.thai import dictionary_coverage

# "ระดับความสำเร็จของตัวชี้วัด": level of success of the indicator
word_tokenize("ระดับความสำเร็จของตัวชี้วัด", engine="newmm", keep_whitespace=True)
dictionary_coverage("ระดับความสำเร็จของตัวชี้วัด")

# what the warm-up made is shared with every worker forked from here: frozen, it is never
# traversed (and so never copied) by a worker's collections (`kamrap.ingest.collector`)
freeze_before_forking()
