"""Render `samples/src/*.json` transcriptions to Word documents and convert them to PDF.

Only `samples/build_samples.py` uses this package; kamrap itself never imports it. Modules:

- `fonts`: pick an installed Thai font and measure text with it (for column widths).
- `office`: low-level python-docx/WordprocessingML helpers (fonts, page setup, borders, …).
- `grid`: a small table model (`Grid`, `Cell`) and its rendering to a Word table.
- `tables`: turn transcription blocks (agreement / action-plan / details tables) into `Grid`s.
- `render`: walk a transcription's blocks and build the whole document.
- `convert`: LibreOffice conversion to PDF and the `*.expected.json` bookkeeping.
"""
