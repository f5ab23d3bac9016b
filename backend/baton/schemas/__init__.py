"""Input shapes shared by the HTTP API and the other entry points (CSV import, CLI)."""
