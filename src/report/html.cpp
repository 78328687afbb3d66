// dskill::report: the HTML document builder (see include/dskill/report/html.hpp).
#include "dskill/report/html.hpp"

#include <cctype>

#include <fmt/format.h>

#include "dskill/report/svg.hpp"
#include "dskill/version.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {
namespace {

constexpr const char* css = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#222;max-width:980px;margin:24px auto;padding:0 16px;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:2px solid #0072B2;padding-bottom:3px;margin-top:1.8em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:.9em;margin:8px 0 16px}
dl.facts dt{font-weight:bold;color:#555}dl.facts dd{margin:0;word-break:break-all}
nav ol{columns:2;font-size:.95em}
figure{margin:14px 0;page-break-inside:avoid;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-size:.88em;color:#444;margin-top:2px}
table{border-collapse:collapse;font-size:.86em;margin:10px 0;page-break-inside:avoid;break-inside:avoid}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#eef3f8}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.w{white-space:nowrap}
div.table{page-break-inside:avoid;break-inside:avoid;margin:12px 0}p.caption{font-weight:bold;margin:0 0 4px}div.table table{margin:0}
.note{background:#fff6e0;border-left:4px solid #E69F00;padding:6px 10px;margin:10px 0}
footer{margin-top:3em;font-size:.8em;color:#777}
@media print{body{max-width:none;margin:0}nav{display:none}h2{page-break-after:avoid;break-after:avoid}}
)";

bool looks_numeric(const std::string& s) {
  if (s.empty()) return true;
  if (s == "\xe2\x80\x93") return true;  // en dash: a missing number
  std::size_t i = 0;
  if (s[i] == '-' || s[i] == '+') ++i;
  bool digit = false;
  for (; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isdigit(c)) digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+' && c != '%' && c != ' ') return false;
  }
  return digit;
}

}  // namespace

html_document::html_document(std::string title) : title_(std::move(title)) {}

void html_document::fact(std::string key, std::string value) { facts_.emplace_back(std::move(key), std::move(value)); }

void html_document::section(std::string id, std::string title) { sections_.push_back({std::move(id), std::move(title), {}}); }

html_document::section_data& html_document::current() {
  if (sections_.empty()) sections_.push_back({"summary", "Summary", {}});
  return sections_.back();
}

void html_document::paragraph(const std::string& text) { current().body += "<p>" + xml_escape(text) + "</p>\n"; }

void html_document::note(const std::string& text) {
  current().body += "<p class=\"note\">" + xml_escape(text) + "</p>\n";
}

void html_document::figure(std::string svg, const std::string& caption) {
  auto& b = current().body;
  b += "<figure>";
  b += svg;
  if (!caption.empty()) b += "<figcaption>" + xml_escape(caption) + "</figcaption>";
  b += "</figure>\n";
}

void html_document::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                          const std::string& caption) {
  std::size_t cols = header.size();
  for (const auto& r : rows) cols = std::max(cols, r.size());
  std::vector<bool> numeric(cols, true);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c)
      if (!looks_numeric(r[c])) numeric[c] = false;
  auto& b = current().body;
  // The caption is a paragraph before the table, not <caption>: a caption is as narrow as its
  // table and long ones wrap into a column.
  b += "<div class=\"table\">";
  if (!caption.empty()) b += "<p class=\"caption\">" + xml_escape(caption) + "</p>";
  b += "<table>";
  b += "<thead><tr>";
  for (const auto& h : header) b += "<th>" + xml_escape(h) + "</th>";
  b += "</tr></thead><tbody>\n";
  for (const auto& r : rows) {
    b += "<tr>";
    for (std::size_t c = 0; c < cols; ++c) {
      const std::string cell = c < r.size() ? r[c] : std::string();
      // Short cells do not wrap ("1.210 (0.081)"); long text does.
      b += numeric[c] ? "<td class=\"n\">" : cell.size() <= 28 ? "<td class=\"w\">" : "<td>";
      b += xml_escape(cell);
      b += "</td>";
    }
    b += "</tr>\n";
  }
  b += "</tbody></table></div>\n";
}

std::string html_document::render() const {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"dskill " + xml_escape(dskill::version()) + "\">\n";
  out += "<title>" + xml_escape(title_) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n";
  out += "<header><h1>" + xml_escape(title_) + "</h1>\n";
  if (!facts_.empty()) {
    out += "<dl class=\"facts\">";
    for (const auto& [k, v] : facts_) out += "<dt>" + xml_escape(k) + "</dt><dd>" + xml_escape(v) + "</dd>";
    out += "</dl>\n";
  }
  out += "</header>\n";
  if (sections_.size() > 1) {
    out += "<nav><ol>";
    for (const auto& s : sections_) out += "<li><a href=\"#" + xml_escape(s.id) + "\">" + xml_escape(s.title) + "</a></li>";
    out += "</ol></nav>\n";
  }
  for (const auto& s : sections_) {
    out += "<section id=\"" + xml_escape(s.id) + "\">\n<h2>" + xml_escape(s.title) + "</h2>\n";
    out += s.body;
    out += "</section>\n";
  }
  out += "<footer>Generated by dskill " + xml_escape(dskill::version()) +
         ". Self-contained: no scripts, no network resources.</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace report
DSKILL_END_NAMESPACE
