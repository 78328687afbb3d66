#include "item_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

DSKILL_BEGIN_NAMESPACE
namespace calibrate::detail {

namespace {
constexpr double neg_inf = -std::numeric_limits<double>::infinity();
constexpr double z_max = 35.0;  // mirt's ABS_MAX_Z
constexpr double p_floor = 1e-300;

inline double sigmoid(double z) noexcept {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}
inline double logit(double p) noexcept { return std::log(p / (1.0 - p)); }
inline double clampz(double z) noexcept { return z < -z_max ? -z_max : (z > z_max ? z_max : z); }

// Adds the log prior of a slope a (free at index ia) and its derivatives.
double slope_prior(const item_priors& pr, double a, int ia, std::size_t n, double* grad, double* hess) {
  if (!pr.slope_lognormal || ia < 0) return 0.0;
  if (!(a > 0)) return neg_inf;
  const double s2 = pr.slope_sdlog * pr.slope_sdlog;
  const double l = std::log(a) - pr.slope_meanlog;
  if (grad) grad[ia] += -1.0 / a - l / (s2 * a);
  if (hess) hess[static_cast<std::size_t>(ia) * n + static_cast<std::size_t>(ia)] += (1.0 - 1.0 / s2 + l / s2) / (a * a);
  return -std::log(a) - 0.5 * l * l / s2;
}

// Normal prior on b = -d / a (d at index id, a at index ia or fixed).
double difficulty_prior(const item_priors& pr, double a, double d, int ia, int id, std::size_t n, double* grad,
                        double* hess) {
  if (!pr.difficulty_normal) return 0.0;
  if (a == 0) return neg_inf;
  const double s2 = pr.difficulty_sd * pr.difficulty_sd;
  const double b = -d / a;
  const double e = (b - pr.difficulty_mean) / s2;
  const std::size_t uid = static_cast<std::size_t>(id);
  // db/dd = -1/a; db/da = d/a^2; d2b/da2 = -2d/a^3; d2b/dadd = 1/a^2.
  const double bd = -1.0 / a;
  if (grad) grad[id] += -e * bd;
  if (hess) hess[uid * n + uid] += -bd * bd / s2;
  if (ia >= 0) {
    const std::size_t ua = static_cast<std::size_t>(ia);
    const double ba = d / (a * a);
    if (grad) grad[ia] += -e * ba;
    if (hess) {
      hess[ua * n + ua] += -ba * ba / s2 - e * (-2.0 * d / (a * a * a));
      const double cross = -ba * bd / s2 - e * (1.0 / (a * a));
      hess[ua * n + uid] += cross;
      hess[uid * n + ua] += cross;
    }
  }
  return -0.5 * (b - pr.difficulty_mean) * (b - pr.difficulty_mean) / s2;
}

double dichotomous_objective(const item_layout& L, std::span<const double> x, std::span<const double> nodes,
                             std::span<const double> r, const item_priors& pr, double* grad, double* hess) {
  int ia = -1, id = 0, ig = -1, iu = -1;
  switch (L.kind) {
    case irt::model::one_pl: id = 0; break;
    case irt::model::two_pl: ia = 0; id = 1; break;
    case irt::model::three_pl: ia = 0; id = 1; ig = 2; break;
    default: ia = 0; id = 1; ig = 2; iu = 3; break;
  }
  const std::size_t n = x.size();
  const double a = ia >= 0 ? x[0] : L.fixed_slope;
  const double d = x[static_cast<std::size_t>(id)];
  const double c = ig >= 0 ? sigmoid(x[2]) : 0.0;
  const double u = iu >= 0 ? sigmoid(x[3]) : 1.0;
  const double span = u - c;
  const std::size_t Q = nodes.size();
  double value = 0.0;
  // Gradient and Hessian in the full (a, d, g, u) coordinates, mapped at the end.
  double G[4] = {0, 0, 0, 0};
  double H[4][4] = {};
  const double cc = c * (1.0 - c), uu = u * (1.0 - u);
  for (std::size_t q = 0; q < Q; ++q) {
    const double r0 = r[q], r1 = r[Q + q];
    if (r0 == 0.0 && r1 == 0.0) continue;
    const double th = nodes[q];
    const double s = sigmoid(clampz(a * th + d));
    const double P = std::max(c + span * s, p_floor);
    const double Qp = std::max((1.0 - u) + span * (1.0 - s), p_floor);
    value += r1 * std::log(P) + r0 * std::log(Qp);
    if (!grad) continue;
    const double s1 = s * (1.0 - s), s2 = s1 * (1.0 - 2.0 * s);
    const double l1 = r1 / P - r0 / Qp;
    const double l2 = -r1 / (P * P) - r0 / (Qp * Qp);
    const double dP[4] = {span * s1 * th, span * s1, (1.0 - s) * cc, s * uu};
    for (int i = 0; i < 4; ++i) G[i] += l1 * dP[i];
    if (!hess) continue;
    for (int i = 0; i < 4; ++i)
      for (int j = i; j < 4; ++j) H[i][j] += l2 * dP[i] * dP[j];
    H[0][0] += l1 * span * s2 * th * th;
    H[0][1] += l1 * span * s2 * th;
    H[1][1] += l1 * span * s2;
    H[0][2] += l1 * (-cc * s1 * th);
    H[1][2] += l1 * (-cc * s1);
    H[0][3] += l1 * (uu * s1 * th);
    H[1][3] += l1 * (uu * s1);
    H[2][2] += l1 * (1.0 - s) * cc * (1.0 - 2.0 * c);
    H[3][3] += l1 * s * uu * (1.0 - 2.0 * u);
  }
  const int map[4] = {ia, id, ig, iu};
  if (grad) {
    for (std::size_t i = 0; i < n; ++i) grad[i] = 0.0;
    for (int i = 0; i < 4; ++i)
      if (map[i] >= 0) grad[map[i]] += G[i];
  }
  if (hess) {
    for (std::size_t i = 0; i < n * n; ++i) hess[i] = 0.0;
    for (int i = 0; i < 4; ++i)
      for (int j = i; j < 4; ++j) {
        if (map[i] < 0 || map[j] < 0) continue;
        const auto mi = static_cast<std::size_t>(map[i]), mj = static_cast<std::size_t>(map[j]);
        hess[mi * n + mj] = H[i][j];
        hess[mj * n + mi] = H[i][j];
      }
  }
  double lp = slope_prior(pr, a, ia, n, grad, hess);
  lp += difficulty_prior(pr, a, d, ia, id, n, grad, hess);
  if (pr.lower_beta && ig >= 0) {
    const double al = pr.lower_alpha, be = pr.lower_beta_b;
    lp += (al - 1.0) * std::log(c) + (be - 1.0) * std::log1p(-c);
    if (grad) grad[ig] += (al - 1.0) * (1.0 - c) - (be - 1.0) * c;
    if (hess) hess[static_cast<std::size_t>(ig) * n + static_cast<std::size_t>(ig)] += -(al + be - 2.0) * cc;
  }
  return value + lp;
}

double grm_objective(const item_layout& L, std::span<const double> x, std::span<const double> nodes,
                     std::span<const double> r, const item_priors& pr, double* grad, double* hess) {
  const int K = L.categories;
  const std::size_t n = x.size();
  const double a = x[0];
  for (int k = 2; k < K; ++k)
    if (!(x[static_cast<std::size_t>(k)] < x[static_cast<std::size_t>(k - 1)])) return neg_inf;
  if (grad) std::fill(grad, grad + n, 0.0);
  if (hess) std::fill(hess, hess + n * n, 0.0);
  const std::size_t Q = nodes.size();
  double ps[irt::max_categories + 1], s1[irt::max_categories + 1], s2[irt::max_categories + 1];
  double w[irt::max_categories], v[irt::max_categories];
  double value = 0.0;
  for (std::size_t q = 0; q < Q; ++q) {
    const double th = nodes[q];
    double tot = 0.0;
    for (int k = 0; k < K; ++k) tot += r[static_cast<std::size_t>(k) * Q + q];
    if (tot == 0.0) continue;
    ps[0] = 1.0;
    ps[K] = 0.0;
    s1[0] = s1[K] = s2[0] = s2[K] = 0.0;
    for (int k = 1; k < K; ++k) {
      const double s = sigmoid(clampz(a * th + x[static_cast<std::size_t>(k)]));
      ps[k] = s;
      s1[k] = s * (1.0 - s);
      s2[k] = s1[k] * (1.0 - 2.0 * s);
    }
    for (int k = 0; k < K; ++k) {
      const double rk = r[static_cast<std::size_t>(k) * Q + q];
      const double P = std::max(ps[k] - ps[k + 1], p_floor);
      value += rk * std::log(P);
      w[k] = rk / P;
      v[k] = rk / (P * P);
    }
    if (!grad) continue;
    for (int j = 1; j < K; ++j) {
      const double wj = w[j] - w[j - 1];
      grad[0] += wj * s1[j] * th;
      grad[j] += wj * s1[j];
      if (hess) {
        hess[0] += wj * s2[j] * th * th;
        hess[static_cast<std::size_t>(j)] += wj * s2[j] * th;  // (0, j); mirrored below
        hess[static_cast<std::size_t>(j) * n + static_cast<std::size_t>(j)] += wj * s2[j];
      }
    }
    if (!hess) continue;
    for (int k = 0; k < K; ++k) {
      if (v[k] == 0.0) continue;
      // grad P_k: a -> (s1_k - s1_{k+1}) th; d_k -> s1_k; d_{k+1} -> -s1_{k+1}
      const double ga = (s1[k] - s1[k + 1]) * th;
      hess[0] -= v[k] * ga * ga;
      if (k >= 1) {
        const auto ik = static_cast<std::size_t>(k);
        hess[ik] -= v[k] * ga * s1[k];
        hess[ik * n + ik] -= v[k] * s1[k] * s1[k];
      }
      if (k + 1 <= K - 1) {
        const auto ik1 = static_cast<std::size_t>(k + 1);
        hess[ik1] -= v[k] * ga * (-s1[k + 1]);
        hess[ik1 * n + ik1] -= v[k] * s1[k + 1] * s1[k + 1];
        if (k >= 1) {
          const auto ik = static_cast<std::size_t>(k);
          hess[ik * n + ik1] -= v[k] * s1[k] * (-s1[k + 1]);
        }
      }
    }
  }
  if (hess) {  // mirror the upper triangle
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) hess[j * n + i] = hess[i * n + j];
  }
  double lp = slope_prior(pr, a, 0, n, grad, hess);
  for (int k = 1; k < K; ++k) lp += difficulty_prior(pr, a, x[static_cast<std::size_t>(k)], 0, k, n, grad, hess);
  return value + lp;
}

double divide_by_total_objective(const item_layout& L, std::span<const double> x, std::span<const double> nodes,
                                 std::span<const double> r, const item_priors& pr, double* grad,
                                 double* hess) {
  const int K = L.categories;
  const bool has_a = L.kind != irt::model::pcm;
  const int off = has_a ? 1 : 0;  // index of d_1
  const std::size_t n = x.size();
  const double a = has_a ? x[0] : L.fixed_slope;
  if (grad) std::fill(grad, grad + n, 0.0);
  if (hess) std::fill(hess, hess + n * n, 0.0);
  const std::size_t Q = nodes.size();
  double z[irt::max_categories], P[irt::max_categories];
  double value = 0.0;
  for (std::size_t q = 0; q < Q; ++q) {
    const double th = nodes[q];
    double N = 0.0;
    for (int k = 0; k < K; ++k) N += r[static_cast<std::size_t>(k) * Q + q];
    if (N == 0.0) continue;
    double zm = 0.0;
    z[0] = 0.0;
    for (int k = 1; k < K; ++k) {
      z[k] = a * k * th + x[static_cast<std::size_t>(off + k - 1)];
      zm = std::max(zm, z[k]);
    }
    double sum = 0.0;
    for (int k = 0; k < K; ++k) sum += std::exp(z[k] - zm);
    const double lse = zm + std::log(sum);
    double m = 0.0, m2 = 0.0;
    for (int k = 0; k < K; ++k) {
      const double lp = z[k] - lse;
      P[k] = std::exp(lp);
      value += r[static_cast<std::size_t>(k) * Q + q] * lp;
      m += k * P[k];
      m2 += double(k) * k * P[k];
    }
    if (!grad) continue;
    double sk = 0.0;  // sum_k r_k k
    for (int k = 1; k < K; ++k) {
      const double rk = r[static_cast<std::size_t>(k) * Q + q];
      sk += rk * k;
      grad[off + k - 1] += rk - N * P[k];
    }
    if (has_a) grad[0] += th * (sk - N * m);
    if (!hess) continue;
    if (has_a) {
      hess[0] -= N * th * th * (m2 - m * m);
      for (int j = 1; j < K; ++j) {
        const double cov = th * P[j] * (j - m);
        hess[static_cast<std::size_t>(j)] -= N * cov;
        hess[static_cast<std::size_t>(j) * n] -= N * cov;
      }
    }
    for (int i = 1; i < K; ++i)
      for (int j = 1; j < K; ++j) {
        const double cov = (i == j ? P[i] : 0.0) - P[i] * P[j];
        hess[static_cast<std::size_t>(off + i - 1) * n + static_cast<std::size_t>(off + j - 1)] -= N * cov;
      }
  }
  double lp = has_a ? slope_prior(pr, a, 0, n, grad, hess) : 0.0;
  if (pr.difficulty_normal) {  // on the intercepts d_k
    const double s2 = pr.difficulty_sd * pr.difficulty_sd;
    for (int k = 1; k < K; ++k) {
      const auto i = static_cast<std::size_t>(off + k - 1);
      const double e = x[i] - pr.difficulty_mean;
      lp += -0.5 * e * e / s2;
      if (grad) grad[i] += -e / s2;
      if (hess) hess[i * n + i] += -1.0 / s2;
    }
  }
  return value + lp;
}
}  // namespace

int item_layout::size() const noexcept {
  switch (kind) {
    case irt::model::one_pl: return 1;
    case irt::model::two_pl: return 2;
    case irt::model::three_pl: return 3;
    case irt::model::four_pl: return 4;
    case irt::model::pcm: return categories - 1;
    default: return categories;
  }
}

void item_layout::project(std::span<double> x) const noexcept {
  if (kind != irt::model::three_pl && kind != irt::model::four_pl) return;
  for (std::size_t i = 2; i < x.size(); ++i) x[i] = std::clamp(x[i], -logit_bound, logit_bound);
}

irt::item_params to_params(const item_layout& L, std::span<const double> x) {
  irt::item_params p;
  p.kind = L.kind;
  switch (L.kind) {
    case irt::model::one_pl:
      p.slope = L.fixed_slope;
      p.intercepts = {x[0]};
      break;
    case irt::model::two_pl:
    case irt::model::three_pl:
    case irt::model::four_pl:
      p.slope = x[0];
      p.intercepts = {x[1]};
      if (L.kind != irt::model::two_pl) p.lower = sigmoid(x[2]);
      if (L.kind == irt::model::four_pl) p.upper = sigmoid(x[3]);
      break;
    case irt::model::pcm:
      p.slope = L.fixed_slope;
      p.intercepts.assign(x.begin(), x.end());
      break;
    default:
      p.slope = x[0];
      p.intercepts.assign(x.begin() + 1, x.end());
      break;
  }
  return p;
}

std::vector<double> from_params(const item_layout& L, const irt::item_params& p) {
  std::vector<double> x;
  switch (L.kind) {
    case irt::model::one_pl: x = {p.intercepts.at(0)}; break;
    case irt::model::two_pl: x = {p.slope, p.intercepts.at(0)}; break;
    case irt::model::three_pl: x = {p.slope, p.intercepts.at(0), logit(std::clamp(p.lower, 1e-6, 1 - 1e-6))}; break;
    case irt::model::four_pl:
      x = {p.slope, p.intercepts.at(0), logit(std::clamp(p.lower, 1e-6, 1 - 1e-6)),
           logit(std::clamp(p.upper, 1e-6, 1 - 1e-6))};
      break;
    case irt::model::pcm: x = p.intercepts; break;
    default:
      x = {p.slope};
      x.insert(x.end(), p.intercepts.begin(), p.intercepts.end());
      break;
  }
  return x;
}

double objective(const item_layout& L, std::span<const double> x, std::span<const double> nodes,
                 std::span<const double> r, const item_priors& priors, double* grad, double* hess) {
  if (irt::is_dichotomous(L.kind)) return dichotomous_objective(L, x, nodes, r, priors, grad, hess);
  if (L.kind == irt::model::grm) return grm_objective(L, x, nodes, r, priors, grad, hess);
  return divide_by_total_objective(L, x, nodes, r, priors, grad, hess);
}

int newton(const item_layout& L, std::vector<double>& x, std::span<const double> nodes, std::span<const double> r,
           const item_priors& priors, int max_iterations, double tolerance) {
  const std::size_t n = x.size();
  std::vector<double> grad(n), hess(n * n), xn(n), grad_n(n), hess_n(n * n);
  double f = objective(L, x, nodes, r, priors, grad.data(), hess.data());
  if (!std::isfinite(f)) return 0;
  int it = 0;
  for (; it < max_iterations; ++it) {
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> H(hess.data(),
                                                                                               static_cast<Eigen::Index>(n),
                                                                                               static_cast<Eigen::Index>(n));
    Eigen::Map<const Eigen::VectorXd> g(grad.data(), static_cast<Eigen::Index>(n));
    Eigen::MatrixXd A = -H;
    Eigen::VectorXd step;
    double shift = 0.0;
    for (int tries = 0; tries < 30; ++tries) {
      Eigen::MatrixXd B = A;
      if (shift > 0) B.diagonal().array() += shift;
      Eigen::LLT<Eigen::MatrixXd> llt(B);
      if (llt.info() == Eigen::Success) {
        step = llt.solve(g);
        if (step.allFinite()) break;
      }
      shift = shift == 0.0 ? std::max(1e-8, 1e-4 * A.diagonal().cwiseAbs().maxCoeff()) : shift * 10.0;
      step.resize(0);
    }
    if (step.size() == 0) break;
    const double biggest = step.cwiseAbs().maxCoeff();
    if (biggest > 1.0) step *= 1.0 / biggest;  // trust region on the parameter scale
    double t = 1.0;
    bool accepted = false;
    double fn = f;
    for (int h = 0; h < 40; ++h) {
      for (std::size_t i = 0; i < n; ++i) xn[i] = x[i] + t * step[static_cast<Eigen::Index>(i)];
      L.project(xn);
      // The full step is nearly always taken: its derivatives come with its value, which is the
      // same number either way (the value does not depend on whether they are wanted).
      fn = h == 0 ? objective(L, xn, nodes, r, priors, grad_n.data(), hess_n.data())
                  : objective(L, xn, nodes, r, priors, nullptr, nullptr);
      if (std::isfinite(fn) && fn >= f - 1e-12 * std::abs(f)) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) break;
    x = xn;
    const double moved = t * step.cwiseAbs().maxCoeff();
    if (t == 1.0) {
      f = fn;
      grad.swap(grad_n);
      hess.swap(hess_n);
    } else {
      f = objective(L, x, nodes, r, priors, grad.data(), hess.data());
    }
    if (moved < tolerance) {
      ++it;
      break;
    }
  }
  return it;
}

void fill_standard_errors(const item_layout& L, const Eigen::MatrixXd& V, item_estimate& est) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int nb = static_cast<int>(est.params.intercepts.size());
  est.se_slope = est.se_lower = est.se_upper = nan;
  est.se_intercepts.assign(static_cast<std::size_t>(nb), nan);
  est.se_b.assign(static_cast<std::size_t>(nb), nan);
  const int n = L.size();
  if (V.rows() != n || V.cols() != n) return;
  const auto kind = L.kind;
  const bool slope_free = kind != irt::model::one_pl && kind != irt::model::pcm;
  const int d0 = slope_free ? 1 : 0;
  if (slope_free) est.se_slope = std::sqrt(V(0, 0));
  for (int k = 0; k < nb; ++k) est.se_intercepts[static_cast<std::size_t>(k)] = std::sqrt(V(d0 + k, d0 + k));
  if (kind == irt::model::three_pl || kind == irt::model::four_pl)
    est.se_lower = est.params.lower * (1 - est.params.lower) * std::sqrt(V(2, 2));
  if (kind == irt::model::four_pl) est.se_upper = est.params.upper * (1 - est.params.upper) * std::sqrt(V(3, 3));
  const double a = est.params.slope;
  const auto& d = est.params.intercepts;
  const bool dbt = irt::is_divide_by_total(kind);
  for (int k = 0; k < nb; ++k) {
    Eigen::VectorXd g = Eigen::VectorXd::Zero(n);
    const auto uk = static_cast<std::size_t>(k);
    const double diff = dbt ? d[uk] - (k > 0 ? d[uk - 1] : 0.0) : d[uk];
    g(d0 + k) = -1.0 / a;
    if (dbt && k > 0) g(d0 + k - 1) = 1.0 / a;
    if (slope_free) g(0) = diff / (a * a);
    est.se_b[uk] = std::sqrt(std::max(0.0, g.dot(V * g)));
  }
}

void latent_derivatives(std::span<const double> nodes, std::span<const double> n, double mean, double sd,
                        double& g_mean, double& g_logsd, double& h_mean_mean, double& h_mean_logsd,
                        double& h_logsd_logsd) {
  // log w_q = f_q - log sum_r exp(f_r), f_q = -z_q^2 / 2, z_q = (theta_q - mean) / sd. With
  // df = (z / sd, z^2) and d2f = ((-1/sd^2, -2z/sd), (-2z/sd, -2z^2)), the derivatives are
  // sum_q n_q df_q - N E_w[df] and sum_q n_q d2f_q - N (E_w[d2f] + Cov_w(df)).
  const std::size_t Q = nodes.size();
  double m = -1e300;
  std::vector<double> w(Q);
  for (std::size_t q = 0; q < Q; ++q) {
    const double z = (nodes[q] - mean) / sd;
    w[q] = -0.5 * z * z;
    m = std::max(m, w[q]);
  }
  double sw = 0.0;
  for (double& v : w) sw += (v = std::exp(v - m));
  double N = 0, s1m = 0, s1s = 0, s2ms = 0, s2ss = 0;      // sums over n
  double e1m = 0, e1s = 0, e2ms = 0, e2ss = 0;             // expectations over w of df, d2f
  double emm = 0, ems = 0, ess = 0;                        // expectations over w of df df'
  for (std::size_t q = 0; q < Q; ++q) {
    const double z = (nodes[q] - mean) / sd, wq = w[q] / sw;
    const double fm = z / sd, fs = z * z, fms = -2 * z / sd, fss = -2 * z * z;
    N += n[q];
    s1m += n[q] * fm;
    s1s += n[q] * fs;
    s2ms += n[q] * fms;
    s2ss += n[q] * fss;
    e1m += wq * fm;
    e1s += wq * fs;
    e2ms += wq * fms;
    e2ss += wq * fss;
    emm += wq * fm * fm;
    ems += wq * fm * fs;
    ess += wq * fs * fs;
  }
  g_mean = s1m - N * e1m;
  g_logsd = s1s - N * e1s;
  // d2f_mean,mean = -1/sd^2 is the same at every node, so its n- and w-sums cancel.
  h_mean_mean = -N * (emm - e1m * e1m);
  h_mean_logsd = s2ms - N * (e2ms + ems - e1m * e1s);
  h_logsd_logsd = s2ss - N * (e2ss + ess - e1s * e1s);
}

std::vector<double> start_values(const item_layout& L, std::span<const double> counts) {
  const int K = L.categories;
  double total = 0.0;
  for (int k = 0; k < K; ++k) total += counts[static_cast<std::size_t>(k)];
  auto prop_ge = [&](int k) {  // smoothed P(X >= k)
    double s = 0.0;
    for (int j = k; j < K; ++j) s += counts[static_cast<std::size_t>(j)];
    return (s + 0.5) / (total + 1.0);
  };
  std::vector<double> x;
  const double a0 = 1.0;
  switch (L.kind) {
    case irt::model::one_pl: x = {logit(prop_ge(1)) * 1.3}; break;
    case irt::model::two_pl: x = {a0, logit(prop_ge(1)) * 1.3}; break;
    case irt::model::three_pl: {
      const double p = std::max(prop_ge(1), 0.25);
      x = {a0, logit((p - 0.15) / 0.85) * 1.3, logit(0.15)};
      break;
    }
    case irt::model::four_pl: {
      const double p = std::clamp(prop_ge(1), 0.2, 0.9);
      x = {a0, logit((p - 0.1) / 0.85) * 1.3, logit(0.1), logit(0.95)};
      break;
    }
    case irt::model::grm:
      x = {a0};
      for (int k = 1; k < K; ++k) x.push_back(logit(prop_ge(k)) * 1.3);
      for (std::size_t k = 2; k < x.size(); ++k) x[k] = std::min(x[k], x[k - 1] - 0.05);
      break;
    default: {  // gpcm, pcm: d_k - d_{k-1} = log(n_k / n_{k-1})
      if (L.kind == irt::model::gpcm) x = {a0};
      double d = 0.0;
      for (int k = 1; k < K; ++k) {
        d += std::log((counts[static_cast<std::size_t>(k)] + 0.5) / (counts[static_cast<std::size_t>(k - 1)] + 0.5));
        x.push_back(d);
      }
      break;
    }
  }
  return x;
}

}  // namespace calibrate::detail
DSKILL_END_NAMESPACE
