// MML-EM for compensatory multidimensional items: product grid or QMC over the primary factors,
// the bifactor / two-tier dimension reduction for specific factors, Oakes standard errors.
// See multidim.hpp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "dskill/calibrate/multidim.hpp"
#include "dskill/core/parallel.hpp"
#include "dskill/core/qmc.hpp"
#include "dskill/detail/fast_math.hpp"
#include "dskill/detail/row_sums.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"
#include "item_math.hpp"
#include "multidim_item.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::multidim {

int default_points(std::size_t d) noexcept {
  switch (d) {
    case 0:
    case 1: return 61;
    case 2: return 31;
    case 3: return 15;
    case 4: return 9;
    case 5: return 7;
    default: return 3;
  }
}

namespace {

using detail::mitem_layout;
using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The items sharing a table domain: the same primary loadings (on the grid) and specific factor.
// A domain's sub-grid is the product grid over its primary factors (times the specific points);
// on QMC every item is in one domain over all the nodes.
struct domain {
  std::vector<int> dims;  // primary factors of the sub-grid
  int specific = -1;
  std::size_t base = 1;   // primary sub-grid nodes
  std::size_t size = 1;   // base, times the specific points for a specific domain
  bool identity = false;  // sub-grid index == primary node
  bool contiguous = false;  // the innermost primary factor is one of dims
  std::vector<std::uint32_t> outer_offset;  // sub-grid index of each outer block's first node
  std::vector<std::uint32_t> node_index;    // sub-grid index of each primary node
  std::vector<double> coords;               // size x ncols: dims' coordinates (then the specific's)
  std::size_t ncols = 0;
  std::size_t scratch = 0;  // offset of this domain's buffers in a block's scratch
  bool has_log_odds = false;
};

struct item_info {
  std::size_t dom = 0;
  std::vector<int> cols;      // columns of the domain's coords the slopes multiply
  std::vector<int> slope_dim; // dimension (primary, then factors + specific) of each slope
  mitem_layout layout;
  int K = 2;
  std::size_t table_offset = 0;
  std::size_t param_offset = 0;
  bool log_odds = false;  // dichotomous and complete: enters a pattern only when 1
};

struct pattern_set {
  std::vector<double> freq;
  std::vector<std::uint32_t> start;    // per pattern and domain: (ND + 1) entries per pattern
  std::vector<std::uint32_t> offsets;  // table rows
};

struct block_state {
  std::vector<double> counts, nodes, logG, buf, marg, A, lse, E, spec_nodes;
  std::vector<std::uint32_t> active;
  double ll = 0.0;
};

// What the E-step of a block reads.
struct estep_view {
  const pattern_set* ps = nullptr;
  const std::vector<domain>* domains = nullptr;
  const std::vector<std::vector<std::size_t>>* spec_domains = nullptr;  // per specific
  const double* table = nullptr;
  const double* log_prior = nullptr;  // primary nodes, with the log-odds bases
  const double* log_w1d = nullptr;    // specific points
  // The product path (no specific factors): prior weights exp(log prior - ew_shift), clamped at
  // exp(clamp); the log-odds bases per domain (at each domain's scratch offset).
  const double* ew = nullptr;
  double ew_shift = 0.0, clamp = -700.0;
  const double* base = nullptr;
  // Per specific factor: log w_s plus its domains' log-odds bases on (primary node, point), and
  // whether it has log-odds items (then it enters every pattern).
  const double* spec_init = nullptr;
  const std::uint8_t* spec_always = nullptr;
  std::size_t Q = 0, inner = 0, outer = 0, n1 = 0;
};

DSKILL_ALWAYS_INLINE void broadcast_add(const domain& d, const double* DSKILL_RESTRICT b, double* DSKILL_RESTRICT g,
                                        std::size_t Q, std::size_t inner, std::size_t outer) {
  if (d.identity) {
    for (std::size_t q = 0; q < Q; ++q) g[q] += b[q];
    return;
  }
  for (std::size_t o = 0; o < outer; ++o) {
    const double* src = b + d.outer_offset[o];
    double* dst = g + o * inner;
    if (d.contiguous) {
      for (std::size_t k = 0; k < inner; ++k) dst[k] += src[k];
    } else {
      const double v = src[0];
      for (std::size_t k = 0; k < inner; ++k) dst[k] += v;
    }
  }
}

// marg (d.base values) = the marginal of g over d's sub-grid; returns g itself for an identity domain.
DSKILL_ALWAYS_INLINE const double* marginalise(const domain& d, const double* DSKILL_RESTRICT g,
                                               double* DSKILL_RESTRICT marg, std::size_t inner, std::size_t outer) {
  if (d.identity) return g;
  std::fill(marg, marg + d.base, 0.0);
  for (std::size_t o = 0; o < outer; ++o) {
    const double* src = g + o * inner;
    double* dst = marg + d.outer_offset[o];
    if (d.contiguous) {
      for (std::size_t k = 0; k < inner; ++k) dst[k] += src[k];
    } else {
      double s = 0.0;
      for (std::size_t k = 0; k < inner; ++k) s += src[k];
      dst[0] += s;
    }
  }
  return marg;
}

// One pattern without specific factors as a product: the posterior at node q is
// w(q) * prod_d E_d(q_d), E_d = exp(domain d's log-likelihood (with its log-odds base) - its
// maximum) on the domain's sub-grid, so the full grid sees only multiplications, fused with the
// normalising sum and the marginals in one pass per outer block. Each factor is clamped at
// exp(clamp) (clamp = -700 / (domains + 1), so a product never underflows into subnormals); when
// the total is below exp(clamp / 2) the clamped nodes could matter and the caller takes the log
// path instead (returns false). The bound on the clamping error is then Q exp(clamp / 2) relative.
// Inner is the innermost grid dimension's point count when known at compile time (mirt's
// defaults), so the short row loops unroll; 0 reads it from the view.
template <std::size_t Inner>
DSKILL_ALWAYS_INLINE bool product_pattern(const estep_view& v, block_state& st, const std::uint32_t* st_p, double f,
                                          double& total) {
  const auto& doms = *v.domains;
  const std::size_t ND = doms.size();
  const std::size_t Q = v.Q, inner = Inner > 0 ? Inner : v.inner, outer = v.outer;
  std::uint32_t* active = st.active.data();
  std::size_t n_active = 0;
  double M = v.ew_shift;
  const double clamp = v.clamp;
  for (std::size_t d = 0; d < ND; ++d) {
    const auto& dom = doms[d];
    const bool rows = st_p[d] != st_p[d + 1];
    if (!rows && !dom.has_log_odds) continue;
    active[n_active++] = static_cast<std::uint32_t>(d);
    const double* b = st.buf.data() + dom.scratch;
    const double* bs = v.base + dom.scratch;
    double* DSKILL_RESTRICT e = st.E.data() + dom.scratch;
    const std::size_t sz = dom.size;
    if (rows && dom.has_log_odds) {
      for (std::size_t j = 0; j < sz; ++j) e[j] = b[j] + bs[j];
    } else if (rows) {
      std::copy(b, b + sz, e);
    } else {
      std::copy(bs, bs + sz, e);
    }
    double mx = e[0];
    for (std::size_t j = 1; j < sz; ++j) mx = e[j] > mx ? e[j] : mx;
    for (std::size_t j = 0; j < sz; ++j) {
      double x = e[j] - mx;
      x = x < clamp ? clamp : x;
      e[j] = dskill::detail::exp_vectorizable(x);
    }
    M += mx;
    if (!dom.identity) std::fill(st.marg.data() + dom.scratch, st.marg.data() + dom.scratch + dom.base, 0.0);
  }
  double* DSKILL_RESTRICT G = st.logG.data();
  double tot = 0.0;
  for (std::size_t o = 0; o < outer; ++o) {
    double coef = 1.0;
    for (std::size_t a = 0; a < n_active; ++a) {
      const auto& dom = doms[active[a]];
      if (!dom.contiguous) coef *= st.E[dom.scratch + dom.outer_offset[o]];
    }
    double* DSKILL_RESTRICT row = G + o * inner;
    const double* w = v.ew + o * inner;
    for (std::size_t k = 0; k < inner; ++k) row[k] = w[k] * coef;
    for (std::size_t a = 0; a < n_active; ++a) {
      const auto& dom = doms[active[a]];
      if (!dom.contiguous) continue;
      const double* src = st.E.data() + dom.scratch + dom.outer_offset[o];
      for (std::size_t k = 0; k < inner; ++k) row[k] *= src[k];
    }
    // Four partial sums (one dependency chain would bound the loop by the add latency).
    double r0 = 0.0, r1 = 0.0, r2 = 0.0, r3 = 0.0;
    std::size_t k4 = 0;
    for (; k4 + 4 <= inner; k4 += 4) {
      r0 += row[k4];
      r1 += row[k4 + 1];
      r2 += row[k4 + 2];
      r3 += row[k4 + 3];
    }
    for (; k4 < inner; ++k4) r0 += row[k4];
    const double rs = (r0 + r1) + (r2 + r3);
    tot += rs;
    for (std::size_t a = 0; a < n_active; ++a) {
      const auto& dom = doms[active[a]];
      if (dom.identity) continue;
      double* DSKILL_RESTRICT m = st.marg.data() + dom.scratch + dom.outer_offset[o];
      if (dom.contiguous) {
        for (std::size_t k = 0; k < inner; ++k) m[k] += row[k];
      } else {
        m[0] += rs;
      }
    }
  }
  if (!(tot > std::exp(0.5 * clamp))) return false;
  total += f * (M + std::log(tot));
  const double scale = f / tot;
  double* DSKILL_RESTRICT nodes_acc = st.nodes.data();
  bool identity_rows = false;
  for (std::size_t a = 0; a < n_active; ++a)
    identity_rows = identity_rows || (doms[active[a]].identity && st_p[active[a]] != st_p[active[a] + 1]);
  if (identity_rows) {
    for (std::size_t q = 0; q < Q; ++q) {
      G[q] *= scale;
      nodes_acc[q] += G[q];
    }
  } else {
    for (std::size_t q = 0; q < Q; ++q) nodes_acc[q] += scale * G[q];
  }
  const std::uint32_t* offs = v.ps->offsets.data();
  double* DSKILL_RESTRICT counts = st.counts.data();
  for (std::size_t a = 0; a < n_active; ++a) {
    const auto d = active[a];
    const auto& dom = doms[d];
    const std::uint32_t s = st_p[d], e = st_p[d + 1];
    if (s == e) continue;
    double* marg = G;
    if (!dom.identity) {
      marg = st.marg.data() + dom.scratch;
      for (std::size_t j = 0; j < dom.base; ++j) marg[j] *= scale;
    }
    const std::uint32_t* rows = offs + s;
    dskill::detail::add_to_rows(static_cast<const double*>(marg), e - s, [&](std::size_t r) { return counts + rows[r]; },
                                dom.size);
  }
  return true;
}

DSKILL_CPU_DISPATCH void accumulate_patterns(const estep_view& v, std::size_t lo, std::size_t hi, block_state& st) {
  const auto& ps = *v.ps;
  const auto& doms = *v.domains;
  const std::size_t ND = doms.size();
  const std::size_t Q = v.Q, inner = v.inner, outer = v.outer, n1 = v.n1;
  const std::uint32_t* offs = ps.offsets.data();
  double* DSKILL_RESTRICT logG = st.logG.data();
  double* DSKILL_RESTRICT counts = st.counts.data();
  double* DSKILL_RESTRICT nodes_acc = st.nodes.data();
  const std::size_t n_spec = v.spec_domains->size();
  double total = 0.0;
  for (std::size_t p = lo; p < hi; ++p) {
    const double f = ps.freq[p];
    const std::uint32_t* st_p = ps.start.data() + p * (ND + 1);
    // Row sums per domain over its sub-grid.
    for (std::size_t d = 0; d < ND; ++d) {
      const std::uint32_t s = st_p[d], e = st_p[d + 1];
      if (s == e) continue;
      const std::uint32_t* rows = offs + s;
      const double* first = v.table + rows[0];
      dskill::detail::sum_rows(first, e - s - 1, [&](std::size_t k) { return v.table + rows[k + 1]; }, doms[d].size,
                               st.buf.data() + doms[d].scratch);
    }
    if (n_spec == 0) {
      bool done = false;
      switch (inner) {
        case 15: done = product_pattern<15>(v, st, st_p, f, total); break;
        case 31: done = product_pattern<31>(v, st, st_p, f, total); break;
        case 9: done = product_pattern<9>(v, st, st_p, f, total); break;
        case 7: done = product_pattern<7>(v, st, st_p, f, total); break;
        default: done = product_pattern<0>(v, st, st_p, f, total); break;
      }
      if (done) continue;
    }
    std::copy(v.log_prior, v.log_prior + Q, logG);
    for (std::size_t d = 0; d < ND; ++d)
      if (doms[d].specific < 0 && st_p[d] != st_p[d + 1])
        broadcast_add(doms[d], st.buf.data() + doms[d].scratch, logG, Q, inner, outer);
    // Specific factors, one at a time: A(q, s) = log w_s + their items' sums; logG += log sum_s exp A.
    for (std::size_t k = 0; k < n_spec; ++k) {
      const auto& dk = (*v.spec_domains)[k];
      bool any = v.spec_always[k] != 0;
      for (std::size_t d : dk) any = any || st_p[d] != st_p[d + 1];
      if (!any) continue;
      double* DSKILL_RESTRICT A = st.A.data() + k * Q * n1;
      double* DSKILL_RESTRICT lse = st.lse.data() + k * Q;
      std::copy(v.spec_init + k * Q * n1, v.spec_init + (k + 1) * Q * n1, A);
      for (std::size_t d : dk) {
        if (st_p[d] == st_p[d + 1]) continue;
        const double* b = st.buf.data() + doms[d].scratch;
        const auto& ni = doms[d].node_index;
        for (std::size_t q = 0; q < Q; ++q) {
          const double* src = b + static_cast<std::size_t>(ni[q]) * n1;
          double* dst = A + q * n1;
          for (std::size_t s = 0; s < n1; ++s) dst[s] += src[s];
        }
      }
      for (std::size_t q = 0; q < Q; ++q) {
        double* a = A + q * n1;
        double sum;
        const double m = dskill::detail::exp_relative_to_max(a, n1, sum);
        const double inv = 1.0 / sum;
        for (std::size_t s = 0; s < n1; ++s) a[s] *= inv;  // conditional posterior of s given q
        lse[q] = m + std::log(sum);
        logG[q] += lse[q];
      }
    }
    double sum;
    const double m = dskill::detail::exp_relative_to_max(logG, Q, sum);
    total += f * (m + std::log(sum));
    const double scale = f / sum;
    for (std::size_t q = 0; q < Q; ++q) {
      logG[q] *= scale;
      nodes_acc[q] += logG[q];
    }
    // Expected counts.
    for (std::size_t d = 0; d < ND; ++d) {
      const auto& dom = doms[d];
      if (dom.specific >= 0) continue;
      const std::uint32_t s = st_p[d], e = st_p[d + 1];
      if (s == e) continue;
      const double* marg = marginalise(dom, logG, st.marg.data() + dom.scratch, inner, outer);
      const std::uint32_t* rows = offs + s;
      dskill::detail::add_to_rows(marg, e - s, [&](std::size_t r) { return counts + rows[r]; }, dom.size);
    }
    for (std::size_t k = 0; k < n_spec; ++k) {
      const auto& dk = (*v.spec_domains)[k];
      bool any = v.spec_always[k] != 0;
      for (std::size_t d : dk) any = any || st_p[d] != st_p[d + 1];
      double* DSKILL_RESTRICT A = st.A.data() + k * Q * n1;
      double* DSKILL_RESTRICT joint = st.spec_nodes.data() + k * Q * n1;
      if (!any) continue;
      for (std::size_t q = 0; q < Q; ++q) {
        const double g = logG[q];
        double* a = A + q * n1;
        for (std::size_t s = 0; s < n1; ++s) a[s] *= g;  // joint posterior of (q, s)
      }
      if (v.spec_always[k])
        for (std::size_t j = 0; j < Q * n1; ++j) joint[j] += A[j];
      for (std::size_t d : dk) {
        const std::uint32_t s = st_p[d], e = st_p[d + 1];
        if (s == e) continue;
        const auto& dom = doms[d];
        const double* marg = A;
        if (!dom.identity) {
          double* mg = st.marg.data() + dom.scratch;
          std::fill(mg, mg + dom.size, 0.0);
          for (std::size_t q = 0; q < Q; ++q) {
            double* dst = mg + static_cast<std::size_t>(dom.node_index[q]) * n1;
            const double* src = A + q * n1;
            for (std::size_t t = 0; t < n1; ++t) dst[t] += src[t];
          }
          marg = mg;
        }
        const std::uint32_t* rows = offs + s;
        dskill::detail::add_to_rows(marg, e - s, [&](std::size_t r) { return counts + rows[r]; }, dom.size);
      }
    }
  }
  st.ll = total;
}

// The latent part: free correlations among the primary factors. f(R) = -log det R - tr(R^-1 S)
// (twice the expected complete-data log-density per person, S the posterior second moments).
struct latent_model {
  std::size_t P = 1;
  std::vector<std::pair<int, int>> free;

  Matrix make(std::span<const double> rho) const {
    Matrix R = Matrix::Identity(static_cast<Eigen::Index>(P), static_cast<Eigen::Index>(P));
    for (std::size_t k = 0; k < free.size(); ++k) R(free[k].first, free[k].second) = R(free[k].second, free[k].first) = rho[k];
    return R;
  }
  // Returns -inf when R is not positive definite.
  double objective(const Matrix& S, std::span<const double> rho, Vector* grad, Matrix* hess) const {
    const Matrix R = make(rho);
    Eigen::LLT<Matrix> llt(R);
    if (llt.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
    const Matrix A = llt.solve(Matrix::Identity(R.rows(), R.cols()));
    double logdet = 0.0;
    for (Eigen::Index i = 0; i < R.rows(); ++i) logdet += 2.0 * std::log(llt.matrixL()(i, i));
    const double f = -logdet - (A * S).trace();
    const std::size_t F = free.size();
    if (grad || hess) {
      const Matrix B = A * S * A;
      if (grad) {
        grad->resize(static_cast<Eigen::Index>(F));
        for (std::size_t k = 0; k < F; ++k) {
          const auto [i, j] = free[k];
          (*grad)(static_cast<Eigen::Index>(k)) = 2.0 * (B(i, j) - A(i, j));
        }
      }
      if (hess) {
        hess->resize(static_cast<Eigen::Index>(F), static_cast<Eigen::Index>(F));
        for (std::size_t b = 0; b < F; ++b) {
          const auto [k, l] = free[b];
          // dA = -A E A with E = e_k e_l' + e_l e_k'; dB = dA S A + A S dA.
          const Matrix dA = -(A.col(k) * A.row(l) + A.col(l) * A.row(k));
          const Matrix dB = dA * S * A + A * S * dA;
          for (std::size_t a = 0; a < F; ++a) {
            const auto [i, j] = free[a];
            (*hess)(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = 2.0 * (dB(i, j) - dA(i, j));
          }
        }
      }
    }
    return f;
  }
  void maximise(const Matrix& S, std::vector<double>& rho) const {
    if (free.empty()) return;
    Vector g;
    Matrix H;
    double f = objective(S, rho, &g, &H);
    if (!std::isfinite(f)) {
      std::fill(rho.begin(), rho.end(), 0.0);
      f = objective(S, rho, &g, &H);
    }
    std::vector<double> trial(rho.size());
    for (int it = 0; it < 50; ++it) {
      Vector step;
      Eigen::LLT<Matrix> llt(-H);
      if (llt.info() == Eigen::Success) step = llt.solve(g);
      else step = 0.1 * g;
      const double biggest = step.cwiseAbs().maxCoeff();
      if (biggest > 0.5) step *= 0.5 / biggest;
      double t = 1.0;
      bool ok = false;
      for (int h = 0; h < 40; ++h) {
        for (std::size_t k = 0; k < rho.size(); ++k) trial[k] = rho[k] + t * step(static_cast<Eigen::Index>(k));
        const double ft = objective(S, trial, nullptr, nullptr);
        if (std::isfinite(ft) && ft >= f - 1e-14 * std::abs(f)) {
          ok = true;
          break;
        }
        t *= 0.5;
      }
      if (!ok) break;
      rho = trial;
      f = objective(S, rho, &g, &H);
      if (t * step.cwiseAbs().maxCoeff() < 1e-12) break;
    }
  }
};

void check_structure(const structure& s, const problem& data) {
  if (s.factors < 1) throw invalid_argument("a multidimensional structure needs at least one factor");
  if (s.dimensions() > 32) throw invalid_argument("at most 32 dimensions");
  if (s.loadings.size() != data.items)
    throw invalid_argument(fmt::format("the structure has loadings for {} items, the data {}", s.loadings.size(), data.items));
  if (s.specifics > 0 && s.specific.size() != data.items)
    throw invalid_argument("structure.specific must have one entry per item when there are specific factors");
  if (s.specifics == 0 && !s.specific.empty())
    for (int k : s.specific)
      if (k >= 0) throw invalid_argument("structure.specific names a specific factor but structure.specifics is 0");
  for (std::size_t i = 0; i < data.items; ++i) {
    const auto& l = s.loadings[i];
    for (std::size_t k = 0; k < l.size(); ++k) {
      if (l[k] < 0 || static_cast<std::size_t>(l[k]) >= s.factors)
        throw invalid_argument(fmt::format("item {} loads on factor {}, the structure has {}", i + 1, l[k] + 1, s.factors));
      if (k > 0 && l[k] <= l[k - 1])
        throw invalid_argument(fmt::format("item {}: loadings must be increasing and distinct", i + 1));
    }
    const int sp = s.specific.empty() ? -1 : s.specific[i];
    if (sp >= 0 && static_cast<std::size_t>(sp) >= s.specifics)
      throw invalid_argument(fmt::format("item {} has specific factor {}, the structure has {}", i + 1, sp + 1, s.specifics));
    if (l.empty() && sp < 0) throw invalid_argument(fmt::format("item {} loads on no factor", i + 1));
  }
  for (const auto& [a, b] : s.free_correlations)
    if (a < 0 || b < 0 || a == b || static_cast<std::size_t>(std::max(a, b)) >= s.factors)
      throw invalid_argument(fmt::format("free correlation ({}, {}) is not a pair of distinct primary factors", a + 1, b + 1));
}

// The whole state of one calibration.
struct engine {
  const problem& data;
  const options& opts;
  const structure& S;
  std::size_t P = 1, n1 = 0, Q = 0, inner = 0, outer = 0;
  bool qmc = false;
  int points = 0;
  std::vector<double> points1d, log_w1d;
  std::vector<double> theta;  // Q x P primary node coordinates
  std::vector<double> z;      // QMC: the standard normal points
  std::vector<double> log_prior, log_prior_eff, ew, spec_init;
  std::vector<std::uint8_t> spec_always;
  std::vector<domain> domains;
  std::vector<std::vector<std::size_t>> spec_domains;
  std::vector<item_info> items;
  std::size_t table_size = 0, n_params = 0;
  std::vector<double> table, counts, node_counts, base, spec_nodes;
  pattern_set ps;
  std::vector<block_state> blocks;
  std::size_t n_blocks = 1;
  unsigned threads = 1;
  latent_model lat;
  std::vector<double> rho;

  engine(const problem& d, const options& o) : data(d), opts(o), S(d.factors) {}

  void setup_integration() {
    P = S.factors;
    const bool spec = S.specifics > 0;
    qmc = opts.method == integration::qmc || (opts.method == integration::automatic && !spec && P > 3);
    if (qmc && spec) throw invalid_argument("QMC integration with specific factors is not supported; use the grid");
    points = opts.points > 0 ? opts.points : default_points(P + (spec ? 1 : 0));
    if (points < 2) throw invalid_argument("a grid needs at least 2 points per dimension");
    if (!(opts.hi > opts.lo)) throw invalid_argument("the grid needs hi > lo");
    n1 = static_cast<std::size_t>(points);
    points1d.resize(n1);
    for (std::size_t k = 0; k < n1; ++k)
      points1d[k] = opts.lo + (opts.hi - opts.lo) * static_cast<double>(k) / static_cast<double>(n1 - 1);
    log_w1d.resize(n1);
    double mx = -1e300;
    for (std::size_t k = 0; k < n1; ++k) mx = std::max(mx, log_w1d[k] = -0.5 * points1d[k] * points1d[k]);
    double s = 0.0;
    for (double v : log_w1d) s += std::exp(v - mx);
    for (double& v : log_w1d) v -= mx + std::log(s);
    if (qmc) {
      if (opts.qmc_points < 10) throw invalid_argument("QMC needs at least 10 points");
      Q = static_cast<std::size_t>(opts.qmc_points);
      z = core::halton_normal(Q, P);
      theta = z;
      inner = Q;
      outer = 1;
      points = 0;
    } else {
      Q = 1;
      for (std::size_t d = 0; d < P; ++d) {
        Q *= n1;
        if (Q > 2'000'000) throw invalid_argument("the quadrature grid has more than 2,000,000 nodes; use QMC");
      }
      inner = n1;
      outer = Q / n1;
      theta.resize(Q * P);
      for (std::size_t q = 0; q < Q; ++q) {
        std::size_t r = q;
        for (std::size_t d = P; d-- > 0;) {
          theta[q * P + d] = points1d[r % n1];
          r /= n1;
        }
      }
    }
    lat.P = P;
    lat.free = S.free_correlations;
    for (auto& [a, b] : lat.free)
      if (a > b) std::swap(a, b);
    rho.assign(lat.free.size(), 0.0);
  }

  // Sub-grid index of primary node q in a domain over `dims`.
  std::size_t sub_index(std::size_t q, const std::vector<int>& dims) const {
    std::size_t idx = 0;
    for (int d : dims) {
      std::size_t r = q;
      for (std::size_t e = P - 1; e > static_cast<std::size_t>(d); --e) r /= n1;
      idx = idx * n1 + r % n1;
    }
    return idx;
  }

  void setup_domains(const std::vector<int>& cats) {
    const std::size_t J = data.items;
    std::vector<std::pair<std::vector<int>, int>> keys;
    items.resize(J);
    for (std::size_t i = 0; i < J; ++i) {
      const int sp = S.specific.empty() ? -1 : S.specific[i];
      std::vector<int> dims = S.loadings[i];
      if (qmc) {
        dims.clear();
        for (std::size_t d = 0; d < P; ++d) dims.push_back(static_cast<int>(d));
      }
      std::pair<std::vector<int>, int> key{dims, sp};
      auto it = std::find(keys.begin(), keys.end(), key);
      std::size_t dom = static_cast<std::size_t>(it - keys.begin());
      if (it == keys.end()) keys.push_back(key);
      auto& info = items[i];
      info.dom = dom;
      info.K = cats[i];
      for (int l : S.loadings[i]) {
        info.slope_dim.push_back(l);
        info.cols.push_back(qmc ? l : static_cast<int>(std::find(dims.begin(), dims.end(), l) - dims.begin()));
      }
      if (sp >= 0) {
        info.slope_dim.push_back(static_cast<int>(P) + sp);
        info.cols.push_back(static_cast<int>(dims.size()));
      }
      info.layout = {data.models[i], cats[i], static_cast<int>(info.cols.size())};
    }
    domains.resize(keys.size());
    spec_domains.assign(S.specifics, {});
    std::size_t scratch = 0;
    for (std::size_t d = 0; d < keys.size(); ++d) {
      auto& dom = domains[d];
      dom.dims = keys[d].first;
      dom.specific = keys[d].second;
      if (dom.specific >= 0) spec_domains[static_cast<std::size_t>(dom.specific)].push_back(d);
      if (qmc) {
        dom.base = Q;
        dom.identity = true;
        dom.contiguous = true;
        dom.outer_offset = {0};
      } else {
        dom.base = 1;
        for (std::size_t k = 0; k < dom.dims.size(); ++k) dom.base *= n1;
        dom.identity = dom.dims.size() == P;
        dom.contiguous = !dom.dims.empty() && dom.dims.back() == static_cast<int>(P) - 1;
        dom.outer_offset.resize(outer);
        for (std::size_t o = 0; o < outer; ++o) dom.outer_offset[o] = static_cast<std::uint32_t>(sub_index(o * inner, dom.dims));
      }
      dom.node_index.resize(Q);
      for (std::size_t q = 0; q < Q; ++q)
        dom.node_index[q] = static_cast<std::uint32_t>(qmc || dom.identity ? q : sub_index(q, dom.dims));
      dom.size = dom.base * (dom.specific >= 0 ? n1 : 1);
      dom.ncols = dom.dims.size() + (dom.specific >= 0 ? 1 : 0);
      dom.scratch = scratch;
      scratch += dom.size;
    }
    refresh_coords();
    for (std::size_t i = 0; i < J; ++i) {
      items[i].table_offset = table_size;
      table_size += static_cast<std::size_t>(cats[i]) * domains[items[i].dom].size;
      if (table_size > std::numeric_limits<std::uint32_t>::max())
        throw invalid_argument("the item tables are too large (reduce the grid points)");
    }
    table.assign(table_size, 0.0);
  }

  // Node coordinates of each domain (QMC: from the current nodes).
  void refresh_coords() {
    for (auto& dom : domains) {
      dom.coords.assign(dom.size * dom.ncols, 0.0);
      const std::size_t reps = dom.specific >= 0 ? n1 : 1;
      for (std::size_t j = 0; j < dom.base; ++j) {
        // The primary coordinates of sub-grid node j.
        double c[32];
        if (qmc) {
          for (std::size_t k = 0; k < P; ++k) c[k] = theta[j * P + k];
        } else {
          std::size_t r = j;
          for (std::size_t k = dom.dims.size(); k-- > 0;) {
            c[k] = points1d[r % n1];
            r /= n1;
          }
        }
        for (std::size_t s = 0; s < reps; ++s) {
          double* row = dom.coords.data() + (j * reps + s) * dom.ncols;
          for (std::size_t k = 0; k < dom.dims.size(); ++k) row[k] = c[k];
          if (dom.specific >= 0) row[dom.dims.size()] = points1d[s];
        }
      }
    }
  }

  // Prior weights on the primary nodes (and the QMC nodes through the Cholesky factor).
  void set_latent(const std::vector<double>& r) {
    rho = r;
    const Matrix R = lat.make(rho);
    log_prior.assign(Q, 0.0);
    if (qmc) {
      Eigen::LLT<Matrix> llt(R);
      const Matrix L = llt.matrixL();
      theta.assign(Q * P, 0.0);
      for (std::size_t q = 0; q < Q; ++q)
        for (std::size_t a = 0; a < P; ++a) {
          double v = 0.0;
          for (std::size_t b = 0; b <= a; ++b) v += L(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) * z[q * P + b];
          theta[q * P + a] = v;
        }
      const double lw = -std::log(static_cast<double>(Q));
      std::fill(log_prior.begin(), log_prior.end(), lw);
      refresh_coords();
      return;
    }
    const Matrix A = R.inverse();
    double mx = -1e300;
    for (std::size_t q = 0; q < Q; ++q) {
      const double* t = theta.data() + q * P;
      double v = 0.0;
      for (std::size_t a = 0; a < P; ++a)
        for (std::size_t b = 0; b < P; ++b) v += t[a] * A(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) * t[b];
      log_prior[q] = -0.5 * v;
      mx = std::max(mx, log_prior[q]);
    }
    double s = 0.0;
    for (double v : log_prior) s += std::exp(v - mx);
    const double lse = mx + std::log(s);
    for (double& v : log_prior) v -= lse;
  }

  void setup_patterns() {
    const std::size_t J = data.items;
    for (std::size_t i = 0; i < J; ++i) {
      auto& info = items[i];
      if (info.K != 2) continue;
      bool complete = true;
      for (std::size_t p = 0; p < data.persons && complete; ++p) complete = data.responses[p * J + i] >= 0;
      info.log_odds = complete;
      if (complete) domains[info.dom].has_log_odds = true;
    }
    // Items in domain order, so a pattern's rows come grouped by domain.
    std::vector<std::vector<std::size_t>> by_dom(domains.size());
    for (std::size_t i = 0; i < J; ++i) by_dom[items[i].dom].push_back(i);
    std::unordered_map<std::string_view, std::uint32_t> index;
    index.reserve(data.persons * 2);
    const std::string_view all(reinterpret_cast<const char*>(data.responses), data.persons * J);
    const std::size_t ND = domains.size();
    for (std::size_t p = 0; p < data.persons; ++p) {
      auto [it, inserted] = index.try_emplace(all.substr(p * J, J), static_cast<std::uint32_t>(ps.freq.size()));
      if (!inserted) {
        ps.freq[it->second] += 1.0;
        continue;
      }
      ps.freq.push_back(1.0);
      for (std::size_t d = 0; d < ND; ++d) {
        ps.start.push_back(static_cast<std::uint32_t>(ps.offsets.size()));
        for (std::size_t i : by_dom[d]) {
          const int x = data.responses[p * J + i];
          if (x < 0 || (items[i].log_odds && x == 0)) continue;
          ps.offsets.push_back(static_cast<std::uint32_t>(items[i].table_offset + static_cast<std::size_t>(x) * domains[d].size));
        }
      }
      ps.start.push_back(static_cast<std::uint32_t>(ps.offsets.size()));
    }
    const std::size_t n_pat = ps.freq.size();
    n_blocks = std::clamp<std::size_t>(n_pat / 128, 1, 16);
    threads = opts.threads <= 0 ? std::max(1u, std::thread::hardware_concurrency()) : static_cast<unsigned>(opts.threads);
    threads = std::min<unsigned>(threads, static_cast<unsigned>(n_blocks));
    std::size_t scratch = 0;
    for (const auto& d : domains) scratch = std::max(scratch, d.scratch + d.size);
    blocks.resize(n_blocks);
    for (auto& b : blocks) {
      b.counts.assign(table_size, 0.0);
      b.nodes.assign(Q, 0.0);
      b.logG.assign(Q, 0.0);
      b.buf.assign(scratch, 0.0);
      b.marg.assign(scratch, 0.0);
      b.A.assign(S.specifics * Q * n1, 0.0);
      b.lse.assign(S.specifics * Q, 0.0);
      b.E.assign(scratch, 0.0);
      b.spec_nodes.assign(S.specifics * Q * n1, 0.0);
      b.active.assign(domains.size(), 0);
    }
    base.assign(scratch, 0.0);
  }

  // The item's parameters as a unit link and slopes over all dimensions.
  irt::multidim_item item_at(std::size_t i, std::span<const double> x) const {
    const auto& info = items[i];
    const auto xi = x.subspan(info.param_offset, static_cast<std::size_t>(info.layout.size()));
    irt::multidim_item out;
    out.params = detail::mto_params(info.layout, xi);
    out.slopes.assign(S.dimensions(), 0.0);
    for (std::size_t l = 0; l < info.slope_dim.size(); ++l) out.slopes[static_cast<std::size_t>(info.slope_dim[l])] = xi[l];
    return out;
  }

  void fill_tables(std::span<const double> x) {
    std::fill(base.begin(), base.end(), 0.0);
    double lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& info = items[i];
      const auto& dom = domains[info.dom];
      const auto xi = x.subspan(info.param_offset, static_cast<std::size_t>(info.layout.size()));
      const irt::item_params p = detail::mto_params(info.layout, xi);
      const std::size_t m = info.cols.size(), sz = dom.size;
      double* rows = table.data() + info.table_offset;
      for (std::size_t j = 0; j < sz; ++j) {
        const double* c = dom.coords.data() + j * dom.ncols;
        double t = 0.0;
        for (std::size_t l = 0; l < m; ++l) t += xi[l] * c[info.cols[l]];
        irt::category_terms(p, t, lp, g, h);
        for (int k = 0; k < info.K; ++k) rows[static_cast<std::size_t>(k) * sz + j] = std::max(lp[k], -700.0);
      }
      if (info.log_odds) {
        double* b = base.data() + dom.scratch;
        for (std::size_t j = 0; j < sz; ++j) {
          b[j] += rows[j];
          rows[sz + j] -= rows[j];
        }
      }
    }
  }

  double run_estep(std::span<const double> x) {
    fill_tables(x);
    log_prior_eff = log_prior;
    for (const auto& dom : domains)
      if (dom.has_log_odds && dom.specific < 0)
        broadcast_add(dom, base.data() + dom.scratch, log_prior_eff.data(), Q, inner, outer);
    // Specific factors: log w_s plus the log-odds bases of their domains.
    spec_init.assign(S.specifics * Q * n1, 0.0);
    spec_always.assign(S.specifics, 0);
    for (std::size_t k = 0; k < S.specifics; ++k) {
      double* init = spec_init.data() + k * Q * n1;
      for (std::size_t q = 0; q < Q; ++q) std::copy(log_w1d.begin(), log_w1d.end(), init + q * n1);
      for (std::size_t d : spec_domains[k]) {
        const auto& dom = domains[d];
        if (!dom.has_log_odds) continue;
        spec_always[k] = 1;
        const double* b = base.data() + dom.scratch;
        for (std::size_t q = 0; q < Q; ++q)
          for (std::size_t s = 0; s < n1; ++s) init[q * n1 + s] += b[static_cast<std::size_t>(dom.node_index[q]) * n1 + s];
      }
    }
    estep_view v;
    if (S.specifics == 0) {
      v.clamp = -700.0 / static_cast<double>(domains.size() + 1);
      v.ew_shift = *std::max_element(log_prior.begin(), log_prior.end());
      ew.resize(Q);
      for (std::size_t q = 0; q < Q; ++q) ew[q] = std::exp(std::max(log_prior[q] - v.ew_shift, v.clamp));
      v.ew = ew.data();
      v.base = base.data();
    }
    v.spec_init = spec_init.data();
    v.spec_always = spec_always.data();
    v.ps = &ps;
    v.domains = &domains;
    v.spec_domains = &spec_domains;
    v.table = table.data();
    v.log_prior = log_prior_eff.data();
    v.log_w1d = log_w1d.data();
    v.Q = Q;
    v.inner = inner;
    v.outer = outer;
    v.n1 = n1;
    const std::size_t n_pat = ps.freq.size();
    core::parallel_for(n_blocks, 1, threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t b = begin; b < end; ++b) {
        auto& st = blocks[b];
        std::fill(st.counts.begin(), st.counts.end(), 0.0);
        std::fill(st.nodes.begin(), st.nodes.end(), 0.0);
        std::fill(st.spec_nodes.begin(), st.spec_nodes.end(), 0.0);
        accumulate_patterns(v, n_pat * b / n_blocks, n_pat * (b + 1) / n_blocks, st);
      }
    });
    counts.assign(table_size, 0.0);
    node_counts.assign(Q, 0.0);
    double ll = 0.0;
    spec_nodes.assign(S.specifics * Q * n1, 0.0);
    for (const auto& st : blocks) {
      for (std::size_t k = 0; k < table_size; ++k) counts[k] += st.counts[k];
      for (std::size_t q = 0; q < Q; ++q) node_counts[q] += st.nodes[q];
      for (std::size_t k = 0; k < spec_nodes.size(); ++k) spec_nodes[k] += st.spec_nodes[k];
      ll += st.ll;
    }
    // Category-0 counts of the log-odds items: the domain's marginal minus the category-1 counts.
    std::vector<double> marg;
    for (std::size_t d = 0; d < domains.size(); ++d) {
      const auto& dom = domains[d];
      if (!dom.has_log_odds) continue;
      const double* m = marg.data();
      if (dom.specific < 0) {
        marg.assign(dom.base, 0.0);
        m = marginalise(dom, node_counts.data(), marg.data(), inner, outer);
      } else {
        // The joint posterior totals of its specific factor on (primary node, point).
        marg.assign(dom.size, 0.0);
        const double* joint = spec_nodes.data() + static_cast<std::size_t>(dom.specific) * Q * n1;
        for (std::size_t q = 0; q < Q; ++q)
          for (std::size_t t = 0; t < n1; ++t) marg[static_cast<std::size_t>(dom.node_index[q]) * n1 + t] += joint[q * n1 + t];
        m = marg.data();
      }
      for (const auto& info : items) {
        if (!info.log_odds || info.dom != d) continue;
        double* c0 = counts.data() + info.table_offset;
        const double* c1 = c0 + dom.size;
        for (std::size_t j = 0; j < dom.size; ++j) c0[j] = std::max(0.0, m[j] - c1[j]);
      }
    }
    return ll;
  }

  const item_priors* priors() const {
    const auto& p = opts.priors;
    return p.slope_lognormal || p.difficulty_normal || p.lower_beta ? &p : nullptr;
  }
  detail::node_view view_of(std::size_t i) const {
    const auto& info = items[i];
    const auto& dom = domains[info.dom];
    return {dom.coords.data(), dom.ncols, info.cols.data(), dom.size};
  }
  const double* item_counts(std::size_t i) const { return counts.data() + items[i].table_offset; }

  Matrix second_moments() const {
    Matrix M = Matrix::Zero(static_cast<Eigen::Index>(P), static_cast<Eigen::Index>(P));
    double N = 0.0;
    for (std::size_t q = 0; q < Q; ++q) {
      const double w = node_counts[q];
      if (w == 0.0) continue;
      N += w;
      const double* t = theta.data() + q * P;
      for (std::size_t a = 0; a < P; ++a)
        for (std::size_t b = a; b < P; ++b) M(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) += w * t[a] * t[b];
    }
    for (std::size_t a = 0; a < P; ++a)
      for (std::size_t b = 0; b < a; ++b)
        M(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = M(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(a));
    return N > 0 ? Matrix(M / N) : M;
  }
  double total_count() const {
    double N = 0.0;
    for (double v : node_counts) N += v;
    return N;
  }

  void mstep(std::vector<double>& x, std::vector<double>& r) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& info = items[i];
      const auto n = static_cast<std::size_t>(info.layout.size());
      std::vector<double> xi(x.begin() + static_cast<std::ptrdiff_t>(info.param_offset),
                             x.begin() + static_cast<std::ptrdiff_t>(info.param_offset + n));
      detail::mnewton(info.layout, xi, view_of(i), item_counts(i), 25, 1e-9, priors());
      std::copy(xi.begin(), xi.end(), x.begin() + static_cast<std::ptrdiff_t>(info.param_offset));
    }
    if (!lat.free.empty()) lat.maximise(second_moments(), r);
  }
};

std::vector<int> infer_cats(const problem& data) {
  std::vector<int> cats(data.items, 2);
  std::vector<int> maxv(data.items, -1);
  for (std::size_t p = 0; p < data.persons; ++p)
    for (std::size_t i = 0; i < data.items; ++i)
      maxv[i] = std::max(maxv[i], static_cast<int>(data.responses[p * data.items + i]));
  for (std::size_t i = 0; i < data.items; ++i) {
    if (!data.categories.empty() && data.categories[i] > 0) cats[i] = data.categories[i];
    else if (!irt::is_dichotomous(data.models[i])) cats[i] = std::max(2, maxv[i] + 1);
  }
  return cats;
}

void check_problem(const problem& data, const options& opts) {
  if (!data.responses || data.persons == 0 || data.items == 0)
    throw invalid_argument("calibration needs at least one person and one item");
  if (data.models.size() != data.items)
    throw invalid_argument(fmt::format("calibration has {} items but {} models", data.items, data.models.size()));
  if (!data.categories.empty() && data.categories.size() != data.items)
    throw invalid_argument("problem.categories must be empty or have one entry per item");
  if (!data.start.empty() && data.start.size() != data.items)
    throw invalid_argument("problem.start must be empty or have one entry per item");
  for (std::size_t i = 0; i < data.items; ++i) {
    const auto m = data.models[i];
    if (m != irt::model::two_pl && m != irt::model::three_pl && m != irt::model::four_pl && m != irt::model::grm &&
        m != irt::model::gpcm)
      throw invalid_argument(fmt::format("item {}: multidimensional calibration supports 2pl, 3pl, 4pl, grm and gpcm, not {}",
                                         i + 1, irt::to_string(m)));
  }
  if (!(opts.tolerance > 0)) throw invalid_argument("tolerance must be > 0");
  if (opts.max_iterations < 1) throw invalid_argument("max_iterations must be >= 1");
  if (opts.threads < 0) throw invalid_argument("threads must be >= 0");
  {
    calibrate::options uni;
    uni.priors = opts.priors;
    calibrate::validate(uni);
  }
  check_structure(data.factors, data);
}

}  // namespace

result run(const problem& data, const options& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  check_problem(data, opts);
  engine E(data, opts);
  E.setup_integration();
  const auto cats = infer_cats(data);
  const std::size_t J = data.items;
  std::vector<std::vector<double>> observed(J);
  for (std::size_t i = 0; i < J; ++i) observed[i].assign(static_cast<std::size_t>(cats[i]), 0.0);
  for (std::size_t p = 0; p < data.persons; ++p)
    for (std::size_t i = 0; i < J; ++i) {
      const int x = data.responses[p * J + i];
      if (x < 0) continue;
      if (x >= cats[i])
        throw invalid_argument(fmt::format("person {}: response {} to item {} is outside its {} categories", p + 1, x,
                                           i + 1, cats[i]));
      observed[i][static_cast<std::size_t>(x)] += 1.0;
    }
  for (std::size_t i = 0; i < J; ++i)
    for (int k = 0; k < cats[i]; ++k)
      if (observed[i][static_cast<std::size_t>(k)] == 0)
        throw invalid_argument(fmt::format("item {}: nobody chose category {}; recode the item's categories", i + 1, k));
  E.setup_domains(cats);
  // Start values: slopes 1 (0.8 when the item loads on several dimensions), intercepts from the
  // category proportions as in the unidimensional EM.
  std::vector<double> x;
  for (std::size_t i = 0; i < J; ++i) {
    auto& info = E.items[i];
    info.param_offset = x.size();
    std::vector<double> xi;
    if (!data.start.empty() && data.start[i]) {
      const auto& st = *data.start[i];
      if (st.slopes.size() != data.factors.dimensions())
        throw invalid_argument(fmt::format("start values of item {} have {} slopes, the structure {} dimensions", i + 1,
                                           st.slopes.size(), data.factors.dimensions()));
      std::vector<double> a;
      for (int d : info.slope_dim) a.push_back(st.slopes[static_cast<std::size_t>(d)]);
      xi = detail::mfrom_params(info.layout, st.params, a);
    } else {
      detail::item_layout uni{data.models[i], cats[i], 1.0};
      const auto xu = detail::start_values(uni, observed[i]);
      const double a0 = info.cols.size() > 1 ? 0.8 : 1.0;
      xi.assign(info.cols.size(), a0);
      xi.insert(xi.end(), xu.begin() + 1, xu.end());
    }
    x.insert(x.end(), xi.begin(), xi.end());
  }
  E.n_params = x.size();
  E.setup_patterns();
  E.set_latent(E.rho);

  result res;
  res.persons = data.persons;
  res.unique_patterns = E.ps.freq.size();
  res.nodes = E.Q;
  res.points = E.points;
  res.qmc = E.qmc;
  res.parameters = static_cast<int>(E.n_params + E.lat.free.size());

  std::vector<double> rho = E.rho;
  auto em_map = [&](std::vector<double>& xs, std::vector<double>& r) {
    E.set_latent(r);
    const double ll = E.run_estep(xs);
    E.mstep(xs, r);
    return ll;
  };
  auto max_change = [](const std::vector<double>& a, const std::vector<double>& b) {
    double m = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
    return m;
  };
  auto valid = [&](const std::vector<double>& xs, const std::vector<double>& r) {
    if (!std::isfinite(E.lat.objective(Matrix::Identity(static_cast<Eigen::Index>(E.P), static_cast<Eigen::Index>(E.P)), r,
                                       nullptr, nullptr)))
      return false;
    for (std::size_t i = 0; i < J; ++i) {
      const auto& info = E.items[i];
      const auto p = detail::mto_params(info.layout, std::span(xs).subspan(info.param_offset,
                                                                           static_cast<std::size_t>(info.layout.size())));
      if (!irt::check_params(p).empty()) return false;
    }
    for (double v : xs)
      if (!std::isfinite(v)) return false;
    return true;
  };

  int it = 0;
  bool converged = false;
  const int plain_first = 3;
  while (it < opts.max_iterations) {
    auto x0 = x, r0 = rho;
    const double ll0 = em_map(x, rho);
    ++it;
    res.log_likelihood_history.push_back(ll0);
    double change = std::max(max_change(x, x0), max_change(rho, r0));
    if (opts.on_iteration) opts.on_iteration({it, ll0, change});
    if (change < opts.tolerance) {
      converged = true;
      break;
    }
    if (!opts.accelerate || it < plain_first || it + 2 >= opts.max_iterations) continue;
    auto x1 = x, r1 = rho;
    const double ll1 = em_map(x, rho);
    ++it;
    res.log_likelihood_history.push_back(ll1);
    change = std::max(max_change(x, x1), max_change(rho, r1));
    if (opts.on_iteration) opts.on_iteration({it, ll1, change});
    if (change < opts.tolerance) {
      converged = true;
      break;
    }
    auto x2 = x, r2 = rho;
    const std::size_t nx = x0.size(), nr = r0.size();
    double rr = 0.0, vv = 0.0;
    for (std::size_t k = 0; k < nx; ++k) {
      const double a = x1[k] - x0[k], b = x2[k] - 2 * x1[k] + x0[k];
      rr += a * a;
      vv += b * b;
    }
    for (std::size_t k = 0; k < nr; ++k) {
      const double a = r1[k] - r0[k], b = r2[k] - 2 * r1[k] + r0[k];
      rr += a * a;
      vv += b * b;
    }
    if (!(vv > 0)) continue;
    const double alpha = std::clamp(-std::sqrt(rr / vv), -20.0, -1.0);
    std::vector<double> xa(nx), ra(nr);
    for (std::size_t k = 0; k < nx; ++k)
      xa[k] = x0[k] - 2 * alpha * (x1[k] - x0[k]) + alpha * alpha * (x2[k] - 2 * x1[k] + x0[k]);
    for (std::size_t k = 0; k < nr; ++k)
      ra[k] = r0[k] - 2 * alpha * (r1[k] - r0[k]) + alpha * alpha * (r2[k] - 2 * r1[k] + r0[k]);
    for (const auto& info : E.items)
      info.layout.project(std::span(xa).subspan(info.param_offset, static_cast<std::size_t>(info.layout.size())));
    if (!valid(xa, ra)) continue;
    auto xs = xa, rs = ra;
    const double lla = em_map(xs, rs);
    ++it;
    res.log_likelihood_history.push_back(lla);
    if (std::isfinite(lla) && lla >= ll1 - 1e-9 * std::abs(ll1)) {
      change = std::max(max_change(xs, xa), max_change(rs, ra));
      x = xs;
      rho = rs;
      if (opts.on_iteration) opts.on_iteration({it, lla, change});
      if (change < opts.tolerance) {
        converged = true;
        break;
      }
    } else if (opts.on_iteration) {
      opts.on_iteration({it, lla, 0.0});
    }
  }
  E.set_latent(rho);
  res.log_likelihood = E.run_estep(x);
  res.iterations = it;
  res.converged = converged;
  const double N = static_cast<double>(data.persons);
  res.aic = -2.0 * res.log_likelihood + 2.0 * res.parameters;
  res.bic = -2.0 * res.log_likelihood + res.parameters * std::log(N);

  // Oakes (1999): observed information = -(d2Q/dv dv + d2Q/dv dv~) over v = (items, correlations),
  // the second term by central differences of the complete-data gradient over re-run E-steps.
  const std::size_t nr = rho.size();
  const auto Pn = static_cast<Eigen::Index>(E.n_params + nr);
  Matrix cov;
  bool have_cov = false;
  if (opts.standard_errors && !E.qmc && Pn > 0) {
    Matrix info = Matrix::Zero(Pn, Pn);
    const auto saved_counts = E.counts;
    const auto saved_nodes = E.node_counts;
    for (std::size_t i = 0; i < J; ++i) {
      const auto& it_i = E.items[i];
      const auto n = static_cast<std::size_t>(it_i.layout.size());
      std::vector<double> g(n), h(n * n);
      detail::mobjective(it_i.layout, std::span(x).subspan(it_i.param_offset, n), E.view_of(i), E.item_counts(i),
                         g.data(), h.data(), E.priors());
      for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b)
          info(static_cast<Eigen::Index>(it_i.param_offset + a), static_cast<Eigen::Index>(it_i.param_offset + b)) -= h[a * n + b];
    }
    if (nr > 0) {
      Vector g;
      Matrix H;
      E.lat.objective(E.second_moments(), rho, &g, &H);
      info.bottomRightCorner(static_cast<Eigen::Index>(nr), static_cast<Eigen::Index>(nr)) -= 0.5 * E.total_count() * H;
    }
    auto complete_gradient = [&](Vector& out) {
      out.setZero(Pn);
      for (std::size_t i = 0; i < J; ++i) {
        const auto& it_i = E.items[i];
        const auto n = static_cast<std::size_t>(it_i.layout.size());
        std::vector<double> g(n);
        detail::mobjective(it_i.layout, std::span(x).subspan(it_i.param_offset, n), E.view_of(i), E.item_counts(i),
                           g.data(), nullptr);
        for (std::size_t a = 0; a < n; ++a) out(static_cast<Eigen::Index>(it_i.param_offset + a)) = g[a];
      }
      if (nr > 0) {
        Vector g;
        E.lat.objective(E.second_moments(), rho, &g, nullptr);
        out.tail(static_cast<Eigen::Index>(nr)) = 0.5 * E.total_count() * g;
      }
    };
    Matrix cross(Pn, Pn);
    Vector gp, gm;
    for (Eigen::Index k = 0; k < Pn; ++k) {
      const auto uk = static_cast<std::size_t>(k);
      const double v = uk < E.n_params ? x[uk] : rho[uk - E.n_params];
      const double h = 1e-4 * std::max(1.0, std::abs(v));
      for (int sgn = 1; sgn >= -1; sgn -= 2) {
        auto xs = x;
        auto rs = rho;
        if (uk < E.n_params) xs[uk] += sgn * h;
        else rs[uk - E.n_params] += sgn * h;
        E.set_latent(rs);
        E.run_estep(xs);
        E.set_latent(rho);
        complete_gradient(sgn > 0 ? gp : gm);
      }
      cross.col(k) = (gp - gm) / (2 * h);
    }
    E.counts = saved_counts;
    E.node_counts = saved_nodes;
    info -= 0.5 * (cross + cross.transpose());
    Eigen::LDLT<Matrix> ldlt(info);
    if (ldlt.info() == Eigen::Success && ldlt.isPositive() && (ldlt.vectorD().array() > 0).all()) {
      cov = ldlt.solve(Matrix::Identity(Pn, Pn));
      have_cov = cov.allFinite();
    }
    res.standard_errors = true;
    res.se_positive_definite = have_cov;
  }

  const std::size_t D = data.factors.dimensions();
  res.dimensions = D;
  for (std::size_t d = 0; d < D; ++d) res.names.push_back(data.factors.name(d));
  for (std::size_t i = 0; i < J; ++i) {
    const auto& info = E.items[i];
    item_estimate est;
    est.item = E.item_at(i, x);
    est.item.params.slope = x[info.param_offset];
    est.free_parameters = info.layout.size();
    est.se_slopes.assign(D, nan);
    est.se_intercepts.assign(est.item.params.intercepts.size(), nan);
    if (have_cov) {
      const auto o = static_cast<Eigen::Index>(info.param_offset);
      const std::size_t m = info.cols.size();
      for (std::size_t l = 0; l < m; ++l)
        est.se_slopes[static_cast<std::size_t>(info.slope_dim[l])] =
            std::sqrt(cov(o + static_cast<Eigen::Index>(l), o + static_cast<Eigen::Index>(l)));
      const auto om = o + static_cast<Eigen::Index>(m);
      for (std::size_t k = 0; k < est.se_intercepts.size(); ++k)
        est.se_intercepts[k] = std::sqrt(cov(om + static_cast<Eigen::Index>(k), om + static_cast<Eigen::Index>(k)));
      if (info.layout.kind == irt::model::three_pl || info.layout.kind == irt::model::four_pl) {
        const double c = est.item.params.lower;
        est.se_lower = c * (1 - c) * std::sqrt(cov(om + 1, om + 1));
      }
      if (info.layout.kind == irt::model::four_pl) {
        const double u = est.item.params.upper;
        est.se_upper = u * (1 - u) * std::sqrt(cov(om + 2, om + 2));
      }
    }
    res.items.push_back(std::move(est));
  }
  res.correlation.assign(D * D, 0.0);
  res.se_correlation.assign(D * D, nan);
  for (std::size_t d = 0; d < D; ++d) res.correlation[d * D + d] = 1.0;
  for (std::size_t k = 0; k < nr; ++k) {
    const auto [a, b] = E.lat.free[k];
    const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
    res.correlation[ua * D + ub] = res.correlation[ub * D + ua] = rho[k];
    if (have_cov) {
      const auto ik = static_cast<Eigen::Index>(E.n_params + k);
      res.se_correlation[ua * D + ub] = res.se_correlation[ub * D + ua] = std::sqrt(cov(ik, ik));
    }
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

double log_likelihood(const problem& data, std::span<const irt::multidim_item> items, std::span<const double> correlation,
                      const options& opts) {
  check_problem(data, opts);
  if (items.size() != data.items) throw invalid_argument("log_likelihood needs one item per column");
  engine E(data, opts);
  E.setup_integration();
  std::vector<int> cats(data.items);
  for (std::size_t i = 0; i < data.items; ++i) cats[i] = items[i].params.categories();
  E.setup_domains(cats);
  std::vector<double> x;
  for (std::size_t i = 0; i < data.items; ++i) {
    auto& info = E.items[i];
    info.param_offset = x.size();
    if (items[i].slopes.size() != data.factors.dimensions())
      throw invalid_argument(fmt::format("item {} has {} slopes, the structure {} dimensions", i + 1, items[i].slopes.size(),
                                         data.factors.dimensions()));
    std::vector<double> a;
    for (int d : info.slope_dim) a.push_back(items[i].slopes[static_cast<std::size_t>(d)]);
    const auto xi = detail::mfrom_params(info.layout, items[i].params, a);
    x.insert(x.end(), xi.begin(), xi.end());
  }
  E.n_params = x.size();
  E.setup_patterns();
  std::vector<double> r(E.lat.free.size(), 0.0);
  if (!correlation.empty()) {
    if (correlation.size() != E.P * E.P) throw invalid_argument("correlation must be factors x factors");
    for (std::size_t k = 0; k < r.size(); ++k)
      r[k] = correlation[static_cast<std::size_t>(E.lat.free[k].first) * E.P + static_cast<std::size_t>(E.lat.free[k].second)];
  }
  E.set_latent(r);
  return E.run_estep(x);
}

}  // namespace calibrate::multidim
DSKILL_END_NAMESPACE
