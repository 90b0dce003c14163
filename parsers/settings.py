"""Tolerances of table reading, in one place (PDF points unless said otherwise).

Resolved once into a frozen `TableSettings`; a parser reads `SETTINGS`, never a bare literal.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class TableSettings:
    #: how far apart two tables' column centres may be and still be one table continued on the
    #: next page without its header
    continued_table_tolerance: float = 3.0
    #: how far apart a repeated header's column centres may be from the first page's (producers
    #: re-lay a repeated header a few points differently)
    repeated_header_tolerance: float = 10.0
    #: slack when asking whether a header cell lies over a column's centre
    cell_margin: float = 0.5
    #: how far from 100 a column's numbers may sum and still be read as weights
    weight_sum_tolerance: float = 0.5
    #: header rows looked for among a table's first rows
    header_search_rows: int = 4
    #: how far (pt) above a details-form table its heading may start (three lines of body text)
    heading_reach: float = 40.0
    #: the largest gap (as a fraction of the line height) between two lines of one heading
    heading_line_gap: float = 0.8

    def __post_init__(self) -> None:
        for setting in fields(self):
            if getattr(self, setting.name) < 0:
                raise ValueError(f"Table setting '{setting.name}' cannot be negative")


SETTINGS = TableSettings()
