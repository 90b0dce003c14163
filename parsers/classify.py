"""What kind of document a PDF is, and whose, from the repaired text of its pages."""

from __future__ import annotations

import regex

# Title phrases, matched without spaces (extracted text spaces Thai unpredictably).
_AGREEMENT = "คำรับรองการปฏิบัติราชการ"  # performance agreement
_DETAILS = "รายละเอียดตัวชี้วัด"  # indicator details
_ACTION_PLAN = "แผนปฏิบัติการ"  # action plan
_SCORE_SUMMARY = ("สรุปผลคะแนน", "คะแนนที่ได้รับ")  # score summary, score obtained
_INDICATOR = "ตัวชี้วัด"  # indicator
_CRITERIA = "เกณฑ์การให้คะแนน"  # scoring criteria
_WEIGHT = "น้ำหนัก"  # weight
_ROUND_6 = ("6เดือน", "๖เดือน")  # six-month round

# "คำรับรองการปฏิบัติราชการประจำปีงบประมาณ พ.ศ. ๒๕๖๔ ของ ศูนย์…" → the unit after ของ ("of").
_AGREEMENT_TITLE = regex.compile(r"คำรับรองการปฏิบัติราชการ.*?ของ\s*(?P<org>[^\n]+)")
_ACTION_PLAN_TITLE = regex.compile(r"แผนปฏิบัติ(?:การ)?ราชการของ\s*(?P<org>.+?)\s*ประจำปี")
_DETAILS_TITLE = regex.compile(r"รายละเอียดตัวชี้วัด.*?ของ\s*(?P<org>[^\n]+?)\s*(?:ประจำปี|ปีงบประมาณ|$)", regex.M)
# ปีงบประมาณ พ.ศ. ๒๕๖๔: fiscal year, Buddhist era.
_FISCAL_YEAR = regex.compile(r"(?:ปีงบประมาณ|ประจำปี)\s*(?:พ\.\s*ศ\.)?\s*(?P<year>[๐-๙0-9]{4})")


def _compact(text: str) -> str:
    return regex.sub(r"\s+", "", text)


def classify(pages: list[str]) -> str:
    """One of agreement, indicator_details, action_plan, score_summary, unknown.

    Decided by the document's tables more than its words: details pages of an agreement
    mention action plans (แผนปฏิบัติการ) and six-month rounds too.
    """
    compact = [_compact(p) for p in pages]
    text = "".join(compact)
    if any(k in text for k in _SCORE_SUMMARY) and _WEIGHT in text:
        return "score_summary"
    if _AGREEMENT in text and any(_is_agreement_header(p) for p in compact):
        return "agreement"
    if _ACTION_PLAN in text and any(_is_action_plan_header(p) for p in compact):
        return "action_plan"
    if _DETAILS in text and "ตัวชี้วัดที่" in text:
        return "indicator_details"
    return "unknown"


def _is_agreement_header(page: str) -> bool:
    """The agreement table's header names weight and criteria on a page that is not a details page."""
    return _WEIGHT in page and _CRITERIA in page and _DETAILS not in page


def _is_action_plan_header(page: str) -> bool:
    """An action plan's table header: responsible staff (ผู้รับผิดชอบ) and round targets."""
    return "ผู้รับผิดชอบ" in page and any(k in page for k in _ROUND_6)


def organization(pages: list[str], kind: str) -> str | None:
    """The unit the document is about, from its title line."""
    patterns = {
        "agreement": [_AGREEMENT_TITLE],
        "action_plan": [_ACTION_PLAN_TITLE],
        "indicator_details": [_DETAILS_TITLE],
    }.get(kind, [])
    for pattern in patterns:
        for page in pages:
            if match := pattern.search(page):
                org = regex.sub(r"\s*(?:ประจำปี|ปีงบประมาณ).*$", "", match["org"]).strip()
                return org or None
    return None


def fiscal_year(pages: list[str]) -> str | None:
    for page in pages:
        if match := _FISCAL_YEAR.search(page):
            return match["year"]
    return None
