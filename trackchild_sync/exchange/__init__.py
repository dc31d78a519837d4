"""The one adapter between CLTS and TrackChild (docs/trackchild.md): the layout of each record type, export as CSV
and JSON, import of TrackChild extracts (all or nothing, every bad line reported), and the HTTP push."""
