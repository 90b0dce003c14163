"""The canonical schema: what kamrap stores and exports, as pydantic v2 models.

These models are the contract other tools rely on (`kamrap export --format json` writes
`Export`); `schema/kamrap.schema.json` is generated from them by `python -m kamrap.schema`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Number = int | float


class DocumentKind(StrEnum):
    agreement = "agreement"  # คำรับรองการปฏิบัติราชการ
    indicator_details = "indicator_details"  # รายละเอียดตัวชี้วัด
    action_plan = "action_plan"  # แผนปฏิบัติการ
    score_summary = "score_summary"  # สรุปผลคะแนน
    unknown = "unknown"


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CriteriaLevel(_Model):
    level: int = Field(ge=1, le=5)
    text: str | None = None
    value: Number | None = None


class Milestone(_Model):
    level: int
    text: str


class BaselineValue(_Model):
    fiscal_year: int
    value: Number | None = None


class IndicatorDetails(_Model):
    description: str | None = None
    formula: str | None = None
    condition: str | None = None
    milestones: list[Milestone] = []
    baseline: list[BaselineValue] = []
    data_source: str | None = None
    supervisor: str | None = None
    collector: str | None = None


class Indicator(_Model):
    code: str
    name: str
    dimension: str | None = None
    dimension_weight: Number | None = None
    perspective: str | None = None
    objective_no: int | None = None
    objective: str | None = None
    weight: Number | None = None
    target_level: Number | None = None
    targets_by_round: dict[str, Number | None] | None = None
    unit: str | None = None
    responsible: str | None = None
    criteria: list[CriteriaLevel] = []
    direction: Literal["higher_is_better", "lower_is_better"] | None = None
    remark: str | None = None
    details: IndicatorDetails | None = None
    pages: list[int] = []


class Finding(_Model):
    kind: str
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
