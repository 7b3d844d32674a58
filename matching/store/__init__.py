"""Database code: engine, SQLModel tables, migrations, audit, outbox, idempotency, access rule."""
