"""The `kamrap` command: a thin shell over the library (ingest, export, show)."""

from __future__ import annotations

import csv
import functools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn


def _sqlite_utils_without_numpy_or_pandas() -> None:
    """Import sqlite-utils with numpy and pandas out of its sight, unless they are loaded already.

    sqlite-utils imports pandas and numpy when they are installed, only to map their scalar
    types (Timestamp, int64 …) to column types; kamrap stores neither. Where pandas is installed
    (a data-science virtualenv), its import was about half a second of every command's start
    (0.94-1.14 s without it, 1.45-1.60 s with it, for `import kamrap.cli`), numpy's about a
    tenth of a second (`python -X importtime`). The command is a process of its own, so no user
    code of that process misses the mapping; both stay importable once sqlite-utils is loaded
    (the parsers import numpy, in the workers)."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    if "sqlite_utils" in sys.modules or not hidden:
        return
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import pandas` raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_sqlite_utils_without_numpy_or_pandas()

import typer  # noqa: E402  (the kamrap imports below load sqlite-utils)
from typer.core import TyperGroup
from rich.console import Console
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text

from kamrap.ingest import IngestOptions, ingest_paths
from kamrap.ingest import pipeline
from kamrap.ingest.lock import DatabaseBusy
from kamrap.ingest.names import display_name, one_line
from kamrap.ingest.pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, default_workers, run_isolated
from kamrap.ingest.progress import ConsoleReporter, summary_json, summary_text
from kamrap.normalize import scoring
from kamrap.parsers.settings import OcrMode
from kamrap.api import ScoreReport, has_errors, recheck, results_template
from kamrap.api import score as api_score
from kamrap.api import verify as api_verify
from kamrap.publish import datasette_metadata
from kamrap.report import build_report, locate_pdfs
from kamrap.schema.models import Export, Indicator, Number, ScoreSummary
from kamrap.schema.export import WRITERS
from kamrap.schema.store import DEFAULT_DB, Batch, Store, StoreError

class _Commands(TyperGroup):
    """Every command runs here: the one place where a library error about a file (a database
    that cannot be opened, a folder that cannot be written) becomes one line, FILE: reason,
    and exit code 1, instead of a traceback."""

    # Any: typer (from 0.2x) passes its own vendored click's Context, not the `click` package's,
    # and exports no name for that base class; `ctx` is only handed on to TyperGroup.invoke
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            errors.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(1) from exc
        except sqlite3.Error as exc:  # the file went bad after it opened
            errors.print(f"{_opened or 'database'}: database error ({exc})", markup=False, highlight=False)
            raise typer.Exit(1) from exc
        except OSError as exc:
            where = exc.filename or "kamrap"
            errors.print(f"{where}: {exc.strerror or exc}", markup=False, highlight=False)
            raise typer.Exit(1) from exc


_opened: Path | None = None  # the database last opened, to name it in an error


def _open(db: Path, *, readonly: bool = True) -> Store:
    """The store of `--db`; read commands open it read-only (nothing created or written)."""
    global _opened
    _opened = db
    return Store(db, readonly=readonly)


app = typer.Typer(
    cls=_Commands,
    help="kamrap — read Thai performance-agreement PDFs (คำรับรองการปฏิบัติราชการ) into canonical "
         "data (SQLite, JSON, CSV).",
    no_args_is_help=True, pretty_exceptions_enable=False,
    # plain click help: paragraphs rewrapped to the terminal, nothing read as rich markup
    rich_markup_mode=None,
)
# soft_wrap: a per-file line stays one line whatever the terminal width, so scripts can grep it.
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", envvar="KAMRAP_DB",
                                        help="SQLite database file (or set KAMRAP_DB).")]


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
    wait: Annotated[float, typer.Option(
        "--wait", min=0, help="Seconds to wait for another ingest of the same database to end.")] = 0.0,
    ocr: Annotated[OcrMode, typer.Option(
        "--ocr", help="Read pages from their image: auto (scanned pages only), always, never.")] = OcrMode.auto,
    commit_every: Annotated[float, typer.Option(
        "--commit-every", min=0, help="Seconds between commits: an interruption loses at most the files "
        "finished in this time and a second more (0: commit every file).")] = Batch.max_seconds,
) -> None:
    """Parse PDFs and store them in the database.

    Files already stored (same bytes, under any name) are skipped, so an interrupted run goes on
    where it stopped. A file that timed out in an earlier run and has not changed is not waited
    for again (it is reported as failed) unless --timeout is longer now or --force is given. Exit code 0 when no file failed, 1 when any did (each failure is printed as
    one line, FILE: reason, and kept for `kamrap errors`), 130 when interrupted; what stops the
    whole run is one line and a code of its own: 74 the database cannot be written (a full
    disk), 75 another ingest is writing to it, 70 an internal error.
    """
    options = IngestOptions(force=force, password=password, workers=workers or default_workers(),
                            timeout=timeout, memory_mb=memory_limit, wait=wait, ocr=ocr,
                            commit_every=commit_every)
    reporter = ConsoleReporter(console, errors, live=errors.is_terminal, quiet=quiet or json_summary,
                               verbose=verbose)
    try:
        with _open(db, readonly=False) as store, reporter:
            report = ingest_paths(paths, store, options=options, listener=reporter)
    except DatabaseBusy as exc:
        _stop(str(exc), pipeline.EXIT_BUSY)
    except StoreError as exc:  # not a database kamrap can open
        _stop(str(exc), pipeline.EXIT_DATABASE)
    except (sqlite3.Error, OSError) as exc:  # the database cannot be opened or written
        _stop(pipeline.database_failure(db, exc), pipeline.EXIT_DATABASE)
    except RuntimeError as exc:  # a database of a newer schema
        _stop(str(exc), pipeline.EXIT_DATABASE)
    except Exception as exc:  # a bug outside any one file's processing
        _stop(f"kamrap ingest: internal error ({type(exc).__name__}: {one_line(str(exc))})",
              pipeline.EXIT_INTERNAL)
    if report.stopped is not None:
        errors.print(f"stopped: {report.stopped}", markup=False, highlight=False)
    if not report.outcomes and report.stopped is None:
        errors.print("no PDF files found in: " + ", ".join(map(str, paths)), markup=False)
        raise typer.Exit(1)
    if json_summary:
        console.print(summary_json(report, db), markup=False, highlight=False)
    elif not quiet:
        console.print(summary_text(report, db), markup=False, highlight=False)
    if report.stopped is not None:
        raise typer.Exit(pipeline.EXIT_DATABASE)
    if report.interrupted:
        raise typer.Exit(pipeline.EXIT_INTERRUPTED)
    if not report.ok:
        raise typer.Exit(pipeline.EXIT_FAILED_FILES)


def _stop(line: str, code: int) -> NoReturn:
    """End a command that cannot go on: one line on stderr, its own exit code."""
    errors.print(one_line(line), markup=False, highlight=False)
    raise typer.Exit(code)


@app.command("errors")
def list_errors(
    db: DbOption = DEFAULT_DB,
    json_output: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the files that failed to ingest: FILE: reason (when), one per line.

    A file leaves the list once it is stored (or found to be a copy of a stored file).
    """
    with _open(db) as store:
        rows = store.errors()
        stop = store.last_stop()
    if stop is not None:
        errors.print(f"the last ingest stopped before its end: {one_line(stop)}", markup=False,
                     highlight=False)
    if json_output:
        console.print(json.dumps(rows, ensure_ascii=False, indent=2), markup=False, highlight=False)
        return
    for row in rows:
        # stored in display form already (an older kamrap stored names as they were)
        shown = row["file"] if row["file"].isprintable() else display_name(row["file"])
        console.print(f"{shown}: {one_line(row['reason'])} ({row['at']})",
                      markup=False, highlight=False)


class ExportFormat(str, Enum):
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="What to write (see above).")
                      ] = ExportFormat.json,
    out: Annotated[Path, typer.Option("--out", help="Folder to write into.", file_okay=False)] = Path("output/export"),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the stored documents out.

    json: one canonical JSON per document, at the document's path relative to the folder all
    stored documents share, .pdf replaced by .json (a/report.pdf and b/report.pdf give
    a/report.json and b/report.json; one ingested folder gives flat <name>.json files), so two
    names never collide. ndjson: documents.ndjson, one document per line. csv: one CSV per
    table (UTF-8 with BOM) and datapackage.json, the Frictionless Table Schema of every column.
    parquet: one typed Parquet file per table. xlsx: kamrap.xlsx, a sheet per table. Every table
    row carries document_id (and indicator_id or summary_id) to join on.
    """
    with _open(db) as store:
        written = WRITERS[format.value](store, out)
    console.print(f"wrote {len(written)} {format.value} file(s) to {out}", markup=False, highlight=False)


@app.command()
def show(
    file: Annotated[str, typer.Argument(help="A stored PDF: its file name or path.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the document(s) as canonical JSON, findings recomputed from the stored values.")] = False,
    as_csv: Annotated[bool, typer.Option(
        "--csv", help="Print the rows shown (indicators, score-summary rows) as CSV.")] = False,
) -> None:
    """Print a stored document: its indicators (criteria, targets and results by round or
    year, details pages), its score summaries (every row, the printed total beside the
    recomputed one) and its findings.
    """
    with _open(db) as store:
        matches = store.find_documents(str(Path(file).absolute()) if Path(file).exists() else file)
        if not matches:
            errors.print(f"{file}: not in {db} (ingest it first)", markup=False, highlight=False)
            raise typer.Exit(1)
        exports = [recheck(store.load_export(doc["id"])) for doc in matches]
    if as_json:
        sys.stdout.write(json.dumps([e.model_dump(mode="json") for e in exports], ensure_ascii=False, indent=2) + "\n")
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(_SHOW_CSV)
        for export in exports:
            writer.writerows(_show_rows(export))
    else:
        for export in exports:
            _print_export(export)


_SHOW_CSV = ("file", "organization", "code", "name", "weight", "score", "status", "target",
             "level_1", "level_2", "level_3", "level_4", "level_5", "direction")


def _show_rows(export: Export) -> Iterator[list[object]]:
    doc = export.document
    for ind in export.indicators:
        levels = {c.level: c.text for c in ind.criteria}
        yield [doc.file, doc.organization, ind.code, ind.name, ind.weight, ind.score, ind.status,
               ind.target if ind.target is not None else ind.target_level,
               *(levels.get(level) for level in range(1, 6)), ind.direction]
    for summary in export.score_summaries:
        for row in summary.rows:
            yield [doc.file, summary.organization, row.code, row.name, row.weight, row.score,
                   row.status_text or row.status, None, None, None, None, None, None, None]


def _print_export(export: Export) -> None:
    doc = export.document
    console.print(Text.assemble((doc.file, "bold"), f"  {doc.kind.value}  {doc.organization or '?'}  "
                                f"FY {doc.fiscal_year or '?'}  {doc.page_count} pages"))
    if export.indicators:
        _indicator_table(export.indicators)
        for ind in export.indicators:
            if ind.details is not None:
                _print_details(ind)
    for summary in export.score_summaries:
        _print_summary(summary)
    for finding in export.findings:
        where = f" [{finding.code}]" if finding.code else ""
        page = f" (page {finding.page})" if finding.page else ""
        console.print(f"{finding.severity.value}: {finding.kind}{where}{page}: {finding.message}",
                      markup=False, highlight=False)


def _indicator_table(indicators: list[Indicator]) -> None:
    """Code, name, weight, target, what the documents give (criteria, by-round and by-year
    targets and results), direction; columns that every indicator leaves empty are left out."""
    columns: dict[str, Callable[[Indicator], object]] = {
        "code": lambda i: i.code, "name": lambda i: i.name, "weight": lambda i: i.weight,
        "target": lambda i: i.target if i.target is not None else i.target_level,
    }

    def criterion(level: int) -> Callable[[Indicator], object]:
        return lambda i: next((c.text or "-" for c in i.criteria if c.level == level), None)

    def by_period(field: str) -> Callable[[Indicator], object]:
        return lambda i: _by_period(getattr(i, field))

    for level in range(1, 6):
        columns[str(level)] = criterion(level)
    for field, title in (("targets_by_round", "targets by round"), ("results_by_round", "results by round"),
                         ("targets_by_year", "targets by year"), ("results_by_year", "results by year")):
        columns[title] = by_period(field)
    columns["score"] = lambda i: i.score
    columns["direction"] = lambda i: i.direction
    kept = {title: get for title, get in columns.items()
            if title in ("code", "name") or any(get(i) not in (None, "") for i in indicators)}
    rows = [[_fmt(get(ind)) for get in kept.values()] for ind in indicators]
    _print_grid(list(kept), rows, {"name": 40, "target": 14, **{str(n): 14 for n in range(1, 6)}})


def _print_grid(titles: list[str], rows: list[list[str]], caps: dict[str, int]) -> None:
    """A table whose cells are wrapped between words to fit the terminal; the name column gives
    way first. Where even that does not fit, one block per row (title: value lines)."""
    width = console.width
    natural = [max([cell_len(title)] + [_widest(wrap_words(row[n], caps.get(title, 18))) for row in rows])
               for n, title in enumerate(titles)]
    natural = [min(w, caps.get(t, 18)) if t in caps else w for w, t in zip(natural, titles)]
    overflow = sum(natural) + 3 * len(titles) + 1 - width
    if overflow > 0 and "name" in titles:
        n = titles.index("name")
        natural[n] = max(12, natural[n] - overflow)
        overflow = sum(natural) + 3 * len(titles) + 1 - width
    if overflow <= 0:
        table = Table(show_lines=True)
        for title, w in zip(titles, natural):
            table.add_column(title, min_width=w, max_width=w, no_wrap=True)
        for row in rows:
            table.add_row(*(Text(wrap_words(value, w)) for value, w in zip(row, natural)))
        console.print(table)
        return
    for row in rows:
        console.print(Text(wrap_words(" ".join(row[:2]), width), style="bold"))
        for title, value in zip(titles[2:], row[2:]):
            if value:
                console.print(Text(wrap_words(f"  {title}: {value}", width, indent="    ")))


def _widest(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _by_period(values: Mapping[str, object] | None) -> str | None:
    if not values:
        return None
    return "\n".join(f"{period}: {_fmt(value)}" for period, value in values.items())


def _print_details(ind: Indicator) -> None:
    details = ind.details
    assert details is not None
    console.print(Text.assemble(("details ", "bold"), f"{ind.code} {ind.name}"), markup=False)
    for label, value in (("description", details.description), ("formula", details.formula),
                         ("condition", details.condition), ("data source", details.data_source),
                         ("evaluation", details.evaluation_method)):
        if value:
            console.print(Text(f"  {label}: " + wrap_words(value, min(100, console.width - 6), indent="    ")))
    for milestone in details.milestones:
        round_ = f" (round {milestone.round})" if milestone.round else ""
        console.print(Text(f"  level {milestone.level}{round_}: "
                           + wrap_words(milestone.text, min(100, console.width - 6), indent="    ")))
    if details.baseline:
        console.print(Text("  baseline: " + ", ".join(f"{b.fiscal_year}: {_fmt(b.value)}" for b in details.baseline)))


def _print_summary(summary: ScoreSummary) -> None:
    console.print(Text.assemble(("score summary ", "bold"), f"{summary.organization or '?'}  "
                                f"FY {summary.fiscal_year or '?'}  pages {_pages(summary.pages)}"))
    _print_grid(["code", "name", "score", "weight", "status"],
                [[row.code, row.name, _fmt(row.score), _fmt(row.weight), row.status_text or row.status]
                 for row in summary.rows], {"name": 48, "status": 20})
    printed, computed = summary.reported_total, summary.computed_total
    line = (f"printed total: {_fmt(printed.score) if printed else '-'} over weight "
            f"{_fmt(printed.weight) if printed else '-'}; recomputed: "
            f"{_fmt(computed.score) if computed else '-'} over weight {_fmt(computed.weight) if computed else '-'}")
    if printed and computed and printed.score is not None and computed.score is not None:
        same = abs(scoring.to_decimal(printed.score) - scoring.to_decimal(computed.score)) <= Decimal("0.00005")
        line += "  (they agree)" if same else "  (DIFFERENT)"
    console.print(line, markup=False, highlight=False)
    for transfer in summary.weight_transfers:
        console.print(f"  footnote: weight {_fmt(transfer.weight)} of {transfer.from_code} moved to "
                      f"{', '.join(transfer.to_codes)}", markup=False, highlight=False)


def _pages(pages: list[int]) -> str:
    return ", ".join(map(str, pages)) or "?"


def wrap_words(text: str, width: int, indent: str = "") -> str:
    """`text` in lines of at most `width` terminal cells, broken between words (Thai words
    found by pythainlp: Thai is written without spaces, and a table that cuts it anywhere
    splits words, ร้อยละความพึ|งพอใจ). A word longer than a line is left whole."""
    from pythainlp.tokenize import word_tokenize

    lines: list[str] = []
    for paragraph in text.split("\n"):
        if cell_len(paragraph) <= width:  # what fits needs no words (nor pythainlp's trie, 1 s)
            lines.append(paragraph.rstrip())
            continue
        words: list[str] = []  # punctuation kept with its word: "(ขาย)" is one
        for token in word_tokenize(paragraph, engine="newmm", keep_whitespace=True):
            if words and (token[0] in ")]},.:;%" or words[-1][-1] in "([{") and token.strip():
                words[-1] += token
            else:
                words.append(token)
        line = ""
        for word in words:
            if line and cell_len(line + word) > width and word.strip():
                lines.append(line.rstrip())
                line = word.lstrip()
            else:
                line += word
        lines.append(line.rstrip())
    return ("\n" + indent).join(lines)


def _fmt(value: object) -> str:
    return "" if value is None else str(value)


class BelowLowest(str, Enum):
    zero = "zero"
    lowest = "lowest"
    extrapolate = "extrapolate"


@app.command()
def score(
    results: Annotated[Path | None, typer.Argument(
        help="CSV or JSON of results: organization, fiscal_year, code, result (one row per indicator).",
        dir_okay=False)] = None,
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    below_lowest: Annotated[BelowLowest, typer.Option(
        help="Score of a result below the lowest criteria level: zero, the lowest level's score, "
             "or the line through the two lowest levels continued down.")] = BelowLowest.zero,
    table_governs: Annotated[bool, typer.Option(
        "--table-governs", help="Score by the criteria table even where a details page's formula "
                                "gives its own result→score rule.")] = False,
    template: Annotated[Path | None, typer.Option(
        "--template", dir_okay=False,
        help="Write a results file to fill in (CSV: every indicator of every stored agreement, "
             "result blank) to this path, and score nothing.")] = None,
) -> None:
    """Score an ingested agreement's indicators from their results, the official way.

    Each indicator is scored from its five criteria (linear between numeric levels, or the
    milestone level reached, or the formula's own rule); the total is the weighted average,
    rounded half-up to 4 places. Units are matched whatever their spacing or digit script
    (2 = ๒). Indicators without a result are left out of the total, with a warning. Exit code
    1 when a result matches no ingested agreement, 2 when the results file cannot be read.
    """
    if template is not None:
        with _open(db) as store:
            rows = results_template(list(store.exports()))
        with template.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["organization", "fiscal_year", "code", "result", "name"])
            writer.writeheader()
            writer.writerows(rows)
        console.print(f"wrote {len(rows)} indicator(s) to fill in to {template}", markup=False, highlight=False)
        return
    if results is None:
        errors.print("give a RESULTS file (or --template FILE to write one to fill in)", markup=False)
        raise typer.Exit(2)
    try:
        records = scoring.read_results(results)
        options = scoring.ScoringOptions(below_lowest=below_lowest.value, lookup_governs=not table_governs)
    except (scoring.ResultsError, ValueError) as exc:
        errors.print(str(exc), markup=False)
        raise typer.Exit(2) from exc
    with _open(db) as store:
        report = api_score(records, list(store.exports()), options)
    if as_json:
        console.print_json(json.dumps([_score_json(s) for s in report.agreements], ensure_ascii=False))
    for agreement in [] if as_json else report.agreements:
        _print_score(agreement)
    for agreement in report.agreements:
        missing = ScoreReport.without_result(agreement)
        if missing:
            errors.print(f"{agreement.file}: warning: {len(missing)} of {len(agreement.indicators)} indicators "
                         f"have no result ({', '.join(missing)}); the total is over the other "
                         f"{len(agreement.indicators) - len(missing)} only", markup=False, highlight=False)
    for organization, year in report.unmatched:
        errors.print(f"{results}: no ingested agreement for {organization}, FY {year}", markup=False)
    if report.unmatched:
        raise typer.Exit(1)


def _score_json(agreement: scoring.AgreementScore) -> dict[str, Any]:
    return {
        "file": agreement.file, "organization": agreement.organization,
        "fiscal_year": agreement.fiscal_year,
        "indicators": [{"code": s.code, "name": s.name, "weight": _num(s.weight), "result": _num(s.result),
                        "score": _num(s.score), "method": s.method, "note": s.note}
                       for s in agreement.indicators],
        "total": {"score": _num(agreement.total.score), "weight": _num(agreement.total.weight)},
        "unknown_codes": agreement.unknown_codes,
        "without_result": ScoreReport.without_result(agreement),
    }


def _num(value: Decimal | None) -> Number | None:
    return None if value is None else scoring.to_number(value)


def _print_score(agreement: scoring.AgreementScore) -> None:
    console.print(Text.assemble((agreement.organization or "?", "bold"),
                                f"  FY {agreement.fiscal_year}  ({agreement.file})"))
    table = Table(show_lines=True)
    for column in ("code", "name", "weight", "result", "score", "how"):
        table.add_column(column, max_width=50 if column == "name" else None, overflow="fold")
    for s in agreement.indicators:
        table.add_row(Text(s.code), Text(wrap_words(s.name, 48)), Text(_fmt(_num(s.weight))),
                      Text(_fmt(_num(s.result))), Text(_fmt(None if s.score is None else f"{s.score:.4f}")),
                      Text(s.method or s.note or ""))
    console.print(table)
    total = "-" if agreement.total.score is None else f"{agreement.total.score:.4f}"
    console.print(f"weighted total: {total} over weight {_num(agreement.total.weight)}",
                  markup=False, highlight=False)
    if agreement.unknown_codes:
        console.print("results for codes not in the agreement: " + ", ".join(agreement.unknown_codes),
                      markup=False, highlight=False)


@app.command()
def text(
    file: Annotated[Path, typer.Argument(help="A PDF file.", exists=True, dir_okay=False)],
    pages: Annotated[str | None, typer.Option(
        "--pages", help="Pages to print: 3, 1-5 or 1,4-6 (default: all).")] = None,
    layout: Annotated[bool, typer.Option("--layout", help="Keep the columns of the page.")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=1, help="Seconds the file may take.")] = DEFAULT_TIMEOUT,
    memory_limit: Annotated[int, typer.Option(
        "--memory-limit", min=0, help="MB of memory the reading may use (0: no limit).")] = DEFAULT_MEMORY_MB,
    ocr: Annotated[OcrMode, typer.Option(
        "--ocr", help="Read pages from their image: auto (scanned pages only), always, never.")] = OcrMode.auto,
) -> None:
    """Print the text kamrap reads from a PDF, with the Thai repaired (marks in order, SARA AM,
    /ActualText, unmapped glyphs) — what every parser sees; a scanned page's text as OCR reads
    it. Pages are separated by form feeds.

    The file is read in a worker process, as `kamrap ingest` reads it: a file that is damaged,
    takes longer than --timeout or needs more than --memory-limit is one line (FILE: reason),
    exit code 1; a page the file does not have, exit code 2."""
    try:
        wanted = _page_numbers(pages) if pages else None
    except ValueError as exc:
        _stop(f"{display_name(file)}: {exc}", 2)
    from kamrap.ingest.text_job import text_job  # the parsers: loaded by the command that parses

    answer = run_isolated(functools.partial(text_job, pages=wanted, layout=layout, ocr=ocr), file,
                          timeout=timeout, memory_mb=memory_limit)
    if answer.export is None:  # the worker's reason instead
        _stop(f"{display_name(file)}: {answer.reason}", 1)
    status, output = answer.export
    if status == "bad pages":
        _stop(f"{display_name(file)}: {output}", 2)
    sys.stdout.write(output)


def _page_numbers(spec: str) -> list[int]:
    """ "1-3,7" → [1, 2, 3, 7]."""
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"--pages {spec!r}: use numbers and ranges such as 1-5,8")
        start, end = int(first), int(last or first)
        if start < 1 or end < start:
            raise ValueError(f"--pages {spec!r}: {part.strip()} is no range of pages (pages count from 1, "
                             "the first of a range is not after the last)")
        numbers += range(start, end + 1)
    return numbers


@app.command()
def verify(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check every stored document, from its values as they are now: printed totals against
    recomputed ones, weights, weight transfers, formulas against criteria, and score summaries
    against their unit's agreement (a value corrected in the database is checked as corrected).

    Exit code 1 when any finding is an error.
    """
    with _open(db) as store:
        exports = list(store.exports())
    found = api_verify(exports)
    if as_json:
        console.print_json(json.dumps(
            [{"file": c.file, **c.finding.model_dump(mode="json")} for c in found], ensure_ascii=False))
    else:
        for file, finding in found:
            where = ", ".join(str(x) for x in (file, f"page {finding.page}" if finding.page else None,
                                               finding.code) if x)
            console.print(f"{finding.severity.value}: {finding.kind} ({where}): {finding.message}",
                          markup=False, highlight=False)
        errors_count = sum(c.finding.severity == "error" for c in found)
        console.print(f"{len(exports)} documents, {len(found)} findings, {errors_count} errors",
                      markup=False, highlight=False)
    if has_errors(found):
        raise typer.Exit(1)


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="The HTML file to write.")
                   ] = Path("output/report.html"),
    pdfs: Annotated[Path, typer.Option(
        "--pdfs", file_okay=False,
        help="The folder the ingested folders are in (stored names are relative to it), to render "
             "the page images from.")] = Path("."),
) -> None:
    """Write an HTML audit report: per document its findings with their page and an image of the
    page region (the printed value boxed in red, rendered from the PDF), every score summary's
    rows with the printed total beside the recomputed one, a chart of the totals per unit, and
    the indicators. One self-contained file, for any browser.
    """
    with _open(db) as store:
        exports = list(store.exports())
        located = locate_pdfs(store, pdfs)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(exports, located, db.name), encoding="utf-8")
    missing = sum(path is None for path in located.values())
    if missing:
        errors.print(f"{pdfs}: {missing} of {len(located)} PDFs not found under it: their findings have "
                     "no page image (pass --pdfs)", markup=False, highlight=False)
    console.print(f"wrote {out}", markup=False, highlight=False)


@app.command("datasette-metadata")
def datasette_metadata_command(
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", dir_okay=False,
                                             help="Write it to this file (default: print it).")] = None,
) -> None:
    """Datasette metadata for the database: titles and descriptions in Thai and English for
    every table and column, label columns, facets (kind, organization, fiscal year, finding kind,
    severity), and the full-text search over indicator names and details (trigram, so Thai is
    found without word breaks). Serve with: datasette serve DB --metadata FILE.
    """
    text = json.dumps(datasette_metadata(db), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}", markup=False, highlight=False)


if __name__ == "__main__":
    app()
