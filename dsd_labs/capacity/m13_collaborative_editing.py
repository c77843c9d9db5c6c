"""Capacity model of the collaborative document editing interview walkthrough (Module 13)."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def estimate(a: Assumptions) -> list[Table]:
    """Operations and broadcasts, the quadratic busiest document, servers and CRDT metadata."""
    t = Table("traffic", "Operations and broadcasts")
    editors = a.open_documents * a.editors_per_document
    t.add("op_rate", "Operations received at peak", editors * a.ops_per_editor, "ops/s",
          "open documents × editors per document × operations per editor")
    t.add("broadcast_rate", "Operations sent to other editors at peak",
          editors * a.ops_per_editor * (a.editors_per_document - 1), "messages/s",
          "operations received × (editors per document − 1)")
    hot = t.add("hot_document_fanout", "Messages sent for the busiest document",
                a.hot_document_editors * a.ops_per_editor * (a.hot_document_editors - 1),
                "messages/s", "editors × operations per editor × (editors − 1)")
    t.add("hot_document_bandwidth", "Outbound bandwidth of the busiest document",
          hot * a.op_size, "B/s", "messages for the busiest document × operation size")
    t.add("collab_servers", "Collaboration servers",
          math.ceil(a.open_documents / a.documents_per_server), "servers",
          "open documents ÷ documents per server, rounded up")

    c = Table("crdt", "Sequence CRDT metadata")
    per_doc = c.add("crdt_per_document", "Metadata of one average document",
                    a.document_chars * a.crdt_bytes_per_char, "iB",
                    "characters tracked × metadata per character")
    c.add("crdt_all_open", "Metadata of all open documents", per_doc * a.open_documents, "iB",
          "metadata per document × open documents")
    return [t, c]
