"""The base of every report model (designer.report.model and the models of its sections):
unknown keys are refused, so the schema and the reports cannot drift apart."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ReportModel(BaseModel):
    """A part of a report: its keys are exactly the declared fields."""

    model_config = ConfigDict(extra="forbid")
