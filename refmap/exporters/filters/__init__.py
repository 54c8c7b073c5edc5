"""Filters shipped with refmap for other tools: refmap.lua, a pandoc Lua filter that warns
about unsourced claims and stale quotes while pandoc (or Quarto) renders the essay."""

from __future__ import annotations

from pathlib import Path

LUA_FILTER = "refmap.lua"


def lua_filter_path() -> Path:
    """Where the installed pandoc Lua filter is (a real file: pandoc reads it by path)."""
    return Path(__file__).resolve().parent / LUA_FILTER
