"""References coming in: importers of reference-manager files, identifier look-ups, page
metadata, and the rules for what they may write into a map."""
