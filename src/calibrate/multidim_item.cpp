#include "multidim_item.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::detail {

namespace {
constexpr double neg_inf = -std::numeric_limits<double>::infinity();
constexpr double z_max = 35.0;  // mirt's ABS_MAX_Z
constexpr double p_floor = 1e-300;
constexpr double logit_bound = 15.0;
constexpr int max_reduced = irt::max_categories + 1;

inline double sigmoid(double z) noexcept {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}
inline double logit(double p) noexcept { return std::log(p / (1.0 - p)); }
inline double clampz(double z) noexcept { return z < -z_max ? -z_max : (z > z_max ? z_max : z); }

// Reduced terms at one node: value, gradient gy[0..ny) and Hessian hy (ny x ny, full) over
// y = (t, rest...). r(k) is the node's expected count of category k. Returns false when the
// node has no counts (nothing added).
template <class CountAt>
bool node_terms(const mitem_layout& L, std::span<const double> rest, double t, CountAt&& r, double& value, double* gy,
                double* hy) {
  const int K = L.categories;
  const int ny = 1 + L.rest();
  const bool want = gy != nullptr;
  if (irt::is_dichotomous(L.kind)) {
    const double r0 = r(0), r1 = r(1);
    if (r0 == 0.0 && r1 == 0.0) return false;
    const double d = rest[0];
    const bool has_c = L.kind == irt::model::three_pl || L.kind == irt::model::four_pl;
    const bool has_u = L.kind == irt::model::four_pl;
    const double c = has_c ? sigmoid(rest[1]) : 0.0;
    const double u = has_u ? sigmoid(rest[2]) : 1.0;
    const double span = u - c;
    const double s = sigmoid(clampz(t + d));
    const double P = std::max(c + span * s, p_floor);
    const double Qp = std::max((1.0 - u) + span * (1.0 - s), p_floor);
    value += r1 * std::log(P) + r0 * std::log(Qp);
    if (!want) return true;
    const double s1 = s * (1.0 - s), s2 = s1 * (1.0 - 2.0 * s);
    const double cc = c * (1.0 - c), uu = u * (1.0 - u);
    const double l1 = r1 / P - r0 / Qp;
    const double l2 = -r1 / (P * P) - r0 / (Qp * Qp);
    const double dz = span * s1, dg = (1.0 - s) * cc, du = s * uu;
    const double fz = l1 * dz;
    const double fzz = l2 * dz * dz + l1 * span * s2;
    gy[0] = gy[1] = fz;
    auto H = [&](int i, int j, double v) {
      hy[i * ny + j] = v;
      hy[j * ny + i] = v;
    };
    H(0, 0, fzz);
    H(0, 1, fzz);
    H(1, 1, fzz);
    if (has_c) {
      gy[2] = l1 * dg;
      const double fzg = l2 * dz * dg - l1 * cc * s1;
      H(0, 2, fzg);
      H(1, 2, fzg);
      H(2, 2, l2 * dg * dg + l1 * (1.0 - s) * cc * (1.0 - 2.0 * c));
    }
    if (has_u) {
      gy[3] = l1 * du;
      const double fzu = l2 * dz * du + l1 * uu * s1;
      H(0, 3, fzu);
      H(1, 3, fzu);
      H(2, 3, l2 * dg * du);
      H(3, 3, l2 * du * du + l1 * s * uu * (1.0 - 2.0 * u));
    }
    return true;
  }
  double tot = 0.0;
  double rk[irt::max_categories];
  for (int k = 0; k < K; ++k) tot += (rk[k] = r(k));
  if (tot == 0.0) return false;
  if (L.kind == irt::model::grm) {
    double ps[irt::max_categories + 1], s1[irt::max_categories + 1], s2[irt::max_categories + 1];
    double w[irt::max_categories], v[irt::max_categories];
    ps[0] = 1.0;
    ps[K] = 0.0;
    s1[0] = s1[K] = s2[0] = s2[K] = 0.0;
    for (int k = 1; k < K; ++k) {
      const double s = sigmoid(clampz(t + rest[static_cast<std::size_t>(k - 1)]));
      ps[k] = s;
      s1[k] = s * (1.0 - s);
      s2[k] = s1[k] * (1.0 - 2.0 * s);
    }
    for (int k = 0; k < K; ++k) {
      const double P = std::max(ps[k] - ps[k + 1], p_floor);
      value += rk[k] * std::log(P);
      w[k] = rk[k] / P;
      v[k] = rk[k] / (P * P);
    }
    if (!want) return true;
    // Over the intercepts: gradient (w_j - w_{j-1}) s1_j; Hessian tridiagonal.
    for (int i = 0; i < ny * ny; ++i) hy[i] = 0.0;
    double gt = 0.0;
    for (int j = 1; j < K; ++j) {
      const double g = (w[j] - w[j - 1]) * s1[j];
      gy[j] = g;
      gt += g;
      hy[j * ny + j] = s2[j] * (w[j] - w[j - 1]) - s1[j] * s1[j] * (v[j] + v[j - 1]);
      if (j + 1 < K) {
        const double o = v[j] * s1[j] * s1[j + 1];
        hy[j * ny + j + 1] = o;
        hy[(j + 1) * ny + j] = o;
      }
    }
    gy[0] = gt;
    // t shifts every intercept: its rows are the sums of the intercepts' rows.
    double htt = 0.0;
    for (int j = 1; j < K; ++j) {
      double row = 0.0;
      for (int i = 1; i < K; ++i) row += hy[i * ny + j];
      hy[j] = hy[j * ny] = row;
      htt += row;
    }
    hy[0] = htt;
    return true;
  }
  // gpcm: z_k = k t + d_k.
  double z[irt::max_categories], P[irt::max_categories];
  z[0] = 0.0;
  double zm = 0.0;
  for (int k = 1; k < K; ++k) {
    z[k] = k * t + rest[static_cast<std::size_t>(k - 1)];
    zm = std::max(zm, z[k]);
  }
  double sum = 0.0;
  for (int k = 0; k < K; ++k) sum += std::exp(z[k] - zm);
  const double lse = zm + std::log(sum);
  double m = 0.0, m2 = 0.0, sk = 0.0;
  for (int k = 0; k < K; ++k) {
    const double lp = z[k] - lse;
    P[k] = std::exp(lp);
    value += rk[k] * lp;
    m += k * P[k];
    m2 += double(k) * k * P[k];
    sk += rk[k] * k;
  }
  if (!want) return true;
  gy[0] = sk - tot * m;
  hy[0] = -tot * (m2 - m * m);
  for (int j = 1; j < K; ++j) {
    gy[j] = rk[j] - tot * P[j];
    const double c = -tot * P[j] * (j - m);
    hy[j] = hy[j * ny] = c;
    for (int i = 1; i < K; ++i) hy[i * ny + j] = -tot * ((i == j ? P[i] : 0.0) - P[i] * P[j]);
  }
  return true;
}
}  // namespace

int mitem_layout::rest() const noexcept {
  switch (kind) {
    case irt::model::two_pl: return 1;
    case irt::model::three_pl: return 2;
    case irt::model::four_pl: return 3;
    default: return categories - 1;
  }
}

void mitem_layout::project(std::span<double> x) const noexcept {
  if (kind != irt::model::three_pl && kind != irt::model::four_pl) return;
  for (std::size_t i = static_cast<std::size_t>(slopes) + 1; i < x.size(); ++i)
    x[i] = std::clamp(x[i], -logit_bound, logit_bound);
}

double mobjective(const mitem_layout& L, std::span<const double> x, const node_view& v, const double* r, double* grad,
                  double* hess, const item_priors* priors) {
  const auto m = static_cast<std::size_t>(L.slopes);
  const std::size_t n = x.size();
  const auto ny = static_cast<std::size_t>(1 + L.rest());
  const auto rest = x.subspan(m);
  if (L.kind == irt::model::grm)
    for (std::size_t k = 1; k < rest.size(); ++k)
      if (!(rest[k] < rest[k - 1])) return neg_inf;
  if (grad) std::fill(grad, grad + n, 0.0);
  if (hess) std::fill(hess, hess + n * n, 0.0);
  double gy[max_reduced], hy[max_reduced * max_reduced];
  double value = 0.0;
  const std::size_t J = v.nodes;
  for (std::size_t j = 0; j < J; ++j) {
    const double* Xj = v.X + j * v.stride;
    double t = 0.0;
    for (std::size_t l = 0; l < m; ++l) t += x[l] * Xj[v.cols[l]];
    const bool any = node_terms(L, rest, t, [&](int k) { return r[static_cast<std::size_t>(k) * J + j]; }, value,
                                grad ? gy : nullptr, hy);
    if (!any || !grad) continue;
    double xs[irt::max_categories];
    for (std::size_t l = 0; l < m; ++l) xs[l] = Xj[v.cols[l]];
    for (std::size_t l = 0; l < m; ++l) grad[l] += xs[l] * gy[0];
    for (std::size_t i = 1; i < ny; ++i) grad[m + i - 1] += gy[i];
    if (!hess) continue;
    for (std::size_t l = 0; l < m; ++l) {
      const double h0 = xs[l] * hy[0];
      for (std::size_t l2 = l; l2 < m; ++l2) hess[l * n + l2] += h0 * xs[l2];
      for (std::size_t i = 1; i < ny; ++i) hess[l * n + m + i - 1] += xs[l] * hy[i];
    }
    for (std::size_t i = 1; i < ny; ++i)
      for (std::size_t i2 = i; i2 < ny; ++i2) hess[(m + i - 1) * n + m + i2 - 1] += hy[i * ny + i2];
  }
  if (hess)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) hess[j * n + i] = hess[i * n + j];
  if (!priors) return value;
  const auto& pr = *priors;
  if (pr.slope_lognormal) {
    const double s2 = pr.slope_sdlog * pr.slope_sdlog;
    for (std::size_t l = 0; l < m; ++l) {
      const double a = x[l];
      if (!(a > 0)) return neg_inf;
      const double e = std::log(a) - pr.slope_meanlog;
      value += -std::log(a) - 0.5 * e * e / s2;
      if (grad) grad[l] += -1.0 / a - e / (s2 * a);
      if (hess) hess[l * n + l] += (1.0 - 1.0 / s2 + e / s2) / (a * a);
    }
  }
  const bool dich = irt::is_dichotomous(L.kind);
  if (pr.difficulty_normal) {  // on the intercepts
    const double s2 = pr.difficulty_sd * pr.difficulty_sd;
    const std::size_t nd = dich ? 1 : static_cast<std::size_t>(L.rest());
    for (std::size_t k = 0; k < nd; ++k) {
      const std::size_t i = m + k;
      const double e = x[i] - pr.difficulty_mean;
      value += -0.5 * e * e / s2;
      if (grad) grad[i] += -e / s2;
      if (hess) hess[i * n + i] += -1.0 / s2;
    }
  }
  if (pr.lower_beta && (L.kind == irt::model::three_pl || L.kind == irt::model::four_pl)) {
    const std::size_t i = m + 1;
    const double c = sigmoid(x[i]), al = pr.lower_alpha, be = pr.lower_beta_b;
    value += (al - 1.0) * std::log(c) + (be - 1.0) * std::log1p(-c);
    if (grad) grad[i] += (al - 1.0) * (1.0 - c) - (be - 1.0) * c;
    if (hess) hess[i * n + i] += -(al + be - 2.0) * c * (1.0 - c);
  }
  return value;
}

int mnewton(const mitem_layout& L, std::vector<double>& x, const node_view& v, const double* r, int max_iterations,
            double tolerance, const item_priors* priors) {
  const std::size_t n = x.size();
  const auto N = static_cast<Eigen::Index>(n);
  std::vector<double> grad(n), hess(n * n), xn(n), grad_n(n), hess_n(n * n);
  double f = mobjective(L, x, v, r, grad.data(), hess.data(), priors);
  if (!std::isfinite(f)) return 0;
  int it = 0;
  Eigen::MatrixXd A(N, N), B(N, N);
  Eigen::VectorXd step;
  for (; it < max_iterations; ++it) {
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> H(hess.data(), N, N);
    Eigen::Map<const Eigen::VectorXd> g(grad.data(), N);
    A = -H;
    step.resize(0);
    double shift = 0.0;
    for (int tries = 0; tries < 30; ++tries) {
      B = A;
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
    if (biggest > 1.0) step *= 1.0 / biggest;
    double tstep = 1.0, fn = f;
    bool accepted = false;
    for (int h = 0; h < 40; ++h) {
      for (std::size_t i = 0; i < n; ++i) xn[i] = x[i] + tstep * step[static_cast<Eigen::Index>(i)];
      L.project(xn);
      fn = h == 0 ? mobjective(L, xn, v, r, grad_n.data(), hess_n.data(), priors)
                  : mobjective(L, xn, v, r, nullptr, nullptr, priors);
      if (std::isfinite(fn) && fn >= f - 1e-12 * std::abs(f)) {
        accepted = true;
        break;
      }
      tstep *= 0.5;
    }
    if (!accepted) break;
    x = xn;
    const double moved = tstep * step.cwiseAbs().maxCoeff();
    if (tstep == 1.0) {
      f = fn;
      grad.swap(grad_n);
      hess.swap(hess_n);
    } else {
      f = mobjective(L, x, v, r, grad.data(), hess.data(), priors);
    }
    if (moved < tolerance) {
      ++it;
      break;
    }
  }
  return it;
}

irt::item_params mto_params(const mitem_layout& L, std::span<const double> x) {
  irt::item_params p;
  p.kind = L.kind;
  p.slope = 1.0;
  const auto rest = x.subspan(static_cast<std::size_t>(L.slopes));
  if (irt::is_dichotomous(L.kind)) {
    p.intercepts = {rest[0]};
    if (L.kind == irt::model::three_pl || L.kind == irt::model::four_pl) p.lower = sigmoid(rest[1]);
    if (L.kind == irt::model::four_pl) p.upper = sigmoid(rest[2]);
  } else {
    p.intercepts.assign(rest.begin(), rest.end());
  }
  return p;
}

std::vector<double> mfrom_params(const mitem_layout& L, const irt::item_params& p, std::span<const double> slopes) {
  std::vector<double> x(slopes.begin(), slopes.end());
  if (irt::is_dichotomous(L.kind)) {
    x.push_back(p.intercepts.at(0));
    if (L.kind == irt::model::three_pl || L.kind == irt::model::four_pl)
      x.push_back(logit(std::clamp(p.lower, 1e-6, 1 - 1e-6)));
    if (L.kind == irt::model::four_pl) x.push_back(logit(std::clamp(p.upper, 1e-6, 1 - 1e-6)));
  } else {
    x.insert(x.end(), p.intercepts.begin(), p.intercepts.end());
  }
  return x;
}

}  // namespace calibrate::detail
DSKILL_END_NAMESPACE
