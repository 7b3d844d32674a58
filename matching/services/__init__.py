"""Database services: each use case loads rows from matching.store, calls pure code, flushes."""
