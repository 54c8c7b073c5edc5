"""References from outside: files, identifier look-ups, page metadata, and what they may write."""
