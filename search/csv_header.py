"""How a CSV file separates its columns, guessed from its header line (shared by the
customer-post and directory indexers and the sentiment label import)."""

from __future__ import annotations

DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}


def sniff_delimiter(header: str) -> str:
    """Return the most frequent of comma, tab, semicolon and pipe in ``header`` (comma if none).

    Counting beats ``csv.Sniffer`` on a single line: the sniffer prefers a comma whenever the
    counts are consistent, so ``Date;Text, with comma;Author`` came out comma-separated.
    """
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
