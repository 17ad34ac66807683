// Build-time generator: turns the catalog snapshot (rules/catalog/*.tsv) into C++ tables of the catalog's
// own types (src/core/catalog_data.h), so that the binary carries the whole catalog ready to read.
// Usage: scopecop_catalog_embed OUTPUT.cpp SNAPSHOT.tsv GLOBAL_KEYS.tsv AWS_OWNED_FORMATS.tsv
//        NAMES_WITH_COLONS.tsv WEB_IDENTITY_KEYS.tsv ACTION_RESOURCE_TYPES.tsv ACTIONS_OUTSIDE_PACKAGE.tsv
//        SAM_POLICY_TEMPLATES.json
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& message) {
  std::cerr << "scopecop_catalog_embed: " << message << "\n";
  std::exit(1);
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

// A C++ string literal of `s`, with a newline at its end when `line` is set.
std::string literal(const std::string& s, bool line = true) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out + (line ? "\\n\"" : "\"");
}

// A string_view of `s` with its length written out: compilers evaluate tens of thousands of them at compile
// time, and counting each literal's characters would exceed clang's constexpr step limit.
std::string view(const std::string& s) {
  std::string out(1, '{');
  out.append(literal(s, false)).append(", ").append(std::to_string(s.size())).append("}");
  return out;
}

// A sorted table of names, each with the comma-separated services it belongs to.
void write_index(std::ostream& out, const char* table,
                 const std::map<std::string, std::set<std::string>>& index) {
  out << "static constexpr ArnService " << table << "Rows[] = {\n";
  for (const auto& [name, owners] : index) {
    std::string list;
    for (const std::string& o : owners) list += (list.empty() ? "" : ",") + o;
    out << "    {" << view(name) << ", " << view(list) << "},\n";
  }
  out << "};\nconst std::span<const ArnService> " << table << " = " << table << "Rows;\n\n";
}

// The first `kept` fields of a hand-written table's rows, as a table of `type`.
void write_rows(std::ostream& out, const char* type, const char* table,
                const std::vector<std::vector<std::string>>& rows, std::size_t kept) {
  out << "static constexpr " << type << " " << table << "Rows[] = {\n";
  for (const auto& f : rows) {
    out << "    {";
    for (std::size_t i = 0; i < kept; ++i) out << (i ? ", " : "") << view(f[i]);
    out << "},\n";
  }
  if (rows.empty()) out << "    {},\n";
  out << "};\nconst std::span<const " << type << "> " << table << "(" << table << "Rows, " << rows.size()
      << ");\n\n";
}

struct Service {
  std::string prefix, name;
  std::vector<std::vector<std::string>> lines;  // the fields of its resource, key and action lines
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The services as tables of catalog.h's types, which point into each other: every list of names is a view of
// kLists, every resource an action accepts names its resource type.
void write_tables(std::ostream& out, std::vector<Service>& services) {
  // `count` rows of `table` from `first`, as a span's initializer.
  auto rows = [](const char* table, std::size_t first, std::size_t count) {
    std::string init(1, '{');
    if (count > 0)
      init.append(table)
          .append(" + ")
          .append(std::to_string(first))
          .append(", ")
          .append(std::to_string(count));
    return init.append("}");
  };
  std::vector<std::string> lists;
  auto list = [&](const std::vector<std::string>& names) {
    std::string view = rows("kLists", lists.size(), names.size());
    lists.insert(lists.end(), names.begin(), names.end());
    return view;
  };
  auto names = [](const std::string& field) { return split(field, ','); };
  std::ostringstream types, resources, actions, keys, tables;
  std::size_t type_count = 0, resource_count = 0, action_count = 0, key_count = 0;
  for (Service& s : services) {
    std::map<std::string, std::size_t> type_index;
    std::size_t first_type = type_count, first_key = key_count;
    std::vector<std::vector<std::string>*> action_lines;
    for (auto& f : s.lines) {
      if (f[0] == "resource") {
        type_index[f[1]] = type_count++;
        types << "    {" << view(f[1]) << ", " << list(split(f[2], ';')) << ", {}, " << list(names(f[3]))
              << "},\n";
      } else if (f[0] == "key") {
        ++key_count;
        keys << "    {" << view(f[1]) << ", " << view(f[2]) << "},\n";
      } else {
        action_lines.push_back(&f);
      }
    }
    // Service::action looks actions up by binary search, ignoring case.
    std::stable_sort(action_lines.begin(), action_lines.end(),
                     [](const auto* a, const auto* b) { return lower((*a)[1]) < lower((*b)[1]); });
    std::size_t first_action = action_count;
    for (const auto* a : action_lines) {
      const auto& f = *a;
      std::size_t first_resource = resource_count;
      for (const std::string& entry : split(f[3], ';')) {
        std::string name = entry.substr(0, entry.find('='));
        bool required = !name.empty() && name.back() == '*';
        if (required) name.pop_back();
        std::size_t eq = entry.find('=');
        auto it = type_index.find(name);
        resources << "    {" << view(name) << ", " << (required ? "true" : "false") << ", "
                  << list(names(eq == std::string::npos ? "" : entry.substr(eq + 1))) << ", "
                  << (it == type_index.end() ? "nullptr"
                                             : "&kResourceTypes[" + std::to_string(it->second) + "]")
                  << "},\n";
        ++resource_count;
      }
      std::string access;
      for (char c : f[2]) {
        const char* level = c == 'R'   ? "kRead"
                            : c == 'L' ? "kList"
                            : c == 'W' ? "kWrite"
                            : c == 'T' ? "kTagging"
                            : c == 'P' ? "kPermissions"
                                       : nullptr;
        if (!level) die("unknown access level '" + std::string(1, c) + "' of " + s.prefix + ":" + f[1]);
        access += (access.empty() ? "" : " | ") + std::string(level);
      }
      actions << "    {" << view(s.prefix) << ", " << view(f[1]) << ", " << (access.empty() ? "0" : access)
              << ", " << rows("kActionResources", first_resource, resource_count - first_resource) << ", "
              << list(names(f[4])) << ", " << list(names(f[5])) << "},\n";
      ++action_count;
    }
    tables << "    {" << view(s.prefix) << ", " << view(s.name) << ", "
           << rows("kActions", first_action, action_count - first_action) << ", " << first_type << ", "
           << type_count - first_type << ", " << rows("kKeys", first_key, key_count - first_key) << "},\n";
  }
  out << "static constexpr std::string_view kLists[] = {\n";
  for (const std::string& n : lists) out << "    " << view(n) << ",\n";
  out << "};\n\nconstinit ResourceType kResourceTypes[] = {\n"
      << types.str() << "};\n\n"
      << "static constexpr ActionResource kActionResources[] = {\n"
      << resources.str() << "};\n\n"
      << "static constexpr Action kActions[] = {\n"
      << actions.str() << "};\n\n"
      << "static constexpr KeyRow kKeys[] = {\n"
      << keys.str() << "};\n\n"
      << "static constexpr ServiceTables kServiceTables[] = {\n"
      << tables.str() << "};\n"
      << "const std::span<const ServiceTables> kServices = kServiceTables;\n\n";
}

}  // namespace

// The rows of a hand-written table (rules/catalog/*.tsv: '#' comments, `columns` tab-separated fields).
std::vector<std::vector<std::string>> table_rows(const char* path, std::size_t columns) {
  std::ifstream in(path);
  if (!in) die(std::string("cannot read ") + path);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto f = split(line, '\t');
    if (f.size() != columns) die("bad line in " + std::string(path) + ": " + line);
    rows.push_back(std::move(f));
  }
  return rows;
}

int main(int argc, char** argv) {
  if (argc != 10)
    die("usage: scopecop_catalog_embed OUTPUT.cpp SNAPSHOT.tsv GLOBAL_KEYS.tsv AWS_OWNED_FORMATS.tsv "
        "NAMES_WITH_COLONS.tsv WEB_IDENTITY_KEYS.tsv ACTION_RESOURCE_TYPES.tsv ACTIONS_OUTSIDE_PACKAGE.tsv "
        "SAM_POLICY_TEMPLATES.json");
  using Key = std::pair<std::string, std::string>;
  // Extra formats by service and resource type, appended to the snapshot's own.
  std::map<Key, std::vector<std::string>> extra_formats;
  for (auto& f : table_rows(argv[4], 4)) extra_formats[{f[0], f[1]}].push_back(f[2]);
  // Extra resource types by service and action, appended (not required) to the types the action accepts.
  std::map<Key, std::vector<std::string>> extra_types;
  for (auto& f : table_rows(argv[7], 4)) {
    auto& types = extra_types[{f[0], f[1]}];
    if (!types.empty()) die("two lines for " + f[0] + ":" + f[1] + " in " + argv[7]);
    types = split(f[2], ',');
  }
  std::set<std::string> service_types;  // the resource types of the service being read
  std::ifstream snapshot(argv[2]);
  if (!snapshot) die(std::string("cannot read ") + argv[2]);
  std::string package, version, date;
  std::vector<Service> services;
  std::map<std::string, std::set<std::string>> arn_services;  // ARN service field -> catalog services
  std::map<std::string, std::set<std::string>> key_prefixes;  // condition key prefix (lowercase) -> services
  std::string line;
  for (std::size_t number = 1; std::getline(snapshot, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    auto fields = split(line, '\t');
    const std::string& kind = fields[0];
    if (kind == "package") {
      if (fields.size() != 4) die("bad package line");
      package = fields[1];
      version = fields[2];
      date = fields[3];
    } else if (kind == "service") {
      if (fields.size() != 3) die("bad service line " + std::to_string(number));
      if (!services.empty() && services.back().prefix >= fields[1])
        die("services are not sorted at " + fields[1]);
      services.push_back({fields[1], fields[2], {}});
      service_types.clear();
    } else if (kind == "resource" || kind == "key" || kind == "action") {
      if (services.empty()) die("line " + std::to_string(number) + " before any service");
      std::size_t expected = kind == "resource" ? 4 : kind == "key" ? 3 : 6;
      if (fields.size() != expected)
        die("line " + std::to_string(number) + ": expected " + std::to_string(expected) + " fields");
      if (kind == "action") {
        auto it = extra_types.find({services.back().prefix, fields[1]});
        if (it != extra_types.end()) {
          for (const std::string& type : it->second) {
            if (!service_types.count(type)) die("no resource type " + type + " in " + services.back().prefix);
            for (const std::string& entry : split(fields[3], ';')) {
              if (entry.substr(0, entry.find_first_of("*=")) == type)
                die(services.back().prefix + ":" + fields[1] + " already accepts " + type);
            }
            fields[3] += (fields[3].empty() ? "" : ";") + type;
          }
          extra_types.erase(it);
          line = fields[0];
          for (std::size_t i = 1; i < fields.size(); ++i) line += "\t" + fields[i];
        }
      }
      if (kind == "resource") {
        service_types.insert(fields[1]);
        auto it = extra_formats.find({services.back().prefix, fields[1]});
        if (it != extra_formats.end()) {
          for (const std::string& format : it->second) fields[2] += ";" + format;
          extra_formats.erase(it);
          line = fields[0] + "\t" + fields[1] + "\t" + fields[2] + "\t" + fields[3];
        }
      }
      services.back().lines.push_back(split(line, '\t'));
      if (kind == "key") {
        std::string prefix = fields[1].substr(0, fields[1].find(':'));
        for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (prefix != "aws") key_prefixes[prefix].insert(services.back().prefix);
      }
      if (kind == "resource") {
        for (const std::string& format : split(fields[2], ';')) {
          auto parts = split(format, ':');
          if (parts.size() < 3 || parts[0] != "arn")
            die("line " + std::to_string(number) + ": bad ARN format");
          arn_services[parts[2]].insert(services.back().prefix);
        }
      }
    } else {
      die("line " + std::to_string(number) + ": unknown kind '" + kind + "'");
    }
  }
  if (package.empty()) die("the snapshot has no package line");
  for (const auto& [key, formats] : extra_formats)
    die("no resource type " + key.first + ":" + key.second + " for an extra format");
  for (const auto& [key, types] : extra_types)
    die("no action " + key.first + ":" + key.second + " for extra types");

  std::ofstream out(argv[1], std::ios::binary);
  out << "// Generated by scopecop_catalog_embed from rules/catalog/. Do not edit.\n"
      << "#include \"core/catalog_data.h\"\n\nnamespace scopecop::catalog_data {\n\n"
      << "const std::string_view kPackage = " << literal(package, false) << ";\n"
      << "const std::string_view kVersion = " << literal(version, false) << ";\n"
      << "const std::string_view kDate = " << literal(date, false) << ";\n\n";
  write_rows(out, "KeyRow", "kGlobalKeys", table_rows(argv[3], 2), 2);
  write_rows(out, "NameWithColons", "kNamesWithColons", table_rows(argv[5], 4), 3);  // without the reason
  write_rows(out, "KeyRow", "kWebIdentityKeys", table_rows(argv[6], 2), 2);
  write_rows(out, "ListedAction", "kActionsOutsidePackage", table_rows(argv[8], 2), 2);
  {
    std::ifstream sam(argv[9]);
    if (!sam) die(std::string("cannot read ") + argv[9]);
    out << "const std::string_view kSamPolicyTemplates =\n";
    for (std::string row; std::getline(sam, row);) out << "    " << literal(row) << "\n";
    out << "    \"\";\n\n";
  }
  write_tables(out, services);
  write_index(out, "kArnServices", arn_services);
  write_index(out, "kKeyPrefixes", key_prefixes);
  out << "}  // namespace scopecop::catalog_data\n";
  return out ? 0 : 1;
}
