// Helpers for the report tests: a small XML well-formedness check and finite-number check of
// SVG, and extraction of the SVG elements of an HTML report.
#pragma once
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace report_test {

/// Empty when `xml` is well-formed enough for our output (balanced, properly nested tags;
/// attributes quoted; no stray '<' or '&'), else what is wrong. HTML void elements are allowed
/// unclosed when `html` is true.
inline std::string check_tags(std::string_view xml, bool html = false) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  const auto is_void = [&](const std::string& name) {
    return html && (name == "meta" || name == "br" || name == "link" || name == "img" || name == "hr");
  };
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '&') {
      const auto semi = xml.find(';', i);
      if (semi == std::string_view::npos || semi - i > 8) return "stray & at " + std::to_string(i);
      i = semi + 1;
      continue;
    }
    if (c != '<') {
      if (c == '>') return "stray > at " + std::to_string(i);
      ++i;
      continue;
    }
    if (xml.substr(i, 9) == "<!DOCTYPE") {
      i = xml.find('>', i) + 1;
      continue;
    }
    if (xml.substr(i, 4) == "<!--") {
      i = xml.find("-->", i) + 3;
      continue;
    }
    bool in_quote = false;
    std::size_t j = i + 1;
    for (; j < xml.size(); ++j) {
      if (xml[j] == '"') in_quote = !in_quote;
      else if (!in_quote && xml[j] == '<') return "'<' inside a tag at " + std::to_string(j);
      else if (!in_quote && xml[j] == '>') break;
    }
    if (j >= xml.size()) return "unterminated tag at " + std::to_string(i);
    std::string_view tag = xml.substr(i + 1, j - i - 1);
    const bool closing = !tag.empty() && tag.front() == '/';
    const bool self_closing = !tag.empty() && tag.back() == '/';
    std::string_view body = closing ? tag.substr(1) : tag;
    const auto end = body.find_first_of(" \t\n/");
    const std::string name(body.substr(0, end));
    if (name.empty()) return "empty tag name at " + std::to_string(i);
    if (closing) {
      if (stack.empty() || stack.back() != name)
        return "</" + name + "> does not close <" + (stack.empty() ? std::string("nothing") : stack.back()) + ">";
      stack.pop_back();
    } else if (!self_closing && !is_void(name)) {
      stack.push_back(name);
      // Raw text elements.
      if (name == "style" || name == "script") {
        const auto close = xml.find("</" + name + ">", j);
        if (close == std::string_view::npos) return "unclosed <" + name + ">";
        j = close - 1;
      }
    }
    i = j + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return {};
}

/// Empty when every numeric attribute (x, y, width, height, cx, cy, r, x1.., points, viewBox)
/// holds only finite numbers, else the first offending attribute.
inline std::string check_numbers(std::string_view svg) {
  static const char* attrs[] = {" x=", " y=", " width=", " height=", " cx=", " cy=", " r=", " x1=", " y1=", " x2=",
                                " y2=", " points=", " viewBox=", " stroke-width="};
  for (const char* a : attrs) {
    const std::string key(a);
    std::size_t pos = 0;
    while ((pos = svg.find(key, pos)) != std::string_view::npos) {
      const auto start = pos + key.size() + 1;
      const auto end = svg.find('"', start);
      const std::string value(svg.substr(start, end - start));
      std::string token;
      for (std::size_t k = 0; k <= value.size(); ++k) {
        const char ch = k < value.size() ? value[k] : ' ';
        if (ch == ' ' || ch == ',') {
          if (!token.empty()) {
            char* e = nullptr;
            const double v = std::strtod(token.c_str(), &e);
            if (*e != '\0' || !std::isfinite(v)) return key + "\"" + value + "\"";
          }
          token.clear();
        } else {
          token += ch;
        }
      }
      pos = end;
    }
  }
  return {};
}

/// Every <svg>...</svg> element of a document.
inline std::vector<std::string> svgs(const std::string& html) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = html.find("<svg", pos)) != std::string::npos) {
    const auto end = html.find("</svg>", pos);
    if (end == std::string::npos) break;
    out.push_back(html.substr(pos, end + 6 - pos));
    pos = end + 6;
  }
  return out;
}

}  // namespace report_test
