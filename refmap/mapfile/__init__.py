"""The claims map file: model, schema, YAML I/O and guards, the byte-preserving editor, style."""
