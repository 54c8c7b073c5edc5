"""The claims-map file: its model, schema, YAML reading and writing, and style."""
