"""The designers' studio (`parcours studio DIR`): a local web workbench over a folder of
journeys — the list with each one's state, an editor with diagnostics as you type, and safe
saving. Its own Starlette application (:func:`renderer.studio.app.create_studio_app`),
templates and static files; the engine is used through its public check API."""
