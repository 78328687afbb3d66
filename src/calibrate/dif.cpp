#include "dskill/calibrate/dif.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <Eigen/Dense>

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

namespace {

// log(sigma(x)) and sigma(x) without overflow.
double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x)); }

// Log-likelihood, gradient and Hessian of the proportional-odds model at coefficients c.
double ordinal_terms(std::span<const int> y, int K, std::span<const double> x, std::size_t m, const Eigen::VectorXd& c,
                     Eigen::VectorXd* g, Eigen::MatrixXd* h) {
  const std::size_t n = y.size(), P = static_cast<std::size_t>(K - 1) + m;
  if (g) g->setZero(static_cast<Eigen::Index>(P));
  if (h) h->setZero(static_cast<Eigen::Index>(P), static_cast<Eigen::Index>(P));
  double ll = 0.0;
  Eigen::VectorXd d(static_cast<Eigen::Index>(P));
  for (std::size_t i = 0; i < n; ++i) {
    double xb = 0.0;
    for (std::size_t j = 0; j < m; ++j) xb += x[i * m + j] * c[K - 1 + static_cast<Eigen::Index>(j)];
    const int yi = y[i];
    // Upper boundary k = yi (P(Y >= yi)), lower k = yi + 1; alpha index k - 1.
    const bool has_up = yi >= 1, has_lo = yi + 1 <= K - 1;
    const double su = has_up ? sigmoid(c[yi - 1] + xb) : 1.0, sl = has_lo ? sigmoid(c[yi] + xb) : 0.0;
    const double pr = std::max(su - sl, 1e-300);
    ll += std::log(pr);
    if (!g) continue;
    const double du = has_up ? su * (1 - su) : 0.0, dl = has_lo ? sl * (1 - sl) : 0.0;
    const double hu = du * (1 - 2 * su), hl = dl * (1 - 2 * sl);
    // l = log(su - sl); dl/d(eta_up) = du / pr, dl/d(eta_lo) = -dl / pr.
    const double gu = du / pr, gl = -dl / pr;
    const double huu = hu / pr - gu * gu, hll = -hl / pr - gl * gl, hul = -gu * gl;
    // d eta_up = e_{yi-1} + x, d eta_lo = e_{yi} + x
    d.setZero();
    auto add_eta = [&](Eigen::VectorXd& v, int alpha_index, double w) {
      if (alpha_index >= 0) v[alpha_index] += w;
      for (std::size_t j = 0; j < m; ++j) v[K - 1 + static_cast<Eigen::Index>(j)] += w * x[i * m + j];
    };
    Eigen::VectorXd eu = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(P)), el = eu;
    if (has_up) add_eta(eu, yi - 1, 1.0);
    if (has_lo) add_eta(el, yi, 1.0);
    *g += gu * eu + gl * el;
    *h += huu * eu * eu.transpose() + hll * el * el.transpose() + hul * (eu * el.transpose() + el * eu.transpose());
  }
  return ll;
}

// Nagelkerke's R-squared of a model with log-likelihood l against the null model's l0.
double nagelkerke(double l, double l0, double n) {
  const double cs = 1.0 - std::exp(2.0 * (l0 - l) / n), top = 1.0 - std::exp(2.0 * l0 / n);
  return top > 0 ? cs / top : 0.0;
}

}  // namespace

double ordinal_logit_fit(std::span<const int> y, int K, std::span<const double> x, std::size_t m,
                         std::vector<double>* coefficients) {
  if (K < 2 || y.empty() || x.size() != y.size() * m || m > 3)
    throw invalid_argument("ordinal_logit_fit: needs K >= 2, responses, and x of n x m (m <= 3)");
  const std::size_t n = y.size(), P = static_cast<std::size_t>(K - 1) + m;
  // Start: thresholds from the cumulative proportions, slopes 0.
  std::vector<double> count(static_cast<std::size_t>(K), 0.0);
  for (int v : y) {
    if (v < 0 || v >= K) throw invalid_argument(fmt::format("ordinal_logit_fit: response {} outside 0..{}", v, K - 1));
    count[static_cast<std::size_t>(v)] += 1.0;
  }
  Eigen::VectorXd c = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(P));
  double above = static_cast<double>(n);
  for (int k = 1; k < K; ++k) {
    above -= count[static_cast<std::size_t>(k - 1)];
    const double q = std::clamp(above / static_cast<double>(n), 1e-4, 1 - 1e-4);
    c[k - 1] = std::log(q / (1 - q));
  }
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  double ll = ordinal_terms(y, K, x, m, c, &g, &h);
  for (int iter = 0; iter < 100; ++iter) {
    // Newton on the concave log-likelihood; a tiny ridge keeps separated data finite.
    const Eigen::MatrixXd neg = -h + 1e-10 * Eigen::MatrixXd::Identity(h.rows(), h.cols());
    const Eigen::VectorXd step = neg.ldlt().solve(g);
    if (!step.allFinite()) break;
    double t = 1.0, next = -std::numeric_limits<double>::infinity();
    Eigen::VectorXd trial;
    for (int half = 0; half < 30; ++half, t *= 0.5) {
      trial = c + t * step;
      bool ordered = true;  // thresholds must stay decreasing: P(Y >= k) falls with k
      for (int k = 1; k + 1 < K; ++k) ordered = ordered && trial[k] < trial[k - 1];
      if (!ordered) continue;
      next = ordinal_terms(y, K, x, m, trial, nullptr, nullptr);
      if (next >= ll - 1e-12) break;
    }
    if (!(next >= ll - 1e-12)) break;
    c = trial;
    const double gain = next - ll;
    ll = ordinal_terms(y, K, x, m, c, &g, &h);
    if (gain < 1e-10 && (t * step).cwiseAbs().maxCoeff() < 1e-8) break;
  }
  if (coefficients) coefficients->assign(c.data(), c.data() + c.size());
  return ll;
}

std::vector<lr_dif_item> logistic_dif(const std::int8_t* resp, std::size_t persons, std::size_t J,
                                      std::span<const double> theta, std::span<const std::int8_t> group,
                                      const lr_dif_options& opts) {
  if (!resp || persons == 0 || J == 0) throw invalid_argument("DIF needs responses");
  if (group.size() != persons || theta.size() != persons)
    throw invalid_argument(fmt::format("DIF needs one group and one theta per person: {} persons, {} groups, {} thetas",
                                       persons, group.size(), theta.size()));
  std::vector<lr_dif_item> out(J);
  std::vector<int> y;
  std::vector<double> x1, x2, x3;
  std::vector<std::size_t> who;
  for (std::size_t j = 0; j < J; ++j) {
    auto& r = out[j];
    who.clear();
    int top = -1;
    for (std::size_t p = 0; p < persons; ++p) {
      const int v = resp[p * J + j];
      if (v < 0 || group[p] < 0 || !std::isfinite(theta[p])) continue;
      who.push_back(p);
      top = std::max(top, v);
      (group[p] == 0 ? r.reference_n : r.focal_n) += 1;
    }
    if (r.reference_n < opts.min_per_group || r.focal_n < opts.min_per_group) {
      r.reason = fmt::format("{} reference and {} focal persons answered it (at least {} each needed)", r.reference_n,
                             r.focal_n, opts.min_per_group);
      continue;
    }
    // Sparse categories are pooled: upwards from the lowest until a group has enough persons;
    // a sparse top group joins the one below.
    std::vector<std::size_t> count(static_cast<std::size_t>(top + 1), 0);
    for (auto p : who) ++count[static_cast<std::size_t>(resp[p * J + j])];
    std::vector<int> map(count.size(), 0);
    int current = 0;
    std::size_t in_current = 0;
    for (std::size_t k = 0; k < count.size(); ++k) {
      map[k] = current;
      in_current += count[k];
      if (in_current >= opts.min_per_category && k + 1 < count.size()) ++current, in_current = 0;
    }
    if (current > 0 && in_current < opts.min_per_category)
      for (auto& v : map) v = std::min(v, current - 1);
    r.categories = *std::max_element(map.begin(), map.end()) + 1;
    if (r.categories < 2) {
      r.reason = "every analysed person gave the same answer";
      continue;
    }
    const std::size_t n = who.size();
    y.resize(n);
    x1.resize(n);
    x2.resize(2 * n);
    x3.resize(3 * n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto p = who[i];
      const double t = theta[p], gr = group[p];
      y[i] = map[static_cast<std::size_t>(resp[p * J + j])];
      x1[i] = t;
      x2[2 * i] = t, x2[2 * i + 1] = gr;
      x3[3 * i] = t, x3[3 * i + 1] = gr, x3[3 * i + 2] = t * gr;
    }
    std::vector<double> c1, c2;
    const double l0 = ordinal_logit_fit(y, r.categories, {}, 0);
    r.loglik1 = ordinal_logit_fit(y, r.categories, x1, 1, &c1);
    r.loglik2 = ordinal_logit_fit(y, r.categories, x2, 2, &c2);
    r.loglik3 = ordinal_logit_fit(y, r.categories, x3, 3);
    // Nested models: a fit that lands a hair below its smaller model is the smaller model.
    r.loglik2 = std::max(r.loglik2, r.loglik1);
    r.loglik3 = std::max(r.loglik3, r.loglik2);
    r.chi2_uniform = 2 * (r.loglik2 - r.loglik1);
    r.chi2_nonuniform = 2 * (r.loglik3 - r.loglik2);
    r.chi2_total = 2 * (r.loglik3 - r.loglik1);
    r.p_uniform = chi_square_upper(r.chi2_uniform, 1.0);
    r.p_nonuniform = chi_square_upper(r.chi2_nonuniform, 1.0);
    r.p_total = chi_square_upper(r.chi2_total, 2.0);
    const double nn = static_cast<double>(n);
    r.r2_change = nagelkerke(r.loglik3, l0, nn) - nagelkerke(r.loglik1, l0, nn);
    r.r2_uniform = nagelkerke(r.loglik2, l0, nn) - nagelkerke(r.loglik1, l0, nn);
    const double b1 = c1.back(), b1_2 = c2[c2.size() - 2];
    r.beta_change = b1 != 0 ? std::abs(b1 - b1_2) / std::abs(b1) : 0.0;
    r.group_effect = c2.back();
    r.flagged = r.p_total < opts.alpha;
    r.effect = !r.flagged ? jg_class::A : r.r2_change < 0.035 ? jg_class::A : r.r2_change < 0.07 ? jg_class::B : jg_class::C;
    r.tested = true;
  }
  return out;
}

lr_dif_result logistic_dif_purified(const std::int8_t* resp, std::size_t persons, const bank::item_bank& bank,
                                    std::span<const std::int8_t> group, const estimate::options& eo,
                                    const lr_dif_options& opts, int max_rounds) {
  const std::size_t J = bank.size();
  if (!resp || persons == 0 || J == 0) throw invalid_argument("DIF needs responses");
  estimate::validate(eo);
  lr_dif_result out;
  out.matching.assign(J, true);
  out.theta.assign(persons, 0.0);
  std::vector<estimate::response> rs;
  for (out.rounds = 1;; ++out.rounds) {
    for (std::size_t p = 0; p < persons; ++p) {
      rs.clear();
      for (std::size_t j = 0; j < J; ++j)
        if (out.matching[j] && resp[p * J + j] >= 0) rs.push_back({static_cast<std::uint32_t>(j), resp[p * J + j]});
      out.theta[p] = rs.empty() ? std::numeric_limits<double>::quiet_NaN() : estimate::estimate_theta(bank, rs, eo).theta;
    }
    out.items = logistic_dif(resp, persons, J, out.theta, group, opts);
    // An item once flagged stays out of the matching set, so the set only shrinks and the
    // rounds end (a set that follows the latest flags alone can cycle between two).
    bool grew = false;
    std::size_t left = 0;
    for (std::size_t j = 0; j < J; ++j) {
      if (out.items[j].flagged && out.matching[j]) out.matching[j] = false, grew = true;
      left += out.matching[j];
    }
    if (!grew) break;
    if (out.rounds >= max_rounds || left == 0) {
      out.converged = false;
      break;
    }
  }
  return out;
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
