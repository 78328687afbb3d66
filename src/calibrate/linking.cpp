// Linking and pretest calibration. See linking.hpp.
#include "dskill/calibrate/linking.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"
#include "item_math.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

std::string_view to_string(link_method m) noexcept {
  switch (m) {
    case link_method::mean_mean: return "mean-mean";
    case link_method::mean_sigma: return "mean-sigma";
    case link_method::haebara: return "haebara";
    case link_method::stocking_lord: return "stocking-lord";
  }
  return "?";
}
std::optional<link_method> parse_link_method(std::string_view s) noexcept {
  for (auto m : {link_method::mean_mean, link_method::mean_sigma, link_method::haebara, link_method::stocking_lord})
    if (s == to_string(m)) return m;
  if (s == "mm") return link_method::mean_mean;
  if (s == "ms") return link_method::mean_sigma;
  if (s == "hb") return link_method::haebara;
  if (s == "sl") return link_method::stocking_lord;
  return std::nullopt;
}
std::string_view to_string(pretest_method m) noexcept {
  switch (m) {
    case pretest_method::fixed_theta: return "fixed-theta";
    case pretest_method::oem: return "oem";
    case pretest_method::mem: return "mem";
  }
  return "?";
}

irt::item_params transform(const irt::item_params& item, const link_constants& k) {
  irt::item_params out = item;
  out.slope = item.slope / k.A;
  if (irt::is_divide_by_total(item.kind)) {
    // z_k = slope * s_k * theta + d_k: theta_new = (theta - B) / A gives d_k' = d_k - slope' * s_k * B.
    for (std::size_t j = 0; j < out.intercepts.size(); ++j)
      out.intercepts[j] = item.intercepts[j] - out.slope * item.category_score(static_cast<int>(j + 1)) * k.B;
  } else {
    for (auto& d : out.intercepts) d -= out.slope * k.B;
  }
  return out;
}

namespace {
// Nelder-Mead on two variables.
template <class F>
std::array<double, 2> nelder_mead(F f, std::array<double, 2> x0, int& iterations, double& best) {
  std::array<std::array<double, 2>, 3> s = {x0, {x0[0] + 0.1, x0[1]}, {x0[0], x0[1] + 0.1}};
  std::array<double, 3> v = {f(s[0]), f(s[1]), f(s[2])};
  for (iterations = 0; iterations < 2000; ++iterations) {
    std::array<int, 3> o = {0, 1, 2};
    std::sort(o.begin(), o.end(), [&](int a, int b) { return v[static_cast<std::size_t>(a)] < v[static_cast<std::size_t>(b)]; });
    auto S = s;
    auto V = v;
    for (int i = 0; i < 3; ++i) {
      s[static_cast<std::size_t>(i)] = S[static_cast<std::size_t>(o[static_cast<std::size_t>(i)])];
      v[static_cast<std::size_t>(i)] = V[static_cast<std::size_t>(o[static_cast<std::size_t>(i)])];
    }
    const double spread = std::max(std::abs(s[2][0] - s[0][0]), std::abs(s[2][1] - s[0][1]));
    if (spread < 1e-10 && std::abs(v[2] - v[0]) < 1e-14 * (1 + std::abs(v[0]))) break;
    const std::array<double, 2> c = {(s[0][0] + s[1][0]) / 2, (s[0][1] + s[1][1]) / 2};
    auto at = [&](double t) { return std::array<double, 2>{c[0] + t * (s[2][0] - c[0]), c[1] + t * (s[2][1] - c[1])}; };
    const auto xr = at(-1.0);
    const double fr = f(xr);
    if (fr < v[0]) {
      const auto xe = at(-2.0);
      const double fe = f(xe);
      if (fe < fr) s[2] = xe, v[2] = fe;
      else s[2] = xr, v[2] = fr;
    } else if (fr < v[1]) {
      s[2] = xr, v[2] = fr;
    } else {
      const auto xc = fr < v[2] ? at(-0.5) : at(0.5);
      const double fc = f(xc);
      if (fc < std::min(fr, v[2])) {
        s[2] = xc, v[2] = fc;
      } else {
        for (int i = 1; i < 3; ++i) {
          auto& p = s[static_cast<std::size_t>(i)];
          p = {s[0][0] + 0.5 * (p[0] - s[0][0]), s[0][1] + 0.5 * (p[1] - s[0][1])};
          v[static_cast<std::size_t>(i)] = f(p);
        }
      }
    }
  }
  std::size_t b = 0;
  for (std::size_t i = 1; i < 3; ++i)
    if (v[i] < v[b]) b = i;
  best = v[b];
  return s[b];
}

void collect(std::span<const irt::item_params> items, std::vector<double>& a, std::vector<double>& b) {
  for (const auto& it : items) {
    const auto f = irt::to_difficulty_form(it);
    a.push_back(f.a);
    for (double x : f.b) b.push_back(x);
  }
}
double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}
double sd(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}
}  // namespace

link_constants link(std::span<const irt::item_params> from, std::span<const irt::item_params> to,
                    const link_options& opts) {
  if (from.empty() || from.size() != to.size())
    throw invalid_argument(fmt::format("linking needs the same anchors on both scales, got {} and {}", from.size(), to.size()));
  for (std::size_t i = 0; i < from.size(); ++i)
    if (from[i].kind != to[i].kind || from[i].categories() != to[i].categories())
      throw invalid_argument(fmt::format("anchor {} has a different model or number of categories on the two scales", i + 1));
  std::vector<double> a_from, b_from, a_to, b_to;
  collect(from, a_from, b_from);
  collect(to, a_to, b_to);
  link_constants k;
  if (opts.method == link_method::mean_mean) {
    k.A = mean(a_from) / mean(a_to);
  } else {
    const double sf = sd(b_from);
    k.A = sf > 0 ? sd(b_to) / sf : mean(a_from) / mean(a_to);
  }
  k.B = mean(b_to) - k.A * mean(b_from);
  if (opts.method == link_method::mean_mean || opts.method == link_method::mean_sigma) return k;

  const auto q = make_quadrature(opts.grid, opts.weights);
  const std::size_t Q = q.size();
  // Category probabilities of items on the grid, per item: [node][category].
  auto curves = [&](std::span<const irt::item_params> items) {
    std::vector<std::vector<double>> out(items.size());
    double p[irt::max_categories];
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto K = static_cast<std::size_t>(items[i].categories());
      out[i].resize(Q * K);
      for (std::size_t n = 0; n < Q; ++n) {
        irt::probabilities(items[i], q.nodes[n], p);
        for (std::size_t c = 0; c < K; ++c) out[i][n * K + c] = p[c];
      }
    }
    return out;
  };
  const auto base_curves = curves(to);
  const auto new_curves = opts.symmetric ? curves(from) : std::vector<std::vector<double>>{};
  const bool haebara = opts.method == link_method::haebara;
  std::vector<double> tcc(Q), tcc_target(Q);
  // The loss of `items` moved by t against the target curves on the grid.
  auto one_side = [&](std::span<const irt::item_params> items, const std::vector<std::vector<double>>& target,
                      const link_constants& t) {
    double total = 0, p[irt::max_categories];
    std::fill(tcc.begin(), tcc.end(), 0.0);
    std::fill(tcc_target.begin(), tcc_target.end(), 0.0);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto moved = transform(items[i], t);
      const int K = moved.categories();
      for (std::size_t n = 0; n < Q; ++n) {
        irt::probabilities(moved, q.nodes[n], p);
        const double* pb = target[i].data() + n * static_cast<std::size_t>(K);
        if (haebara) {
          double s = 0;
          for (int c = 0; c < K; ++c) s += (pb[c] - p[c]) * (pb[c] - p[c]);
          total += q.weights[n] * s;
        } else {
          for (int c = 1; c < K; ++c) {
            tcc[n] += c * p[c];
            tcc_target[n] += c * pb[c];
          }
        }
      }
    }
    if (!haebara)
      for (std::size_t n = 0; n < Q; ++n) total += q.weights[n] * (tcc_target[n] - tcc[n]) * (tcc_target[n] - tcc[n]);
    return total;
  };
  auto loss = [&](std::array<double, 2> x) {
    if (!(x[0] > 1e-6)) return 1e300;
    const link_constants t{x[0], x[1]};
    double total = one_side(from, base_curves, t);
    // The inverse transformation theta_new = (theta_base - B) / A moves base items to the new scale.
    if (opts.symmetric) total += one_side(to, new_curves, link_constants{1.0 / x[0], -x[1] / x[0]});
    return total;
  };
  double best = 0;
  const auto x = nelder_mead(loss, {k.A > 0 ? k.A : 1.0, k.B}, k.iterations, best);
  k.A = x[0];
  k.B = x[1];
  k.criterion = best;
  return k;
}

link_constants link_standard_errors(std::span<const irt::item_params> from, std::span<const irt::item_params> to,
                                    std::span<const irt::difficulty_form> se_from, std::span<const irt::difficulty_form> se_to,
                                    link_constants k, const link_options& opts) {
  if (se_from.size() != from.size() || se_to.size() != to.size())
    throw invalid_argument(fmt::format("linking SEs need one SE entry per anchor: {} and {} anchors, {} and {} entries",
                                       from.size(), to.size(), se_from.size(), se_to.size()));
  std::vector<irt::item_params> f(from.begin(), from.end()), t(to.begin(), to.end());
  double vA = 0, vB = 0, cAB = 0;
  constexpr double h = 1e-4;
  auto sq = [](double v) { return std::isfinite(v) ? v * v : 0.0; };
  // Each difficulty-form parameter of each anchor on one side, perturbed by +-h.
  auto side = [&](std::vector<irt::item_params>& items, std::span<const irt::difficulty_form> se) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto original = items[i];
      const auto form = irt::to_difficulty_form(original);
      auto vary = [&](auto&& set, double variance) {
        if (variance == 0) return;
        auto up = form, down = form;
        set(up, +h);
        set(down, -h);
        items[i] = irt::to_intercept_form(up);
        const auto ku = link(f, t, opts);
        items[i] = irt::to_intercept_form(down);
        const auto kd = link(f, t, opts);
        items[i] = original;
        const double dA = (ku.A - kd.A) / (2 * h), dB = (ku.B - kd.B) / (2 * h);
        vA += dA * dA * variance, vB += dB * dB * variance, cAB += dA * dB * variance;
      };
      vary([](irt::difficulty_form& x, double d) { x.a += d; }, sq(se[i].a));
      for (std::size_t j = 0; j < form.b.size(); ++j)
        vary([j](irt::difficulty_form& x, double d) { x.b[j] += d; }, j < se[i].b.size() ? sq(se[i].b[j]) : 0.0);
      if (original.kind == irt::model::three_pl || original.kind == irt::model::four_pl)
        vary([](irt::difficulty_form& x, double d) { x.c += d; }, sq(se[i].c));
      if (original.kind == irt::model::four_pl) vary([](irt::difficulty_form& x, double d) { x.d += d; }, sq(se[i].d));
    }
  };
  side(f, se_from);
  side(t, se_to);
  k.se_A = std::sqrt(vA);
  k.se_B = std::sqrt(vB);
  k.cov_AB = cAB;
  return k;
}

std::vector<item_estimate> pretest_calibrate(const std::int8_t* resp, std::size_t N, std::size_t J,
                                             std::span<const std::optional<irt::item_params>> operational,
                                             std::span<const irt::model> models, std::span<const double> thetas,
                                             const pretest_options& opts) {
  if (!resp || N == 0 || J == 0) throw invalid_argument("pretest calibration needs responses");
  if (operational.size() != J || models.size() != J)
    throw invalid_argument("pretest calibration needs an operational entry and a model per item");
  if (opts.method == pretest_method::fixed_theta && thetas.size() != N)
    throw invalid_argument(fmt::format("fixed-theta pretest calibration needs one theta per person ({}), got {}", N, thetas.size()));
  if (opts.method == pretest_method::mem) {
    problem pr;
    pr.responses = resp;
    pr.persons = N;
    pr.items = J;
    pr.models.assign(models.begin(), models.end());
    pr.fixed.assign(operational.begin(), operational.end());
    for (std::size_t i = 0; i < J; ++i)
      if (operational[i]) pr.models[i] = operational[i]->kind;
    options o;
    o.grid = opts.grid;
    o.priors = opts.priors;
    o.standard_errors = true;
    o.threads = opts.threads;
    o.free_reference_mean = o.free_reference_variance = true;
    return run(pr, o).items;
  }
  // Categories of the pretest items.
  std::vector<int> cats(J, 2);
  for (std::size_t i = 0; i < J; ++i) {
    if (operational[i]) {
      cats[i] = operational[i]->categories();
      continue;
    }
    int mx = 1;
    for (std::size_t p = 0; p < N; ++p) mx = std::max(mx, static_cast<int>(resp[p * J + i]));
    cats[i] = irt::is_dichotomous(models[i]) ? 2 : mx + 1;
  }
  // Nodes and expected counts per pretest item.
  std::vector<double> nodes;
  std::vector<std::vector<double>> counts(J);
  if (opts.method == pretest_method::oem) {
    nodes = grid_nodes(opts.grid);
    const std::size_t Q = nodes.size();
    for (std::size_t i = 0; i < J; ++i)
      if (!operational[i]) counts[i].assign(static_cast<std::size_t>(cats[i]) * Q, 0.0);
    std::vector<std::vector<double>> logp(J);
    double lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
    for (std::size_t i = 0; i < J; ++i) {
      if (!operational[i]) continue;
      const int K = cats[i];
      logp[i].resize(static_cast<std::size_t>(K) * Q);
      for (std::size_t n = 0; n < Q; ++n) {
        irt::category_terms(*operational[i], nodes[n], lp, g, h);
        for (int k = 0; k < K; ++k) logp[i][static_cast<std::size_t>(k) * Q + n] = lp[k];
      }
    }
    std::vector<double> post(Q);
    for (std::size_t p = 0; p < N; ++p) {
      for (std::size_t n = 0; n < Q; ++n) {
        const double z = (nodes[n] - opts.latent_mean) / opts.latent_sd;
        post[n] = -0.5 * z * z;
      }
      for (std::size_t i = 0; i < J; ++i) {
        const int x = resp[p * J + i];
        if (x < 0 || !operational[i]) continue;
        const double* t = logp[i].data() + static_cast<std::size_t>(x) * Q;
        for (std::size_t n = 0; n < Q; ++n) post[n] += t[n];
      }
      const double m = *std::max_element(post.begin(), post.end());
      double s = 0;
      for (auto& v : post) s += (v = std::exp(v - m));
      for (auto& v : post) v /= s;
      for (std::size_t i = 0; i < J; ++i) {
        const int x = resp[p * J + i];
        if (x < 0 || operational[i]) continue;
        double* r = counts[i].data() + static_cast<std::size_t>(x) * Q;
        for (std::size_t n = 0; n < Q; ++n) r[n] += post[n];
      }
    }
  }
  std::vector<item_estimate> out(J);
  for (std::size_t i = 0; i < J; ++i) {
    auto& est = out[i];
    if (operational[i]) {
      est.params = *operational[i];
      est.fixed = true;
      est.se_intercepts.assign(est.params.intercepts.size(), std::numeric_limits<double>::quiet_NaN());
      est.se_b = est.se_intercepts;
      continue;
    }
    const detail::item_layout L{models[i], cats[i], 1.0};
    std::vector<double> item_nodes;
    std::vector<double> r;
    std::vector<double> observed(static_cast<std::size_t>(cats[i]), 0.0);
    if (opts.method == pretest_method::fixed_theta) {
      std::vector<std::pair<double, int>> pts;
      for (std::size_t p = 0; p < N; ++p) {
        const int x = resp[p * J + i];
        if (x < 0 || !std::isfinite(thetas[p])) continue;
        pts.push_back({thetas[p], x});
      }
      const std::size_t Q = pts.size();
      item_nodes.resize(Q);
      r.assign(static_cast<std::size_t>(cats[i]) * Q, 0.0);
      for (std::size_t n = 0; n < Q; ++n) {
        item_nodes[n] = pts[n].first;
        r[static_cast<std::size_t>(pts[n].second) * Q + n] = 1.0;
      }
    } else {
      item_nodes = nodes;
      r = counts[i];
    }
    const std::size_t Q = item_nodes.size();
    for (int k = 0; k < cats[i]; ++k)
      for (std::size_t n = 0; n < Q; ++n) observed[static_cast<std::size_t>(k)] += r[static_cast<std::size_t>(k) * Q + n];
    double total = 0;
    for (double v : observed) total += v;
    if (total == 0) throw invalid_argument(fmt::format("pretest item {} has no responses", i + 1));
    for (int k = 0; k < cats[i]; ++k)
      if (observed[static_cast<std::size_t>(k)] == 0)
        throw invalid_argument(fmt::format("pretest item {}: nobody chose category {}", i + 1, k));
    auto x = detail::start_values(L, observed);
    detail::newton(L, x, item_nodes, r, opts.priors, 200, 1e-10);
    est.params = detail::to_params(L, x);
    est.free_parameters = L.size();
    const auto n = static_cast<std::size_t>(L.size());
    std::vector<double> g(n), h(n * n);
    detail::objective(L, x, item_nodes, r, opts.priors, g.data(), h.data());
    Eigen::MatrixXd info(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b) info(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = -h[a * n + b];
    Eigen::LDLT<Eigen::MatrixXd> ldlt(info);
    Eigen::MatrixXd V;
    if (ldlt.info() == Eigen::Success && ldlt.isPositive())
      V = ldlt.solve(Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n)));
    detail::fill_standard_errors(L, V, est);
  }
  return out;
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
