// Factor structures of multidimensional calibrations: helpers and the mirt.model-like syntax.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "dskill/calibrate/multidim.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::multidim {

std::string structure::name(std::size_t d) const {
  if (d < names.size() && !names[d].empty()) return names[d];
  return d < factors ? fmt::format("F{}", d + 1) : fmt::format("S{}", d - factors + 1);
}

structure between_items(std::span<const int> factor_of_item, std::size_t factors, bool correlated) {
  structure s;
  s.factors = factors;
  for (int f : factor_of_item) s.loadings.push_back({f});
  if (correlated)
    for (std::size_t a = 0; a < factors; ++a)
      for (std::size_t b = a + 1; b < factors; ++b) s.free_correlations.emplace_back(static_cast<int>(a), static_cast<int>(b));
  return s;
}

structure bifactor(std::span<const int> specific_of_item) {
  structure s;
  s.factors = 1;
  int most = -1;
  for (int k : specific_of_item) {
    s.loadings.push_back({0});
    s.specific.push_back(k);
    most = std::max(most, k);
  }
  s.specifics = static_cast<std::size_t>(most + 1);
  s.names.push_back("G");
  return s;
}

namespace {

std::string_view trim(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return t;
}

std::vector<std::string_view> split(std::string_view t, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= t.size(); ++i)
    if (i == t.size() || t[i] == sep) {
      out.push_back(trim(t.substr(start, i - start)));
      start = i + 1;
    }
  return out;
}

bool whole(std::string_view t, std::size_t& out) {
  if (t.empty()) return false;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

bool valid_name(std::string_view t) {
  if (t.empty() || std::isdigit(static_cast<unsigned char>(t.front()))) return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string upper(std::string_view t) {
  std::string u(t);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

}  // namespace

structure parse_structure(std::string_view syntax, std::size_t items, std::span<const std::string> item_ids) {
  std::vector<std::string_view> lines;
  for (auto line : split(syntax, '\n'))
    for (auto part : split(line, ';')) lines.push_back(part);
  std::vector<std::string> order;                       // factors in order of appearance
  std::map<std::string, std::vector<std::size_t>> members;  // factor -> items (0-based)
  std::vector<std::pair<std::string, std::string>> cov;
  std::vector<std::string> specific_names;
  std::size_t line_no = 0;
  for (auto raw : lines) {
    ++line_no;
    auto line = raw;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = trim(line.substr(0, hash));
    if (line.empty()) continue;
    const auto eq = line.find('=');
    auto fail = [&](const std::string& why) {
      return invalid_argument(fmt::format("model syntax, statement {} '{}': {}", line_no, std::string(line), why));
    };
    if (eq == std::string_view::npos) throw fail("expected NAME = ...");
    const auto name = trim(line.substr(0, eq));
    const auto rhs = trim(line.substr(eq + 1));
    if (!valid_name(name)) throw fail("a factor name is letters, digits and '_', not starting with a digit");
    const auto key = upper(name);
    if (key == "COV") {
      for (auto term : split(rhs, ',')) {
        const auto f = split(term, '*');
        if (f.size() < 2) throw fail(fmt::format("'{}' is not a product of factors such as F1*F2", std::string(term)));
        for (std::size_t a = 0; a < f.size(); ++a)
          for (std::size_t b = a + 1; b < f.size(); ++b) cov.emplace_back(std::string(f[a]), std::string(f[b]));
      }
      continue;
    }
    if (key == "SPECIFIC") {
      for (auto term : split(rhs, ',')) specific_names.emplace_back(term);
      continue;
    }
    if (key == "MEAN" || key == "CONSTRAIN" || key == "CONSTRAINB" || key == "PRIOR" || key == "START" ||
        key == "FIXED" || key == "FREE" || key == "LBOUND" || key == "UBOUND")
      throw fail(fmt::format("{} statements are not supported", key));
    const std::string fname(name);
    if (members.count(fname)) throw fail(fmt::format("factor {} is defined twice", fname));
    order.push_back(fname);
    auto& list = members[fname];
    for (auto tok : split(rhs, ',')) {
      if (tok.empty()) throw fail("empty item in the list");
      std::size_t a = 0, b = 0;
      const auto dash = tok.find('-');
      if (dash != std::string_view::npos && whole(trim(tok.substr(0, dash)), a) && whole(trim(tok.substr(dash + 1)), b)) {
        if (a < 1 || b < a || b > items) throw fail(fmt::format("item range {}-{} is outside 1-{}", a, b, items));
        for (std::size_t i = a; i <= b; ++i) list.push_back(i - 1);
      } else if (whole(tok, a)) {
        if (a < 1 || a > items) throw fail(fmt::format("item {} is outside 1-{}", a, items));
        list.push_back(a - 1);
      } else {
        const auto it = std::find(item_ids.begin(), item_ids.end(), tok);
        if (it == item_ids.end()) throw fail(fmt::format("'{}' is neither an item number nor an item id", std::string(tok)));
        list.push_back(static_cast<std::size_t>(it - item_ids.begin()));
      }
    }
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  if (order.empty()) throw invalid_argument("model syntax defines no factor");
  structure s;
  std::vector<std::string> primary;
  for (const auto& f : order)
    if (std::find(specific_names.begin(), specific_names.end(), f) == specific_names.end()) primary.push_back(f);
  for (const auto& f : specific_names)
    if (!members.count(f)) throw invalid_argument(fmt::format("model syntax: SPECIFIC names {}, which is not defined", f));
  if (primary.empty() && !specific_names.empty())
    throw invalid_argument("model syntax: every factor is specific; a bifactor model needs a general factor");
  s.factors = primary.size();
  s.specifics = specific_names.size();
  s.names = primary;
  s.names.insert(s.names.end(), specific_names.begin(), specific_names.end());
  s.loadings.assign(items, {});
  if (s.specifics > 0) s.specific.assign(items, -1);
  for (std::size_t f = 0; f < primary.size(); ++f)
    for (std::size_t i : members[primary[f]]) s.loadings[i].push_back(static_cast<int>(f));
  for (std::size_t k = 0; k < specific_names.size(); ++k)
    for (std::size_t i : members[specific_names[k]]) {
      if (s.specific[i] >= 0)
        throw invalid_argument(fmt::format("model syntax: item {} is on two specific factors ({} and {})", i + 1,
                                           specific_names[static_cast<std::size_t>(s.specific[i])], specific_names[k]));
      s.specific[i] = static_cast<int>(k);
    }
  for (auto& l : s.loadings) std::sort(l.begin(), l.end());
  auto index_of = [&](const std::string& f) {
    const auto it = std::find(primary.begin(), primary.end(), f);
    if (it == primary.end())
      throw invalid_argument(fmt::format("model syntax: COV names {}, which is not a primary factor", f));
    return static_cast<int>(it - primary.begin());
  };
  std::set<std::pair<int, int>> seen;
  for (const auto& [a, b] : cov) {
    int i = index_of(a), j = index_of(b);
    if (i == j) throw invalid_argument(fmt::format("model syntax: COV = {}*{} (variances are fixed at 1)", a, b));
    if (i > j) std::swap(i, j);
    if (seen.insert({i, j}).second) s.free_correlations.emplace_back(i, j);
  }
  for (std::size_t i = 0; i < items; ++i)
    if (s.loadings[i].empty() && (s.specific.empty() || s.specific[i] < 0))
      throw invalid_argument(fmt::format("model syntax: item {} loads on no factor", i + 1));
  return s;
}

}  // namespace calibrate::multidim
DSKILL_END_NAMESPACE
