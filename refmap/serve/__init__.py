"""The review desk: `refmap serve`, routes that call the same library and return the same JSON."""
