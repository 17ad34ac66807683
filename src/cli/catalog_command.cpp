#include "cli/catalog_command.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

#include <fmt/ranges.h>

#include <fmt/format.h>

#include "cli/inputs.h"
#include "scopecop/text.h"

namespace scopecop::cli {

namespace fs = std::filesystem;

std::unique_ptr<Catalog> load_catalog_dir(const std::string& dir, std::string& error) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    error = fmt::format("{}: not a directory of AWS service-reference files", dir);
    return nullptr;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) {
    error = fmt::format("{}: {}", dir, ec.message());
    return nullptr;
  }
  std::sort(files.begin(), files.end());
  auto catalog = Catalog::overlay();
  for (const fs::path& file : files) {
    std::string text;
    if (auto why = read_regular_file(file.string(), text)) {
      error = fmt::format("cannot read a catalog file: {}", *why);
      return nullptr;
    }
    if (std::string problem = catalog->add_service_reference(text); !problem.empty()) {
      error = fmt::format("{}: {}", file.string(), problem);
      return nullptr;
    }
  }
  if (files.empty()) {
    error = fmt::format("{}: holds no *.json service-reference file", dir);
    return nullptr;
  }
  return catalog;
}

namespace {

std::string join(Names items) {
  std::string out;
  for (std::string_view i : items) out += (out.empty() ? "" : ", ") + std::string(i);
  return out.empty() ? "-" : out;
}

void print_action(const Service& s, const Action& a) {
  std::cout << fmt::format("{}:{}\n  access level: {}\n", s.prefix, a.name, access_level_names(a.access));
  if (a.wildcard_only()) {
    std::cout << "  resources: \"*\" only (no resource-level permissions)\n";
  } else {
    std::cout << "  resource types (* = required):\n";
    for (const ActionResource& r : a.resources) {
      const ResourceType* type = r.resolved;
      std::cout << fmt::format("    {}{}", r.type, r.required ? " *" : "");
      if (type) {
        for (std::string_view f : type->arn_formats) std::cout << "  " << f;
      }
      std::cout << '\n';
      if (!r.condition_keys.empty()) std::cout << "      condition keys: " << join(r.condition_keys) << '\n';
    }
  }
  std::cout << "  condition keys: " << join(a.condition_keys) << '\n';
  if (!a.dependent_actions.empty()) std::cout << "  dependent actions: " << join(a.dependent_actions) << '\n';
}

void print_service(const Service& s) {
  std::cout << fmt::format("{} ({}): {} actions, {} resource types, {} condition keys\n\nactions:\n",
                           s.prefix, s.name, s.actions.size(), s.resource_types.size(),
                           s.condition_keys.size());
  for (const Action& a : s.actions) {
    std::vector<std::string> types;
    for (const ActionResource& r : a.resources)
      types.push_back(std::string(r.type) + (r.required ? "*" : ""));
    std::string shown = a.wildcard_only() ? "\"*\"" : fmt::format("{}", fmt::join(types, ", "));
    std::cout << fmt::format("  {:<44} {:<32} {}\n", a.name, access_level_names(a.access), shown);
  }
  std::cout << "\nresource types:\n";
  for (const ResourceType& r : s.resource_types) {
    std::cout << fmt::format("  {:<32} {}\n", r.name, fmt::join(r.arn_formats, "  "));
  }
  std::cout << "\ncondition keys:\n";
  for (const ConditionKey& k : s.condition_keys) std::cout << fmt::format("  {:<48} {}\n", k.name, k.type);
}

// `word` is looked up among `candidates`; a suggestion is shown with `prefix` before it, or else `otherwise`.
int unknown(std::string_view kind, const std::string& what, std::string_view word,
            const std::vector<std::string_view>& candidates, std::string_view prefix,
            const std::string& otherwise = "") {
  std::string message =
      fmt::format("scopecop: error: no {} \"{}\" in the catalog", kind, escape_control(what));
  if (auto best = did_you_mean(word, candidates)) {
    message += fmt::format("; did you mean \"{}{}\"?", prefix, *best);
  } else {
    message += otherwise;
  }
  std::cerr << message << '\n';
  return 2;
}

// For an action with no near spelling (often an API operation's name: s3:ListObjects is authorized by
// s3:ListBucket), the actions of the service that begin with the same verb, as the end of the message.
std::string same_verb(const Service& s, std::string_view action) {
  std::string_view verb = action.substr(0, action.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1));
  std::vector<std::string> same;
  for (const Action& a : s.actions) {
    std::string_view n = a.name;
    if (!verb.empty() && iequals(n.substr(0, verb.size()), verb) && n.size() > verb.size() &&
        std::isupper(static_cast<unsigned char>(n[verb.size()])))
      same.push_back(fmt::format("{}:{}", s.prefix, n));
  }
  if (same.empty()) return "";
  std::size_t shown = std::min<std::size_t>(same.size(), 12);
  return fmt::format(
      "; IAM names actions, not API operations: the {} actions that begin with \"{}\" are {}{}", s.prefix,
      escape_control(verb), fmt::join(same.begin(), same.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
      same.size() > shown ? fmt::format(" and {} more", same.size() - shown) : "");
}

}  // namespace

int run_catalog(const Catalog& catalog, const std::string& what) {
  if (what.empty()) {
    const auto& prefixes = catalog.prefixes();
    std::cout << fmt::format("IAM catalog {} ({} {}): {} services", catalog.date(), catalog.package(),
                             catalog.version(), prefixes.size());
    if (catalog.overridden())
      std::cout << fmt::format(", {} replaced by --catalog files", catalog.overridden());
    std::cout << "\n\n";
    for (std::string_view p : prefixes)
      std::cout << fmt::format("  {:<36} {}\n", p, catalog.service(p)->name);
    return 0;
  }
  std::string_view prefix = what;
  std::string_view action;
  if (auto colon = what.find(':'); colon != std::string::npos) {
    prefix = std::string_view(what).substr(0, colon);
    action = std::string_view(what).substr(colon + 1);
  }
  const Service* s = catalog.service(prefix);
  if (!s) return unknown("service", std::string(prefix), prefix, catalog.prefixes(), "");
  if (action.empty()) {
    print_service(*s);
    return 0;
  }
  auto matches = s->matching(Pattern::glob(action, true));
  if (matches.empty()) {
    std::vector<std::string_view> names;
    for (const Action& a : s->actions) names.push_back(a.name);
    return unknown("action", what, action, names, std::string(s->prefix) + ":", same_verb(*s, action));
  }
  for (std::size_t i = 0; i < matches.size(); ++i) {
    if (i) std::cout << '\n';
    print_action(*s, *matches[i]);
  }
  return 0;
}

}  // namespace scopecop::cli
