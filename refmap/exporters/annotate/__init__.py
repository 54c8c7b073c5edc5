"""The essay with pandoc citations: a new Markdown document from plain text, or the author's own Markdown file annotated in place."""
