"""`parcours schema`: the JSON Schema of the journey format (also committed in schemas/)."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours schema` takes no argument."""


def run(args: argparse.Namespace) -> int:
    """Print the schema generated from the models."""
    from designer.model import journey_schema

    print(json.dumps(journey_schema(), ensure_ascii=False, indent=2))
    return 0
