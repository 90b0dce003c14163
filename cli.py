"""The `kamrap` command: a thin shell over the library (ingest, export, show)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kamrap.ingest import IngestOptions, ingest_paths
from kamrap.ingest.pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, default_workers
from kamrap.ingest.progress import ConsoleReporter, summary_json, summary_text
from kamrap.normalize import scoring
from kamrap.parsers.layout import document_text
from kamrap.parsers.ocr import OcrMode, OcrUnavailable
from kamrap.parsers.source import UnreadablePDF
from kamrap.normalize.verify import verify_documents
from kamrap.schema.export import write_csv, write_json
from kamrap.schema.store import DEFAULT_DB, Store

app = typer.Typer(
    help="kamrap — read Thai performance-agreement PDFs (คำรับรองการปฏิบัติราชการ) into canonical "
         "data (SQLite, JSON, CSV).",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
# soft_wrap: a per-file line stays one line whatever the terminal width, so scripts can grep it.
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file.", dir_okay=False)]


def _version(value: bool) -> None:
    if value:
        from kamrap import __version__

        console.print(f"kamrap {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """kamrap — read Thai performance-agreement PDFs into canonical data."""


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders (searched recursively for *.pdf).")],
    db: DbOption = DEFAULT_DB,
    force: Annotated[bool, typer.Option(
        "--force", help="Parse again files already stored unchanged, and files that timed out before.")] = False,
    password: Annotated[str, typer.Option("--password", help="Password for encrypted PDFs.")] = "",
    workers: Annotated[int | None, typer.Option(
        "--workers", "-j", min=1, help="Parsing processes. [default: one per CPU]")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=1, help="Seconds one file may take; a file taking longer fails.")] = DEFAULT_TIMEOUT,
    memory_limit: Annotated[int, typer.Option(
        "--memory-limit", min=0, help="MB of memory per worker; a file needing more fails (0: no limit).")
    ] = DEFAULT_MEMORY_MB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print one line per file.")] = False,
    json_summary: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ocr: Annotated[str, typer.Option(
        "--ocr", help="Read pages from their image: auto (scanned pages), always, never.")] = "auto",
) -> None:
    """Parse PDFs and store them in the database.

    Files already stored (same bytes, under any name) are skipped, so an interrupted run goes on
    where it stopped. A file that timed out in an earlier run and has not changed is not waited
    for again (it is reported as failed) unless --timeout is longer now or --force is given. Exit code 0 when no file failed, 1 when any did (each failure is printed as
    one line, FILE: reason, and kept for `kamrap errors`), 130 when interrupted.
    """
    options = IngestOptions(force=force, password=password, workers=workers or default_workers(),
                            timeout=timeout, memory_mb=memory_limit, ocr=_ocr_mode(ocr))
    reporter = ConsoleReporter(console, errors, live=errors.is_terminal, quiet=quiet or json_summary,
                               verbose=verbose)
    with Store(db) as store, reporter:
        report = ingest_paths(paths, store, options=options, listener=reporter)
    if not report.outcomes:
        errors.print("no PDF files found in: " + ", ".join(map(str, paths)), markup=False)
        raise typer.Exit(1)
    if json_summary:
        console.print(summary_json(report, db), markup=False, highlight=False)
    elif not quiet:
        console.print(summary_text(report, db), markup=False, highlight=False)
    if report.interrupted:
        raise typer.Exit(130)
    if not report.ok:
        raise typer.Exit(1)


@app.command("errors")
def list_errors(
    db: DbOption = DEFAULT_DB,
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the files that failed to ingest: FILE: reason (when), one per line.

    A file leaves the list once it is stored (or found to be a copy of a stored file).
    """
    _require_db(db)
    with Store(db) as store:
        rows = store.errors()
    if json_output:
        console.print(json.dumps(rows, ensure_ascii=False, indent=2), markup=False, highlight=False)
        return
    for row in rows:
        console.print(f"{row['file']}: {row['reason']} ({row['at']})", markup=False, highlight=False)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json (one file per source PDF) or csv (one file per table).")] = "json",
    out: Annotated[Path, typer.Option("--out", help="Folder to write into.", file_okay=False)] = Path("output/export"),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the stored documents as canonical JSON or CSV."""
    writers = {"json": write_json, "csv": write_csv}
    if format not in writers:
        errors.print(f"unknown format {format!r}: use json or csv")
        raise typer.Exit(2)
    _require_db(db)
    with Store(db) as store:
        written = writers[format](store, out)
    console.print(f"wrote {len(written)} {format} file(s) to {out}", highlight=False)


@app.command()
def show(
    file: Annotated[str, typer.Argument(help="A stored PDF: its file name or path.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Print a stored document's indicators and findings as a table."""
    _require_db(db)
    with Store(db) as store:
        matches = store.find_documents(str(Path(file).resolve()) if Path(file).exists() else file)
        if not matches:
            errors.print(f"{file}: not in {db} (ingest it first)", markup=False)
            raise typer.Exit(1)
        for doc in matches:
            _print_export(store.load_export(doc["id"]))


def _print_export(export) -> None:
    doc = export.document
    console.print(f"[bold]{doc.file}[/bold]  {doc.kind}  {doc.organization or '?'}  "
                  f"FY {doc.fiscal_year or '?'}  {doc.page_count} pages")
    table = Table(show_lines=False)
    for column in ("code", "name", "weight", "target", "1", "2", "3", "4", "5", "direction"):
        table.add_column(column, overflow="fold")
    for ind in export.indicators:
        levels = {c.level: c.text or "-" for c in ind.criteria}
        table.add_row(ind.code, ind.name, _fmt(ind.weight), _fmt(ind.target_level),
                      *(levels.get(level, "") for level in range(1, 6)), ind.direction or "")
    console.print(table)
    for finding in export.findings:
        where = f" [{finding.code}]" if finding.code else ""
        console.print(f"{finding.severity}: {finding.kind}{where}: {finding.message}", highlight=False)


def _fmt(value: object) -> str:
    return "" if value is None else str(value)


def _require_db(db: Path) -> None:
    if not db.exists():
        errors.print(f"{db}: no database (run `kamrap ingest` first, or pass --db)", markup=False)
        raise typer.Exit(1)


@app.command()
def score(
    results: Annotated[Path, typer.Argument(
        help="CSV or JSON of results: organization, fiscal_year, code, result (one row per indicator).",
        exists=True, dir_okay=False)],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    below_lowest: Annotated[str, typer.Option(
        help="Score of a result below the lowest criteria level: zero, lowest or extrapolate.")] = "zero",
    table_governs: Annotated[bool, typer.Option(
        "--table-governs", help="Score by the criteria table even where a details page's formula "
                                "gives its own result→score rule.")] = False,
) -> None:
    """Score an ingested agreement's indicators from their results, the official way.

    Each indicator is scored from its five criteria (linear between numeric levels, or the
    milestone level reached, or the formula's own rule); the total is the weighted average,
    rounded half-up to 4 places. Exit code 1 when a result matches no ingested agreement.
    """
    _require_db(db)
    try:
        records = scoring.read_results(results)
        options = scoring.ScoringOptions(below_lowest=below_lowest, lookup_governs=not table_governs)
    except (scoring.ResultsError, ValueError) as exc:
        errors.print(str(exc), markup=False)
        raise typer.Exit(2) from exc
    with Store(db) as store:
        scored, unmatched = scoring.score_all(list(store.exports()), records, options)
    if as_json:
        console.print_json(json.dumps([_score_json(s) for s in scored], ensure_ascii=False))
    for agreement in [] if as_json else scored:
        _print_score(agreement)
    for organization, year in unmatched:
        errors.print(f"{results}: no ingested agreement for {organization}, FY {year}", markup=False)
    if unmatched:
        raise typer.Exit(1)


def _score_json(agreement: scoring.AgreementScore) -> dict:
    return {
        "file": agreement.file, "organization": agreement.organization,
        "fiscal_year": agreement.fiscal_year,
        "indicators": [{"code": s.code, "name": s.name, "weight": _num(s.weight), "result": _num(s.result),
                        "score": _num(s.score), "method": s.method, "note": s.note}
                       for s in agreement.indicators],
        "total": {"score": _num(agreement.total.score), "weight": _num(agreement.total.weight)},
        "unknown_codes": agreement.unknown_codes,
    }


def _num(value: object) -> object:
    return None if value is None else scoring.to_number(value)


def _print_score(agreement: scoring.AgreementScore) -> None:
    console.print(f"[bold]{agreement.organization}[/bold]  FY {agreement.fiscal_year}  ({agreement.file})")
    table = Table()
    for column in ("code", "name", "weight", "result", "score", "how"):
        table.add_column(column, overflow="fold")
    for s in agreement.indicators:
        table.add_row(s.code, s.name, _fmt(_num(s.weight)), _fmt(_num(s.result)),
                      _fmt(None if s.score is None else f"{s.score:.4f}"), s.method or s.note or "")
    console.print(table)
    console.print(f"weighted total: {agreement.total.score:.4f} over weight {_num(agreement.total.weight)}",
                  highlight=False)
    if agreement.unknown_codes:
        console.print("results for codes not in the agreement: " + ", ".join(agreement.unknown_codes))


@app.command()
def text(
    file: Annotated[Path, typer.Argument(help="A PDF file.", exists=True, dir_okay=False)],
    pages: Annotated[str | None, typer.Option(
        "--pages", help="Pages to print: 3, 1-5 or 1,4-6 (default: all).")] = None,
    layout: Annotated[bool, typer.Option("--layout", help="Keep the columns of the page.")] = False,
    ocr: Annotated[str, typer.Option(
        "--ocr", help="Read pages from their image: auto (scanned pages), always, never.")] = "auto",
) -> None:
    """Print the text kamrap reads from a PDF, with the Thai repaired (marks in order, SARA AM,
    /ActualText, unmapped glyphs) — what every parser sees; a scanned page's text as OCR reads
    it. Pages are separated by form feeds."""
    try:
        wanted = _page_numbers(pages) if pages else None
        output = document_text(file, wanted, layout, ocr=_ocr_mode(ocr))
    except OcrUnavailable as exc:
        errors.print(f"{file}: {exc}", markup=False)
        raise typer.Exit(1) from exc
    except UnreadablePDF as exc:
        errors.print(f"{file}: {exc.reason}", markup=False)
        raise typer.Exit(1) from exc
    except ValueError as exc:
        errors.print(f"{file}: {exc}", markup=False)
        raise typer.Exit(2) from exc
    sys.stdout.write(output)


def _ocr_mode(value: str) -> OcrMode:
    try:
        return OcrMode(value)
    except ValueError:
        errors.print(f"--ocr {value!r}: use auto, always or never", markup=False)
        raise typer.Exit(2) from None


def _page_numbers(spec: str) -> list[int]:
    """ "1-3,7" → [1, 2, 3, 7]."""
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"--pages {spec!r}: use numbers and ranges such as 1-5,8")
        numbers += range(int(first), int(last or first) + 1)
    return numbers


@app.command()
def verify(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check every stored document: printed totals against recomputed ones, weights, weight
    transfers, and score summaries against their unit's agreement.

    Exit code 1 when any finding is an error.
    """
    _require_db(db)
    with Store(db) as store:
        exports = list(store.exports())
    found = [(e.document.file, f) for e in exports for f in e.findings]
    found += [(None, f) for f in verify_documents(exports)]
    if as_json:
        console.print_json(json.dumps(
            [{"file": file, **f.model_dump(mode="json")} for file, f in found], ensure_ascii=False))
    else:
        for file, finding in found:
            where = ", ".join(str(x) for x in (file, f"page {finding.page}" if finding.page else None,
                                               finding.code) if x)
            console.print(f"{finding.severity}: {finding.kind} ({where}): {finding.message}",
                          markup=False, highlight=False)
        errors_count = sum(f.severity == "error" for _, f in found)
        console.print(f"{len(exports)} documents, {len(found)} findings, {errors_count} errors",
                      highlight=False)
    if any(f.severity == "error" for _, f in found):
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
