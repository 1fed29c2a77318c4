"""Parcours: design, check, serve and measure citizen journeys."""

__version__ = "0.1.0"
