"""The citizen's pages, by job: :mod:`~renderer.citizens.front` (the front door and a
journey's start page), :mod:`~renderer.citizens.drafts` (a draft and its run; open, save and
resume), :mod:`~renderer.citizens.steps` (the question pages) and
:mod:`~renderer.citizens.submission` (check your answers, send, confirmation, receipt, exits).
"""
