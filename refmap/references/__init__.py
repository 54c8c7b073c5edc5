"""Reading references: importers, identifier lookup, page and book metadata, names."""
