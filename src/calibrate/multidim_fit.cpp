// Limited-information fit of a multidimensional dichotomous calibration: M2 (Maydeu-Olivares &
// Joe 2005, 2006) on the first- and second-order margins, with RMSEA2 and SRMSR.
//
// With e = p - pi the observed minus the model's margins (n proportions correct, n(n-1)/2 joint
// proportions), Xi their asymptotic covariance (entries pi(u v) - pi(u) pi(v), u v the union of
// the two item sets, so up to fourth-order margins) and Delta = d pi / d parameters,
//   M2 = N e' (Xi^-1 - Xi^-1 Delta (Delta' Xi^-1 Delta)^-1 Delta' Xi^-1) e,   df = s - q,
// computed stably as N times the squared residual of L^-1 e regressed on L^-1 Delta (Xi = L L').
// Margins are integrals over the latent normal: the product grid of every dimension (specifics
// too) up to 3, QMC beyond, as run(). The item columns of Delta are analytic; the correlations'
// by central differences of the margins (the grid weights, or the QMC nodes, move with R).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "dskill/calibrate/fit.hpp"
#include "dskill/calibrate/multidim.hpp"
#include "dskill/core/qmc.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::multidim {

namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;

struct nodes {
  std::size_t dims = 0, count = 0;
  std::vector<double> theta;  // count x dims
  std::vector<double> weight;
};

// The latent normal with correlation R (dims x dims) on the grid or by QMC.
nodes make_nodes(const std::vector<double>& R, std::size_t dims, bool qmc, int points, double lo, double hi, int qmc_points) {
  const auto D = static_cast<Eigen::Index>(dims);
  Matrix Rm(D, D);
  for (Eigen::Index r = 0; r < D; ++r)
    for (Eigen::Index c = 0; c < D; ++c) Rm(r, c) = R[static_cast<std::size_t>(r) * dims + static_cast<std::size_t>(c)];
  Eigen::LLT<Matrix> llt(Rm);
  if (llt.info() != Eigen::Success) throw invalid_argument("M2: the latent correlation matrix is not positive definite");
  nodes out;
  out.dims = dims;
  if (qmc) {
    out.count = static_cast<std::size_t>(qmc_points);
    out.theta = core::halton_normal(out.count, dims);
    const Matrix L = llt.matrixL();
    for (std::size_t q = 0; q < out.count; ++q) {
      double* z = out.theta.data() + q * dims;
      for (std::size_t r = dims; r-- > 0;) {
        double v = 0.0;
        for (std::size_t c = 0; c <= r; ++c) v += L(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) * z[c];
        z[r] = v;
      }
    }
    out.weight.assign(out.count, 1.0 / static_cast<double>(out.count));
    return out;
  }
  const auto n1 = static_cast<std::size_t>(points);
  out.count = 1;
  for (std::size_t d = 0; d < dims; ++d) out.count *= n1;
  out.theta.resize(out.count * dims);
  out.weight.resize(out.count);
  const Matrix Rinv = llt.solve(Matrix::Identity(D, D));
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t q = 0; q < out.count; ++q) {
    std::size_t r = q;
    double* x = out.theta.data() + q * dims;
    for (std::size_t d = dims; d-- > 0;) {
      x[d] = lo + (hi - lo) * static_cast<double>(r % n1) / static_cast<double>(n1 - 1);
      r /= n1;
    }
    double e = 0.0;
    for (std::size_t a = 0; a < dims; ++a)
      for (std::size_t b = 0; b < dims; ++b) e += x[a] * Rinv(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) * x[b];
    out.weight[q] = -0.5 * e;
    top = std::max(top, out.weight[q]);
  }
  double sum = 0.0;
  for (double& w : out.weight) sum += (w = std::exp(w - top));
  for (double& w : out.weight) w /= sum;
  return out;
}

// P (count x items, column-major per item) and the logistic part's derivative terms.
struct item_values {
  Matrix P;      // count x n
  Matrix logit;  // sigma(t), count x n
};

item_values evaluate(const std::vector<item_estimate>& items, const nodes& nd) {
  const auto Q = static_cast<Eigen::Index>(nd.count), n = static_cast<Eigen::Index>(items.size());
  item_values v{Matrix(Q, n), Matrix(Q, n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& it = items[static_cast<std::size_t>(i)].item;
    const double c = it.params.lower, u = it.params.upper, d = it.params.intercepts.at(0);
    for (Eigen::Index q = 0; q < Q; ++q) {
      const double* x = nd.theta.data() + static_cast<std::size_t>(q) * nd.dims;
      double t = d;
      for (std::size_t k = 0; k < nd.dims; ++k) t += it.slopes[k] * x[k];
      const double s = 1.0 / (1.0 + std::exp(-t));
      v.logit(q, i) = s;
      v.P(q, i) = c + (u - c) * s;
    }
  }
  return v;
}

// First- and second-order margins: pi_i, then pi_ij for i < j in row order.
Vector margins(const Matrix& P, const std::vector<double>& w) {
  const auto Q = P.rows(), n = P.cols();
  const Eigen::Map<const Vector> W(w.data(), Q);
  Vector out(n + n * (n - 1) / 2);
  out.head(n) = P.transpose() * W;
  const Matrix PW = P.array().colwise() * W.array();
  const Matrix second = PW.transpose() * P;
  Eigen::Index k = n;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) out(k++) = second(i, j);
  return out;
}

}  // namespace

m2_fit m2(const problem& data, const result& res, const options& opts) {
  const std::size_t n = data.items, N = data.persons, dims = res.dimensions;
  if (res.items.size() != n) throw invalid_argument("M2: the result has another number of items than the problem");
  if (n < 2) throw invalid_argument("M2 needs at least two items");
  for (std::size_t i = 0; i < n; ++i) {
    const auto kind = res.items[i].item.params.kind;
    if (kind != irt::model::two_pl && kind != irt::model::three_pl && kind != irt::model::four_pl)
      throw invalid_argument(fmt::format("M2 here is for dichotomous items (2pl, 3pl, 4pl); item {} is {}", i + 1, irt::to_string(kind)));
    if (res.items[i].item.slopes.size() != dims) throw invalid_argument("M2: an item's slopes do not match the dimensions");
  }
  for (std::size_t k = 0; k < N * n; ++k)
    if (data.responses[k] < 0) throw invalid_argument("M2 needs complete responses (it compares every pair of items)");
  const std::size_t s = n + n * (n - 1) / 2;
  const auto S = static_cast<Eigen::Index>(s), nI = static_cast<Eigen::Index>(n);

  // Integration as run(): the product grid over every dimension up to 3, QMC beyond.
  const bool qmc = opts.method == integration::qmc || (opts.method == integration::automatic && dims > 3);
  const int points = opts.points > 0 ? opts.points : default_points(dims);
  if (!qmc && std::pow(static_cast<double>(points), static_cast<double>(dims)) > 2e6)
    throw invalid_argument("M2: the grid has more than 2,000,000 nodes; use QMC");
  const auto nd = make_nodes(res.correlation, dims, qmc, points, opts.lo, opts.hi, opts.qmc_points);
  const auto iv = evaluate(res.items, nd);
  const Vector pi = margins(iv.P, nd.weight);
  const auto Q = static_cast<Eigen::Index>(nd.count);
  const Eigen::Map<const Vector> W(nd.weight.data(), Q);

  // Observed margins.
  Vector obs = Vector::Zero(S);
  {
    Matrix Y(static_cast<Eigen::Index>(N), nI);
    for (std::size_t p = 0; p < N; ++p)
      for (std::size_t i = 0; i < n; ++i)
        Y(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(i)) = data.responses[p * n + i] > 0 ? 1.0 : 0.0;
    obs.head(nI) = Y.colwise().sum().transpose() / static_cast<double>(N);
    const Matrix YY = Y.transpose() * Y / static_cast<double>(N);
    Eigen::Index k = nI;
    for (Eigen::Index i = 0; i < nI; ++i)
      for (Eigen::Index j = i + 1; j < nI; ++j) obs(k++) = YY(i, j);
  }

  // The item sets of the margins, and Xi: sum_q w_q prod_{u union v} P - pi pi'. Without
  // overlap the union's product is the two products' product (one matrix product); margins
  // sharing an item are redone with that item once.
  std::vector<std::array<int, 2>> set(s);
  for (std::size_t i = 0; i < n; ++i) set[i] = {static_cast<int>(i), -1};
  {
    std::size_t k = n;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) set[k++] = {static_cast<int>(i), static_cast<int>(j)};
  }
  Matrix M(Q, S);  // products per node
  for (Eigen::Index u = 0; u < S; ++u) {
    const auto& a = set[static_cast<std::size_t>(u)];
    M.col(u) = a[1] < 0 ? iv.P.col(a[0]) : Vector(iv.P.col(a[0]).cwiseProduct(iv.P.col(a[1])));
  }
  Matrix Xi = M.transpose() * (M.array().colwise() * W.array()).matrix();
  for (Eigen::Index u = 0; u < S; ++u)
    for (Eigen::Index v = u; v < S; ++v) {
      const auto& a = set[static_cast<std::size_t>(u)];
      const auto& b = set[static_cast<std::size_t>(v)];
      int items[4], m = 0;
      bool overlap = false;
      for (int x : a)
        if (x >= 0) items[m++] = x;
      for (int x : b)
        if (x >= 0) {
          if (std::find(items, items + m, x) != items + m) overlap = true;
          else items[m++] = x;
        }
      if (overlap) {
        Vector prod = iv.P.col(items[0]);
        for (int k = 1; k < m; ++k) prod = prod.cwiseProduct(iv.P.col(items[k]));
        Xi(u, v) = W.dot(prod);
      }
      Xi(u, v) -= pi(u) * pi(v);
      Xi(v, u) = Xi(u, v);
    }

  // Delta: the items' free parameters (slopes on their dimensions, d, then c, u), then the free
  // correlations.
  std::vector<Vector> columns;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = res.items[i].item;
    const double c = it.params.lower, u = it.params.upper;
    const auto I = static_cast<Eigen::Index>(i);
    const Vector sg = iv.logit.col(I);
    const Vector ds = (u - c) * sg.cwiseProduct(Vector::Ones(Q) - sg);  // dP/dt
    std::vector<Vector> dP;                                             // per free parameter, per node
    std::vector<std::size_t> on;
    for (int f : data.factors.loadings[i]) on.push_back(static_cast<std::size_t>(f));
    if (!data.factors.specific.empty() && data.factors.specific[i] >= 0)
      on.push_back(data.factors.factors + static_cast<std::size_t>(data.factors.specific[i]));
    for (std::size_t k : on) {
      Vector x(Q);
      for (Eigen::Index q = 0; q < Q; ++q) x(q) = nd.theta[static_cast<std::size_t>(q) * dims + k];
      dP.push_back(ds.cwiseProduct(x));
    }
    dP.push_back(ds);
    if (it.params.kind == irt::model::three_pl || it.params.kind == irt::model::four_pl)
      dP.push_back(Vector::Ones(Q) - sg);
    if (it.params.kind == irt::model::four_pl) dP.push_back(sg);
    for (const auto& g : dP) {
      Vector col = Vector::Zero(S);
      const Vector gw = g.cwiseProduct(W);
      for (Eigen::Index v = 0; v < S; ++v) {
        const auto& a = set[static_cast<std::size_t>(v)];
        if (a[0] == static_cast<int>(i) && a[1] < 0) col(v) = gw.sum();
        else if (a[0] == static_cast<int>(i) && a[1] >= 0) col(v) = gw.dot(iv.P.col(a[1]));
        else if (a[1] == static_cast<int>(i)) col(v) = gw.dot(iv.P.col(a[0]));
      }
      columns.push_back(std::move(col));
    }
  }
  for (const auto& [fa, fb] : data.factors.free_correlations) {
    const double h = 1e-5;
    std::vector<double> Rp = res.correlation, Rm = res.correlation;
    const auto r = static_cast<std::size_t>(fa), c = static_cast<std::size_t>(fb);
    Rp[r * dims + c] += h, Rp[c * dims + r] += h;
    Rm[r * dims + c] -= h, Rm[c * dims + r] -= h;
    const auto np = make_nodes(Rp, dims, qmc, points, opts.lo, opts.hi, opts.qmc_points);
    const auto nm = make_nodes(Rm, dims, qmc, points, opts.lo, opts.hi, opts.qmc_points);
    columns.push_back((margins(evaluate(res.items, np).P, np.weight) - margins(evaluate(res.items, nm).P, nm.weight)) / (2 * h));
  }
  const auto q = static_cast<Eigen::Index>(columns.size());
  m2_fit out;
  out.moments = s;
  out.parameters = columns.size();
  out.nodes = nd.count;
  out.df = static_cast<double>(S - q);
  if (q >= S) throw invalid_argument(fmt::format("M2: {} parameters and only {} margins: no degrees of freedom", q, s));
  Matrix Delta(S, q);
  for (Eigen::Index k = 0; k < q; ++k) Delta.col(k) = columns[static_cast<std::size_t>(k)];

  Eigen::LLT<Matrix> llt(Xi);
  if (llt.info() != Eigen::Success) throw invalid_argument("M2: the covariance of the margins is not positive definite");
  const Vector b = llt.matrixL().solve(obs - pi);
  const Matrix A = llt.matrixL().solve(Delta);
  const Eigen::ColPivHouseholderQR<Matrix> qr(A);
  const Vector resid = b - A * qr.solve(b);
  out.statistic = static_cast<double>(N) * resid.squaredNorm();
  out.p = chi_square_upper(out.statistic, out.df);
  out.rmsea = std::sqrt(std::max(out.statistic - out.df, 0.0) / (static_cast<double>(N) * out.df));
  // SRMSR: root mean square of the observed minus the model's inter-item correlations.
  double sq = 0.0;
  Eigen::Index k = nI;
  for (Eigen::Index i = 0; i < nI; ++i)
    for (Eigen::Index j = i + 1; j < nI; ++j, ++k) {
      const auto corr = [&](const Vector& m) {
        return (m(k) - m(i) * m(j)) / std::sqrt(m(i) * (1 - m(i)) * m(j) * (1 - m(j)));
      };
      const double d = corr(obs) - corr(pi);
      sq += d * d;
    }
  out.srmsr = std::sqrt(sq / static_cast<double>(S - nI));
  return out;
}

}  // namespace calibrate::multidim
DSKILL_END_NAMESPACE
