"""Checks an OpenAPI document, and real answers against it, with validators Jointly did not write.

Reads `{"document": ..., "answers": [...]}` from the file named on the command line. The
document is checked by openapi-spec-validator against the OpenAPI version it declares (its own
schema, every `$ref` resolving, every path parameter declared). Each answer (`method`, path
template `path`, `status`, `content_type`, `body`) must be a described response of a described
operation, and its body must match the schema declared for its media type (checked by
openapi-schema-validator). Each problem is printed, and the exit status is 1.
"""

import json
import sys

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator


def answer_problems(document, answer):
    where = f"{answer['method']} {answer['path']} answered {answer['status']}"
    operation = document.get("paths", {}).get(answer["path"], {}).get(answer["method"].lower())
    if operation is None:
        return [f"{where}: the operation is not described"]
    response = operation.get("responses", {}).get(str(answer["status"]))
    if response is None:
        return [f"{where}: that status is not described"]
    if answer["body"] is None:
        return []
    media_type = answer["content_type"].split(";")[0].strip()
    content = response.get("content", {}).get(media_type)
    if content is None:
        return [f"{where}: {media_type} is not described"]
    if "schema" not in content:
        return []
    schema = dict(content["schema"])
    schema["components"] = document.get("components", {})
    return [
        f"{where}: {error.message} (at {'/'.join(str(p) for p in error.absolute_path) or 'the top'})"
        for error in OAS31Validator(schema).iter_errors(answer["body"])
    ]


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        given = json.load(handle)
    document, answers = given["document"], given["answers"]
    version = str(document.get("openapi", ""))
    validator = OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator
    problems = [error.message for error in validator(document).iter_errors()]
    for answer in answers:
        problems.extend(answer_problems(document, answer))
    print(f"checked the document and {len(answers)} answers")
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
