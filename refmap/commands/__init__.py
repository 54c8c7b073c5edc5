"""The library half of each offline command: what it needs in, a typed result out."""
