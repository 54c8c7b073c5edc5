"""References: importers, identifier look-ups and page metadata."""
