#!/usr/bin/env python3
"""Writes the benchmark inputs from the AWS managed policy corpus (never committed; see bench/run).

  OUT/corpus-xN/          the corpus as one file per policy, N copies (N = 1, 2, 4, 8)
  OUT/corpus-xN.json      the corpus as one `aws iam get-account-authorization-details` output, N copies
"""
import json
import os
import sys

corpus, out = sys.argv[1], sys.argv[2]
with open(corpus, encoding="utf-8") as f:
    policies = [json.loads(line) for line in f if line.strip()]

for n in (1, 2, 4, 8):
    directory = os.path.join(out, f"corpus-x{n}")
    os.makedirs(directory, exist_ok=True)
    entries = []
    for copy in range(n):
        for p in policies:
            name = p["name"] if copy == 0 else f"{p['name']}-{copy}"
            with open(os.path.join(directory, name + ".json"), "w", encoding="utf-8") as f:
                json.dump(p["document"], f, indent=2)
            entries.append({
                "PolicyName": name,
                "Arn": p["arn"] if copy == 0 else f"{p['arn']}-{copy}",
                "DefaultVersionId": p["version"],
                "PolicyVersionList": [
                    {"Document": p["document"], "VersionId": p["version"], "IsDefaultVersion": True}
                ],
            })
    with open(os.path.join(out, f"corpus-x{n}.json"), "w", encoding="utf-8") as f:
        json.dump({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": entries}, f)
