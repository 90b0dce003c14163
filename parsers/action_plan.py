"""The indicator table of an action plan (แผนปฏิบัติการ).

Ruled plan tables are read by their headers like any table of indicators
(`kamrap.parsers.indicator_table`): indicator, unit (หน่วยวัด), the five score levels (ระดับคะแนน
๑–๕, often left empty), responsible staff (ผู้รับผิดชอบ), targets per round (เป้าหมาย ๖ เดือน /
๑๒ เดือน), or strategy, project, target, results per round, budget and status columns. A plan
table without ruling lines is rebuilt from where its words stand (`_text_table`), anchored on
the header words of the layout of seed 001; group rows ("C : ตัวชี้วัดตามหน้าที่/งานประจำ")
span its first seven columns.
"""

from __future__ import annotations

import regex

from kamrap.parsers import indicator_table
from kamrap.parsers.header import Column, TableHeader
from kamrap.parsers.layout import Grid, PageLayout
from kamrap.parsers.pdftext import TextLine
from kamrap.parsers.records import IndicatorRow
from kamrap.parsers.vocabulary import (
    INDICATOR_TYPE_WORD, LEVEL_WORD, MONTHS_WORD, RESPONSIBLE_WORD, UNIT_WORD, ColumnRole,
)
from kamrap.parsers.text_table import find_span, gutter_bounds, join_cells, text_grid, words

_CODE_START = regex.compile(r"^\s*[\d๐-๙]+\s*\.")



# -- tables without ruling lines -------------------------------------------------------------------
# A group row: "C : ตัวชี้วัดตามหน้าที่/งานประจำ …" (a letter, a colon).
_GROUP = regex.compile(r"^\s*[A-Za-zก-ฮ]\s*:")
_LEVELS = ("๑", "๒", "๓", "๔", "๕")


def _text_table(page: PageLayout) -> tuple[Grid, TableHeader] | None:
    """The plan table from word positions. Columns are anchored on the header: หน่วยวัด
    (unit), the level digits ๑–๕, ผู้รับผิดชอบ (responsible) and the two round targets (the
    "๖ เดือน" and "๑๒ เดือน" headings); the indicator column lies left of the unit. The body
    starts at the first indicator (๑. …) or group row (C : …) below the header; a row starts at
    an indicator's number or a group label."""
    lines = page.lines_outside_tables()
    start = next((i for i, line in enumerate(lines) if find_span(line, INDICATOR_TYPE_WORD)), None)
    if start is None:
        return None
    header_lines = lines[max(0, start - 3):start + 6]
    anchors = _plan_anchors(header_lines)
    if anchors is None:
        return None
    # the body starts below the header's last line: the level digits, the round headings
    # (๖ เดือน ๑๒ เดือน) or the target unit under them (ระดับ ระดับ)
    end = max(i for i in range(max(0, start - 3), min(len(lines), start + 6))
              if _is_header_line(lines[i]) or i == start)
    body = lines[end + 1:]
    if not body:
        return None
    label = anchors[0] - (anchors[1] - anchors[0])
    bounds = gutter_bounds([label, *anchors], [l for l in body if not _GROUP.match(l.text)], 0.0, page.width,
                           prefer=("right", *["widest"] * (len(anchors) - 1)))
    grid = text_grid(page.number, body, bounds,
                     starts_row=lambda line: bool(_CODE_START.match(line.text) or _GROUP.match(line.text)),
                     spans_row=lambda line: False)
    for row in grid.rows:
        label_cell = row[0]
        if label_cell is not None and _GROUP.match(" ".join(label_cell.lines)):
            # a group row: its label runs over the unit and level columns ("มิติด้าน…")
            label_cell.lines = [" ".join(text for c in row[:7] if c is not None for text in c.lines)]
            row[1:7] = [None] * 6
    # the columns in the order of their anchors: indicator, unit, levels ๑–๕, responsible,
    # the 6- and 12-month targets
    roles = [(ColumnRole.name, None, None), (ColumnRole.unit, None, None),
             *[(ColumnRole.criteria, level, None) for level in range(1, 6)],
             (ColumnRole.responsible, None, None), (ColumnRole.target, None, "6"),
             (ColumnRole.target, None, "12")]
    header = TableHeader(rows=0, columns=[Column((i,), role, (), round=round_, level=level)
                                          for i, (role, level, round_) in enumerate(roles)])
    return join_cells(grid, page.spaces_kept), header


def _is_header_line(line: TextLine) -> bool:
    texts = [w.text.strip() for w in words(line)]
    return bool(texts) and (texts == list(_LEVELS) or sum(MONTHS_WORD in t for t in texts) == 2
                            or all(t == LEVEL_WORD for t in texts))


def _plan_anchors(header: list[TextLine]) -> list[float] | None:
    """x-centres of the unit, five level, responsible and two target columns, from the
    header lines; None when one is missing."""
    def centre(word: str) -> float | None:
        for line in header:
            span = find_span(line, word)
            if span is not None:
                return (span[0] + span[1]) / 2
        return None

    unit, responsible = centre(UNIT_WORD), centre(RESPONSIBLE_WORD)
    levels = next(([w.center for w in words(line) if w.text.strip() in _LEVELS]
                   for line in header if [w.text.strip() for w in words(line)] == list(_LEVELS)), None)
    months = next(([w.center for w in words(line) if MONTHS_WORD in w.text]
                   for line in header if sum(MONTHS_WORD in w.text for w in words(line)) == 2), None)
    if unit is None or responsible is None or levels is None or months is None:
        return None
    return [unit, *levels, responsible, *months]


def parse_rows(pages: list[PageLayout]) -> list[IndicatorRow]:
    """Every indicator row of the plan: ruled tables read by their headers, else the table
    rebuilt from word positions (`_text_table`)."""
    return indicator_table.parse_rows(pages, rebuild=_text_table)
