// dskill::detail: message formatting with the standard library only, for the code that the
// header-only mode compiles (irt, estimate, quadrature, errors), where fmt is not available.
// A double prints as fmt's "{}" does: the shortest text that reads back to the same value, in
// fixed notation when its decimal exponent is in [-4, 16), else in scientific ("1e-05").
#pragma once
#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace detail {

inline void append_text(std::string& out, std::string_view s) { out += s; }
inline void append_text(std::string& out, const char* s) { out += s; }
inline void append_text(std::string& out, const std::string& s) { out += s; }
inline void append_text(std::string& out, char c) { out += c; }
inline void append_text(std::string& out, double x) {
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  const std::string_view s(buf, static_cast<std::size_t>(sci.ptr - buf));
  const auto e = s.find('e');
  if (e == std::string_view::npos) {  // inf, nan
    out += s;
    return;
  }
  const int exponent = std::atoi(std::string(s.substr(e + 1)).c_str());
  if (exponent < -4 || exponent >= 16) {
    out += s;
    return;
  }
  auto fixed = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  out.append(buf, fixed.ptr);
}
inline void append_text(std::string& out, float x) { append_text(out, static_cast<double>(x)); }
template <class Int>
  requires(std::is_integral_v<Int> && !std::is_same_v<Int, char> && !std::is_same_v<Int, bool>)
inline void append_text(std::string& out, Int x) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, r.ptr);
}

/// Concatenates the text of each argument (strings as they are, numbers as fmt's "{}").
template <class... Args>
std::string concat(const Args&... args) {
  std::string out;
  (append_text(out, args), ...);
  return out;
}

}  // namespace detail
DSKILL_END_NAMESPACE
