"""Plain records a parser produces: the text of a document as printed, in its structure.

Nothing here is typed or cleaned beyond repaired Thai text; `kamrap.normalize.canonical`
turns these records into the canonical schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kamrap.schema.models import FindingKind, Severity


@dataclass
class Grouping:
    """The มิติ / ด้าน / วัตถุประสงค์ group rows in force above an indicator row, as printed."""

    dimension: str | None = None  # "มิติภายนอก (น้ำหนัก ๕๐)"
    perspective: str | None = None  # "ด้านประสิทธิผลของการปฏิบัติราชการ"
    objective: str | None = None  # "วัตถุประสงค์ที่ ๑ ความพึงพอใจของผู้รับบริการ"


@dataclass(frozen=True)
class Source:
    """Where a record is printed and how its table was read (a `TableMethod` value)."""

    page: int
    bbox: tuple[float, float, float, float] | None
    method: str  # "ruled", "words", "form"


@dataclass
class UnparsedCell:
    """A cell whose text could not be read as what its column holds."""

    page: int
    row: int  # 1-based body row of its table on that page
    column: str  # the column's header as printed
    text: str
    expected: str  # what the column holds: "a number", "a weight"


@dataclass
class IndicatorRow:
    """One indicator row of an agreement table, an action plan or any table of indicators."""

    label: str  # code and name as printed: "๑.๑ ร้อยละความพึงพอใจ…" (or the name alone)
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
    code: str | None = None  # from a code column of its own ("ลำดับ", "KPI"), as printed
    year_targets: dict[str, str | None] = field(default_factory=dict)  # {"2564": "80"}
    round_results: dict[str, str | None] = field(default_factory=dict)  # {"6": "ร้อยละ 92.5"}
    year_results: dict[str, str | None] = field(default_factory=dict)  # {"2564": "85.9"}
    baseline: dict[str, str | None] = field(default_factory=dict)  # {"2562": "๘๕"}
    score: str | None = None
    weighted_score: str | None = None
    assessed_units: list[str] = field(default_factory=list)
    status: str | None = None
    budget: dict[str, str | None] = field(default_factory=dict)  # {"งปม.": "50,000.00"}
    groups: list[str] = field(default_factory=list)  # strategy, project … in force, as printed
    sources: list[Source] = field(default_factory=list)


@dataclass
class LevelTable:
    """One criteria table of a details form (ระดับคะแนน | เกณฑ์…, or คะแนน over 1–5): its
    (level, text) cells as printed, the assessment round the text above it names, and the
    heading printed just above it (เป้าหมายระดับประเทศ, ส่วนกลาง) when several tables score
    one indicator for different scopes."""

    levels: list[tuple[str, str]]
    round: str | None = None
    heading: str | None = None


@dataclass
class DetailsPage:
    """One รายละเอียดตัวชี้วัด (indicator details) page, possibly continued on following pages."""

    page: int
    code: str | None  # as printed after ตัวชี้วัดที่; "" when printed but not legible (a scan)
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
    target: str | None = None  # เกณฑ์เป้าหมาย as printed
    targets_by_round: dict[str, str | None] = field(default_factory=dict)  # {"3": "-", "12": "…"}
    targets_by_year: dict[str, str | None] = field(default_factory=dict)  # {"2560": "ร้อยละ 10"}
    target_population: str | None = None  # ประชากรกลุ่มเป้าหมาย
    data_collection: str | None = None  # วิธีการจัดเก็บข้อมูล
    data_items: list[str] = field(default_factory=list)  # รายการข้อมูล 1, 2 …
    evaluation_period: str | None = None  # ระยะเวลาประเมินผล
    evaluation_method: str | None = None  # วิธีการประเมินผล
    responsible: str | None = None  # ผู้ให้ข้อมูลทางวิชาการ / ผู้ประสานงานตัวชี้วัด
    # milestone tables of assessment rounds beyond the first: (round in months, level, text)
    round_milestones: list[tuple[str, str, str]] = field(default_factory=list)
    # every criteria table of a form, in order, with its heading (the form reader fills it;
    # records read from plain lines have their one table in `milestones`)
    level_tables: list[LevelTable] = field(default_factory=list)
    method: str = "text"  # how the fields were read: "text" (plain lines) or "form" (a ruled form)


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
    kind: FindingKind = FindingKind.extraction_warning  # the finding it becomes
    severity: Severity = Severity.warning


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
    unparsed: list[UnparsedCell] = field(default_factory=list)
