"""Regenerate schema/kamrap.schema.json: `python -m kamrap.schema`."""

import json
from pathlib import Path

from kamrap.schema.models import Export

path = Path(__file__).with_name("kamrap.schema.json")
path.write_text(json.dumps(Export.model_json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"wrote {path}")
