"""Network code: one HTTP client, its on-disk cache, link checking and the web archive client.

Nothing that works offline imports this package, so `refmap check` never pays for it.
"""
