"""What kind of document a PDF is, and whose, from the repaired text of its pages."""

from __future__ import annotations

import regex

from kamrap.text.thai import no_spaces as _compact
from kamrap.parsers.header import TableHeader, is_indicator_header
from kamrap.parsers.vocabulary import (
    ACTION_PLAN_TITLES,
    AGREEMENT_TITLE,
    BUDDHIST_ERA,
    CRITERIA_TITLE,
    DETAILS_TITLE,
    FISCAL_YEAR_WORDS,
    INDICATOR_NO,
    OF_WORD,
    RESPONSIBLE_WORD,
    ROUND_6_WORDS,
    SCORE_OBTAINED,
    SUMMARY_TITLE,
    TITLE_CUES,
    WEIGHT_WORD,
    ColumnRole,
    Cue,
    form_label,
    group_level,
    header_role,
    loose_key,
)
from kamrap.schema.models import DocumentKind

# Title phrases (vocabulary), matched without spaces (extracted text spaces Thai unpredictably).
_DETAILS = DETAILS_TITLE
_SCORE_SUMMARY = (SUMMARY_TITLE, SCORE_OBTAINED)
_CRITERIA = CRITERIA_TITLE
_WEIGHT = WEIGHT_WORD
_ROUND_6 = ROUND_6_WORDS

_YEAR_WORDS = "|".join(FISCAL_YEAR_WORDS)
# "คำรับรองการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. ๒๕๖๔ ของ ศูนย์…" → the unit after ของ ("of").
_AGREEMENT_TITLE = regex.compile(AGREEMENT_TITLE + r".*?" + OF_WORD + r"\s*(?P<org>[^\n]+)")
_ACTION_PLAN_TITLE = regex.compile(
    "(?:" + "|".join(ACTION_PLAN_TITLES) + ")" + OF_WORD + r"\s*(?P<org>.+?)\s*" + FISCAL_YEAR_WORDS[1])
_DETAILS_TITLE = regex.compile(
    DETAILS_TITLE + r".*?" + OF_WORD + r"\s*(?P<org>[^\n]+?)\s*(?:" + _YEAR_WORDS + "|$)", regex.M)
# ปีงบประมาณ พ.ศ. ๒๕๖๔: fiscal year, Buddhist era (its dots may be spaced: "พ. ศ.").
_ERA = r"\s*".join(map(regex.escape, BUDDHIST_ERA))
_FISCAL_YEAR = regex.compile("(?:" + _YEAR_WORDS + r")\s*(?:" + _ERA + r")?\s*(?P<year>[๐-๙0-9]{4})")


def classify(pages: list[str], headers: list[TableHeader] | None = None,
             form_labels: int = 0) -> DocumentKind:
    """The kind of document, weighed from several cues: title phrases, the header words of
    its tables (`kamrap.parsers.vocabulary`), the column roles its tables have, and how many
    distinct details-form labels open its lines (`form_labels`). No one cue decides: a title
    read wrong, or a details page that mentions an action plan, is outvoted by the tables."""
    scores = cue_scores(pages, headers or [], form_labels)
    best = max(scores.values())
    if best < 3:  # a title alone (2) is a mention, not a document of that kind
        return DocumentKind.unknown
    return next(kind for kind in _PRIORITY if scores[kind] == best)


# Ties go to the kind listed first: a summary's tables look like an agreement's.
_PRIORITY = (DocumentKind.score_summary, DocumentKind.agreement, DocumentKind.action_plan,
             DocumentKind.indicator_details, DocumentKind.kpi_table)


def cue_scores(pages: list[str], headers: list[TableHeader], form_labels: int) -> dict[DocumentKind, int]:
    """Points per kind: 3 for a table header typical of the kind, 2 for its title, 1 or 2 for
    weaker signs. Public so that a misclassification can be explained."""
    compact = [_compact(p) for p in pages]
    text = "".join(compact)
    loose = loose_key(text)
    titles = {cue for word, cue in TITLE_CUES if word in loose}
    roles = [h.roles for h in headers if is_indicator_header(h)]
    by_period = any(c.role in (ColumnRole.result, ColumnRole.target) and (c.round or c.year)
                    for h in headers if is_indicator_header(h) for c in h.columns)

    def has(*wanted: ColumnRole) -> bool:
        return any(set(wanted) <= r for r in roles)

    scores = dict.fromkeys(_PRIORITY, 0)
    scores[DocumentKind.score_summary] += (
        3 * (any(k in text for k in _SCORE_SUMMARY) and _WEIGHT in text)
        + 2 * (has(ColumnRole.name, ColumnRole.score) and not has(ColumnRole.criteria))
        + (Cue.qa_title in titles or Cue.summary_title in titles))
    scores[DocumentKind.agreement] += (
        2 * (Cue.agreement_title in titles) + 3 * any(_is_agreement_header(p) for p in compact)
        + 2 * has(ColumnRole.name, ColumnRole.weight))
    scores[DocumentKind.action_plan] += (
        2 * (Cue.action_plan_title in titles) + 3 * any(_is_action_plan_header(p) for p in compact)
        # budget columns beside indicators and their periods: an action plan's table, as
        # typical of the kind as its header words (3); groups or a status column, a weaker sign
        + (3 if has(ColumnRole.name, ColumnRole.budget) else
           2 if has(ColumnRole.name, ColumnRole.group) or has(ColumnRole.name, ColumnRole.status) else 0)
        * by_period)
    scores[DocumentKind.indicator_details] += (
        2 * (Cue.details_title in titles) + (INDICATOR_NO in text) + 3 * (form_labels >= 4))
    scores[DocumentKind.kpi_table] += 2 * bool(roles) + by_period
    return scores


def _is_agreement_header(page: str) -> bool:
    """The agreement table's header names weight and criteria on a page that is not a details page."""
    return _WEIGHT in page and _CRITERIA in page and _DETAILS not in page


def _is_action_plan_header(page: str) -> bool:
    """An action plan's table header: responsible staff (ผู้รับผิดชอบ) and round targets."""
    return RESPONSIBLE_WORD in page and any(k in page for k in _ROUND_6)


def organization(pages: list[str], kind: str) -> str | None:
    """The unit the document is about, from its title line."""
    patterns = {
        DocumentKind.agreement: [_AGREEMENT_TITLE],
        DocumentKind.action_plan: [_ACTION_PLAN_TITLE],
        DocumentKind.indicator_details: [_DETAILS_TITLE],
    }.get(DocumentKind(kind), [])
    for pattern in patterns:
        for page in pages:
            if match := pattern.search(page):
                org = match["org"] + _title_continues(page[match.end():])
                org = regex.sub(r"\s*(?:" + _YEAR_WORDS + ").*$", "", org).strip()
                return org or None
    return None


def _title_continues(rest: str) -> str:
    """The next line, when a title wrapped onto it: a short line of words only — no digits
    (a year, a code), no header word or form label, no group heading — that follows a title
    ending inside the unit's name. Thai wraps between words, so it joins without a space."""
    line = rest.lstrip("\n").split("\n", 1)[0].strip()
    if not line or len(line) > 60 or regex.search(r"[\d๐-๙]", line) or group_level(line) \
            or form_label(line) or any(header_role(word) for word in line.split()):
        return ""
    return line


def fiscal_year(pages: list[str]) -> str | None:
    for page in pages:
        if match := _FISCAL_YEAR.search(page):
            return match["year"]
    return None
