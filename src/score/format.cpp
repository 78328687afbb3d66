#include "format.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "dskill/io/csv.hpp"
#include "dskill/io/json_text.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

void put_fixed6(std::string& out, double x) {
  if (!(std::fabs(x) < 1e12)) {  // the integer path below needs |x| * 1e6 to fit
    fmt::format_to(std::back_inserter(out), "{:.6f}", x);
    return;
  }
  long long v = std::llround(x * 1e6);
  if (v < 0) {
    out += '-';
    v = -v;
  }
  char buf[32];
  int n = 0;
  long long frac = v % 1000000;
  long long whole = v / 1000000;
  for (int i = 0; i < 6; ++i) {  // digits are collected backwards, then reversed
    buf[n++] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  buf[n++] = '.';
  do {
    buf[n++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole);
  while (n) out += buf[--n];
}

void put_number(std::string& out, double x) {
  if (std::isnan(x)) return;  // empty CSV cell
  if (std::isinf(x)) {
    out += x > 0 ? "inf" : "-inf";
    return;
  }
  put_fixed6(out, x);
}

void put_json_number(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  put_fixed6(out, x);
}

void put_json_string(std::string& out, std::string_view s) { io::append_json_string(out, s); }

void put_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos)
    out += s;
  else
    out += io::csv_escape(s);
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
