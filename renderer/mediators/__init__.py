"""The mediators' pages (assisted mode): the citizen's mandate, the dossiers a mediator helped
with, and the handover sheet of one (:mod:`renderer.mediators.pages`)."""
