"""What the words of Thai KPI documents mean: table header words, form labels, title cues.

Every piece of knowledge about how Thai agencies label their tables and forms lives here, as
data, with an English gloss per entry; the parsers ask this module what a header or a label
means and never hold a column position. Words are matched on a *loose key* (`loose_key`): no
spaces, Arabic digits, SARA AM read as SARA AA, so the same entry matches "น้ำหนัก",
"น ้ำหนัก", "น้าหนัก" (a text layer that lost ำ) and "น้ำหนัก" built from NIKHAHIT + SARA AA.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import regex

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_T = TypeVar("_T")


def loose_key(text: str | None) -> str:
    """Text reduced for matching vocabulary: NFC, no whitespace, Arabic digits, ำ and ํา as า.

    >>> loose_key("เกณฑ์เป้ำหมำย ปี ๒๕๖๔") == loose_key("เกณฑ์เป้าหมาย ปี 2564")
    True
    """
    text = unicodedata.normalize("NFC", text or "").translate(_THAI_DIGITS)
    text = text.replace("\u0e4d\u0e32", "\u0e32").replace("\u0e33", "\u0e32")
    return regex.sub(r"[\s\u200b]+", "", text)


class ColumnRole(StrEnum):
    """What the cells of a table column hold."""

    code = "code"  # the indicator's number
    name = "name"  # the indicator's name (may start with its code)
    unit = "unit"  # unit of measure
    weight = "weight"  # weight in the total score
    target = "target"  # target value or level (per year or round when the header says)
    criteria = "criteria"  # one level of the scoring criteria (1–5)
    baseline = "baseline"  # a past year's result
    result = "result"  # a result (per round or year when the header says)
    numerator = "numerator"  # the numerator of a result
    denominator = "denominator"  # the denominator of a result
    score = "score"  # the score obtained
    weighted_score = "weighted_score"  # score × weight
    responsible = "responsible"  # who answers for the indicator
    assessed = "assessed"  # a check-mark column: the unit named in its header is assessed
    budget = "budget"  # money allocated or spent
    status = "status"  # achieved or not, as printed
    remark = "remark"  # remarks
    group = "group"  # a grouping printed on a group's first row (strategy, project)


@dataclass(frozen=True)
class HeaderWord:
    words: tuple[str, ...]
    role: ColumnRole


def _h(role: ColumnRole, *words: str) -> HeaderWord:
    return HeaderWord(tuple(loose_key(w) for w in words), role)


#: Header words and the column role they name. When several match one header cell, the longest
#: word wins ("กลุ่มงานที่รับผิดชอบ" is responsible, not a group; "บรรลุเป้าหมาย" is a status,
#: not a target).
HEADER_WORDS: tuple[HeaderWord, ...] = (
    _h(ColumnRole.code, "ลำดับ", "ลำดับที่", "รหัส", "รหัสตัวชี้วัด", "ที่", "ข้อ"),  # sequence, code
    _h(ColumnRole.code, "KPI", "KPI ที่"),  # a KPI number column (a name column beside it names it)
    _h(ColumnRole.name, "ตัวชี้วัด", "ชื่อตัวชี้วัด", "ตัวชี้วัดผลการปฏิบัติงาน", "ตัวชี้วัดผลการปฏิบัติราชการ",
       "ตัวบ่งชี้", "ตัวบ่งชี้คุณภาพ", "ตัวชี้วัด/ค่าเป้าหมาย", "ตัวชี้วัดความสำเร็จ",
       "ตัวชี้วัดตามคำรับรอง", "ตัวชี้วัดผลการดำเนินงาน", "ประเด็นการประเมิน"),  # indicator
    _h(ColumnRole.unit, "หน่วยวัด", "หน่วยนับ", "หน่วย"),  # unit of measure, counting unit
    _h(ColumnRole.weight, "น้ำหนัก", "ค่าน้ำหนัก", "น้ำหนัก(ร้อยละ)", "น้ำหนักร้อยละ"),  # weight
    _h(ColumnRole.target, "เป้าหมาย", "ค่าเป้าหมาย", "เกณฑ์เป้าหมาย", "เป้าหมายปี",
       "ระดับเป้าหมาย", "เป้าหมาย/ปี"),  # target
    _h(ColumnRole.criteria, "เกณฑ์การให้คะแนน", "เกณฑ์การประเมิน", "ระดับคะแนน", "เกณฑ์การวัด",
       "ระดับการประเมิน"),  # scoring criteria, score levels
    _h(ColumnRole.baseline, "ข้อมูลพื้นฐาน", "ผลการดำเนินงานย้อนหลัง", "ข้อมูลฐาน", "baseline",
       "ผลการดำเนินงานที่ผ่านมา", "ผลการดำเนินงานในอดีต"),  # baseline, past results
    _h(ColumnRole.result, "ผลการดำเนินงาน", "ผลการดำเนินการ", "ผลงาน", "ผลลัพธ์",
       "ผลการปฏิบัติงาน", "ผลการประเมิน", "ผลการปฏิบัติราชการ"),  # result
    _h(ColumnRole.numerator, "ตัวตั้ง"),  # numerator
    _h(ColumnRole.denominator, "ตัวหาร"),  # denominator
    _h(ColumnRole.score, "คะแนน", "คะแนนที่ได้", "คะแนนที่ได้รับ", "คะแนนประเมิน",
       "ค่าคะแนนที่ได้"),  # score obtained
    _h(ColumnRole.weighted_score, "คะแนนถ่วงน้ำหนัก", "คะแนนที่ได้xน้ำหนัก",
       "ค่าคะแนนถ่วงน้ำหนัก"),  # weighted score
    _h(ColumnRole.responsible, "ผู้รับผิดชอบ", "ผู้กำกับดูแล", "ผู้กำกับดูแลตัวชี้วัด", "กลุ่มงาน",
       "กลุ่มงานที่รับผิดชอบ", "หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ", "ผู้ประสานงาน",
       "ผู้จัดเก็บข้อมูล", "ผู้รับผิดชอบตัวชี้วัด"),  # responsible, supervisor, work group, coordinator
    _h(ColumnRole.assessed, "หน่วยประเมิน", "หน่วยรับการประเมิน", "หน่วยงานที่ประเมิน",
       "หน่วยที่ประเมิน"),  # assessed units
    _h(ColumnRole.budget, "งบประมาณ", "งบประมาณที่ได้รับจัดสรร", "งบประมาณ(บาท)",
       "งบประมาณที่ใช้"),  # budget
    _h(ColumnRole.status, "สถานะ", "สรุปสถานะ", "บรรลุเป้าหมาย", "บรรลุ", "ผลการบรรลุ"),  # status
    _h(ColumnRole.remark, "หมายเหตุ"),  # remark
    _h(ColumnRole.group, "ยุทธศาสตร์", "ยุทศาสตร์", "กลยุทธ์", "กลยุทธ์หน่วยงาน", "โครงการ",
       "ผลผลิต/โครงการ/กิจกรรม", "กิจกรรม", "ประเด็นยุทธศาสตร์", "เป้าประสงค์", "มิติ",
       "แผนงาน"),  # strategy, project, activity, goal, dimension
)

#: Roles whose child headers are labels, not roles of their own: "หน่วยประเมิน" over
#: "สสอ. | รพ.", "งบประมาณ" over "งปม. | รายได้", "เกณฑ์การให้คะแนน" over "๑ … ๕".
LABELLED_PARENTS = frozenset({ColumnRole.assessed, ColumnRole.budget, ColumnRole.criteria})

# "รอบ ๖ เดือน", "๑๒ เดือน": an assessment round in months.
ROUND = regex.compile(r"(?:รอบ)?(\d{1,2})เดือน")
# A Buddhist-era year in a header: "๒๕๖๔", "ปี 2564", "พ.ศ.2564"; also the short "ปี 64".
YEAR = regex.compile(r"(?<!\d)(2[45]\d\d)(?!\d)|^(?:ปี|พ\.ศ\.)(\d\d)$")
# A criteria level heading: "๑", "ระดับ 1", "คะแนน ๑".
LEVEL = regex.compile(r"^(?:ระดับ|คะแนน|ระดับคะแนน)?([1-5])(?:คะแนน)?$")


def header_role(text: str | None) -> ColumnRole | None:
    """The role a header cell names, or None. The longest matching header word wins.

    >>> header_role("กลุ่มงานที่รับผิดชอบ")
    <ColumnRole.responsible: 'responsible'>
    >>> header_role("บรรลุเป้าหมาย (/ = บรรลุ , x = ไม่บรรลุ)")
    <ColumnRole.status: 'status'>
    """
    key = loose_key(text)
    return _key_role(key) if key else None


@functools.lru_cache(maxsize=4096)  # a document repeats its header cells on every page
def _key_role(key: str) -> ColumnRole | None:
    return _longest(((word, entry.role) for entry in HEADER_WORDS for word in entry.words),
                    lambda word: _names(key, word))


def _longest(entries: Iterable[tuple[str, _T]], matches: Callable[[str], bool]) -> _T | None:
    """The meaning of the longest word among `entries` that `matches`, or None."""
    best: tuple[int, _T] | None = None
    for word, meaning in entries:
        if matches(word) and (best is None or len(word) > best[0]):
            best = (len(word), meaning)
    return best[1] if best else None


def _names(key: str, word: str) -> bool:
    """Whether a header `key` names `word`: short words (ที่, ข้อ, KPI, หน่วย) only as the whole
    cell, so that "ตัวชี้วัดที่" or "หน่วยประเมิน" are not read as them."""
    if len(word) <= 5:
        return key == word or key.rstrip(".") == word
    return word in key


def header_round(text: str | None) -> str | None:
    """The round in months a header names: "รอบ ๖ เดือน" → "6"."""
    match = ROUND.search(loose_key(text))
    return str(int(match.group(1))) if match else None


def header_year(text: str | None) -> str | None:
    """The Buddhist-era year a header names: "ปี ๒๕๕๔" → "2554", "ปี 64" → "2564"."""
    match = YEAR.search(loose_key(text))
    if not match:
        return None
    return match.group(1) or f"25{match.group(2)}"


def header_level(text: str | None) -> int | None:
    """The criteria level a header names: "๓" → 3, "ระดับ 5" → 5."""
    match = LEVEL.match(loose_key(text))
    return int(match.group(1)) if match else None


# -- check marks -----------------------------------------------------------------------------------
#: What a check-mark cell holds when it marks "yes": "/", "✓", "✔", "√", "X"-less ticks, and the
#: Wingdings tick fonts put in the private-use area (U+F050 P, U+F0FC ü).
CHECK_MARKS = frozenset({"/", "✓", "✔", "√", "\uf050", "\uf0fc", "\uf0fe", "P", "ü"})


def is_check_mark(text: str | None) -> bool:
    return loose_key(text) in CHECK_MARKS


# -- documents --------------------------------------------------------------------------------------
class Cue(StrEnum):
    """A sign of what kind of document a PDF is; `kamrap.parsers.classify` weighs them."""

    agreement_title = "agreement_title"  # คำรับรองการปฏิบัติราชการ
    details_title = "details_title"  # รายละเอียดตัวชี้วัด
    action_plan_title = "action_plan_title"  # แผนปฏิบัติการ / Action Plan
    summary_title = "summary_title"  # สรุปผลคะแนน / ผลการประเมิน
    qa_title = "qa_title"  # ประกันคุณภาพ / ผลการประเมินคุณภาพ


#: Title phrases (loose keys) and the cue they give.
TITLE_CUES: tuple[tuple[str, Cue], ...] = tuple((loose_key(w), c) for w, c in (
    ("คำรับรองการปฏิบัติราชการ", Cue.agreement_title),  # performance agreement
    ("รายละเอียดตัวชี้วัด", Cue.details_title),  # indicator details
    ("แผนปฏิบัติการ", Cue.action_plan_title),  # action plan
    ("แผนปฏิบัติราชการ", Cue.action_plan_title),  # government action plan
    ("ActionPlan", Cue.action_plan_title),
    ("สรุปผลคะแนน", Cue.summary_title),  # score summary
    ("สรุปผลการประเมิน", Cue.summary_title),  # summary of assessment results
    ("ผลการประเมินคุณภาพ", Cue.qa_title),  # quality assessment results
    ("การประเมินคุณภาพภายใน", Cue.qa_title),  # internal quality assessment
))


# -- details forms ----------------------------------------------------------------------------------
class FormField(StrEnum):
    """A field of an indicator details form (รายละเอียดตัวชี้วัด / KPI template)."""

    indicator = "indicator"  # the label that opens a record: ตัวชี้วัดที่ / ตัวชี้วัด N.
    name = "name"
    unit = "unit"
    weight = "weight"
    description = "description"
    formula = "formula"
    target = "target"
    target_population = "target_population"
    data_collection = "data_collection"
    data_source = "data_source"
    data_items = "data_items"
    evaluation_period = "evaluation_period"
    evaluation_method = "evaluation_method"
    criteria = "criteria"
    baseline = "baseline"
    condition = "condition"
    supervisor = "supervisor"
    collector = "collector"
    responsible = "responsible"
    other = "other"  # a known label whose value kamrap keeps nowhere (เอกสารสนับสนุน, …)


#: Form labels (loose keys, matched at the start of a label cell or line) and their field; the
#: longest matching label wins.
FORM_LABELS: tuple[tuple[str, FormField], ...] = tuple((loose_key(w), f) for w, f in (
    ("ตัวชี้วัดที่", FormField.indicator),  # indicator no.
    ("ตัวชี้วัด", FormField.indicator),  # indicator (followed by its number: "ตัวชี้วัด 1.")
    ("ชื่อตัวชี้วัด", FormField.name),  # indicator name
    ("หน่วยวัด", FormField.unit),  # unit of measure
    ("หน่วยนับ", FormField.unit),
    ("น้ำหนัก", FormField.weight),  # weight
    ("คำอธิบาย", FormField.description),  # description
    ("คำนิยาม", FormField.description),  # definition
    ("นิยาม", FormField.description),
    ("สูตรการคำนวณ", FormField.formula),  # formula
    ("สูตรคำนวณ", FormField.formula),
    ("สูตรคำนวณตัวชี้วัด", FormField.formula),
    ("เกณฑ์เป้าหมาย", FormField.target),  # target
    ("ค่าเป้าหมาย", FormField.target),
    ("เป้าหมาย", FormField.target),
    ("ประชากรกลุ่มเป้าหมาย", FormField.target_population),  # target population
    ("วิธีการจัดเก็บข้อมูล", FormField.data_collection),  # how data are collected
    ("แหล่งข้อมูล", FormField.data_source),  # data source
    ("รายการข้อมูล", FormField.data_items),  # data items (A = …, B = …)
    ("ระยะเวลาประเมินผล", FormField.evaluation_period),  # evaluation period
    ("ระยะเวลาการประเมินผล", FormField.evaluation_period),
    ("วิธีการประเมินผล", FormField.evaluation_method),  # evaluation method
    ("เกณฑ์การประเมิน", FormField.criteria),  # assessment criteria (targets per round)
    ("เกณฑ์การให้คะแนน", FormField.criteria),  # scoring criteria
    ("รายละเอียดข้อมูลพื้นฐาน", FormField.baseline),  # baseline details
    ("ข้อมูลพื้นฐาน", FormField.baseline),  # baseline
    ("เงื่อนไข", FormField.condition),  # condition
    ("ผู้กำกับดูแลตัวชี้วัด", FormField.supervisor),  # supervisor
    ("ผู้กำกับดูแล", FormField.supervisor),
    ("ผู้จัดเก็บข้อมูล", FormField.collector),  # data collector
    ("ผู้บันทึกข้อมูล", FormField.collector),  # data recorder
    ("ผู้ให้ข้อมูลทางวิชาการ", FormField.responsible),  # technical contact
    ("ผู้ประสานงานตัวชี้วัด", FormField.responsible),  # indicator coordinator
    ("ผู้รับผิดชอบ", FormField.responsible),  # responsible
    ("ผู้รายงานผลการดำเนินงาน", FormField.other),  # who reports results
    ("หน่วยงานประมวลผลและจัดทำข้อมูล", FormField.other),  # processing unit
    ("เอกสารสนับสนุน", FormField.other),  # supporting documents
))


def form_label(text: str | None) -> FormField | None:
    """The form field a label cell or line start names, or None (the longest label wins).

    >>> form_label("เกณฑ์เป้ำหมำย")
    <FormField.target: 'target'>
    >>> form_label("ประชำกรกลุ่มเป้ำหมำย")
    <FormField.target_population: 'target_population'>
    """
    key = loose_key(text)
    return _longest(FORM_LABELS, key.startswith)


#: Words that open a total row rather than an indicator: รวม total, เฉลี่ย average, คะแนนรวม
#: total score, ผลรวม sum, ค่าเฉลี่ย mean.
TOTAL_WORDS: tuple[str, ...] = tuple(loose_key(w) for w in ("รวม", "เฉลี่ย", "คะแนนรวม", "ผลรวม",
                                                           "ค่าเฉลี่ย", "รวมทั้งสิ้น", "Total"))


def is_total_label(text: str | None) -> bool:
    """Whether a row label names a total: "รวม", "เฉลี่ยคะแนนรวมทุกตัวบ่งชี้…"."""
    key = loose_key(text)
    return any(key.startswith(word) for word in TOTAL_WORDS)


#: Personal titles that open a person's name: นาย Mr, นาง Mrs, นางสาว / น.ส. Miss, ดร. Dr,
#: ผศ. / รศ. / ศ. (assistant / associate / full) professor, ว่าที่ acting. A line of a
#: responsible cell that starts with one names another person.
PERSONAL_TITLES: tuple[str, ...] = ("นาย", "นาง", "นางสาว", "น.ส.", "ดร.", "ผศ.", "รศ.", "ศ.",
                                    "ว่าที่", "พ.ต.", "ร.ต.")


def starts_with_title(text: str) -> bool:
    return text.lstrip().startswith(PERSONAL_TITLES)


# -- group rows ---------------------------------------------------------------------------------
class GroupLevel(StrEnum):
    """The levels of an agreement's grouping, coarsest first."""

    dimension = "dimension"  # มิติ
    perspective = "perspective"  # ด้าน
    objective = "objective"  # วัตถุประสงค์


#: Words that open a group heading, and the level they name.
GROUP_WORDS: tuple[tuple[str, GroupLevel], ...] = (
    ("มิติ", GroupLevel.dimension),  # dimension ("มิติภายนอก (น้ำหนัก ๕๐)")
    ("ด้าน", GroupLevel.perspective),  # perspective ("ด้านประสิทธิผลของการปฏิบัติราชการ")
    ("วัตถุประสงค์", GroupLevel.objective),  # objective ("วัตถุประสงค์ที่ ๑ …")
)
#: Bullets printed before group headings.
BULLETS = "●•·"


def group_level(text: str) -> GroupLevel | None:
    """The grouping level a heading line opens: "มิติภายนอก" → dimension; None otherwise."""
    stripped = text.lstrip(BULLETS + " \t")
    return next((level for word, level in GROUP_WORDS if stripped.startswith(word)), None)


#: Header words that anchor the columns of an agreement table drawn without ruling lines:
#: น้ำหนัก weight, เป้าหมาย target, หมายเหตุ remark (with the level digits ๑–๕ between).
AGREEMENT_ANCHORS: dict[ColumnRole, str] = {
    ColumnRole.weight: "น้ำหนัก", ColumnRole.target: "เป้าหมาย", ColumnRole.remark: "หมายเหตุ"}


# -- words the document parsers look for ------------------------------------------------------------
# Matched as printed with spaces removed (`kamrap.parsers` compacts lines before looking).
DETAILS_TITLE = "รายละเอียดตัวชี้วัด"  # indicator details: a details page's title
INDICATOR_NO = "ตัวชี้วัดที่"  # indicator no.: the label before a code ("ตัวชี้วัดที่ ๑.๑")
INDICATOR_WORD = "ตัวชี้วัด"  # indicator: a summary's code-column heading
WEIGHT_WORD = "น้ำหนัก"  # weight
SCORE_WORD = "คะแนน"  # score ("คะแนนที่ทำได้", "ค่าคะแนนที่ได้")
SUMMARY_NAME_WORD = "รายละเอียด"  # details: a summary's name-column heading ("รายละเอียดตัวชี้วัด")
SUMMARY_TITLE = "สรุปผลคะแนน"  # score summary: the page title
SCORE_OBTAINED = "คะแนนที่ได้รับ"  # score obtained: a summary's title or total row
CRITERIA_TITLE = "เกณฑ์การให้คะแนน"  # scoring criteria: an agreement's criteria heading
RESPONSIBLE_WORD = "ผู้รับผิดชอบ"  # responsible: an action plan's staff column
UNIT_WORD = "หน่วยวัด"  # unit of measure
MONTHS_WORD = "เดือน"  # months: a round heading ("๖ เดือน")
LEVEL_WORD = "ระดับ"  # level: a criteria level heading ("ระดับ")
INDICATOR_TYPE_WORD = "ประเภทตัวชี้วัด"  # indicator type: an action plan's first header cell
ROUND_6_WORDS = ("6เดือน", "๖เดือน")  # six months: the first round of an action plan
#: A score summary's total row opens with one of these: score obtained, total score, total.
SUMMARY_TOTAL_STARTS = ("คะแนนที่ได้รับ", "คะแนนรวม", "รวม")
#: A footnote under a summary opens with: "ตัวชี้วัด ข้อ …" (indicator item), หมายเหตุ (remark), "*".
FOOTNOTE_STARTS = ("ตัวชี้วัด ข้อ", "หมายเหตุ", "*")  # a space: any spacing there
#: Title words before the unit's name: performance agreement; government action plan (two spellings).
AGREEMENT_TITLE = "คำรับรองการปฏิบัติราชการ"
ACTION_PLAN_TITLES = ("แผนปฏิบัติการราชการ", "แผนปฏิบัติราชการ")
OF_WORD = "ของ"  # of: the unit's name follows it in a title
#: "ปีงบประมาณ พ.ศ. ๒๕๖๔" (fiscal year, Buddhist era), "ประจำปี ๒๕๖๔" (for the year).
FISCAL_YEAR_WORDS = ("ปีงบประมาณ", "ประจำปี")
BUDDHIST_ERA = "พ.ศ."  # Buddhist era, before a year
YEAR_WORD = "ปี"  # year, before a year ("ปี 2556", "ปี54")
DIRECTOR_WORD = "ผู้อำนวยการ"  # director: "ผู้อำนวยการ<unit>" names the supervisor's unit
PHONE_WORD = "เบอร์"  # (phone) number: "เบอร์ติดต่อ …" ends a unit's name

#: Line starts of a details page printed as plain lines (spaces removed) and the field or
#: section each opens. Order matters: longer labels first where one is a prefix of another.
DETAILS_LINE_LABELS: tuple[tuple[str, str], ...] = (
    ("มิติ", "dimension"),  # dimension
    ("วัตถุประสงค์ที่", "objective"),  # objective no.
    ("ตัวชี้วัดที่", "code"),  # indicator no.
    ("หน่วยวัด", "unit"),  # unit of measure
    ("น้ำหนัก", "weight"),  # weight
    ("คำอธิบาย", "description"),  # description
    ("สูตรการคำนวณ", "formula"),  # calculation formula
    ("สูตรคำนวณ", "formula"),  # formula (short form)
    ("กำหนดเกณฑ์การให้คะแนน", "criteria"),  # scoring criteria set as
    ("เกณฑ์การให้คะแนน", "criteria"),  # scoring criteria
    ("โดยที่", "criteria"),  # where: the criteria table after a milestone grid
    ("รายละเอียดข้อมูลพื้นฐาน", "baseline"),  # baseline data details
    ("ข้อมูลพื้นฐาน", "baseline"),  # baseline data
    ("แหล่งข้อมูล", "data_source"),  # data source
    ("เงื่อนไข", "condition"),  # conditions
    ("ผู้กำกับดูแลตัวชี้วัด", "supervisor"),  # indicator supervisor
    ("ผู้จัดเก็บข้อมูล", "collector"),  # data collector
    ("-ผู้จัดเก็บข้อมูล", "collector"),  # data collector, as a dashed item
)

#: Form labels FORM_LABELS lacks (loose keys): the head of a details record printed as form
#: rows above the indicator's own row.
FORM_HEAD_LABELS: tuple[tuple[str, str], ...] = tuple((loose_key(w), f) for w, f in (
    ("มิติ", "dimension"),  # dimension: "มิติภายนอก | ด้านประสิทธิผล…" (perspective beside it)
    ("วัตถุประสงค์", "objective"),  # objective: "วัตถุประสงค์ที่ ๑ | ความพึงพอใจ…"
))

#: The first heading of a two-column criteria table drawn without rules: ระดับคะแนน (score
#: level), คะแนน (score), ขั้นตอน… (step); the second names the criteria: เกณฑ์… (criteria),
#: กิจกรรม (activity), รายละเอียด (details).
LEVEL_HEADINGS = ("ระดับ", "คะแนน", "ขั้นตอน")
CRITERIA_HEADINGS = ("เกณฑ์", "กิจกรรม", "รายละเอียด")
