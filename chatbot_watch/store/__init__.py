"""Building and keeping the database: validated records -> rows -> a DuckDB file (build, rows,
patch), the app's hardened read-only view of it (database, duck), and what is derived from its
versions (diff, history, changelog, export)."""
