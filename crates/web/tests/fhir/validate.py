"""Checks FHIR R4 (4.0.1) JSON with two validators Jointly did not write.

Reads a JSON array of resources from the file named on the command line and parses each with
fhir.resources 6.4 (pydantic models generated from the R4 specification) and with the SMART
on FHIR client's R4 models in strict mode. Any element, type or cardinality either rejects is
printed, and the exit status is 1.
"""

import json
import sys

import fhirclient.models.fhirabstractbase as smart_base
from fhir.resources import construct_fhir_element


def smart_class(resource_type):
    module = __import__(f"fhirclient.models.{resource_type.lower()}", fromlist=[resource_type])
    return getattr(module, resource_type)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        resources = json.load(handle)
    problems = []
    for index, resource in enumerate(resources):
        kind = resource.get("resourceType", "?")
        try:
            construct_fhir_element(kind, resource)
        except Exception as error:  # noqa: BLE001 - every failure is a finding
            problems.append(f"[{index}] {kind} (fhir.resources): {error}")
        try:
            smart_class(kind)(resource, strict=True)
        except smart_base.FHIRValidationError as error:
            problems.append(f"[{index}] {kind} (fhirclient): {error}")
        except Exception as error:  # noqa: BLE001
            problems.append(f"[{index}] {kind} (fhirclient): {error!r}")
    for problem in problems:
        print(problem)
    print(f"checked {len(resources)} resources, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
