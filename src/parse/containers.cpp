// Policies inside AWS CLI outputs and account authorization details (`aws iam
// get-account-authorization-details`).
#include "parse/containers.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "scopecop/arn.h"
#include "scopecop/parallel.h"

namespace scopecop {

namespace {

using json::Kind;
using json::Value;

// IAM's APIs return documents URL-encoded; the CLI decodes them. Both forms are accepted.
std::string url_decode(std::string_view s) {
  if (s.find('%') == std::string_view::npos || s.starts_with("{")) return std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The Terraform resources whose attributes hold a policy document, and what kind of policy it is; `required`:
// the resource has no meaning without it (a missing one is known only after apply).
struct TerraformPolicy {
  std::string_view resource_type, attribute;
  PolicyType type;
  IdentityKind kind;
  bool required;
};

constexpr TerraformPolicy kTerraformPolicies[] = {
    {"aws_iam_policy", "policy", PolicyType::Identity, IdentityKind::Managed, true},
    {"aws_iam_role_policy", "policy", PolicyType::Identity, IdentityKind::InlineRole, true},
    {"aws_iam_user_policy", "policy", PolicyType::Identity, IdentityKind::InlineUser, true},
    {"aws_iam_group_policy", "policy", PolicyType::Identity, IdentityKind::InlineGroup, true},
    {"aws_iam_role", "assume_role_policy", PolicyType::Trust, IdentityKind::Unknown, true},
    {"aws_ssoadmin_permission_set_inline_policy", "inline_policy", PolicyType::Identity,
     IdentityKind::Unknown, true},
    {"aws_s3_bucket_policy", "policy", PolicyType::Bucket, IdentityKind::Unknown, true},
    {"aws_vpc_endpoint_policy", "policy", PolicyType::Endpoint, IdentityKind::Unknown, true},
    {"aws_vpc_endpoint", "policy", PolicyType::Endpoint, IdentityKind::Unknown, false},
    {"aws_glue_resource_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_kms_key", "policy", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_kms_key_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_s3_access_point", "policy", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_s3control_access_point_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_s3control_bucket_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_sqs_queue_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_sqs_queue", "policy", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_sns_topic_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_sns_topic", "policy", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_secretsmanager_secret_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_secretsmanager_secret", "policy", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_ecr_repository_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_ecr_registry_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_cloudwatch_log_resource_policy", "policy_document", PolicyType::Resource, IdentityKind::Unknown,
     true},
    {"aws_cloudwatch_log_destination_policy", "access_policy", PolicyType::Resource, IdentityKind::Unknown,
     true},
    {"aws_opensearch_domain_policy", "access_policies", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_opensearch_domain", "access_policies", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_elasticsearch_domain_policy", "access_policies", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_elasticsearch_domain", "access_policies", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_efs_file_system_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_backup_vault_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_api_gateway_rest_api_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_api_gateway_rest_api", "policy", PolicyType::Resource, IdentityKind::Unknown, false},
    {"aws_cloudwatch_event_bus_policy", "policy", PolicyType::Resource, IdentityKind::Unknown, true},
    {"aws_codeartifact_domain_permissions_policy", "policy_document", PolicyType::Resource,
     IdentityKind::Unknown, true},
    {"aws_codeartifact_repository_permissions_policy", "policy_document", PolicyType::Resource,
     IdentityKind::Unknown, true},
};

struct Reader {
  std::string_view text;
  ParsedFile& out;

  // Documents are normalized once the walk is over, on several threads when there are many (an account dump
  // holds thousands); each keeps its place in out.policies meanwhile, so the order stays the file's.
  struct Pending {
    const Value* v;
    std::string pointer, name;
    PolicyType type;
    IdentityKind kind;
    std::size_t slot;
    std::vector<std::string> receivers;
    std::string own_account;
    bool aws_managed = false;
  };
  std::vector<Pending> pending;
  std::vector<std::unique_ptr<Value>> synthesized;  // documents made for the file (a Lambda permission's)
  const Value* plan = nullptr;                      // a Terraform plan's root

  std::unordered_map<std::string_view, const Value*> changes;  // of managed resources, by address

  // The member `key` of the change a plan makes to the managed resource at `address`, or nullptr.
  const Value* change_of(std::string_view address, std::string_view key) {
    const Value* list = plan->find("resource_changes");
    if (changes.empty() && list && list->is(Kind::Array)) {
      for (const Value& c : list->items) {
        const Value* a = c.find("address");
        const Value* mode = c.find("mode");
        const Value* change = c.find("change");
        if (a && change && (!mode || mode->text != "data")) changes.emplace(a->text, change);
      }
    }
    auto it = changes.find(address);
    return it == changes.end() ? nullptr : it->second->find(key);
  }

  void document(const Value& v, const std::string& pointer, std::string name, PolicyType type,
                IdentityKind kind = IdentityKind::Unknown) {
    pending.push_back({&v, pointer, std::move(name), type, kind, out.policies.size(), {}, {}, false});
    out.policies.emplace_back();
  }

  void normalize_pending(unsigned jobs) {
    std::vector<std::optional<Policy>> done(pending.size());
    share_out(pending.size(), threads_for(pending.size(), jobs), [&](std::size_t, std::size_t i) {
      const Pending& p = pending[i];
      done[i] = document_policy(*p.v, text, p.pointer, p.name, p.type, p.kind);
      if (done[i]) {
        done[i]->receivers = p.receivers;
        done[i]->own_account = p.own_account;
        done[i]->aws_managed = p.aws_managed;
      }
      // Each document is read once, and the tree is read_containers' to change: the thread that read the
      // document frees it, so that a dump's tree shrinks while its policies are built.
      const_cast<Value&>(*p.v) = Value();
    });
    // A value that is no document leaves no policy: its place closes up.
    std::vector<bool> empty(out.policies.size(), false);
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (done[i]) {
        out.policies[pending[i].slot] = std::move(*done[i]);
      } else {
        empty[pending[i].slot] = true;
      }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < out.policies.size(); ++i) {
      if (empty[i]) continue;
      if (kept != i) out.policies[kept] = std::move(out.policies[i]);
      ++kept;
    }
    out.policies.resize(kept);
    pending.clear();
  }

  void attachments(const Value& principal, const std::string& pointer, std::string name) {
    const Value* list = principal.find("AttachedManagedPolicies");
    if (!list || !list->is(Kind::Array)) return;
    std::vector<Text> arns;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Value* arn = list->items[i].find("PolicyArn");
      if (arn && arn->is(Kind::String)) {
        arns.push_back(
            {arn->text, arn->span, fmt::format("{}/AttachedManagedPolicies/{}/PolicyArn", pointer, i)});
      }
    }
    add_attachments(std::move(name), std::move(arns), out);
  }

  static std::string text_of(const Value& object, std::string_view key) {
    const Value* v = object.find(key);
    return v && v->is(Kind::String) ? v->text : std::string("?");
  }

  // UserDetailList, GroupDetailList, RoleDetailList and Policies of an authorization-details dump.
  void authorization_details(const Value& root) {
    struct Kind3 {
      std::string_view list, name_key, inline_list, prefix;
      IdentityKind inline_kind;
    };
    static constexpr Kind3 kKinds[] = {
        {"UserDetailList", "UserName", "UserPolicyList", "user", IdentityKind::InlineUser},
        {"GroupDetailList", "GroupName", "GroupPolicyList", "group", IdentityKind::InlineGroup},
        {"RoleDetailList", "RoleName", "RolePolicyList", "role", IdentityKind::InlineRole}};
    // Who receives what: the members of each group, the principals each managed policy is attached to.
    std::map<std::string, std::vector<std::string>, std::less<>> members, attached;
    for (const Kind3& k : kKinds) {
      const Value* list = root.find(k.list);
      if (!list || !list->is(Kind::Array)) continue;
      for (const Value& principal : list->items) {
        std::string who = fmt::format("{}/{}", k.prefix, text_of(principal, k.name_key));
        if (const Value* groups = principal.find("GroupList"); groups && groups->is(Kind::Array)) {
          for (const Value& g : groups->items) {
            if (g.is(Kind::String)) members["group/" + g.text].push_back(who);
          }
        }
        if (const Value* policies = principal.find("AttachedManagedPolicies");
            policies && policies->is(Kind::Array)) {
          for (const Value& p : policies->items) {
            if (const Value* arn = p.find("PolicyArn"); arn && arn->is(Kind::String))
              attached[arn->text].push_back(who);
          }
        }
      }
    }
    // A principal and, for a group, its members.
    auto with_members = [&](std::vector<std::string> principals) {
      std::vector<std::string> all;
      for (std::string& p : principals) {
        if (auto m = members.find(p); m != members.end())
          all.insert(all.end(), m->second.begin(), m->second.end());
        all.push_back(std::move(p));
      }
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      return all;
    };
    for (const Kind3& k : kKinds) {
      const Value* list = root.find(k.list);
      if (!list || !list->is(Kind::Array)) continue;
      for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Value& principal = list->items[i];
        std::string pointer = fmt::format("/{}/{}", k.list, i);
        std::string who = fmt::format("{}/{}", k.prefix, text_of(principal, k.name_key));
        if (const Value* inline_list = principal.find(k.inline_list);
            inline_list && inline_list->is(Kind::Array)) {
          for (std::size_t j = 0; j < inline_list->items.size(); ++j) {
            const Value& entry = inline_list->items[j];
            if (const Value* doc = entry.find("PolicyDocument")) {
              document(*doc, fmt::format("{}/{}/{}/PolicyDocument", pointer, k.inline_list, j),
                       fmt::format("{} inline policy {}", who, text_of(entry, "PolicyName")),
                       PolicyType::Identity, k.inline_kind);
              pending.back().receivers = with_members({who});
            }
          }
        }
        if (const Value* trust = principal.find("AssumeRolePolicyDocument")) {
          document(*trust, json::child_pointer(pointer, "AssumeRolePolicyDocument"), who + " trust policy",
                   PolicyType::Trust);
          pending.back().receivers = {who};
          std::string role_arn = text_of(principal, "Arn");
          if (auto arn = split_arn(role_arn)) pending.back().own_account = std::string(arn->account);
        }
        attachments(principal, pointer, who);
      }
    }
    if (const Value* list = root.find("Policies"); list && list->is(Kind::Array)) {
      for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Value& p = list->items[i];
        const Value* versions = p.find("PolicyVersionList");
        if (!versions || !versions->is(Kind::Array)) continue;
        for (std::size_t v = 0; v < versions->items.size(); ++v) {
          const Value& version = versions->items[v];
          const Value* is_default = version.find("IsDefaultVersion");
          const Value* doc = version.find("Document");
          if (!doc || !is_default || !is_default->is(Kind::Boolean) || !is_default->boolean) continue;
          document(*doc, fmt::format("/Policies/{}/PolicyVersionList/{}/Document", i, v),
                   "policy/" + text_of(p, "PolicyName"), PolicyType::Identity, IdentityKind::Managed);
          std::string policy_arn = text_of(p, "Arn");
          if (auto arn = split_arn(policy_arn))
            pending.back().aws_managed = arn->service == "iam" && arn->account == "aws";
          if (auto a = attached.find(policy_arn); a != attached.end())
            pending.back().receivers = with_members(a->second);
        }
      }
    }
  }

  // A Terraform resource of a plan (`terraform show -json`): its policy attributes and attachments.
  void terraform_resource(const Value& resource, const std::string& pointer) {
    std::string type = text_of(resource, "type");
    std::string address = text_of(resource, "address");
    const Value* values = resource.find("values");
    std::string values_pointer = pointer + "/values";
    const Value* after_unknown = nullptr;  // resource_changes[]: the attributes known only after apply
    if (!values) {  // resource_changes[]: change.after
      const Value* change = resource.find("change");
      values = change ? change->find("after") : nullptr;
      after_unknown = change ? change->find("after_unknown") : nullptr;
      values_pointer = pointer + "/change/after";
    }
    if (!values || !values->is(Kind::Object)) return;
    for (const TerraformPolicy& a : kTerraformPolicies) {
      if (type != a.resource_type) continue;
      // In planned values, what is known only after apply is left out; the resource's change marks it.
      if (!after_unknown && plan) after_unknown = change_of(address, "after_unknown");
      std::string name =
          a.type == PolicyType::Trust ? address + " (" + std::string(a.attribute) + ")" : address;
      const Value* doc = values->find(a.attribute);
      if (doc && doc->is(Kind::String) && !doc->text.empty()) {
        document(*doc, json::child_pointer(values_pointer, a.attribute), std::move(name), a.type, a.kind);
        continue;
      }
      const Value* later = after_unknown ? after_unknown->find(a.attribute) : nullptr;
      bool unknown =
          (later && later->is(Kind::Boolean) && later->boolean) || (!after_unknown && !doc && a.required);
      if (!unknown) continue;
      std::string why;
      if (auto planned = plan ? planned_policy_document(*plan, address, a.attribute, why) : std::nullopt) {
        synthesized.push_back(std::make_unique<Value>(std::move(planned->document)));
        document(*synthesized.back(), planned->pointer,
                 fmt::format("{} (as {} plans it)", name, planned->source), a.type, a.kind);
        continue;
      }
      out.unread.push_back(
          {resource.span, json::child_pointer(values_pointer, a.attribute), address,
           fmt::format("its {} is known only after apply{}; run the check on a plan made once the values it "
                       "depends on exist, or on the configuration's rendered policy",
                       a.attribute, why.empty() ? "" : " (" + why + ")")});
    }
    if (type == "aws_lambda_permission") {
      static constexpr LambdaPermissionKeys kKeys = {
          "action",         "principal",        "function_name",         "source_arn",
          "source_account", "principal_org_id", "function_url_auth_type"};
      auto copy = [](const Value& v) { return v; };
      if (auto doc = lambda_permission_document(*values, kKeys, copy)) {
        synthesized.push_back(std::make_unique<Value>(std::move(*doc)));
        document(*synthesized.back(), values_pointer,
                 address + " (a statement of the function's resource policy)", PolicyType::Resource);
      }
    }
    if (type == "aws_organizations_policy") {
      // Service and resource control policies are IAM policy documents; tag and backup policies are not.
      std::string kind = text_of(*values, "type");
      const Value* doc = values->find("content");
      if (doc && doc->is(Kind::String) &&
          (kind == "SERVICE_CONTROL_POLICY" || kind == "RESOURCE_CONTROL_POLICY")) {
        document(*doc, json::child_pointer(values_pointer, "content"), address,
                 kind == "SERVICE_CONTROL_POLICY" ? PolicyType::Scp : PolicyType::Resource);
      }
    }
    if (type == "aws_iam_role") {
      if (const Value* inline_policies = values->find("inline_policy");
          inline_policies && inline_policies->is(Kind::Array)) {
        for (std::size_t i = 0; i < inline_policies->items.size(); ++i) {
          const Value* doc = inline_policies->items[i].find("policy");
          if (doc && doc->is(Kind::String) && !doc->text.empty()) {
            document(*doc, fmt::format("{}/inline_policy/{}/policy", values_pointer, i),
                     fmt::format("{} inline policy {}", address, text_of(inline_policies->items[i], "name")),
                     PolicyType::Identity, IdentityKind::InlineRole);
          }
        }
      }
    }
    if (type.ends_with("_policy_attachment")) {
      const Value* arn = values->find("policy_arn");
      if (!arn || !arn->is(Kind::String)) return;
      add_attachments(address, {{arn->text, arn->span, json::child_pointer(values_pointer, "policy_arn")}},
                      out);
    }
  }

  void terraform_module(const Value& module, const std::string& pointer) {
    if (const Value* resources = module.find("resources"); resources && resources->is(Kind::Array)) {
      for (std::size_t i = 0; i < resources->items.size(); ++i) {
        terraform_resource(resources->items[i], fmt::format("{}/resources/{}", pointer, i));
      }
    }
    if (const Value* children = module.find("child_modules"); children && children->is(Kind::Array)) {
      for (std::size_t i = 0; i < children->items.size(); ++i) {
        terraform_module(children->items[i], fmt::format("{}/child_modules/{}", pointer, i));
      }
    }
  }
};

}  // namespace

json::Value string_value(std::string text, Span span) {
  json::Value v;
  v.kind = json::Kind::String;
  v.text = std::move(text);
  v.span = span;
  return v;
}

json::Value member_object(std::vector<json::Member> members, Span span) {
  json::Value v;
  v.kind = json::Kind::Object;
  v.members = std::move(members);
  v.span = span;
  return v;
}

json::Value one_statement_document(json::Value statement, Span at) {
  json::Value list;
  list.kind = json::Kind::Array;
  list.span = at;
  list.items.push_back(std::move(statement));
  return member_object({{"Version", at, string_value("2012-10-17", at)}, {"Statement", at, std::move(list)}},
                       at);
}

std::optional<json::Value> lambda_permission_document(
    const json::Value& properties, const LambdaPermissionKeys& keys,
    const std::function<json::Value(const json::Value&)>& resolve) {
  using json::Kind;
  using json::Value;
  // A property that is there: a plan writes null for those not set.
  auto find = [&](std::string_view key) {
    const Value* v = properties.find(key);
    return v && !v->is(Kind::Null) ? v : nullptr;
  };
  const Value* action = find(keys.action);
  const Value* principal = find(keys.principal);
  const Value* function = find(keys.function);
  if (!action || !principal || !function) return std::nullopt;
  Value who = resolve(*principal);
  Value principal_element;
  if (who.is(Kind::String) && !who.unknown && who.text != "*") {
    // A service ("s3.amazonaws.com"), or an account or role.
    bool service = who.text.find(".amazonaws.com") != std::string::npos;
    principal_element = member_object({{service ? "Service" : "AWS", who.span, who}}, who.span);
  } else {
    principal_element = who;
  }
  // A function named without its ARN: the ARN is not known here.
  Value resource = resolve(*function);
  if (resource.is(Kind::String) && !resource.unknown && !resource.text.starts_with("arn:"))
    resource.unknown = true;
  std::vector<json::Member> statement = {
      {"Effect", properties.span, string_value("Allow", properties.span)},
      {"Principal", principal->span, std::move(principal_element)},
      {"Action", action->span, resolve(*action)},
      {"Resource", function->span, std::move(resource)},
  };
  struct Guard {
    std::string_view property, op, key;
  };
  std::vector<json::Member> conditions;
  for (const Guard& g : {Guard{keys.source_arn, "ArnLike", "aws:SourceArn"},
                         Guard{keys.source_account, "StringEquals", "aws:SourceAccount"},
                         Guard{keys.org_id, "StringEquals", "aws:PrincipalOrgID"},
                         Guard{keys.url_auth, "StringEquals", "lambda:FunctionUrlAuthType"}}) {
    const Value* v = find(g.property);
    if (!v) continue;
    json::Member key{std::string(g.key), v->span, resolve(*v)};
    auto block = std::find_if(conditions.begin(), conditions.end(),
                              [&](const json::Member& m) { return m.key == g.op; });
    if (block == conditions.end()) {
      conditions.push_back({std::string(g.op), v->span, member_object({std::move(key)}, v->span)});
    } else {
      block->value.members.push_back(std::move(key));
    }
  }
  if (!conditions.empty())
    statement.push_back(
        {"Condition", properties.span, member_object(std::move(conditions), properties.span)});
  return one_statement_document(member_object(std::move(statement), properties.span), properties.span);
}

std::vector<ReadPolicy> terraform_policies() {
  std::vector<ReadPolicy> out = {
      {"aws_iam_role", "inline_policy[].policy", PolicyType::Identity},
      {"aws_organizations_policy", "content", PolicyType::Scp},
      {"aws_lambda_permission", "(the statement it adds)", PolicyType::Resource},
  };
  for (const TerraformPolicy& p : kTerraformPolicies) out.push_back({p.resource_type, p.attribute, p.type});
  return out;
}

void add_document(const json::Value& v, std::string_view text, const std::string& pointer, std::string name,
                  PolicyType type, IdentityKind kind, ParsedFile& out) {
  if (auto policy = document_policy(v, text, pointer, std::move(name), type, kind))
    out.policies.push_back(std::move(*policy));
}

std::optional<Policy> document_policy(const json::Value& v, std::string_view text, const std::string& pointer,
                                      std::string name, PolicyType type, IdentityKind kind) {
  Policy policy;
  if (v.is(Kind::Object)) {
    policy = normalize_policy(v, text, pointer, std::move(name));
  } else if (v.is(Kind::String) && !v.unknown) {
    std::string decoded = url_decode(v.text);
    json::Document doc = json::parse(decoded);
    if (doc.error) {
      policy.name = std::move(name);
      policy.defects.push_back({DefectKind::InvalidJson,
                                v.span,
                                pointer,
                                fmt::format("the file is not valid JSON: in the policy string at {}: {}",
                                            pointer, doc.error->message),
                                {},
                                {}});
    } else {
      policy = normalize_policy(doc.root, decoded, "", std::move(name));
    }
    policy.anchor = v.span;
  } else {
    return std::nullopt;  // not a document: nothing to check
  }
  policy.type = type;
  policy.type_declared = true;
  policy.identity_kind = kind;
  return policy;
}

void add_attachments(std::string name, std::vector<Text> arns, ParsedFile& out) {
  if (arns.empty()) return;
  Policy record;
  record.name = std::move(name);
  record.attachments_only = true;
  record.type_declared = true;
  record.attachments = std::move(arns);
  out.policies.push_back(std::move(record));
}

bool read_containers(json::Value& root, std::string_view text, std::string_view name,
                     const Deployment& deployment, ParsedFile& out, unsigned jobs) {
  if (!root.is(json::Kind::Object)) return false;
  Reader r{text, out, {}, {}, nullptr, {}};
  std::size_t before = out.policies.size();
  bool known = false;
  if (const Value* version = root.find("PolicyVersion"); version && version->is(Kind::Object)) {
    if (const Value* doc = version->find("Document")) {
      known = true;
      r.document(*doc, "/PolicyVersion/Document", fmt::format("{} (PolicyVersion)", name),
                 PolicyType::Identity, IdentityKind::Managed);
    }
  }
  if (const Value* policy = root.find("Policy");
      policy && policy->is(Kind::String) && root.members.size() == 1) {
    known = true;  // aws s3api get-bucket-policy
    r.document(*policy, "/Policy", fmt::format("{} (bucket policy)", name), PolicyType::Bucket);
  }
  if (const Value* policy = root.find("Policy"), *policy_name = root.find("PolicyName");
      policy && policy->is(Kind::String) && policy_name && policy_name->is(Kind::String) &&
      root.members.size() == 2) {
    known = true;  // aws kms get-key-policy
    r.document(*policy, "/Policy", fmt::format("{} (key policy {})", name, policy_name->text),
               PolicyType::Resource);
  }
  if (const Value* endpoints = root.find("VpcEndpoints"); endpoints && endpoints->is(Kind::Array)) {
    known = true;
    for (std::size_t i = 0; i < endpoints->items.size(); ++i) {
      const Value& e = endpoints->items[i];
      if (const Value* doc = e.find("PolicyDocument")) {
        r.document(*doc, fmt::format("/VpcEndpoints/{}/PolicyDocument", i),
                   fmt::format("{} ({})", name, Reader::text_of(e, "VpcEndpointId")), PolicyType::Endpoint);
      }
    }
  }
  if (root.find("format_version") && (root.find("planned_values") || root.find("resource_changes"))) {
    known = true;  // terraform show -json: planned values hold every resource; changes are the fallback
    r.plan = &root;
    const Value* planned = root.find("planned_values");
    const Value* module = planned ? planned->find("root_module") : nullptr;
    if (module) {
      r.terraform_module(*module, "/planned_values/root_module");
    } else if (const Value* changes = root.find("resource_changes"); changes && changes->is(Kind::Array)) {
      for (std::size_t i = 0; i < changes->items.size(); ++i) {
        r.terraform_resource(changes->items[i], fmt::format("/resource_changes/{}", i));
      }
    }
  }
  if (is_cloudformation(root)) {
    known = true;
    read_cloudformation(root, text, deployment, out);
  }
  bool dump = false;
  for (std::string_view list : {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"}) {
    if (const Value* v = root.find(list); v && v->is(Kind::Array)) dump = true;
  }
  if (dump) {
    known = true;
    r.authorization_details(root);
  }
  r.normalize_pending(jobs);
  return known || out.policies.size() > before;
}

}  // namespace scopecop
