"""The claims map file: its model, the YAML it is read from and the byte-preserving editor that writes it."""
