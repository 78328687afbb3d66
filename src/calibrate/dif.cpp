#include "dskill/calibrate/dif.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "dskill/calibrate/fit.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

std::string_view to_string(ets_class c) noexcept {
  switch (c) {
    case ets_class::A: return "A";
    case ets_class::B: return "B";
    case ets_class::C: return "C";
  }
  return "?";
}

namespace {
struct stratum {
  double a = 0, b = 0, c = 0, d = 0;  // ref right, ref wrong, focal right, focal wrong
};

mh_item analyse(const std::int8_t* resp, std::size_t persons, std::size_t J, std::span<const std::int8_t> group,
                std::size_t item, const std::vector<bool>& matching, double alpha) {
  mh_item out;
  std::map<int, stratum> strata;
  for (std::size_t p = 0; p < persons; ++p) {
    if (group[p] < 0) continue;
    const int x = resp[p * J + item];
    if (x < 0) continue;
    int score = 0;
    bool ok = true;
    for (std::size_t j = 0; j < J && ok; ++j) {
      if (!matching[j] && j != item) continue;
      const int y = resp[p * J + j];
      if (y < 0) ok = false;
      else score += y;
    }
    if (!ok) continue;
    auto& s = strata[score];
    if (group[p] == 0) {
      (x == 1 ? s.a : s.b) += 1;
      ++out.reference_n;
    } else {
      (x == 1 ? s.c : s.d) += 1;
      ++out.focal_n;
    }
  }
  double R = 0, S = 0, sumA = 0, sumE = 0, sumV = 0, PR = 0, PS_QR = 0, QS = 0;
  for (const auto& [score, s] : strata) {
    const double T = s.a + s.b + s.c + s.d;
    const double nr = s.a + s.b, nf = s.c + s.d, m1 = s.a + s.c, m0 = s.b + s.d;
    if (T < 2 || nr == 0 || nf == 0) continue;
    const double Rk = s.a * s.d / T, Sk = s.b * s.c / T;
    const double Pk = (s.a + s.d) / T, Qk = (s.b + s.c) / T;
    R += Rk;
    S += Sk;
    PR += Pk * Rk;
    PS_QR += Pk * Sk + Qk * Rk;
    QS += Qk * Sk;
    sumA += s.a;
    sumE += nr * m1 / T;
    sumV += nr * nf * m1 * m0 / (T * T * (T - 1));
  }
  if (!(R > 0) || !(S > 0) || !(sumV > 0)) return out;
  out.tested = true;
  out.alpha_mh = R / S;
  out.delta = -2.35 * std::log(out.alpha_mh);
  const double var_log = PR / (2 * R * R) + PS_QR / (2 * R * S) + QS / (2 * S * S);
  out.se_delta = 2.35 * std::sqrt(var_log);
  const double dev = std::max(0.0, std::abs(sumA - sumE) - 0.5);
  out.chi_square = dev * dev / sumV;
  out.p = chi_square_upper(out.chi_square, 1.0);
  const double ad = std::abs(out.delta);
  // ETS: A if |D| < 1 or not significant; C if |D| >= 1.5 and |D| significantly > 1
  // (one-sided z at the 5% level); B otherwise.
  if (ad < 1.0 || out.p >= alpha) out.category = ets_class::A;
  else if (ad >= 1.5 && (ad - 1.0) / out.se_delta > 1.645) out.category = ets_class::C;
  else out.category = ets_class::B;
  if (out.category != ets_class::A) out.sign = out.delta > 0 ? "+" : "-";
  return out;
}
}  // namespace

std::vector<mh_item> mantel_haenszel(const std::int8_t* resp, std::size_t persons, std::size_t J,
                                     std::span<const std::int8_t> group, const mh_options& opts) {
  if (!resp || persons == 0 || J == 0) throw invalid_argument("DIF needs responses");
  if (group.size() != persons)
    throw invalid_argument(fmt::format("DIF needs one group per person: {} persons, {} groups", persons, group.size()));
  std::vector<bool> dich(J, true);
  for (std::size_t p = 0; p < persons; ++p)
    for (std::size_t j = 0; j < J; ++j)
      if (resp[p * J + j] > 1) dich[j] = false;
  std::vector<bool> matching(J, opts.matching_items.empty());
  for (auto j : opts.matching_items) {
    if (j >= J) throw invalid_argument(fmt::format("matching item index {} is out of range", j));
    matching[j] = true;
  }
  auto pass = [&](const std::vector<bool>& match) {
    std::vector<mh_item> out(J);
    for (std::size_t j = 0; j < J; ++j)
      if (dich[j]) out[j] = analyse(resp, persons, J, group, j, match, opts.alpha);
    return out;
  };
  auto out = pass(matching);
  if (opts.purify) {
    auto purified = matching;
    for (std::size_t j = 0; j < J; ++j)
      if (out[j].tested && out[j].category != ets_class::A) purified[j] = false;
    out = pass(purified);
  }
  return out;
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
