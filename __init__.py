"""kamrap — Thai performance-agreement PDFs (คำรับรองการปฏิบัติราชการ) to canonical data."""

__version__ = "0.1.0"
