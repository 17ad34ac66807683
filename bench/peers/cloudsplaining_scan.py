#!/usr/bin/env python3
"""Cloudsplaining's scan of each policy of the corpus (its `scan-policy-file` with the default exclusions).

Usage: cloudsplaining_scan.py CORPUS_JSONL OUT_JSON   (cloudsplaining and policy_sentry on PYTHONPATH)
Writes {policy name: {category: findings}}.
"""
import json
import sys

from cloudsplaining.command.scan_policy_file import scan_policy

results = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        policy = json.loads(line)
        found = scan_policy(policy["document"])
        results[policy["name"]] = {k: (v.get("findings") if isinstance(v, dict) else v) for k, v in found.items()}
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(results, f, indent=0, sort_keys=True)
