"""The results history: every gate run kept, in SQLite (one machine) or PostgreSQL (an
organization). ``open_store(url)`` is the interface; see docs/history.md."""
