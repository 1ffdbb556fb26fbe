"""One file per revision (see `sync.server.migrations`)."""
