"""The `kamrap` command: a thin shell over the library (ingest, export, show)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from kamrap.ingest import FileOutcome, discover_pdfs, ingest_paths
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
    force: Annotated[bool, typer.Option("--force", help="Re-parse files already stored unchanged.")] = False,
    password: Annotated[str, typer.Option("--password", help="Password for encrypted PDFs.")] = "",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
) -> None:
    """Parse PDFs and store them in the database.

    Exit code 0 when every file was ingested (or was already stored unchanged), 1 when any file
    failed; each failure is printed as one line: FILE: reason.
    """
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        errors.print(f"{path}: no such file or folder", markup=False, highlight=False)
    files = list(discover_pdfs(p for p in paths if p.exists()))
    if not files and not missing:
        errors.print("no PDF files found in: " + ", ".join(map(str, paths)), markup=False)
        raise typer.Exit(1)

    def report(outcome: FileOutcome) -> None:
        if outcome.status == "failed":
            errors.print(f"{outcome.path}: {outcome.reason}", markup=False, highlight=False, style="red")
        elif not quiet:
            what = "unchanged" if outcome.status == "unchanged" else (
                f"{outcome.kind}, {outcome.indicators} indicators, {outcome.pages} pages")
            console.print(f"{outcome.path}: {what}", markup=False, highlight=False)
        progress.advance(task)

    with Store(db) as store, Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=errors, disable=quiet or not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("ingesting", total=len(files))
        result = ingest_paths(files, store, force=force, password=password, on_file=report)
    if not quiet:
        console.print(
            f"{result.count('ingested')} ingested, {result.count('unchanged')} unchanged, "
            f"{result.count('failed') + len(missing)} failed → {db}", highlight=False)
    if not result.ok or missing:
        raise typer.Exit(1)


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


if __name__ == "__main__":
    app()
