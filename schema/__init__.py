"""Canonical schema (pydantic models) and the SQLite store."""

from kamrap.schema.models import (
    SCHEMA_VERSION,
    BaselineValue,
    CriteriaLevel,
    Document,
    DocumentKind,
    Export,
    Finding,
    Indicator,
    IndicatorDetails,
    Milestone,
    ScoreRow,
    ScoreSummary,
    Severity,
    Total,
    WeightTransfer,
)

__all__ = [
    "SCHEMA_VERSION",
    "BaselineValue",
    "CriteriaLevel",
    "Document",
    "DocumentKind",
    "Export",
    "Finding",
    "Indicator",
    "IndicatorDetails",
    "Milestone",
    "ScoreRow",
    "ScoreSummary",
    "Severity",
    "Total",
    "WeightTransfer",
]
