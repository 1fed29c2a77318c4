"""The agents' back office: login, the dossier list of their services, the dossier page and
its actions. Every page checks the agent's session and rights on the server
(:mod:`renderer.agents.session`); the shared web parts are :mod:`renderer.web`'s."""
