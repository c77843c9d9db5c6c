"""Capacity model of design e03, the multiplayer design canvas."""

from __future__ import annotations

import math

from dsd_labs.capacity.model import Assumptions, Table


def sessions(a: Assumptions) -> tuple[Table, float]:
    s = Table("sessions", "Sessions and edits")
    docs = s.add("open_documents", "Open documents at peak",
                 a.peak_active_editors / a.editors_per_document, "documents",
                 "active editors ÷ editors per document")
    edits = s.add("edit_rate", "Edits received at peak", a.peak_active_editors * a.edits_per_editor,
                  "edits/s", "active editors × edits per editor")
    broadcast = s.add("edit_broadcast", "Edits sent to other editors at peak",
                      edits * (a.editors_per_document - 1), "messages/s",
                      "edits × (editors per document − 1)")
    s.add("edit_egress", "Edit traffic sent at peak, all servers",
          broadcast * a.edit_size * 8, "bit/s", "edits sent × edit size × 8 bit")
    return s, docs


def presence(a: Assumptions) -> Table:
    p = Table("presence", "Presence (cursors)")
    per_doc = a.editors_per_document * (a.editors_per_document - 1) * a.cursor_rate
    p.add("cursor_messages", "Cursor messages sent at peak",
          a.peak_active_editors / a.editors_per_document * per_doc, "messages/s",
          "documents × editors × (editors − 1) × cursor rate")
    worst = a.worst_case_editors * (a.worst_case_editors - 1) * a.cursor_rate
    p.add("worst_session_cursors", "Cursor messages in the largest session, unthrottled",
          worst, "messages/s", "editors × (editors − 1) × cursor rate")
    p.add("worst_session_egress", "Server egress for that session, unthrottled",
          worst * a.cursor_size * 8, "bit/s", "cursor messages × update size × 8 bit")
    return p


def servers(a: Assumptions, documents: float) -> Table:
    m = Table("servers", "Multiplayer servers")
    memory = m.add("document_memory_total", "Memory for all open documents, sized as large",
                   documents * a.document_memory, "iB", "open documents × document size")
    per_server = a.server_memory * a.server_utilization
    m.add("documents_per_server", "Large documents per server",
          math.floor(per_server / a.document_memory), "documents",
          "server memory × utilization ÷ document size, rounded down")
    m.add("multiplayer_servers", "Multiplayer servers at peak",
          math.ceil(memory / per_server), "servers",
          "total document memory ÷ (server memory × utilization), rounded up")
    m.add("checkpoint_rate", "Checkpoints written per second",
          documents / a.checkpoint_interval, "checkpoints/s",
          "open documents ÷ checkpoint interval")
    m.add("journal_per_document", "Edits to replay per document after a crash, worst case",
          a.worst_case_editors * a.edits_per_editor * a.checkpoint_interval, "edits",
          "editors in the largest session × edits per editor × checkpoint interval")
    return m


def estimate(a: Assumptions) -> list[Table]:
    """All estimates of the design, in the order the capacity page presents them."""
    session_table, documents = sessions(a)
    return [session_table, presence(a), servers(a, documents)]
