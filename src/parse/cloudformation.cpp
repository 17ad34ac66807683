// Policies in CloudFormation templates (JSON, or YAML read into the same tree), with the intrinsic functions
// in them resolved where the template determines their value.
#include <algorithm>
#include <map>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/catalog_data.h"
#include "parse/containers.h"
#include "scopecop/arn.h"
#include "scopecop/text.h"

namespace scopecop {

namespace {

using json::Kind;
using json::Value;

const Value* path(const Value* v, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (!v || !v->is(Kind::Object)) return nullptr;
    v = v->find(key);
  }
  return v;
}

// The one intrinsic function an object stands for ({"Ref": x}, {"Fn::Sub": x}), or nullptr.
const json::Member* intrinsic(const Value& v) {
  if (!v.is(Kind::Object) || v.members.size() != 1) return nullptr;
  const json::Member& m = v.members.front();
  return m.key == "Ref" || m.key.starts_with("Fn::") ? &m : nullptr;
}

// {"Ref": "AWS::NoValue"}: the element it stands in goes.
bool is_no_value(const Value& v) {
  const json::Member* fn = intrinsic(v);
  return fn && fn->key == "Ref" && fn->value.text == "AWS::NoValue";
}

// Where the stack's account or region is not known but any would do (the scope does not limit them), they
// stand in the resolved text as these markers until the ARN they are in is read.
constexpr std::string_view kAnyAccount =
    "\x1F"
    "account"
    "\x1F";
constexpr std::string_view kAnyRegion =
    "\x1F"
    "region"
    "\x1F";

bool has_marker(std::string_view s) {
  return s.find('\x1F') != std::string_view::npos;
}

// In a Resource ARN, a marker that is the whole region or account field becomes "*"; the value is known when
// no marker is left.
std::optional<std::string> settle(std::string s, bool resource) {
  if (!has_marker(s)) return s;
  std::optional<ArnParts> parts = resource ? split_arn(s) : std::nullopt;
  if (!parts) return std::nullopt;
  std::string out = fmt::format("arn:{}:{}:{}:{}:{}", parts->partition, parts->service,
                                parts->region == kAnyRegion ? "*" : parts->region,
                                parts->account == kAnyAccount ? "*" : parts->account, parts->resource);
  if (has_marker(out)) return std::nullopt;
  return out;
}

class Template {
 public:
  Template(const Value& root, const Deployment& deployment) : root_(root), deployment_(deployment) {}

  // A copy of `v` with every intrinsic function replaced by the string it yields, or by a string marked
  // unknown when the template does not determine it. Returns false for AWS::NoValue (the element goes).
  bool resolve(const Value& v, Value& out, bool resource = false, std::size_t depth = 0) const {
    if (const json::Member* fn = intrinsic(v)) {
      if (is_no_value(v)) return false;
      out.kind = Kind::String;
      out.span = v.span;
      std::optional<std::string> s = string(v, depth);
      if (s) s = settle(std::move(*s), resource);
      if (s) {
        out.text = std::move(*s);
      } else {
        out.text = fmt::format("{{{}}}", fn->key);
        out.unknown = true;
      }
      return true;
    }
    out.kind = v.kind;
    out.boolean = v.boolean;
    out.text = v.text;
    out.span = v.span;
    out.unknown = v.unknown;
    for (const Value& item : v.items) {
      Value resolved;
      if (resolve(item, resolved, resource, depth + 1)) out.items.push_back(std::move(resolved));
    }
    for (const json::Member& m : v.members) {
      json::Member resolved{m.key, m.key_span, {}};
      if (m.key == "Statement") {
        resolve_statements(m.value, resolved.value, depth + 1);
        out.members.push_back(std::move(resolved));
        continue;
      }
      bool arns = m.key == "Resource" || m.key == "NotResource";
      if (resolve(m.value, resolved.value, arns, depth + 1)) out.members.push_back(std::move(resolved));
    }
    return true;
  }

  // The template's conditions a statement exists under, each with the branch taken (true: it holds).
  using Conditions = std::vector<std::pair<std::string, bool>>;

  // A policy's Statement, with each statement that exists only under a condition (an Fn::If around it or
  // around one of its elements) taken once per branch that can deploy, marked with the condition.
  void resolve_statements(const Value& v, Value& out, std::size_t depth) const {
    out.span = v.span;
    if (!v.is(Kind::Array) && !v.is(Kind::Object)) {
      resolve(v, out, false, depth);
      return;
    }
    out.kind = Kind::Array;
    if (v.is(Kind::Array)) {
      for (const Value& item : v.items) add_statement(item, conditions_, out, depth);
    } else {
      add_statement(v, conditions_, out, depth);
      // A lone statement stays one, as written.
      if (out.items.size() == 1 && out.items.front().deploy_condition.empty()) out = Value(out.items.front());
    }
  }

  // Resolving the document of a resource that has a Condition: only branches consistent with it deploy.
  void set_resource_condition(const Value* condition) {
    conditions_.clear();
    if (condition && condition->is(Kind::String)) conditions_.emplace_back(condition->text, true);
  }

 private:
  static std::string describe(const Conditions& conditions) {
    std::string out;
    for (const auto& [name, holds] : conditions) {
      if (!out.empty()) out += " and ";
      out += fmt::format("condition {} {}", name, holds ? "holds" : "does not hold");
    }
    return out;
  }

  void add_statement(const Value& v, const Conditions& conditions, Value& out, std::size_t depth) const {
    if (depth > 64) return;
    // Calls take(branch, conditions with this branch's) for each branch of an Fn::If that can hold.
    auto branches = [&](const Value& fn_value, auto&& take) {
      const json::Member* fn = intrinsic(fn_value);
      if (!fn || fn->key != "Fn::If" || !fn->value.is(Kind::Array) || fn->value.items.size() != 3)
        return false;
      const Value& args = fn->value;
      std::string name = args.items[0].is(Kind::String) ? args.items[0].text : "?";
      for (bool holds : {true, false}) {
        auto decided = std::find_if(conditions.begin(), conditions.end(),
                                    [&](const auto& c) { return c.first == name; });
        if (decided != conditions.end() && decided->second != holds) continue;  // cannot deploy
        Conditions with = conditions;
        if (decided == conditions.end()) with.emplace_back(name, holds);
        take(args.items[holds ? 1 : 2], with);
      }
      return true;
    };
    // Each Fn::If doubles the statements; past a bound, the rest are judged with their Fn::If unknown.
    bool expand = out.items.size() < kMaxVariants;
    // An Fn::If around the statement: each branch that is one.
    if (expand && branches(v, [&](const Value& branch, const Conditions& with) {
          if (!is_no_value(branch)) add_statement(branch, with, out, depth + 1);
        }))
      return;
    // An Fn::If around one of its elements: the statement with each branch's element.
    if (expand && v.is(Kind::Object)) {
      for (std::size_t i = 0; i < v.members.size(); ++i) {
        if (branches(v.members[i].value, [&](const Value& branch, const Conditions& with) {
              Value variant = v;
              if (is_no_value(branch)) {
                variant.members.erase(variant.members.begin() + static_cast<std::ptrdiff_t>(i));
              } else {
                variant.members[i].value = branch;
              }
              add_statement(variant, with, out, depth + 1);
            }))
          return;
      }
    }
    Value resolved;
    if (!resolve(v, resolved, false, depth)) return;
    // The resource's own condition is said once, for the whole policy.
    Conditions own(conditions.begin() + static_cast<std::ptrdiff_t>(conditions_.size()), conditions.end());
    resolved.deploy_condition = describe(own);
    out.items.push_back(std::move(resolved));
  }

 public:
  // The string `v` yields when the template determines it entirely.
  std::optional<std::string> known(const Value& v) const {
    std::optional<std::string> s = string(v);
    return s && !has_marker(*s) ? s : std::nullopt;
  }

  // The string `v` yields, when the template determines it.
  std::optional<std::string> string(const Value& v, std::size_t depth = 0) const {
    if (depth > 64) return std::nullopt;  // a template that refers to itself in a circle
    // Names that refer to names that refer to ... can make a small template a huge amount of work: past a
    // bound, values are unknown.
    if (steps_ == 0) return std::nullopt;
    --steps_;
    if (v.is(Kind::String) || v.is(Kind::Number)) return v.text;
    if (v.is(Kind::Boolean)) return v.boolean ? "true" : "false";
    const json::Member* fn = intrinsic(v);
    if (!fn) return std::nullopt;
    const Value& arg = fn->value;
    if (fn->key == "Ref" && arg.is(Kind::String)) return ref(arg.text, depth + 1);
    if (fn->key == "Fn::GetAtt") {
      if (arg.is(Kind::String)) {
        std::size_t dot = arg.text.find('.');
        if (dot == std::string::npos) return std::nullopt;
        return get_att(arg.text.substr(0, dot), arg.text.substr(dot + 1), depth + 1);
      }
      if (arg.is(Kind::Array) && arg.items.size() == 2) {
        auto name = string(arg.items[0], depth + 1);
        auto attribute = string(arg.items[1], depth + 1);
        if (name && attribute) return get_att(*name, *attribute, depth + 1);
      }
      return std::nullopt;
    }
    if (fn->key == "Fn::Sub") {
      if (arg.is(Kind::String)) return sub(arg.text, nullptr, depth + 1);
      if (arg.is(Kind::Array) && arg.items.size() == 2 && arg.items[0].is(Kind::String)) {
        return sub(arg.items[0].text, &arg.items[1], depth + 1);
      }
      return std::nullopt;
    }
    if (fn->key == "Fn::Join" && arg.is(Kind::Array) && arg.items.size() == 2 &&
        arg.items[1].is(Kind::Array)) {
      auto delimiter = string(arg.items[0], depth + 1);
      if (!delimiter) return std::nullopt;
      std::string joined;
      for (std::size_t i = 0; i < arg.items[1].items.size(); ++i) {
        auto part = string(arg.items[1].items[i], depth + 1);
        if (!part) return std::nullopt;
        if (i) joined += *delimiter;
        joined += *part;
      }
      return joined;
    }
    if (fn->key == "Fn::FindInMap" && arg.is(Kind::Array) && arg.items.size() == 3) {
      const Value* at = path(&root_, {"Mappings"});
      for (const Value& key : arg.items) {
        auto k = string(key, depth + 1);
        if (!k) return std::nullopt;
        at = path(at, {*k});
      }
      return at ? string(*at, depth + 1) : std::nullopt;
    }
    if (fn->key == "Fn::If" && arg.is(Kind::Array) && arg.items.size() == 3) {
      // Which branch holds depends on the stack's parameters; the value is known when both agree.
      auto yes = string(arg.items[1], depth + 1);
      auto no = string(arg.items[2], depth + 1);
      if (yes && no && *yes == *no) return yes;
    }
    return std::nullopt;
  }

 private:
  std::optional<std::string> ref(const std::string& name, std::size_t depth) const {
    if (name == "AWS::Partition") return deployment_.partition;
    if (name == "AWS::URLSuffix")
      return deployment_.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
    if (name == "AWS::AccountId") {
      if (deployment_.account) return deployment_.account;
      return deployment_.any_account ? std::optional<std::string>(kAnyAccount) : std::nullopt;
    }
    if (name == "AWS::Region") {
      if (deployment_.region) return deployment_.region;
      return deployment_.any_region ? std::optional<std::string>(kAnyRegion) : std::nullopt;
    }
    if (const Value* parameter = path(&root_, {"Parameters", name})) {
      // A parameter is set when the stack is deployed (its Default is only a default): fixed only when it
      // allows one value.
      const Value* allowed = parameter->find("AllowedValues");
      if (allowed && allowed->is(Kind::Array) && allowed->items.size() == 1)
        return string(allowed->items[0], depth);
      return std::nullopt;
    }
    const Value* resource = path(&root_, {"Resources", name});
    if (!resource) return std::nullopt;
    const Value* type = resource->find("Type");
    if (!type || !type->is(Kind::String)) return std::nullopt;
    // What Ref returns for the resources policies name: their names, when the template sets them.
    static const std::map<std::string_view, std::vector<std::string_view>, std::less<>> kNames = {
        {"AWS::S3::Bucket", {"BucketName"}},
        {"AWS::Athena::WorkGroup", {"Name"}},
        {"AWS::Athena::DataCatalog", {"Name"}},
        {"AWS::Glue::Database", {"DatabaseInput", "Name"}},
        {"AWS::Glue::Table", {"TableInput", "Name"}},
        {"AWS::IAM::Role", {"RoleName"}},
        {"AWS::IAM::User", {"UserName"}},
        {"AWS::IAM::Group", {"GroupName"}},
    };
    auto it = kNames.find(type->text);
    if (it == kNames.end()) return std::nullopt;
    const Value* properties = resource->find("Properties");
    const Value* value = properties;
    for (std::string_view key : it->second) value = path(value, {key});
    return value ? string(*value, depth) : std::nullopt;
  }

  std::optional<std::string> get_att(const std::string& name, const std::string& attribute,
                                     std::size_t depth) const {
    const Value* type = path(&root_, {"Resources", name, "Type"});
    if (!type || !type->is(Kind::String) || attribute != "Arn") return std::nullopt;
    auto named = ref(name, depth);
    if (!named) return std::nullopt;
    if (type->text == "AWS::S3::Bucket") return fmt::format("arn:{}:s3:::{}", deployment_.partition, *named);
    auto account = ref("AWS::AccountId", depth);
    if (!account) return std::nullopt;
    std::string iam_path = "/";
    if (const Value* p = path(&root_, {"Resources", name, "Properties", "Path"})) {
      iam_path = string(*p, depth).value_or("/");
    }
    if (type->text == "AWS::IAM::Role" || type->text == "AWS::IAM::User" || type->text == "AWS::IAM::Group") {
      std::string kind = to_lower(std::string_view(type->text).substr(10));  // role, user, group
      return fmt::format("arn:{}:iam::{}:{}{}{}", deployment_.partition, *account, kind, iam_path, *named);
    }
    return std::nullopt;
  }

  // ${Name}, ${Resource.Attribute} and ${!Literal} in a Fn::Sub template.
  std::optional<std::string> sub(std::string_view s, const Value* variables, std::size_t depth) const {
    std::string out;
    std::size_t at = 0;
    while (true) {
      std::size_t open = s.find("${", at);
      if (open == std::string_view::npos) break;
      std::size_t close = s.find('}', open);
      if (close == std::string_view::npos) break;
      out += s.substr(at, open - at);
      std::string name(s.substr(open + 2, close - open - 2));
      at = close + 1;
      if (name.starts_with("!")) {
        out += "${";
        out += name.substr(1);
        out += '}';
        continue;
      }
      std::optional<std::string> value;
      if (const Value* given = variables && variables->is(Kind::Object) ? variables->find(name) : nullptr) {
        value = string(*given, depth);
      } else if (std::size_t dot = name.find('.'); dot != std::string::npos) {
        value = get_att(name.substr(0, dot), name.substr(dot + 1), depth);
      } else {
        value = ref(name, depth);
      }
      if (!value) return std::nullopt;
      out += *value;
    }
    out += s.substr(at);
    return out;
  }

  static constexpr std::size_t kMaxVariants = 1024;  // statements of one policy made from Fn::If branches

  const Value& root_;
  const Deployment& deployment_;
  Conditions conditions_;                // the resource's, while its document is resolved
  mutable std::size_t steps_ = 1 << 20;  // of string(), for the whole template
};

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

// The document as CloudFormation hands it to IAM: compact JSON, whose size is what the quotas measure.
void append_compact(std::string& out, const Value& v) {
  switch (v.kind) {
    case Kind::Null:
      out += "null";
      return;
    case Kind::Boolean:
      out += v.boolean ? "true" : "false";
      return;
    case Kind::Number:
      out += v.text;
      return;
    case Kind::String:
      append_quoted(out, v.text);
      return;
    case Kind::Array:
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        append_compact(out, v.items[i]);
      }
      out += ']';
      return;
    case Kind::Object:
      out += '{';
      for (std::size_t i = 0; i < v.members.size(); ++i) {
        if (i) out += ',';
        append_quoted(out, v.members[i].key);
        out += ':';
        append_compact(out, v.members[i].value);
      }
      out += '}';
      return;
  }
}

}  // namespace

bool is_cloudformation(const json::Value& root) {
  const Value* resources = root.find("Resources");
  if (!resources || !resources->is(Kind::Object)) return false;
  for (const json::Member& m : resources->members) {
    const Value* type = m.value.find("Type");
    if (type && type->is(Kind::String) && type->text.starts_with("AWS::")) return true;
  }
  return false;
}

namespace {

// The resource types whose properties hold a policy document, and what kind of policy it is.
struct PolicyProperty {
  std::string_view resource_type, property;
  PolicyType type;
  IdentityKind kind = IdentityKind::Unknown;
};

constexpr PolicyProperty kPolicyProperties[] = {
    {"AWS::IAM::ManagedPolicy", "PolicyDocument", PolicyType::Identity, IdentityKind::Managed},
    {"AWS::IAM::RolePolicy", "PolicyDocument", PolicyType::Identity, IdentityKind::InlineRole},
    {"AWS::IAM::UserPolicy", "PolicyDocument", PolicyType::Identity, IdentityKind::InlineUser},
    {"AWS::IAM::GroupPolicy", "PolicyDocument", PolicyType::Identity, IdentityKind::InlineGroup},
    {"AWS::SSO::PermissionSet", "InlinePolicy", PolicyType::Identity},
    {"AWS::S3::BucketPolicy", "PolicyDocument", PolicyType::Bucket},
    {"AWS::EC2::VPCEndpoint", "PolicyDocument", PolicyType::Endpoint},
    {"AWS::Glue::ResourcePolicy", "PolicyInJson", PolicyType::Resource},
    {"AWS::KMS::Key", "KeyPolicy", PolicyType::Resource},
    {"AWS::KMS::ReplicaKey", "KeyPolicy", PolicyType::Resource},
    {"AWS::S3::AccessPoint", "Policy", PolicyType::Resource},
    {"AWS::S3::MultiRegionAccessPointPolicy", "Policy", PolicyType::Resource},
    {"AWS::S3Express::BucketPolicy", "PolicyDocument", PolicyType::Resource},
    {"AWS::S3Express::AccessPoint", "Policy", PolicyType::Resource},
    {"AWS::S3Tables::TableBucketPolicy", "ResourcePolicy", PolicyType::Resource},
    {"AWS::SQS::QueuePolicy", "PolicyDocument", PolicyType::Resource},
    {"AWS::SNS::TopicPolicy", "PolicyDocument", PolicyType::Resource},
    {"AWS::Logs::ResourcePolicy", "PolicyDocument", PolicyType::Resource},
    {"AWS::Logs::Destination", "DestinationPolicy", PolicyType::Resource},
    {"AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", PolicyType::Resource},
    {"AWS::ECR::Repository", "RepositoryPolicyText", PolicyType::Resource},
    {"AWS::ECR::RegistryPolicy", "PolicyText", PolicyType::Resource},
    {"AWS::OpenSearchService::Domain", "AccessPolicies", PolicyType::Resource},
    {"AWS::Elasticsearch::Domain", "AccessPolicies", PolicyType::Resource},
    {"AWS::EFS::FileSystem", "FileSystemPolicy", PolicyType::Resource},
    {"AWS::Backup::BackupVault", "AccessPolicy", PolicyType::Resource},
    {"AWS::ApiGateway::RestApi", "Policy", PolicyType::Resource},
    {"AWS::Events::EventBus", "Policy", PolicyType::Resource},
    {"AWS::CodeArtifact::Domain", "PermissionsPolicyDocument", PolicyType::Resource},
    {"AWS::CodeArtifact::Repository", "PermissionsPolicyDocument", PolicyType::Resource},
};

// Resource types whose policy documents are not IAM's (the types read above never reach the check).
constexpr std::string_view kNotIamPolicies[] = {"AWS::IoT::Policy"};

// AWS SAM's policy templates (rules/sam/policy_templates.json), parsed once.
const Value& sam_templates() {
  static const json::Document doc = json::parse(catalog_data::kSamPolicyTemplates);
  static const Value none;
  const Value* templates = doc.error ? nullptr : doc.root.find("Templates");
  return templates ? *templates : none;
}

// A SAM policy template's definition with its parameters' Refs replaced by the values the entry gives, as a
// policy document; its own values stand where the entry that names the template does.
Value instantiate(const Value& v, const Value& given, Span at) {
  if (const json::Member* fn = intrinsic(v); fn && fn->key == "Ref" && fn->value.is(Kind::String)) {
    if (const Value* value = given.is(Kind::Object) ? given.find(fn->value.text) : nullptr) return *value;
  }
  Value out;
  out.kind = v.kind;
  out.boolean = v.boolean;
  out.text = v.text;
  out.span = at;
  for (const Value& item : v.items) out.items.push_back(instantiate(item, given, at));
  for (const json::Member& m : v.members) out.members.push_back({m.key, at, instantiate(m.value, given, at)});
  return out;
}

// Where a value that looks like a policy document (an object with a Statement, or JSON text with one) sits
// in a resource's properties, for the resource types scopecop does not read.
void find_policy_shaped(const Value& v, const std::string& pointer,
                        std::vector<std::pair<const Value*, std::string>>& out, std::size_t depth = 0) {
  if (depth > 6) return;
  // IAM's statements have an Effect (a WAF rule's Statement does not); JSON text starts with '{' (code that
  // mentions "Statement" does not).
  auto iam_statements = [](const Value& s) {
    if (s.is(Kind::Object)) return s.find("Effect") != nullptr;
    return s.is(Kind::Array) && std::any_of(s.items.begin(), s.items.end(), [](const Value& i) {
             return i.is(Kind::Object) && i.find("Effect");
           });
  };
  const Value* statement = v.is(Kind::Object) ? v.find("Statement") : nullptr;
  std::size_t first = v.is(Kind::String) ? v.text.find_first_not_of(" \t\r\n") : std::string::npos;
  if ((statement && iam_statements(*statement)) ||
      (first != std::string::npos && v.text[first] == '{' &&
       v.text.find("\"Statement\"") != std::string::npos && v.text.find("\"Effect\"") != std::string::npos)) {
    out.emplace_back(&v, pointer);
    return;
  }
  for (const json::Member& m : v.members)
    find_policy_shaped(m.value, json::child_pointer(pointer, m.key), out, depth + 1);
  for (std::size_t i = 0; i < v.items.size(); ++i)
    find_policy_shaped(v.items[i], json::child_pointer(pointer, std::to_string(i)), out, depth + 1);
}

}  // namespace

std::vector<ReadPolicy> cloudformation_policies() {
  std::vector<ReadPolicy> out = {
      {"AWS::IAM::Policy", "PolicyDocument", PolicyType::Identity},
      {"AWS::IAM::Role", "Policies[].PolicyDocument", PolicyType::Identity},
      {"AWS::IAM::User", "Policies[].PolicyDocument", PolicyType::Identity},
      {"AWS::IAM::Group", "Policies[].PolicyDocument", PolicyType::Identity},
      {"AWS::IAM::Role", "AssumeRolePolicyDocument", PolicyType::Trust},
      {"AWS::Serverless::Function", "Policies[]", PolicyType::Identity},
      {"AWS::Serverless::StateMachine", "Policies[]", PolicyType::Identity},
      {"AWS::Lambda::Permission", "(the statement it adds)", PolicyType::Resource},
      {"AWS::Events::EventBusPolicy", "Statement", PolicyType::Resource},
      {"AWS::Organizations::Policy", "Content", PolicyType::Scp},
  };
  for (const PolicyProperty& p : kPolicyProperties) out.push_back({p.resource_type, p.property, p.type});
  return out;
}

void read_cloudformation(const json::Value& root, std::string_view text, const Deployment& deployment,
                         ParsedFile& out) {
  Template tmpl(root, deployment);
  const Value* resources = root.find("Resources");
  const Value* resource_condition = nullptr;  // of the resource being read
  // Who receives the identity and trust policies read: principals by logical id (or by name, for one the
  // template does not define); then the members of groups and the principals a managed policy of the
  // template is attached to through ManagedPolicyArns.
  struct Received {
    std::size_t policy;
    std::string resource;
    std::vector<std::string> principals;
  };
  std::vector<Received> received;
  std::vector<std::string> receivers;  // of the resource being read
  std::string resource_id;
  std::unordered_map<std::string, std::vector<std::string>> members;   // group -> users
  std::unordered_map<std::string, std::vector<std::string>> attached;  // managed policy -> principals
  // The logical id a {"Ref": ...} names, when it is a resource of the template.
  auto resource_named = [&](const Value& v) -> std::optional<std::string> {
    const json::Member* fn = intrinsic(v);
    if (fn && fn->key == "Ref" && fn->value.is(Kind::String) && resources->find(fn->value.text))
      return fn->value.text;
    return std::nullopt;
  };
  auto principal = [&](const Value& v) {
    std::optional<std::string> id = resource_named(v);
    return id ? id : tmpl.known(v);
  };
  auto principals = [&](const Value* list, std::vector<std::string>& into) {
    if (!list) return;
    if (!list->is(Kind::Array)) {
      if (auto p = principal(*list)) into.push_back(std::move(*p));
      return;
    }
    for (const Value& item : list->items) {
      if (auto p = principal(item)) into.push_back(std::move(*p));
    }
  };
  auto document = [&](const Value& v, const std::string& pointer, std::string name, PolicyType type,
                      IdentityKind kind) {
    tmpl.set_resource_condition(resource_condition);
    Value resolved;
    if (v.is(Kind::Object) && !intrinsic(v)) {
      tmpl.resolve(v, resolved);
    } else if (auto s = tmpl.known(v)) {
      resolved = string_value(std::move(*s), v.span);  // a document written as JSON text
    } else {
      const json::Member* fn = intrinsic(v);
      out.unread.push_back(
          {v.span, pointer, std::move(name),
           fn ? fmt::format(
                    "its document comes from {} with values the template does not determine (the "
                    "stack's account or region, a parameter, an import or another resource's attribute)",
                    fn->key)
              : fmt::format("its document is {}, not a policy document", json::kind_name(v.kind))});
      return;
    }
    std::size_t at = out.policies.size();
    add_document(resolved, text, pointer, std::move(name), type, kind, out);
    if (out.policies.size() > at && (type == PolicyType::Identity || type == PolicyType::Trust))
      received.push_back({at, resource_id, receivers});
    if (out.policies.size() > at && resource_condition && resource_condition->is(Kind::String))
      out.policies[at].deploy_condition = fmt::format("condition {} holds", resource_condition->text);
    // Statements taken once per Fn::If branch are not all deployed at once: the size of what deploys is
    // not known, and the size quota rule stays silent.
    const Value* statements = resolved.is(Kind::Object) ? resolved.find("Statement") : nullptr;
    bool variants = statements && std::any_of(statements->items.begin(), statements->items.end(),
                                              [](const Value& st) { return !st.deploy_condition.empty(); });
    if (out.policies.size() > at && variants) {
      out.policies[at].size_with_whitespace = out.policies[at].size_without_whitespace = 0;
    } else if (out.policies.size() > at && resolved.is(Kind::Object)) {
      std::string compact;
      append_compact(compact, resolved);
      measure_document(out.policies[at], compact);
    }
  };
  for (const json::Member& resource : resources->members) {
    const Value* type_value = resource.value.find("Type");
    const Value* properties = resource.value.find("Properties");
    if (!type_value || !type_value->is(Kind::String) || !properties || !properties->is(Kind::Object))
      continue;
    const std::string& type = type_value->text;
    const std::string& id = resource.key;
    resource_condition = resource.value.find("Condition");
    std::string pointer = json::child_pointer(json::child_pointer("/Resources", id), "Properties");
    auto property = [&](std::string_view key) { return properties->find(key); };
    auto property_pointer = [&](std::string_view key) { return json::child_pointer(pointer, key); };
    resource_id = id;
    receivers.clear();
    if (type == "AWS::IAM::Role" || type == "AWS::IAM::User" || type == "AWS::IAM::Group" ||
        type == "AWS::Serverless::Function" || type == "AWS::Serverless::StateMachine") {
      receivers.push_back(id);  // SAM's: the role it makes for the function or state machine
    } else if (type == "AWS::IAM::Policy" || type == "AWS::IAM::ManagedPolicy") {
      for (std::string_view key : {"Roles", "Users", "Groups"}) principals(property(key), receivers);
    } else if (type == "AWS::IAM::RolePolicy" || type == "AWS::IAM::UserPolicy" ||
               type == "AWS::IAM::GroupPolicy") {
      for (std::string_view key : {"RoleName", "UserName", "GroupName"}) principals(property(key), receivers);
    } else if (type == "AWS::IAM::UserToGroupAddition") {
      std::vector<std::string> group, users;
      principals(property("GroupName"), group);
      principals(property("Users"), users);
      for (const std::string& g : group) members[g].insert(members[g].end(), users.begin(), users.end());
    }
    if (type == "AWS::IAM::User") {
      std::vector<std::string> groups;
      principals(property("Groups"), groups);
      for (const std::string& g : groups) members[g].push_back(id);
    }
    if (type == "AWS::IAM::Policy") {
      // An inline policy: the smallest quota of the principals it is embedded in.
      IdentityKind kind = property("Users")    ? IdentityKind::InlineUser
                          : property("Groups") ? IdentityKind::InlineGroup
                                               : IdentityKind::InlineRole;
      if (const Value* doc = property("PolicyDocument"))
        document(*doc, property_pointer("PolicyDocument"), id, PolicyType::Identity, kind);
    } else if (type == "AWS::IAM::Role" || type == "AWS::IAM::User" || type == "AWS::IAM::Group") {
      IdentityKind kind = type == "AWS::IAM::Role"   ? IdentityKind::InlineRole
                          : type == "AWS::IAM::User" ? IdentityKind::InlineUser
                                                     : IdentityKind::InlineGroup;
      if (const Value* list = property("Policies"); list && list->is(Kind::Array)) {
        for (std::size_t i = 0; i < list->items.size(); ++i) {
          const Value& entry = list->items[i];
          const Value* doc = entry.find("PolicyDocument");
          if (!doc) continue;
          const Value* policy_name = entry.find("PolicyName");
          std::string shown = policy_name ? tmpl.known(*policy_name).value_or("?") : "?";
          document(*doc, fmt::format("{}/Policies/{}/PolicyDocument", pointer, i),
                   fmt::format("{} inline policy {}", id, shown), PolicyType::Identity, kind);
        }
      }
      if (const Value* trust = property("AssumeRolePolicyDocument")) {
        document(*trust, property_pointer("AssumeRolePolicyDocument"), id + " trust policy",
                 PolicyType::Trust, IdentityKind::Unknown);
      }
      if (const Value* arns = property("ManagedPolicyArns"); arns && arns->is(Kind::Array)) {
        std::vector<Text> known;
        for (std::size_t i = 0; i < arns->items.size(); ++i) {
          if (auto policy = resource_named(arns->items[i])) attached[*policy].push_back(id);
          if (auto arn = tmpl.known(arns->items[i])) {
            known.push_back({*arn, arns->items[i].span, fmt::format("{}/ManagedPolicyArns/{}", pointer, i)});
          }
        }
        add_attachments(id, std::move(known), out);
      }
    } else if (type == "AWS::Lambda::Permission") {
      tmpl.set_resource_condition(resource_condition);
      auto resolved = [&](const Value& v) {
        Value value;
        tmpl.resolve(v, value);
        return value;
      };
      if (auto doc = lambda_permission_document(*properties, kCloudFormationPermission, resolved)) {
        document(*doc, pointer, id + " (a statement of the function's resource policy)", PolicyType::Resource,
                 IdentityKind::Unknown);
      }
    } else if (type == "AWS::Events::EventBusPolicy") {
      // One statement of the event bus's resource policy.
      if (const Value* statement = property("Statement")) {
        document(one_statement_document(*statement, statement->span), property_pointer("Statement"), id,
                 PolicyType::Resource, IdentityKind::Unknown);
      } else {
        out.unread.push_back(
            {properties->span, pointer, id,
             "the Action, Principal and Condition form of AWS::Events::EventBusPolicy is not "
             "read; write its Statement instead"});
      }
    } else if (type == "AWS::Organizations::Policy") {
      // Service and resource control policies are IAM policy documents; tag and backup policies are not.
      const Value* kind = property("Type");
      std::optional<std::string> which = kind ? tmpl.known(*kind) : std::nullopt;
      if (const Value* content = property("Content")) {
        if (!which) {
          out.unread.push_back(
              {content->span, property_pointer("Content"), id, "its Type is not determined by the template"});
        } else if (*which == "SERVICE_CONTROL_POLICY" || *which == "RESOURCE_CONTROL_POLICY") {
          document(*content, property_pointer("Content"), id,
                   *which == "SERVICE_CONTROL_POLICY" ? PolicyType::Scp : PolicyType::Resource,
                   IdentityKind::Unknown);
        }
      }
    } else if (type == "AWS::Serverless::Api") {
      // SAM builds the API's resource policy from Auth.ResourcePolicy (allow and deny lists, custom
      // statements): not read.
      const Value* auth = property("Auth");
      if (const Value* policy = auth ? auth->find("ResourcePolicy") : nullptr) {
        out.unread.push_back(
            {policy->span, json::child_pointer(property_pointer("Auth"), "ResourcePolicy"), id,
             "the resource policy AWS SAM builds from Auth.ResourcePolicy is not read; check "
             "the template `sam build` writes"});
      }
    } else if (type == "AWS::Serverless::Function" || type == "AWS::Serverless::StateMachine") {
      // Policies: managed policy names or ARNs, policy documents, and SAM's policy templates, which SAM
      // expands into the statements of the function's role.
      const Value* policies = property("Policies");
      if (!policies) continue;
      std::vector<Text> managed;
      auto entry = [&](const Value& e, const std::string& at, std::size_t i) {
        const json::Member* fn = intrinsic(e);
        if (e.is(Kind::String) || fn) {
          if (auto policy = resource_named(e)) attached[*policy].push_back(id);
          if (auto name = tmpl.known(e)) {
            managed.push_back({name->starts_with("arn:")
                                   ? *name
                                   : fmt::format("arn:{}:iam::aws:policy/{}", deployment.partition, *name),
                               e.span, at});
          }
        } else if (e.is(Kind::Object) && e.find("Statement")) {
          document(e, at, fmt::format("{} policy {}", id, i), PolicyType::Identity, IdentityKind::InlineRole);
        } else if (const Value* sam = e.is(Kind::Object) && e.members.size() == 1
                                          ? sam_templates().find(e.members.front().key)
                                          : nullptr;
                   sam && sam->find("Definition")) {
          const json::Member& named = e.members.front();
          Value doc = instantiate(*sam->find("Definition"), named.value, e.span);
          doc.members.insert(doc.members.begin(), {"Version", e.span, string_value("2012-10-17", e.span)});
          document(doc, json::child_pointer(at, named.key),
                   fmt::format("{} policy {} ({})", id, i, named.key), PolicyType::Identity,
                   IdentityKind::InlineRole);
        } else {
          out.unread.push_back(
              {e.span, at, id,
               e.is(Kind::Object) && e.members.size() == 1
                   ? fmt::format("{} is not one of AWS SAM's policy templates", e.members.front().key)
                   : std::string("its Policies entry is neither a policy name, a document nor "
                                 "a SAM policy template")});
        }
      };
      if (policies->is(Kind::Array)) {
        for (std::size_t i = 0; i < policies->items.size(); ++i)
          entry(policies->items[i], fmt::format("{}/Policies/{}", pointer, i), i);
      } else {
        entry(*policies, property_pointer("Policies"), 0);
      }
      add_attachments(id, std::move(managed), out);
    } else if (auto known = std::find_if(std::begin(kPolicyProperties), std::end(kPolicyProperties),
                                         [&](const PolicyProperty& p) { return p.resource_type == type; });
               known != std::end(kPolicyProperties)) {
      if (const Value* doc = property(known->property))
        document(*doc, property_pointer(known->property), id, known->type, known->kind);
    } else if (std::find(std::begin(kNotIamPolicies), std::end(kNotIamPolicies), type) ==
               std::end(kNotIamPolicies)) {
      std::vector<std::pair<const Value*, std::string>> shaped;
      find_policy_shaped(*properties, pointer, shaped);
      for (const auto& [value, at] : shaped) {
        out.unread.push_back(
            {value->span, at, id, fmt::format("scopecop does not read the policies of {} resources", type)});
      }
    }
  }
  for (Received& r : received) {
    std::vector<std::string>& direct = r.principals;
    if (auto a = attached.find(r.resource); a != attached.end())
      direct.insert(direct.end(), a->second.begin(), a->second.end());
    std::vector<std::string> all;
    for (const std::string& p : direct) {
      all.push_back(p);
      if (auto m = members.find(p); m != members.end())
        all.insert(all.end(), m->second.begin(), m->second.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    out.policies[r.policy].receivers = std::move(all);
  }
}

}  // namespace scopecop
