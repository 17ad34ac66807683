// Build-time generator: turns the catalog snapshot (rules/catalog/*.tsv) into C++ string literals, one per
// service, so that the binary carries the whole catalog and parses a service only when a policy names it.
// Usage: scopecop_catalog_embed OUTPUT.cpp SNAPSHOT.tsv GLOBAL_KEYS.tsv AWS_OWNED_FORMATS.tsv
//        NAMES_WITH_COLONS.tsv WEB_IDENTITY_KEYS.tsv ACTION_RESOURCE_TYPES.tsv ACTIONS_OUTSIDE_PACKAGE.tsv
//        SAM_POLICY_TEMPLATES.json
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

// A sorted table of names, each with the comma-separated services it belongs to.
void write_index(std::ostream& out, const char* table, const char* count,
                 const std::map<std::string, std::set<std::string>>& index) {
  out << "const ArnService " << table << "[] = {\n";
  for (const auto& [name, owners] : index) {
    std::string list;
    for (const std::string& o : owners) list += (list.empty() ? "" : ",") + o;
    out << "    {" << literal(name, false) << ", " << literal(list, false) << "},\n";
  }
  out << "};\nconst std::size_t " << count << " = " << index.size() << ";\n\n";
}

struct Service {
  std::string prefix, name;
  std::vector<std::string> lines;
};

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

// A table's rows, their first `kept` fields, as one C++ string literal of lines.
std::string table_literal(const char* path, std::size_t columns, std::size_t kept) {
  std::string out;
  for (const auto& f : table_rows(path, columns)) {
    std::string row = f[0];
    for (std::size_t i = 1; i < kept; ++i) row += "\t" + f[i];
    out += literal(row) + "\n    ";
  }
  return out.empty() ? "\"\"" : out;
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
      services.back().lines.push_back(line);
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

  std::string global_lines = table_literal(argv[3], 2, 2);
  std::string colon_lines = table_literal(argv[5], 4, 3);  // without the reason
  std::string web_identity_lines = table_literal(argv[6], 2, 2);
  std::string outside_lines = table_literal(argv[8], 2, 2);

  std::ofstream out(argv[1], std::ios::binary);
  out << "// Generated by scopecop_catalog_embed from rules/catalog/. Do not edit.\n"
      << "#include \"core/catalog_data.h\"\n\nnamespace scopecop::catalog_data {\n\n"
      << "const std::string_view kPackage = " << literal(package, false) << ";\n"
      << "const std::string_view kVersion = " << literal(version, false) << ";\n"
      << "const std::string_view kDate = " << literal(date, false) << ";\n\n";
  out << "const std::string_view kGlobalKeys =\n    " << global_lines << ";\n\n";
  out << "const std::string_view kNamesWithColons =\n    " << colon_lines << ";\n\n";
  out << "const std::string_view kWebIdentityKeys =\n    " << web_identity_lines << ";\n\n";
  out << "const std::string_view kActionsOutsidePackage =\n    " << outside_lines << ";\n\n";
  {
    std::ifstream sam(argv[9]);
    if (!sam) die(std::string("cannot read ") + argv[9]);
    out << "const std::string_view kSamPolicyTemplates =\n";
    for (std::string row; std::getline(sam, row);) out << "    " << literal(row) << "\n";
    out << "    \"\";\n\n";
  }
  for (std::size_t i = 0; i < services.size(); ++i) {
    out << "static constexpr char kBody" << i << "[] =\n";
    if (services[i].lines.empty()) out << "    \"\"\n";
    for (const std::string& l : services[i].lines) out << "    " << literal(l) << "\n";
    out << ";\n";
  }
  out << "\nconst ServiceBlob kServices[] = {\n";
  for (std::size_t i = 0; i < services.size(); ++i) {
    out << "    {" << literal(services[i].prefix, false) << ", " << literal(services[i].name, false)
        << ", {kBody" << i << ", sizeof(kBody" << i << ") - 1}},\n";
  }
  out << "};\nconst std::size_t kServiceCount = " << services.size() << ";\n\n";
  write_index(out, "kArnServices", "kArnServiceCount", arn_services);
  write_index(out, "kKeyPrefixes", "kKeyPrefixCount", key_prefixes);
  out << "}  // namespace scopecop::catalog_data\n";
  return out ? 0 : 1;
}
