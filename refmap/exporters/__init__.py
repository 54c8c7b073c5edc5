"""Exporters: one module per output format, each with `export(cmap, ...) -> str`.

Modules are imported on demand by the CLI so that a command pays only for the format it writes.
"""

from __future__ import annotations
