"""Group headings (มิติ / ด้าน / วัตถุประสงค์) read into the `Grouping` of the rows below them."""

from __future__ import annotations

import regex

from kamrap.parsers.records import Grouping
from kamrap.parsers.vocabulary import BULLETS, GROUP_WORDS, GroupLevel, group_level
from kamrap.text.lines import join_wrapped
from kamrap.text.ocr_fix import opens_with_read

_BULLET = regex.compile(rf"^[{BULLETS}\s]+")


def _bulleted_heading(line: str) -> tuple[GroupLevel, str] | None:
    """The level of a heading a bullet opens, and its text with the group word written as
    printed, when the line opens with a group word as OCR reads it (marks lost, look-alike
    letters: "ค้านการพัฒนาองค์กร" is ด้านการพัฒนาองค์กร, "มตภายนอก" มิติภายนอก). A bullet opens
    a new item of a list, so the line is a heading of its own, not a wrapped line; without a
    bullet only the word as printed counts (a wrapped line may open with ต้าน, ค่าน)."""
    for word, level in GROUP_WORDS:
        end = opens_with_read(line, word)
        if end is not None:
            return level, word + line[end:]
    return None


def group_lines_to_grouping(grouping: Grouping, lines: list[str], spaces_kept: bool) -> Grouping:
    """The grouping after a group row: each line names a มิติ, ด้าน or วัตถุประสงค์; a new
    dimension clears the perspective and objective, a new perspective clears the objective.
    Lines that start with none of these continue the item above (a wrapped line)."""
    new = Grouping(grouping.dimension, grouping.perspective, grouping.objective)
    last: str | None = None
    for raw in (part for line in lines for part in regex.split(rf"(?=[{BULLETS}])", line)):
        line = _BULLET.sub("", raw)
        if not line.strip():
            continue
        level = group_level(line)
        if level is None and raw.lstrip()[:1] in BULLETS and (heading := _bulleted_heading(line)):
            level, line = heading
        if level == GroupLevel.dimension:  # a new dimension clears the levels under it
            new, last = Grouping(dimension=line), "dimension"
        elif level == GroupLevel.perspective:
            new, last = Grouping(new.dimension, line), "perspective"
        elif level == GroupLevel.objective:
            new.objective, last = line, "objective"
        elif last is not None:
            setattr(new, last, join_wrapped([getattr(new, last), line], spaces_kept))
    return new
