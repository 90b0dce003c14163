"""Tables without ruling lines: rebuild a `Grid` from where the words stand.

Some producers draw no cell borders (or draw them as images), so pdfplumber finds no table.
The caller names the columns by anchors — the x-centres of header words such as น้ำหนัก
(weight) or the level digits ๑–๕ — and this module cuts the lines below the header into
columns halfway between anchors, and into rows where the caller says a new row starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from kamrap.text.lines import join_wrapped
from kamrap.parsers.settings import SETTINGS
from kamrap.parsers.layout import Cell, Grid
from kamrap.parsers.pdftext import TextChar, TextLine, lines_from_chars



@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    chars: tuple[TextChar, ...]

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def words(line: TextLine) -> list[Word]:
    """The words of a line, left to right: runs of glyphs without a space or a wide gap. A
    space glyph stays with the word before it (it tells a later join that a space was there)."""
    result: list[Word] = []
    current: list[TextChar] = []
    for char in line.chars:
        if char.text.isspace():
            if current:
                current.append(char)
                result.append(_word(current))
                current = []
            continue
        if current and char.x0 - current[-1].x1 > SETTINGS.space_gap_ratio * max(char.size, 1.0):
            result.append(_word(current))
            current = []
        current.append(char)
    if current:
        result.append(_word(current))
    return result


def _word(chars: list[TextChar]) -> Word:
    ink = [c for c in chars if not c.text.isspace()]
    return Word("".join(c.text for c in chars), min(c.x0 for c in ink), max(c.x1 for c in ink),
                tuple(chars))


def find_span(line: TextLine, word: str) -> tuple[float, float] | None:
    """The x-extent of `word` in `line`, matched over its glyphs with spaces ignored (glyph
    gaps inside a word are not reliable enough to cut words by)."""
    glyphs = [c for c in line.chars if not c.text.isspace()]
    text = ""
    owner: list[int] = []  # glyph index of every character of `text`
    for index, char in enumerate(glyphs):
        text += char.text
        owner += [index] * len(char.text)
    start = text.find(word)
    if start < 0:
        return None
    first, last = glyphs[owner[start]], glyphs[owner[start + len(word) - 1]]
    return min(first.x0, last.x0), max(first.x1, last.x1)


def column_bounds(anchors: list[float], left: float, right: float) -> list[tuple[float, float]]:
    """Column extents: from `left` to `right`, cut halfway between consecutive anchors."""
    cuts = [(a + b) / 2 for a, b in zip(anchors, anchors[1:])]
    edges = [left, *cuts, right]
    return list(zip(edges, edges[1:]))




def gutter_bounds(anchors: list[float], lines: list[TextLine], left: float, right: float,
                  prefer: Sequence[str] | None = None) -> list[tuple[float, float]]:
    """Column extents from `left` to `right`, cut between consecutive anchors in a gutter (an
    x range no word of `lines` covers) between them; halfway when there is none. Words over two
    anchors or more (a label spanning columns) do not count. Which gutter, per cut (`prefer`,
    default "widest"): the widest, the one nearest the left anchor ("left": after a column of
    short centred codes) or nearest the right anchor ("right": before a column of numbers,
    where the text to its left may run close to it). Suited to columns whose cells are centred
    or wrap unevenly, where halfway between the anchors can cut a cell."""
    spans = [(w.x0, w.x1) for line in lines for w in words(line)
             if sum(w.x0 < a < w.x1 for a in anchors) < 2]
    cuts = []
    for index, (a, b) in enumerate(zip(anchors, anchors[1:])):
        gutters = _gutters(a, b, spans)
        how = prefer[index] if prefer else "widest"
        if not gutters:
            cuts.append((a + b) / 2)
            continue
        if how == "left":
            chosen = gutters[0]
        elif how == "right":
            chosen = gutters[-1]
        else:
            chosen = max(gutters, key=lambda g: g[1] - g[0])
        cuts.append((chosen[0] + chosen[1]) / 2)
    edges = [left, *cuts, right]
    return list(zip(edges, edges[1:]))


def _gutters(a: float, b: float, spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The free x ranges between a and b, at least SETTINGS.min_gutter wide, left to right."""
    covered = sorted((max(x0, a), min(x1, b)) for x0, x1 in spans if x1 > a and x0 < b)
    free, start = [], a
    for x0, x1 in covered:
        if x0 - start >= SETTINGS.min_gutter:
            free.append((start, x0))
        start = max(start, x1)
    if b - start >= SETTINGS.min_gutter:
        free.append((start, b))
    return free


def fit_bounds(bounds: list[tuple[float, float]], lines: list[TextLine]) -> list[tuple[float, float]]:
    """Move each cut between two columns out of the words it runs through, into the nearest
    gutter (an x no word of the body covers). Halfway between header anchors is only a first
    guess: a left-aligned column's words start close to its left edge. Words crossing two or
    more cuts are merged cells and do not count."""
    cuts = [right for _, right in bounds[:-1]]
    spans: list[tuple[float, float]] = []
    for line in lines:
        for word in words(line):
            if sum(word.x0 < cut < word.x1 for cut in cuts) < 2:
                spans.append((word.x0, word.x1))
    fitted = []
    for index, cut in enumerate(cuts):
        low, high = bounds[index][0], bounds[index + 1][1]
        fitted.append(_nearest_free(cut, spans, low, high))
    edges = [bounds[0][0], *fitted, bounds[-1][1]]
    return list(zip(edges, edges[1:]))


def _nearest_free(x: float, spans: list[tuple[float, float]], low: float, high: float) -> float:
    blocking = [(a, b) for a, b in spans if a < x < b]
    if not blocking:
        return x
    left = min(a for a, _ in blocking)
    right = max(b for _, b in blocking)
    candidates = [c for c in (left - SETTINGS.cell_margin, right + SETTINGS.cell_margin) if low < c < high
                  and not any(a < c < b for a, b in spans)]
    return min(candidates, key=lambda c: abs(c - x)) if candidates else x


def text_grid(
    page: int,
    lines: list[TextLine],
    bounds: list[tuple[float, float]],
    starts_row: Callable[[TextLine], bool],
    spans_row: Callable[[TextLine], bool],
) -> Grid:
    """A grid from body `lines` (below the header) and column `bounds`.

    `starts_row(line)` says a line opens a new row (e.g. it starts with an indicator code);
    other lines continue the row above. `spans_row(line)` says a line is one cell merged over
    the whole table (a group heading): it becomes a row of its own. A word that reaches over
    several columns stays whole in the column where it starts, and the columns it covers are
    merged (None), as a merged cell would be.
    """
    rows: list[list[list[TextChar] | None]] = []
    for line in lines:
        if spans_row(line):
            rows.append([list(line.chars)] + [None] * (len(bounds) - 1))
            continue
        if starts_row(line) or not rows or rows[-1][1] is None:
            rows.append([[] for _ in bounds])
        row = rows[-1]
        # a word the PDF draws a space glyph after (TextLine.chars leave spaces out) keeps it, so
        # that a cell wrapped at that space joins its lines with one (see join_wrapped)
        spaced = [x1 for x1, sp in zip(line.word_x1s, line.word_spaced) if sp]
        line_words = [_with_space(w) if any(abs(w.x1 - x1) < 0.5 for x1 in spaced) else w
                      for w in words(line)]
        for word in line_words:
            # A word wider than a whole column is a merged cell's text: it belongs to the column
            # where it starts, and the columns it covers are merged into that one.
            covered = [c for c, (left, right) in enumerate(bounds) if word.x0 <= left and word.x1 >= right]
            column = _column_of(word.x0, bounds) if covered else _column_of(word.center, bounds)
            if row[column] is None:  # covered by a merged cell: give it to the merging cell
                column = max(c for c in range(column) if row[c] is not None)
            cell = row[column]
            assert cell is not None  # the merging cell left of a covered column
            cell.extend(word.chars)
            for merged in range(column + 1, (max(covered) + 1) if covered else 0):
                if not row[merged]:
                    row[merged] = None
    return Grid(page=page, bbox=_bbox(lines), rows=[_cells(row, bounds, lines) for row in rows],
                columns=[left for left, _ in bounds])


def _with_space(word: Word) -> Word:
    last = word.chars[-1]
    if last.text.isspace():
        return word
    space = replace(last, text=" ", x0=last.x1, x1=last.x1 + 0.25 * last.size, cid=None)
    return Word(word.text + " ", word.x0, word.x1, (*word.chars, space))


def _column_of(x: float, bounds: list[tuple[float, float]]) -> int:
    for index, (_, right) in enumerate(bounds):
        if x < right:
            return index
    return len(bounds) - 1


def _cells(row: list[list[TextChar] | None], bounds: list[tuple[float, float]],
           lines: list[TextLine]) -> list[Cell | None]:
    top = min(line.top for line in lines)
    bottom = max(line.bottom for line in lines)
    cells: list[Cell | None] = []
    for chars, (left, right) in zip(row, bounds):
        if chars is None:
            cells.append(None)
            continue
        text_lines = lines_from_chars(chars) if chars else []
        cells.append(Cell(bbox=(left, top, right, bottom), lines=[line.text for line in text_lines]))
    return cells


def _bbox(lines: list[TextLine]) -> tuple[float, float, float, float]:
    return (min(line.x0 for line in lines), min(line.top for line in lines),
            max(line.x1 for line in lines), max(line.bottom for line in lines))


def join_cells(grid: Grid, spaces_kept: bool) -> Grid:
    """Give every cell of a rebuilt grid its text: its lines joined as a wrapped paragraph
    (as `kamrap.parsers.layout.read_pages` does for ruled tables)."""
    for row in grid.rows:
        for cell in row:
            if cell is not None:
                cell.text = join_wrapped(cell.lines, spaces_kept)
    return grid
