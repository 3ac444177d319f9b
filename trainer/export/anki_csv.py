"""CSV for Anki's File > Import, with the header lines Anki reads.

Called by `trainer export --format csv`. Same fields as the `.apkg` (see
`trainer.export.anki`); the GUID column makes a re-import update notes, like the deck.
"""

from __future__ import annotations

import csv
import io

from .anki import card_fields
from .content import ExportContent

COLUMNS = ("guid", "id", "front", "back", "tags")
HEADER = (
    "#separator:Comma\n"
    "#html:true\n"
    f"#columns:{','.join(COLUMNS)}\n"
    f"#guid column:{COLUMNS.index('guid') + 1}\n"
    f"#tags column:{COLUMNS.index('tags') + 1}\n"
)


def render_csv(content: ExportContent) -> str:
    out = io.StringIO()
    out.write(HEADER)
    writer = csv.writer(out, lineterminator="\n")
    for card in content.cards:
        f = card_fields(card)
        writer.writerow([f.guid, f.id, f.front, f.back, " ".join(f.tags)])
    return out.getvalue()
