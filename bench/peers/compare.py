#!/usr/bin/env python3
"""Policies a peer flags and scopecop does not, category by category, each with the reason.

Usage: compare.py SCOPECOP_JSON CLOUDSPLAINING_JSON PARLIAMENT_JSONL > table.md

SCOPECOP_JSON is `scopecop check --format json` on bench/make-inputs.py's corpus-x1 (one file per policy,
named after it); CLOUDSPLAINING_JSON is cloudsplaining_scan.py's output; PARLIAMENT_JSONL is
`parliament --directory corpus-x1 --include-community-auditors --json`. Every action a peer cites in a policy
scopecop leaves alone must have a reason below (or the policy one); the script fails when one has none, so a
new peer finding or a scopecop change cannot pass unexplained.
"""
import json
import os
import sys
from collections import defaultdict

# Peer category -> the scopecop rules that report that kind of risk.
CATEGORIES = {
    ("Cloudsplaining", "PrivilegeEscalation"): ["PRIVILEGE-007", "PRIVILEGE-012"],
    ("Cloudsplaining", "ResourceExposure"): ["PRIVILEGE-007", "PRIVILEGE-008"],
    ("Cloudsplaining", "CredentialsExposure"): ["PRIVILEGE-009"],
    ("Cloudsplaining", "DataExfiltration"): ["S3-001", "PRIVILEGE-013"],
    ("Parliament", "PRIVILEGE_ESCALATION"): ["PRIVILEGE-007", "PRIVILEGE-012"],
    ("Parliament", "CREDENTIALS_EXPOSURE"): ["PRIVILEGE-009", "PRIVILEGE-013"],
    ("Parliament", "PERMISSIONS_MANAGEMENT_ACTIONS"): ["PRIVILEGE-007", "PRIVILEGE-008", "PRIVILEGE-009",
                                                       "PRIVILEGE-013"],
    ("Parliament", "RESOURCE_POLICY_PRIVILEGE_ESCALATION"): ["PRIVILEGE-008", "PRIVILEGE-014"],
}

# Why scopecop leaves an action alone where a peer cites it (lower-case, as the peers print actions).
STAR_ONLY = 'accepts only "*": a grant of it cannot be narrowed, so it is no finding (PRIVILEGE-009 lists it)'
OWN_USER = "on the caller's own user (`${aws:username}`) only"
TAKES_AWAY = "takes access away, gives none"
REASONS = {
    **{a: STAR_ONLY for a in [
        "ecr:getauthorizationtoken", "ecr-public:getauthorizationtoken", "appsync:createapikey", "chime:createapikey",
        "license-manager:getaccesstoken", "lightsail:downloaddefaultkeypair", "sts:getsessiontoken",
        "cognito-identity:getopenidtoken", "cognito-identity:getcredentialsforidentity",
        "cognito-idp:associatesoftwaretoken"]},
    **{a: OWN_USER for a in [
        "iam:createservicespecificcredential", "iam:resetservicespecificcredential",
        "iam:updateservicespecificcredential", "iam:deleteservicespecificcredential", "iam:uploadsshpublickey",
        "iam:updatesshpublickey", "iam:deletesshpublickey", "iam:changepassword"]},
    **{a: TAKES_AWAY for a in [
        "iam:deleterole", "iam:deleterolepolicy", "iam:detachrolepolicy", "iam:deleteservicelinkedrole"]},
    "iam:createservicelinkedrole": "a service-linked role trusts only its AWS service and has the permissions AWS "
                                   "defines; creating one gives the caller nothing (PRIVILEGE-007)",
    "iam:passrole": "on named roles or to named services (iam:PassedToService) only; PRIVILEGE-007 reports "
                    "iam:PassRole on every role or to any service",
    "iam:attachrolepolicy": "on named roles only, with a fixed policy (iam:PolicyARN) or under a permissions "
                            "boundary (iam:PermissionsBoundary); PRIVILEGE-007 reports it on roles not named",
    "iam:putrolepolicy": "on one named role under a permissions boundary; PRIVILEGE-007 reports it on roles not named",
    "iam:createrole": "creating a role gives no access by itself; attaching policies to it is PRIVILEGE-007's",
    "sts:assumerole": "on named roles only; PRIVILEGE-009 reports sts:AssumeRole on every role",
    "ram:acceptresourceshareinvitation": "accepts another account's share: brings its resources in, exposes none "
                                         "of the account's",
    "ram:rejectresourceshareinvitation": "rejects another account's share; exposes nothing",
    "mediapackage:rotateingestendpointcredentials": "returns new credentials: PRIVILEGE-009 reports it",
    "cognito-identity:mergedeveloperidentities": "merges identities of one pool; changes neither the pool's roles "
                                                 "nor who may get credentials",
    "cognito-identity:unlinkdeveloperidentity": "unlinks a developer identity; takes access away",
    "sns:createtopic": "sets the policy of a new topic only; an existing topic's is sns:SetTopicAttributes/"
                       "AddPermission",
    "sqs:createqueue": "sets the policy of a new queue only; an existing queue's is sqs:SetQueueAttributes/"
                       "AddPermission",
    "kms:createkey": "sets the key policy of a new key only; an existing key's is kms:PutKeyPolicy",
    "waf:getchangetoken": "returns a token for WAF Classic writes; gives no access (read)",
    "waf-regional:getchangetoken": "returns a token for WAF Classic writes; gives no access (read)",
    "wafv2:updatewebacl": "changes which web requests a web ACL filters, not who may call AWS on a resource",
    "imagebuilder:getcomponentpolicy": "reads a policy; changes nothing",
    "iotsitewise:listaccesspolicies": "lists access policies; changes nothing",
    "deeplens:associateserviceroletoaccount": "names the service role of DeepLens (a retired service); passing "
                                              "roles is iam:PassRole's (PRIVILEGE-007)",
    "sso-directory:createuser": "creates an Identity Center user, who has no access until assigned",
    "sso-directory:creategroup": "creates an Identity Center group, which has no access until assigned",
    "sso:createprofile": "creates an application profile; assigning it is sso:AssociateProfile's (PRIVILEGE-008)",
    "sso:updateprofile": "changes an application profile's settings; assigning it is sso:AssociateProfile's",
    "sso:createtrust": "sets up Identity Center's trust with its directory; gives no user access",
    "sso:updatetrust": "changes Identity Center's trust with its directory; gives no user access",
    "sso:createapplicationinstance": "creates an application; assigning users to it is "
                                     "sso:CreateApplicationAssignment's (PRIVILEGE-008)",
    "cognito-idp:getsigningcertificate": "returns a user pool's public signing certificate, no secret",
}

# Policy by policy where the reason is not the action's.
POLICY_REASONS = {
    ("PRIVILEGE_ESCALATION", "AWSIoTDeviceTesterForFreeRTOSFullAccess"):
        "iam:PassRole only to iot.amazonaws.com (iam:PassedToService): no role reaches EC2",
    ("PRIVILEGE_ESCALATION", "SageMakerStudioAdminIAMConsolePolicy"):
        "iam:PassRole only to datazone.amazonaws.com (iam:PassedToService): no role reaches CloudFormation",
}


def load(scopecop, cloudsplaining, parliament):
    ours = defaultdict(set)
    for f in json.load(open(scopecop))["findings"]:
        ours[os.path.basename(f["file"])[: -len(".json")]].add(f["code"])
    peers = defaultdict(lambda: defaultdict(set))  # (peer, category) -> policy -> cited actions
    for name, result in json.load(open(cloudsplaining)).items():
        for category, found in result.items():
            for item in found or []:
                actions = item["actions"] if isinstance(item, dict) else [item]
                peers[("Cloudsplaining", category)][name].update(a.lower() for a in actions)
    for line in open(parliament):
        f = json.loads(line)
        name = os.path.basename(f["location"]["filepath"])[: -len(".json")]
        actions = f["location"].get("actions") or []
        if f["issue"] == "RESOURCE_POLICY_PRIVILEGE_ESCALATION":
            actions = [f["detail"].split(" but does allow ")[-1]]
        peers[("Parliament", f["issue"])][name].update(a.lower() for a in actions)
    return ours, peers


def main():
    ours, peers = load(*sys.argv[1:4])
    unexplained = []
    for (peer, category), codes in CATEGORIES.items():
        flagged = peers[(peer, category)]
        missed = sorted(n for n in flagged if not ours[n] & set(codes))
        print(f"### {peer} {category}: {len(flagged)} policies, {len(flagged) - len(missed)} also reported by "
              f"{', '.join(codes)}, {len(missed)} not\n")
        if not missed:
            continue
        print("| policy | actions the peer cites | why scopecop does not report them |")
        print("| --- | --- | --- |")
        for name in missed:
            why = POLICY_REASONS.get((category, name))
            if not why and "PRIVILEGE-001" in ours[name]:
                why = 'every action on every resource: PRIVILEGE-001 reports it once, the narrower rules add nothing'

            if why:
                reasons = [why]
            else:
                reasons = []
                for action in sorted(flagged[name]):
                    r = REASONS.get(action)
                    if r is None:
                        unexplained.append(f"{peer} {category} {name} {action}")
                    elif r not in reasons:
                        reasons.append(r)
            cited = sorted(flagged[name])
            shown = ", ".join(cited[:6]) + (f" and {len(cited) - 6} more" if len(cited) > 6 else "")
            print(f"| {name} | {shown} | {'; '.join(reasons)} |")
        print()
    for u in unexplained:
        print(f"unexplained: {u}", file=sys.stderr)
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
