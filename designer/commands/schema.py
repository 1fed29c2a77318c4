"""`parcours schema [--organisation]`: the JSON Schema of the journey format, or of the
organisation file (both also committed in schemas/)."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours schema [--organisation]`."""
    parser.add_argument("--organisation", action="store_true",
                        help="the schema of the organisation file (organisation.yaml) instead")


def run(args: argparse.Namespace) -> int:
    """Print the schema generated from the models."""
    from designer.model import journey_schema
    from designer.organisation import organisation_schema

    schema = organisation_schema() if args.organisation else journey_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0
