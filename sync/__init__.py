"""Sync with the central office: protocol (shared by both sides), client and server.

The workspace already queues every change in its outbox (see `inspector_app/store/records.py`);
the sync issue drains it.
"""
