#!/usr/bin/python3
"""Validates pkrisk results against docs/result.schema.json.

The standard library only: a small validator for the subset of JSON Schema
(draft 2020-12) the schema uses — type, const, enum, minimum, maximum,
properties, required, additionalProperties, items, minItems, maxItems, oneOf
and local $ref. A keyword outside the subset is an error, so the schema cannot
quietly use one that is not checked. Objects with a key present twice are
rejected while parsing (a JSON object's keys are unique; Python would keep the
last one silently).

    validate_result.py validate [--schema FILE] RESULT.json...
        exit 0 when every file is valid, 1 otherwise (the reasons on stderr)
    validate_result.py check --binary PKRISK [--source DIR] [--work DIR]
        the ctest: runs pkrisk (run with arms and acceptance, run --out,
        sweeps of each design) and validates what it writes; checks that
        altered results (a nested copy of a metric, a key twice, a newer
        schema_version, an unknown verdict) are rejected; with the Debian
        package python3-jsonschema present, checks the same with it too
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment", "$defs"}
KEYWORDS = {"type", "const", "enum", "minimum", "maximum", "properties", "required",
            "additionalProperties", "items", "minItems", "maxItems", "oneOf", "$ref"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


class DuplicateKey(ValueError):
    pass


def unique_keys(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateKey("key %r present twice in one object" % k)
        out[k] = v
    return out


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=unique_keys)


def check_schema(schema, where="#"):
    """Every keyword of the schema is in the subset this validator checks."""
    if isinstance(schema, bool):
        return
    for k, v in schema.items():
        if k not in KEYWORDS and k not in ANNOTATIONS:
            raise ValueError("%s: keyword %r is outside the validated subset" % (where, k))
        if k in ("properties", "$defs"):
            for name, sub in v.items():
                check_schema(sub, "%s/%s/%s" % (where, k, name))
        elif k in ("additionalProperties", "items"):
            check_schema(v, "%s/%s" % (where, k))
        elif k == "oneOf":
            for i, sub in enumerate(v):
                check_schema(sub, "%s/oneOf/%d" % (where, i))


def errors(value, schema, root, path="$"):
    """The reasons `value` does not match `schema` (empty when it does)."""
    if schema is True:
        return []
    if schema is False:
        return ["%s: not allowed" % path]
    out = []
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return ["%s: only local $ref is supported (%s)" % (path, ref)]
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        out += errors(value, target, root, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            return out + ["%s: %s is not of type %s" % (path, json.dumps(value)[:60], types)]
    if "const" in schema and value != schema["const"]:
        out.append("%s: %s is not %s" % (path, json.dumps(value)[:60], json.dumps(schema["const"])))
    if "enum" in schema and value not in schema["enum"]:
        out.append("%s: %s is not one of %s" % (path, json.dumps(value)[:60], schema["enum"]))
    if TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            out.append("%s: %s is below %s" % (path, value, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            out.append("%s: %s is above %s" % (path, value, schema["maximum"]))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in value:
                out.append("%s: %r is required" % (path, k))
        for k, v in value.items():
            if k in props:
                out += errors(v, props[k], root, "%s.%s" % (path, k))
            elif "additionalProperties" in schema:
                out += errors(v, schema["additionalProperties"], root, "%s[%r]" % (path, k))
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append("%s: fewer than %d items" % (path, schema["minItems"]))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append("%s: more than %d items" % (path, schema["maxItems"]))
        if "items" in schema:
            for i, v in enumerate(value):
                out += errors(v, schema["items"], root, "%s[%d]" % (path, i))
    if "oneOf" in schema:
        results = [errors(value, sub, root, path) for sub in schema["oneOf"]]
        matched = sum(1 for r in results if not r)
        if matched != 1:
            best = min(results, key=len)
            out.append("%s: matches %d of the oneOf alternatives (1 needed)%s" % (
                path, matched, "; closest: " + "; ".join(best[:5]) if best else ""))
    return out


def validate(value, schema):
    check_schema(schema)
    return errors(value, schema, schema)


def default_schema():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "docs", "result.schema.json")


def cmd_validate(args):
    schema = load(args.schema)
    bad = 0
    for path in args.files:
        try:
            problems = validate(load(path), schema)
        except (ValueError, OSError) as e:
            problems = [str(e)]
        for p in problems[:20]:
            print("%s: %s" % (path, p), file=sys.stderr)
        bad += bool(problems)
    return 1 if bad else 0


# ---- the ctest ---------------------------------------------------------------

def run(binary, args, work):
    r = subprocess.run([binary] + args, cwd=work, capture_output=True, text=True, timeout=600)
    if r.returncode not in (0, 1):  # 1: an acceptance gate failed, the output is whole
        raise RuntimeError("pkrisk %s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def sweep_variant(source, work, design):
    """tests/data/run/sweep.yaml with another design (latin_hypercube, sobol)."""
    with open(os.path.join(source, "tests/data/run/sweep.yaml"), encoding="utf-8") as f:
        text = f.read()
    head, _, _ = text.partition("sweep:\n")
    text = head + ("sweep:\n  design: %s\n  samples: 6\n  parameters:\n"
                   "    - path: uav.aircraft\n      range: {from: 0, to: 3}\n"
                   "    - path: movements[supply].c_ied.trained_fraction\n"
                   "      range: {from: 0.1, to: 0.9}\n" % design)
    path = os.path.join(work, "sweep-%s.yaml" % design)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def cmd_check(args):
    schema = load(args.schema)
    check_schema(schema)
    source = os.path.abspath(args.source)
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    outputs = {}
    # A run with four arms and an acceptance block, printed and written with --out.
    reference = os.path.join(source, "scenarios/reference.yaml")
    outputs["run --format json"] = json.loads(
        run(args.binary, ["run", reference, "-n", "60", "-q", "-j", "2", "--format", "json"], work),
        object_pairs_hook=unique_keys)
    run(args.binary, ["run", reference, "-n", "40", "-q", "-j", "2", "--out", "run-out"], work)
    outputs["run --out summary.json"] = load(os.path.join(work, "run-out/summary.json"))
    small = os.path.join(source, "tests/data/run/small.yaml")
    outputs["run (small)"] = json.loads(
        run(args.binary, ["run", small, "-n", "30", "-q", "--format", "json"], work),
        object_pairs_hook=unique_keys)
    # An adversary block: adaptive twins, their answers, vs_baseline.adaptive.
    example = os.path.join(source, "scenarios/examples/trigger-substitution.yaml")
    outputs["run (adversary)"] = json.loads(
        run(args.binary, ["run", example, "-n", "30", "-q", "--format", "json"], work),
        object_pairs_hook=unique_keys)
    grid = os.path.join(source, "tests/data/run/sweep.yaml")
    run(args.binary, ["sweep", grid, "-n", "20", "--batch", "20", "-q", "--out", "grid"], work)
    outputs["sweep grid summary.json"] = load(os.path.join(work, "grid/summary.json"))
    for design in ("latin_hypercube", "sobol"):
        run(args.binary, ["sweep", sweep_variant(source, work, design), "-n", "20", "--batch",
                          "20", "-q", "--out", design], work)
        outputs["sweep %s summary.json" % design] = load(os.path.join(work, design, "summary.json"))

    failed = 0
    for name, value in outputs.items():
        problems = validate(value, schema)
        print("%-32s %s" % (name, "valid" if not problems else "INVALID"))
        for p in problems[:20]:
            print("    " + p)
        failed += bool(problems)

    # Altered results must be rejected: the check can fail.
    base = outputs["run --format json"]
    altered = {}
    nested = json.loads(json.dumps(base))
    nested["arms"][0]["ied"] = {"emplaced": nested["arms"][0]["ied.emplaced"]}  # version 1's copy
    altered["a nested copy of a metric"] = nested
    newer = json.loads(json.dumps(base))
    newer["schema_version"] = 3
    altered["schema_version 3"] = newer
    verdict = json.loads(json.dumps(base))
    verdict["arms"][1]["vs_baseline"]["verdict"] = "cheapest"
    altered["an unknown verdict"] = verdict
    missing = json.loads(json.dumps(base))
    del missing["arms"][1]["vs_baseline"]["verdict"]
    altered["a comparison without its verdict"] = missing
    for name, value in altered.items():
        rejected = bool(validate(value, schema))
        print("%-32s %s" % (name, "rejected" if rejected else "ACCEPTED (should not be)"))
        failed += not rejected
    try:
        json.loads('{"a": 1, "a": 2}', object_pairs_hook=unique_keys)
        print("%-32s ACCEPTED (should not be)" % "a key present twice")
        failed += 1
    except DuplicateKey:
        print("%-32s rejected" % "a key present twice")

    try:
        import jsonschema  # Debian: python3-jsonschema (optional)
    except ImportError:
        print("python3-jsonschema not installed: checked with the subset validator only")
    else:
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema)
        for name, value in outputs.items():
            problems = list(v.iter_errors(value))
            if problems:
                print("jsonschema: %s INVALID: %s" % (name, problems[0].message))
                failed += 1
        for name, value in altered.items():
            if v.is_valid(value):
                print("jsonschema: %s ACCEPTED (should not be)" % name)
                failed += 1
        print("python3-jsonschema agrees")
    if not failed:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate")
    v.add_argument("--schema", default=default_schema())
    v.add_argument("files", nargs="+")
    c = sub.add_parser("check")
    c.add_argument("--schema", default=default_schema())
    c.add_argument("--binary", required=True)
    c.add_argument("--source", default=os.path.join(os.path.dirname(default_schema()), ".."))
    c.add_argument("--work", default="result-schema-check")
    args = ap.parse_args()
    try:
        return cmd_validate(args) if args.command == "validate" else cmd_check(args)
    except (RuntimeError, ValueError, OSError) as e:
        print("validate_result.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
