"""The central-office service (`inspector-server`): HTTP API, storage and command line."""
