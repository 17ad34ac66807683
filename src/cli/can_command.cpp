#include "cli/can_command.h"

#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/inputs.h"
#include "scopecop/evaluate.h"
#include "scopecop/parse.h"
#include "scopecop/text.h"

namespace scopecop::cli {

namespace {

struct Loaded {
  std::string file;
  std::unique_ptr<SourceText> source;
  ParsedFile parsed;
};

// Reads the policies of `paths` into `into`; a file that cannot be read or holds none is an error.
bool load(const std::vector<std::string>& paths, std::vector<std::unique_ptr<Loaded>>& files,
          std::vector<const Policy*>& into) {
  for (const std::string& path : paths) {
    auto f = std::make_unique<Loaded>();
    f->file = path == "-" ? "<stdin>" : path;
    std::string text;
    InputFile input{path, true, path == "-", 0};
    if (auto why = read_input(input, text)) {
      std::cerr << "scopecop: error: " << escape_control(*why) << '\n';
      return false;
    }
    f->source = std::make_unique<SourceText>(std::move(text));
    f->parsed = parse_policies(f->source->text(), f->file);
    if (f->parsed.syntax_error || !f->parsed.recognized) {
      std::cerr << "scopecop: error: " << escape_control(f->file)
                << (f->parsed.syntax_error ? ": not read: " + f->parsed.syntax_error->message
                                           : std::string(": holds no IAM policy"))
                << '\n';
      return false;
    }
    for (const Policy& p : f->parsed.policies) {
      if (!p.attachments_only) into.push_back(&p);
    }
    files.push_back(std::move(f));
  }
  return true;
}

}  // namespace

int run_can(const CanArgs& args) {
  Request request;
  request.action = args.action;
  request.resource = args.resource;
  request.principal = args.principal;
  if (args.action.find(':') == std::string::npos && args.action != "*") {
    std::cerr << "scopecop: error: \"" << escape_control(args.action)
              << "\" is not an action (service:Action)\n";
    return 2;
  }
  for (const std::string& kv : args.context) {
    std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "scopecop: error: --context \"" << escape_control(kv) << "\" is not KEY=VALUE\n";
      return 2;
    }
    request.context[to_lower(kv.substr(0, eq))].push_back(kv.substr(eq + 1));
  }
  std::vector<std::unique_ptr<Loaded>> files;
  PolicySet set;
  if (!load(args.identity, files, set.identity) || !load(args.resource_policies, files, set.resource) ||
      !load(args.boundaries, files, set.boundary) || !load(args.scps, files, set.scp))
    return 2;
  if (set.identity.empty() && set.resource.empty()) {
    std::cerr << "scopecop: error: can needs the identity policies (POLICY...) or a --resource-policy\n";
    return 2;
  }

  Evaluation e = evaluate(request, set);
  auto where = [&](const StatementRef& ref) {
    for (const auto& f : files) {
      for (const Policy& p : f->parsed.policies) {
        if (&p != ref.policy) continue;
        const Statement& s = p.statements[ref.statement];
        Position at = f->source->position(p.anchor ? p.anchor->begin : s.span.begin);
        return std::tuple(f->file, at, &s);
      }
    }
    return std::tuple(std::string(), Position{}, static_cast<const Statement*>(nullptr));
  };
  if (args.format == "json") {
    nlohmann::ordered_json j;
    j["decision"] = decision_name(e.decision);
    j["action"] = request.action;
    j["resource"] = request.resource;
    if (!request.principal.empty()) j["principal"] = request.principal;
    j["reason"] = e.reason;
    j["depends_on"] = e.depends_on;
    nlohmann::ordered_json statements = nlohmann::ordered_json::array();
    for (const StatementRef& ref : e.deciding) {
      auto [file, at, s] = where(ref);
      nlohmann::ordered_json st = {{"file", escape_invalid_utf8(file)},
                                   {"line", at.line},
                                   {"column", at.column},
                                   {"policy", escape_invalid_utf8(ref.policy->name)},
                                   {"index", ref.statement},
                                   {"effect", s->effect == Effect::Allow ? "Allow" : "Deny"}};
      if (s->sid) st["sid"] = s->sid->value;
      statements.push_back(std::move(st));
    }
    j["statements"] = std::move(statements);
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    std::string_view word = e.decision == Decision::Allowed            ? "allowed"
                            : e.decision == Decision::ExplicitlyDenied ? "denied explicitly"
                            : e.decision == Decision::ImplicitlyDenied ? "denied implicitly"
                                                                       : "depends";
    std::cout << word << ": " << escape_control(request.action) << " on " << escape_control(request.resource);
    if (!request.principal.empty()) std::cout << " by " << escape_control(request.principal);
    std::cout << "\n  " << e.reason << '\n';
    if (!e.depends_on.empty()) {
      std::string keys;
      for (const std::string& k : e.depends_on) keys += (keys.empty() ? "" : ", ") + k;
      std::cout << "  depends on " << escape_control(keys) << " (give it with --context KEY=VALUE)\n";
    }
    for (const StatementRef& ref : e.deciding) {
      auto [file, at, s] = where(ref);
      std::string sid = s->sid ? escape_control(s->sid->value) : std::string();
      std::cout << fmt::format("  {}:{}:{} statement {}{}{} ({})\n", escape_control(file), at.line, at.column,
                               ref.statement, sid.empty() ? "" : " ", sid,
                               s->effect == Effect::Allow ? "Allow" : "Deny");
    }
  }
  std::cout.flush();
  switch (e.decision) {
    case Decision::Allowed:
      return 0;
    case Decision::Depends:
      return 3;
    default:
      return 1;
  }
}

}  // namespace scopecop::cli
