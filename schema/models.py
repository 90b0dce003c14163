"""The canonical schema: what kamrap stores and exports, as pydantic v2 models.

These models are the contract other tools rely on (`kamrap export --format json` writes
`Export`); `schema/kamrap.schema.json` is generated from them by `python -m kamrap.schema`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 3

Number = int | float
#: A value read from a table cell: its number when the cell states one (units and the
#: comparator stripped: "ร้อยละ ๘๐" → 80), else its text ("ยังไม่ได้ดำเนินการ", not yet done).
CellValue = Number | str


class DocumentKind(StrEnum):
    agreement = "agreement"  # คำรับรองการปฏิบัติราชการ
    indicator_details = "indicator_details"  # รายละเอียดตัวชี้วัด
    action_plan = "action_plan"  # แผนปฏิบัติการ
    score_summary = "score_summary"  # สรุปผลคะแนน
    kpi_table = "kpi_table"  # a table of indicators with targets and results by year or round
    unknown = "unknown"


class TableMethod(StrEnum):
    """How the table a value came from was read."""

    ruled = "ruled"  # cells from the table's ruling lines
    words = "words"  # rebuilt from where the words stand (no ruling lines)
    form = "form"  # label/value fields of a details form
    ocr = "ocr"  # cells from a page image


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


class Direction(StrEnum):
    """Which way an indicator's result is better, from its criteria values."""

    higher_is_better = "higher_is_better"  # values rise with the level
    lower_is_better = "lower_is_better"  # values fall with the level (error rates ๑๐% → ๒%)


class FindingKind(StrEnum):
    """What a finding reports. README's "Finding kinds" table is checked against this list
    (tests/test_contract.py), each kind with the meaning given here."""

    total_mismatch = "total_mismatch"
    weight_sum_not_100 = "weight_sum_not_100"
    weight_sum_unchecked = "weight_sum_unchecked"
    score_out_of_range = "score_out_of_range"
    weight_transfer_mismatch = "weight_transfer_mismatch"
    criteria_formula_mismatch = "criteria_formula_mismatch"
    missing_indicator = "missing_indicator"
    summary_agreement_mismatch = "summary_agreement_mismatch"
    code_mismatch = "code_mismatch"
    unparsed_value = "unparsed_value"
    extraction_warning = "extraction_warning"
    value_out_of_range = "value_out_of_range"
    ocr_page = "ocr_page"
    low_confidence = "low_confidence"


#: What each finding kind means, for the README's table and `--help` texts.
FINDING_MEANINGS: dict[FindingKind, str] = {
    FindingKind.total_mismatch: "a printed total differs from the one recomputed from the rows",
    FindingKind.weight_sum_not_100: "the weights of the scored rows do not sum to 100",
    FindingKind.weight_sum_unchecked: "a weight is missing, so the sum of the others is not checked",
    FindingKind.score_out_of_range: "a score outside 0–5, or a scored row without a weight",
    FindingKind.weight_transfer_mismatch: "a footnote's weight transfer does not add up, or a deferred row has none",
    FindingKind.criteria_formula_mismatch: "a details page's formula scores a criteria threshold differently",
    FindingKind.missing_indicator: "an indicator is in the summary or the agreement of its unit, not both",
    FindingKind.summary_agreement_mismatch: "a summary row's name or weight differs from the agreement's",
    FindingKind.code_mismatch: "a details page is numbered differently from the row it describes",
    FindingKind.unparsed_value: "a cell that should hold a number does not, or a record the schema rejects",
    FindingKind.extraction_warning: "a page whose text reads badly, or a document with nothing to read",
    FindingKind.ocr_page: "a page read by OCR (info): its mean word confidence, and how it was turned and straightened",
    FindingKind.low_confidence: "words OCR read with a confidence below the threshold, with their page and cell",
    FindingKind.value_out_of_range: "a number outside what its field may hold (a weight of -50, a level of 7), stored as null",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FailureKind(StrEnum):
    """Why a file could not be ingested. README's "Failure kinds" table is checked against this
    list (tests/test_contract.py), each kind with the label its reasons begin with and its
    meaning; `kamrap ingest` counts failures by kind."""

    no_such_file = "no_such_file"
    unreadable_folder = "unreadable_folder"
    unreadable_file = "unreadable_file"
    empty_file = "empty_file"
    not_a_pdf = "not_a_pdf"
    truncated_pdf = "truncated_pdf"
    encrypted_pdf = "encrypted_pdf"
    damaged_pdf = "damaged_pdf"
    ocr_unavailable = "ocr_unavailable"
    parser_error = "parser_error"
    timed_out = "timed_out"
    out_of_memory = "out_of_memory"
    worker_crashed = "worker_crashed"
    cannot_store = "cannot_store"


#: What each failure kind's reasons begin with (the one line per bad file, `FILE: reason`).
FAILURE_LABELS: dict[FailureKind, str] = {
    FailureKind.no_such_file: "no such file or folder",
    FailureKind.unreadable_folder: "cannot read folder",
    FailureKind.unreadable_file: "cannot read file",
    FailureKind.empty_file: "empty file",
    FailureKind.not_a_pdf: "not a PDF",
    FailureKind.truncated_pdf: "truncated PDF",
    FailureKind.encrypted_pdf: "encrypted PDF",
    FailureKind.damaged_pdf: "damaged PDF",
    FailureKind.ocr_unavailable: "scanned pages need OCR",
    FailureKind.parser_error: "parser error",
    FailureKind.timed_out: "timed out",
    FailureKind.out_of_memory: "out of memory",
    FailureKind.worker_crashed: "worker crashed",
    FailureKind.cannot_store: "cannot store",
}

#: What each failure kind means, for the README's table.
FAILURE_MEANINGS: dict[FailureKind, str] = {
    FailureKind.no_such_file: "a path given on the command line does not exist",
    FailureKind.unreadable_folder: "a folder could not be listed (its files are not found)",
    FailureKind.unreadable_file: "permissions, a broken or looping symlink, not a regular file, a path too long to open",
    FailureKind.empty_file: "the file has no bytes",
    FailureKind.not_a_pdf: "no %PDF- header",
    FailureKind.truncated_pdf: "no %%EOF end marker: the file was cut short",
    FailureKind.encrypted_pdf: "a password is needed (open it with `--password`), or the encryption is unsupported",
    FailureKind.damaged_pdf: "the PDF libraries (pdfminer, pdfplumber, fontTools …) raised on the file's structure",
    FailureKind.ocr_unavailable: "scanned pages, and tesseract or its Thai data is not installed",
    FailureKind.parser_error: "a bug met on the file: the file fails, the batch goes on",
    FailureKind.timed_out: "no result within `--timeout` seconds (not tried again, unchanged, unless the timeout is longer)",
    FailureKind.out_of_memory: "the worker needed more than `--memory-limit` MB, or its result was too large to send",
    FailureKind.worker_crashed: "the worker died on the file (a signal or an exit code, with its last words)",
    FailureKind.cannot_store: "the file's data, not the database, was refused",
}


class Failure(_Model):
    """Why one file failed, as a value: its `kind`, the `reason` the user reads (one line,
    beginning with the kind's label) and, for a file that timed out, the `timeout` it ran past
    (seconds). It goes from the worker to the pipeline, into `ingest_errors`, and to the CLI."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FailureKind
    reason: str
    timeout: float | None = None

    @classmethod
    def of(cls, kind: FailureKind, detail: object = None, *, timeout: float | None = None) -> Failure:
        """The failure whose reason is the kind's label with `detail` in brackets:
        ``Failure.of(FailureKind.not_a_pdf, "no %PDF- header").reason`` is
        "not a PDF (no %PDF- header)"."""
        label = FAILURE_LABELS[kind]
        return cls(kind=kind, reason=f"{label} ({detail})" if detail else label, timeout=timeout)

    @classmethod
    def timed_out(cls, seconds: float) -> Failure:
        """A file that ran past the timeout of `seconds`."""
        return cls.of(FailureKind.timed_out, f"no result after {seconds:g} s", timeout=seconds)


class CriteriaLevel(_Model):
    level: int = Field(ge=1, le=5)
    text: str | None = None
    value: Number | None = None
    #: whom the level applies to, when several criteria tables score one indicator (the
    #: heading over each: เป้าหมายระดับประเทศ national, ระดับเขตบริการสุขภาพ health region)
    scope: str | None = None


class Milestone(_Model):
    level: int
    text: str
    round: str | None = None  # the assessment round of its table ("6" months), when it has one


class BaselineValue(_Model):
    fiscal_year: int
    value: Number | None = None


class RowSource(_Model):
    """Where one part of an indicator is printed: users check us against the page."""

    page: int  # 1-based
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    method: TableMethod


class IndicatorDetails(_Model):
    description: str | None = None
    formula: str | None = None
    condition: str | None = None
    milestones: list[Milestone] = []
    baseline: list[BaselineValue] = []
    data_source: str | None = None
    supervisor: str | None = None
    collector: str | None = None
    target_population: str | None = None  # ประชากรกลุ่มเป้าหมาย
    data_collection: str | None = None  # วิธีการจัดเก็บข้อมูล
    data_items: list[str] = []  # รายการข้อมูล
    evaluation_period: str | None = None  # ระยะเวลาประเมินผล
    evaluation_method: str | None = None  # วิธีการประเมินผล


class Indicator(_Model):
    code: str
    name: str
    dimension: str | None = None
    dimension_weight: Number | None = None
    perspective: str | None = None
    objective_no: int | None = None
    objective: str | None = None
    weight: Number | None = None
    target: str | None = None  # as printed: "ร้อยละ ๘๐", "< 0.5:1,000 วันนอน"
    target_level: Number | None = None
    target_value: Number | None = None  # the number the target names (80, 0.5)
    targets_by_round: dict[str, CellValue | None] | None = None  # {"6": 3, "12": 5}: months
    targets_by_year: dict[str, CellValue | None] | None = None  # {"2564": 80}: Buddhist era
    results_by_round: dict[str, CellValue | None] | None = None
    results_by_year: dict[str, CellValue | None] | None = None
    baseline: list[BaselineValue] = []  # past results by year, from the table's own columns
    score: Number | None = None  # คะแนนที่ได้
    weighted_score: Number | None = None  # คะแนนถ่วงน้ำหนัก
    unit: str | None = None
    responsible: str | None = None
    assessed_units: list[str] = []  # the units a check-mark column marks as assessed
    status: str | None = None  # สถานะ as printed ("บรรลุเป้า", achieved)
    budget: dict[str, Number | None] | None = None  # by column heading: {"งปม.": 50000}
    criteria: list[CriteriaLevel] = []
    direction: Direction | None = None
    remark: str | None = None
    details: IndicatorDetails | None = None
    pages: list[int] = []
    sources: list[RowSource] = []  # where it is printed, and how each table was read


class Finding(_Model):
    kind: FindingKind
    severity: Severity
    organization: str | None = None
    code: str | None = None
    expected: str | Number | None = None
    actual: str | Number | None = None
    message: str
    page: int | None = None


class ScoreRow(_Model):
    code: str
    name: str
    score: Number | None = None
    weight: Number | None = None
    status: Literal["scored", "deferred"]
    status_text: str | None = None
    page: int | None = None  # where the row starts (1-based)


class Total(_Model):
    score: Number | None = None
    weight: Number | None = None


class WeightTransfer(_Model):
    """A footnote moving the weight of a deferred indicator to other rows."""

    from_code: str
    to_codes: list[str]
    weight: Number | None = None  # the weight moved in all
    amounts: list[Number | None] = []  # per receiving row, in `to_codes` order, when printed
    text: str | None = None  # the footnote as printed
    page: int | None = None  # where the footnote is printed (1-based)


class ScoreSummary(_Model):
    organization: str | None = None
    fiscal_year: int | None = None
    pages: list[int] = []
    rows: list[ScoreRow] = []
    reported_total: Total | None = None
    reported_total_page: int | None = None  # where the printed total row is (1-based)
    computed_total: Total | None = None
    weight_transfers: list[WeightTransfer] = []


class Document(_Model):
    file: str
    sha256: str
    page_count: int
    kind: DocumentKind
    organization: str | None = None
    fiscal_year: int | None = None


class Export(_Model):
    """One source PDF, as exported (and as stored)."""

    schema_version: int = SCHEMA_VERSION
    document: Document
    indicators: list[Indicator] = []
    score_summaries: list[ScoreSummary] = []
    findings: list[Finding] = []
