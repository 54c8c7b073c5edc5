"""References coming in: importers of reference-manager files, identifier lookup and page metadata."""
