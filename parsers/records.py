"""Plain records a parser produces: the text of a document as printed, in its structure.

Nothing here is typed or cleaned beyond repaired Thai text; `kamrap.normalize.canonical`
turns these records into the canonical schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Grouping:
    """The มิติ / ด้าน / วัตถุประสงค์ group rows in force above an indicator row, as printed."""

    dimension: str | None = None  # "มิติภายนอก (น้ำหนัก ๕๐)"
    perspective: str | None = None  # "ด้านประสิทธิผลของการปฏิบัติราชการ"
    objective: str | None = None  # "วัตถุประสงค์ที่ ๑ ความพึงพอใจของผู้รับบริการ"


@dataclass
class IndicatorRow:
    """One indicator row of an agreement table or an action plan."""

    label: str  # code and name as printed: "๑.๑ ร้อยละความพึงพอใจ…"
    grouping: Grouping
    weight: str | None = None
    target: str | None = None
    criteria: list[str | None] = field(default_factory=list)  # levels 1..5 as printed
    criteria_merged: bool = False  # one text printed across the five level columns
    remark: str | None = None
    unit: str | None = None
    responsible: str | None = None
    round_targets: dict[str, str | None] = field(default_factory=dict)  # {"6": "๓", "12": "๕"}
    pages: list[int] = field(default_factory=list)


@dataclass
class DetailsPage:
    """One รายละเอียดตัวชี้วัด (indicator details) page, possibly continued on following pages."""

    page: int
    code: str | None  # as printed after ตัวชี้วัดที่
    name: str | None
    dimension: str | None = None
    perspective: str | None = None
    objective: str | None = None
    unit: str | None = None
    weight: str | None = None
    description: str | None = None
    formula: str | None = None
    condition: str | None = None
    milestones: list[tuple[str, str]] = field(default_factory=list)  # (level, text)
    baseline: list[tuple[str, str | None]] = field(default_factory=list)  # (year, value)
    data_source: str | None = None
    supervisor: str | None = None
    collector: str | None = None
    pages: list[int] = field(default_factory=list)


@dataclass
class SummaryRow:
    """One indicator row of a score summary (สรุปผลคะแนน) table, as printed."""

    code: str  # "๒.๑"
    name: str
    score: str | None  # "๕.๐๐๐๐", or why it is not scored yet: "รายงานรอบ ๑๒ เดือน"
    weight: str | None  # "๑๐"; blank for a row not scored yet
    pages: list[int] = field(default_factory=list)


@dataclass
class Footnote:
    """A paragraph printed under a summary table, e.g. a weight transfer
    ("ตัวชี้วัด ข้อ 2.4 … จะนำน้ำหนัก 10 ใส่ไว้ในข้อ 2.2 … (5) …"), its lines joined."""

    text: str
    page: int


@dataclass
class SummaryTable:
    """One unit's score summary: its table (possibly over several pages) and its footnotes."""

    organization: str | None  # the unit named in the table header
    fiscal_year: str | None  # as printed in the title above the table: "๒๕๖๓"
    rows: list[SummaryRow] = field(default_factory=list)
    total_label: str | None = None  # "คะแนนที่ได้รับตามคำรับรองฯ ประจำปีงบประมาณ พ.ศ. ๒๕๖๓"
    total_score: str | None = None
    total_weight: str | None = None
    total_page: int | None = None
    footnotes: list[Footnote] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)


@dataclass
class PageWarning:
    page: int | None
    message: str


@dataclass
class ParsedDocument:
    """Everything a parser read from one PDF."""

    kind: str
    page_count: int
    organization: str | None = None
    fiscal_year: str | None = None  # as printed, e.g. "๒๕๖๔"
    rows: list[IndicatorRow] = field(default_factory=list)
    details: list[DetailsPage] = field(default_factory=list)
    summaries: list[SummaryTable] = field(default_factory=list)
    warnings: list[PageWarning] = field(default_factory=list)
