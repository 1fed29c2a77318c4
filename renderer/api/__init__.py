"""The services' integration with their own systems (docs/api.md): a JSON API authenticated
by service tokens (:mod:`.tokens`, :mod:`.auth`, :mod:`.views`), described by an OpenAPI
document generated from :mod:`.spec` and :mod:`.bodies`, and signed webhooks
(:mod:`.events` writes them to the outbox with the change, :mod:`.webhooks` delivers them)."""
