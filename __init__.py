"""kamrap — Thai performance-agreement PDFs (คำรับรองการปฏิบัติราชการ) to canonical data.

The library API (`kamrap.api`, loaded on first use): `read_pdf`, `load`, `verify`, `recheck`,
`score`, `results_template`; the canonical models are in `kamrap.schema`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Checked", "Export", "ScoreReport", "load", "read_pdf", "recheck", "results_template",
           "score", "verify"]

if TYPE_CHECKING:
    from kamrap.api import Checked, ScoreReport, load, read_pdf, recheck, results_template, score, verify
    from kamrap.schema.models import Export


def __getattr__(name: str) -> Any:
    # lazy: `import kamrap.text` (every subpackage imports this package first) stays light
    if name == "Export":
        from kamrap.schema.models import Export

        return Export
    if name in __all__:
        from kamrap import api

        return getattr(api, name)
    raise AttributeError(f"module 'kamrap' has no attribute {name!r}")
