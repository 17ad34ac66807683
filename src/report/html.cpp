// The HTML report: one self-contained page (no network, fonts or scripts from elsewhere) with the summary
// by severity, rule, file and principal, each finding with its source, and the pages of the rules found.
// Everything is in the HTML itself; the script only adds the filters.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "report/markup.h"
#include "scopecop/report.h"
#include "scopecop/rule.h"
#include "scopecop/rule_page.h"
#include "scopecop/text.h"
#include "scopecop/version.h"

namespace scopecop {

namespace {

constexpr std::string_view kStyle = R"(
:root { color-scheme: light; --error: #b42318; --security: #86198f; --warning: #a15c07; --suggestion: #0e7490; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; color: #1f2328; }
h1 { font-size: 1.6rem; margin: .2rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f6f8fa; padding: .5rem .75rem; overflow-x: auto; border-radius: 4px; }
.tables { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-start; }
.tables > div { max-height: 19rem; overflow-y: auto; }
table { border-collapse: collapse; margin: .5rem 0; }
caption { text-align: left; font-weight: 600; }
th, td { text-align: left; padding: .15rem .6rem; border-bottom: 1px solid #eaeef2; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.sev { font-weight: 600; text-transform: uppercase; font-size: .75rem; letter-spacing: .04em; }
.sev-error { color: var(--error); } .sev-security { color: var(--security); }
.sev-warning { color: var(--warning); } .sev-suggestion { color: var(--suggestion); }
article.finding { border-left: 4px solid #d0d7de; padding: .2rem 0 .2rem .8rem; margin: .8rem 0; }
article.error { border-color: var(--error); } article.security { border-color: var(--security); }
article.warning { border-color: var(--warning); } article.suggestion { border-color: var(--suggestion); }
article h3 { font-size: 1rem; margin: 0; } article p { margin: .2rem 0; }
.where { color: #59636e; font-size: .9rem; }
mark { background: #fff1a8; }
.ln { color: #8c959f; user-select: none; }
form#filters { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #d0d7de; }
form#filters label { margin-right: .8rem; }
details.rule { margin: .5rem 0; } details.rule > summary { cursor: pointer; font-weight: 600; }
)";

// The filters: severities, a rule, a text; their state is kept in the address (#severity=...&rule=...
// &q=...), so that a filtered view can be linked to.
constexpr std::string_view kScript = R"(
(function () {
  var form = document.getElementById('filters');
  form.hidden = false;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name=severity]'));
  var rule = form.querySelector('select[name=rule]');
  var text = form.querySelector('input[name=q]');
  var findings = Array.prototype.slice.call(document.querySelectorAll('article.finding'));
  var files = Array.prototype.slice.call(document.querySelectorAll('section.file'));
  var shown = document.getElementById('shown');
  function read() {
    if (location.hash.indexOf('=') < 0) return;
    var p = new URLSearchParams(location.hash.slice(1));
    if (p.has('severity')) {
      var wanted = p.get('severity').split(',');
      boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    }
    rule.value = p.get('rule') || '';
    text.value = p.get('q') || '';
  }
  function apply(write) {
    var severities = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var words = text.value.trim().toLowerCase();
    var n = 0;
    findings.forEach(function (f) {
      var show = severities.indexOf(f.dataset.severity) >= 0 && (!rule.value || f.dataset.rule === rule.value) &&
          (!words || f.textContent.toLowerCase().indexOf(words) >= 0);
      f.hidden = !show;
      if (show) n++;
    });
    files.forEach(function (s) { s.hidden = !s.querySelector('article.finding:not([hidden])'); });
    shown.textContent = n + ' of ' + findings.length + ' findings shown';
    if (!write) return;
    var p = new URLSearchParams();
    if (severities.length !== boxes.length) p.set('severity', severities.join(','));
    if (rule.value) p.set('rule', rule.value);
    if (words) p.set('q', text.value.trim());
    history.replaceState(null, '', p.toString() ? '#' + p.toString() : location.pathname + location.search);
  }
  read();
  apply(false);
  form.addEventListener('input', function () { apply(true); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  window.addEventListener('hashchange', function () { read(); apply(false); });
})();
)";

// **bold** and `code` of a rule page's line, already escaped.
std::string inline_markdown(std::string_view escaped) {
  std::string out;
  bool strong = false, code = false;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else if (!code && escaped.compare(i, 2, "**") == 0) {
      out += strong ? "</strong>" : "<strong>";
      strong = !strong;
      ++i;
    } else {
      out += escaped[i];
    }
  }
  if (code) out += "</code>";
  if (strong) out += "</strong>";
  return out;
}

// A rule page's Markdown as HTML: what the pages use (headings, paragraphs, fenced code, tables, bold and
// code); the generator's comment is left out.
std::string markdown_html(std::string_view md) {
  std::string out, paragraph;
  bool fence = false, table = false;
  auto flush = [&] {
    if (!paragraph.empty()) out += "<p>" + inline_markdown(markup(paragraph)) + "</p>\n";
    paragraph.clear();
    if (table) out += "</table>\n";
    table = false;
  };
  while (!md.empty()) {
    std::size_t eol = md.find('\n');
    std::string_view line = md.substr(0, eol);
    md.remove_prefix(eol == std::string_view::npos ? md.size() : eol + 1);
    if (line.starts_with("```")) {
      if (!fence) flush();
      out += fence ? "</pre>\n" : "<pre>";
      fence = !fence;
      continue;
    }
    if (fence) {
      out += markup(line) + "\n";
      continue;
    }
    if (line.empty() || line.starts_with("<!--")) {
      flush();
    } else if (line.starts_with("#")) {
      flush();
      std::size_t level = line.find_first_not_of('#');
      // The page's title is the rule's summary line already; its sections come under that.
      if (level == 1) continue;
      out += fmt::format("<h{0}>{1}</h{0}>\n", std::min<std::size_t>(level + 3, 6),
                         inline_markdown(markup(line.substr(std::min(line.size(), level + 1)))));
    } else if (line.starts_with("|")) {
      if (line.starts_with("| ---")) continue;
      if (!table) {
        flush();
        out += "<table>\n";
        table = true;
      }
      out += "<tr>";
      std::string_view cells = line.substr(1);
      while (!cells.empty()) {
        std::size_t bar = cells.find('|');
        std::string_view cell = cells.substr(0, bar);
        cell.remove_prefix(std::min(cell.size(), cell.find_first_not_of(' ')));
        while (!cell.empty() && cell.back() == ' ') cell.remove_suffix(1);
        out += "<td>" + inline_markdown(markup(cell)) + "</td>";
        if (bar == std::string_view::npos) break;
        cells.remove_prefix(bar + 1);
      }
      out += "</tr>\n";
    } else {
      if (!paragraph.empty()) paragraph += ' ';
      paragraph += line;
    }
  }
  if (fence) out += "</pre>\n";
  flush();
  return out;
}

// The finding's source line, its span marked, as much of it as the text report shows.
std::string source_html(const Finding& f, const FileResult& file) {
  if (!file.source || f.start.line == 0) return {};
  const SourceText& source = *file.source;
  Excerpt e = excerpt_of(f, source);
  std::string_view line = source.line(f.start.line);
  auto piece = [&](std::size_t a, std::size_t b) {
    std::size_t from = source.line_byte_offset(f.start.line, a);
    std::size_t to = source.line_byte_offset(f.start.line, b);
    return markup(line.substr(from, to - from));
  };
  std::size_t begin = std::min(e.begin, e.to), end = std::min(e.end, e.to);
  std::string marked = begin < end ? piece(begin, end) : " ";  // a span at the line's end: one column there
  return fmt::format(
      "<pre class=\"source\"><span class=\"ln\">{:>5} | </span>{}{}<mark>{}</mark>{}{}</pre>\n", f.start.line,
      e.from > 0 ? "…" : "", piece(e.from, begin), marked, piece(end, e.to), e.to < e.length ? "…" : "");
}

// Counts by a key, written as a table of the key's cells and the count, most first.
template <class Key>
void count_table(std::string& out, std::string_view caption, std::string_view head,
                 const std::map<Key, std::size_t>& counts, auto&& cells) {
  if (counts.empty()) return;
  std::vector<std::pair<Key, std::size_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  out += fmt::format("<div><table><caption>{}</caption><tr>{}<th>findings</th></tr>\n", caption, head);
  for (const auto& [key, n] : rows) out += fmt::format("<tr>{}<td class=\"n\">{}</td></tr>\n", cells(key), n);
  out += "</table></div>\n";
}

}  // namespace

void write_html(std::ostream& out, const Report& report) {
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing from elsewhere: no request leaves the page, whatever a policy's text holds.
  page +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<title>scopecop report</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  page += fmt::format("<header>\n<h1>scopecop report</h1>\n<p id=\"summary\">{}</p>\n",
                      markup(summary_line(report)));
  page += fmt::format("<p class=\"where\">scopecop {}, IAM catalog {}</p>\n</header>\n", version(),
                      markup(report.catalog));

  // The summary: by severity, rule, file and principal.
  std::map<std::string_view, std::size_t> by_rule;
  std::map<const FileResult*, std::size_t> by_file;
  std::map<std::string, std::size_t> by_principal;
  for (const LocatedFinding& lf : report.ordered) {
    ++by_rule[lf.finding->code];
    ++by_file[lf.file];
    for (const std::string& p : lf.finding->principals) ++by_principal[p];
  }
  // A file's anchor is its place among the report's files.
  auto file_index = [&](const FileResult* f) { return f - report.files.data(); };
  if (!report.ordered.empty()) {
    page += "<section id=\"overview\">\n<h2>Summary</h2>\n<div class=\"tables\">\n";
    page += "<div><table><caption>by severity</caption><tr><th>severity</th><th>findings</th></tr>\n";
    for (Severity s : kAllSeverities) {
      page += fmt::format("<tr><td class=\"sev sev-{0}\">{0}</td><td class=\"n\">{1}</td></tr>\n",
                          severity_name(s), report.summary.by_severity[static_cast<std::size_t>(s)]);
    }
    page += "</table></div>\n";
    count_table(page, "by rule", "<th>rule</th>", by_rule, [](std::string_view code) {
      const RuleMeta* m = find_rule_meta(code);
      return fmt::format("<td><a href=\"#rule-{0}\">{0}</a> {1}</td>", code, m ? markup(m->name) : "");
    });
    count_table(page, "by file", "<th>file</th>", by_file, [&](const FileResult* f) {
      return fmt::format("<td><a href=\"#file-{}\">{}</a></td>", file_index(f), markup(f->path));
    });
    count_table(page, "by principal", "<th>principal</th>", by_principal,
                [](const std::string& p) { return "<td>" + markup(p) + "</td>"; });
    page += "</div>\n</section>\n";

    page += "<form id=\"filters\" hidden>\n";
    for (Severity s : kAllSeverities) {
      page += fmt::format(
          "<label><input type=\"checkbox\" name=\"severity\" value=\"{0}\" checked> {0}</label>\n",
          severity_name(s));
    }
    page += "<label>rule <select name=\"rule\"><option value=\"\">every rule</option>";
    for (const auto& [code, n] : by_rule) page += fmt::format("<option value=\"{0}\">{0}</option>", code);
    page +=
        "</select></label>\n<label>text <input type=\"search\" name=\"q\" placeholder=\"file, action, "
        "message\"></label>\n<output id=\"shown\"></output>\n</form>\n";
  }

  page += "<main>\n";
  const FileResult* current = nullptr;
  for (const auto& [f, file] : report.ordered) {
    if (file != current) {
      if (current) page += "</section>\n";
      current = file;
      page += fmt::format("<section class=\"file\" id=\"file-{}\">\n<h2>{}</h2>\n", file_index(file),
                          markup(file->path));
    }
    const RuleMeta* meta = find_rule_meta(f->code);
    std::string_view sev = severity_name(f->severity);
    page += fmt::format(
        "<article class=\"finding {0}\" data-severity=\"{0}\" data-rule=\"{1}\">\n<h3><span class=\"sev "
        "sev-{0}\">{0}</span> <a href=\"#rule-{1}\">{1}</a> {2}</h3>\n",
        sev, f->code, meta ? markup(meta->name) : "");
    page += fmt::format("<p class=\"where\">{}:{}:{}", markup(f->file), f->start.line, f->start.column);
    if (std::string in = policy_in_container(*f); !in.empty()) page += " — in " + markup(in);
    page += "</p>\n<p class=\"message\">" + markup(f->message) + "</p>\n";
    page += source_html(*f, *file);
    if (!f->principals.empty()) {
      std::string who;
      for (const std::string& p : f->principals) who += (who.empty() ? "" : ", ") + markup(p);
      page += "<p class=\"applies\">applies to: " + who + "</p>\n";
    }
    if (!f->help.empty()) page += "<p class=\"help\">help: " + markup(f->help) + "</p>\n";
    page += "</article>\n";
  }
  if (current) page += "</section>\n";
  if (report.ordered.empty()) page += "<p>No findings.</p>\n";
  page += "</main>\n";

  if (!report.notes.empty()) {
    page += "<section id=\"notes\">\n<h2>Not checked</h2>\n<ul>\n";
    for (const Note* n : report.notes) {
      page += fmt::format("<li>{}:{}:{}: {}</li>\n", markup(n->file), n->start.line, n->start.column,
                          markup(n->message));
    }
    page += "</ul>\n</section>\n";
  }

  if (!by_rule.empty()) {
    page += "<section id=\"rules\">\n<h2>Rules</h2>\n";
    for (const auto& [code, n] : by_rule) {
      const RuleMeta* m = find_rule_meta(code);
      if (!m) continue;
      page +=
          fmt::format("<details class=\"rule\" id=\"rule-{}\">\n<summary>{} {}: {}</summary>\n{}</details>\n",
                      code, code, markup(m->name), markup(m->summary), markdown_html(render_rule_page(*m)));
    }
    page += "</section>\n";
    page += "<script>" + std::string(kScript) + "</script>\n";
  }
  page += "</body>\n</html>\n";
  out << page;
}

}  // namespace scopecop
