"""The back office's data: dossiers routed to services and their workflow, agents, the audit
log, throttling and the notifications outbox, in the store's database (migration 002).

Each module owns one concept and works through :class:`renderer.store.Store`'s connection
and transactions, so that a change and the notifications it causes commit together.
"""
