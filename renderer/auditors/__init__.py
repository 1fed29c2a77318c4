"""The auditors' pages: :mod:`~renderer.auditors.reports`, the complexity reports of the
served journeys, read-only (their rendering and cache are :mod:`renderer.reports`)."""
