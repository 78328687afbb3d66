// MML-EM calibration (Bock-Aitkin) with Oakes standard errors over item and latent parameters.
// See calibrate.hpp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/core/parallel.hpp"
#include "dskill/detail/fast_math.hpp"
#include "dskill/detail/row_sums.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"
#include "estep.hpp"
#include "item_math.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

void validate(const options& o) {
  if (o.grid.n < 3 || !(o.grid.hi > o.grid.lo))
    throw invalid_argument(fmt::format("quadrature grid needs at least 3 points and hi > lo, got {}:{}:{}", o.grid.lo,
                                       o.grid.hi, o.grid.n));
  if (!(o.tolerance > 0)) throw invalid_argument(fmt::format("tolerance must be > 0, got {}", o.tolerance));
  if (o.max_iterations < 1) throw invalid_argument(fmt::format("max_iterations must be >= 1, got {}", o.max_iterations));
  if (o.threads < 0) throw invalid_argument(fmt::format("threads must be >= 0, got {}", o.threads));
  const auto& p = o.priors;
  if (p.slope_lognormal && !(p.slope_sdlog > 0))
    throw invalid_argument(fmt::format("slope prior sdlog must be > 0, got {}", p.slope_sdlog));
  if (p.difficulty_normal && !(p.difficulty_sd > 0))
    throw invalid_argument(fmt::format("difficulty prior sd must be > 0, got {}", p.difficulty_sd));
  if (p.lower_beta && !(p.lower_alpha > 0 && p.lower_beta_b > 0))
    throw invalid_argument(fmt::format("beta prior on c needs alpha, beta > 0, got {}, {}", p.lower_alpha, p.lower_beta_b));
}

std::vector<int> infer_categories(const problem& data) {
  std::vector<int> cats(data.items, 2);
  std::vector<int> maxv(data.items, -1);
  for (std::size_t p = 0; p < data.persons; ++p)
    for (std::size_t i = 0; i < data.items; ++i)
      maxv[i] = std::max(maxv[i], static_cast<int>(data.responses[p * data.items + i]));
  for (std::size_t i = 0; i < data.items; ++i) {
    if (!data.categories.empty() && data.categories[i] > 0) {
      cats[i] = data.categories[i];
    } else if (!data.fixed.empty() && data.fixed[i]) {
      cats[i] = data.fixed[i]->categories();
    } else if (irt::is_dichotomous(data.models[i])) {
      cats[i] = 2;
    } else {
      cats[i] = std::max(2, maxv[i] + 1);
    }
  }
  return cats;
}

namespace detail {

pattern_set compress(const problem& data, const std::vector<std::size_t>& table_offset, std::size_t nodes,
                     const std::vector<bool>& log_odds_items) {
  pattern_set ps;
  const std::size_t J = data.items;
  std::unordered_map<std::string_view, std::uint32_t> index;
  index.reserve(data.persons * 2);
  // Keys point into one buffer holding group byte + row, so no per-person allocation.
  std::string keys(data.persons * (J + 1), '\0');
  ps.start.push_back(0);
  for (std::size_t p = 0; p < data.persons; ++p) {
    char* k = keys.data() + p * (J + 1);
    k[0] = static_cast<char>(data.group.empty() ? 0 : data.group[p]);
    std::copy(data.responses + p * J, data.responses + (p + 1) * J, k + 1);
    std::string_view key(k, J + 1);
    auto [it, inserted] = index.try_emplace(key, static_cast<std::uint32_t>(ps.freq.size()));
    if (!inserted) {
      ps.freq[it->second] += 1.0;
      continue;
    }
    ps.freq.push_back(1.0);
    ps.group.push_back(static_cast<std::uint8_t>(k[0]));
    for (std::size_t i = 0; i < J; ++i) {
      const int x = data.responses[p * J + i];
      if (log_odds_items[i] && x == 0) continue;
      if (x >= 0) ps.offsets.push_back(static_cast<std::uint32_t>(table_offset[i] + static_cast<std::size_t>(x) * nodes));
    }
    ps.start.push_back(static_cast<std::uint32_t>(ps.offsets.size()));
  }
  return ps;
}

void estep_engine::configure(const pattern_set* patterns, std::size_t table_size, std::size_t nodes, int groups,
                             int threads) {
  ps_ = patterns;
  table_size_ = table_size;
  nodes_ = nodes;
  groups_ = groups;
  const std::size_t n_pat = ps_->freq.size();
  blocks_ = std::clamp<std::size_t>(n_pat / 256, 1, 16);
  threads_ = threads <= 0 ? std::max(1u, std::thread::hardware_concurrency()) : static_cast<unsigned>(threads);
  threads_ = std::min<unsigned>(threads_, static_cast<unsigned>(blocks_));
  block_counts_.assign(blocks_, std::vector<double>());
  block_nodes_.assign(blocks_, std::vector<double>(static_cast<std::size_t>(groups) * nodes, 0.0));
  block_ll_.assign(blocks_, 0.0);
  scratch_.assign(blocks_, std::vector<double>(nodes, 0.0));
}

namespace {
// The hot loop of the E-step over patterns [lo, hi). Compiled for AVX2+FMA and a generic
// target; the row sums hold the nodes in registers over a pattern's items (row_sums.hpp), and
// the posterior uses the branch-free exp so the node loops vectorise.
DSKILL_CPU_DISPATCH double accumulate_patterns(
    const pattern_set& ps, std::size_t lo, std::size_t hi, std::size_t Q, const double* table,
    const std::vector<std::vector<double>>& log_prior, double* DSKILL_RESTRICT counts,
    double* DSKILL_RESTRICT nodes_acc, double* DSKILL_RESTRICT ll) {
  double total = 0.0;
  const std::uint32_t* offs = ps.offsets.data();
  for (std::size_t p = lo; p < hi; ++p) {
    const double f = ps.freq[p];
    const std::uint8_t g = ps.group[p];
    const double* lw = log_prior[g].data();
    const std::uint32_t s = ps.start[p], e = ps.start[p + 1];
    const std::uint32_t* rows = offs + s;
    dskill::detail::sum_rows(lw, e - s, [&](std::size_t k) { return table + rows[k]; }, Q, ll);
    double sum;
    const double m = dskill::detail::exp_relative_to_max(ll, Q, sum);
    total += f * (m + std::log(sum));
    const double scale = f / sum;
    double* DSKILL_RESTRICT na = nodes_acc + static_cast<std::size_t>(g) * Q;
    for (std::size_t q = 0; q < Q; ++q) {
      ll[q] *= scale;
      na[q] += ll[q];
    }
    dskill::detail::add_to_rows(static_cast<const double*>(ll), e - s, [&](std::size_t k) { return counts + rows[k]; }, Q);
  }
  return total;
}
}  // namespace

void estep_engine::run_block(std::size_t b, const double* table, const std::vector<std::vector<double>>& log_prior) {
  const std::size_t n_pat = ps_->freq.size();
  const std::size_t lo = n_pat * b / blocks_, hi = n_pat * (b + 1) / blocks_;
  auto& counts = block_counts_[b];
  counts.assign(table_size_, 0.0);
  auto& nodes_acc = block_nodes_[b];
  std::fill(nodes_acc.begin(), nodes_acc.end(), 0.0);
  block_ll_[b] = accumulate_patterns(*ps_, lo, hi, nodes_, table, log_prior, counts.data(), nodes_acc.data(),
                                     scratch_[b].data());
}

double estep_engine::run(const double* table, const std::vector<std::vector<double>>& log_prior,
                         std::vector<double>& counts, std::vector<double>& node_counts) {
  // One chunk per block: each block writes only its own accumulators.
  core::parallel_for(blocks_, 1, threads_, [&](std::size_t begin, std::size_t end) {
    for (std::size_t b = begin; b < end; ++b) run_block(b, table, log_prior);
  });
  // Fixed-order reduction: identical results for any thread count.
  counts.assign(table_size_, 0.0);
  node_counts.assign(static_cast<std::size_t>(groups_) * nodes_, 0.0);
  double ll = 0.0;
  for (std::size_t b = 0; b < blocks_; ++b) {
    const auto& c = block_counts_[b];
    for (std::size_t i = 0; i < table_size_; ++i) counts[i] += c[i];
    for (std::size_t i = 0; i < node_counts.size(); ++i) node_counts[i] += block_nodes_[b][i];
    ll += block_ll_[b];
  }
  return ll;
}

}  // namespace detail

namespace {

using detail::item_layout;

struct latent {
  double mean = 0.0, sd = 1.0;
  bool mean_free = false, var_free = false;
};

std::vector<double> log_prior_weights(const std::vector<double>& nodes, const latent& g) {
  std::vector<double> lw(nodes.size());
  double m = -1e300;
  for (std::size_t q = 0; q < nodes.size(); ++q) {
    const double z = (nodes[q] - g.mean) / g.sd;
    lw[q] = -0.5 * z * z;
    m = std::max(m, lw[q]);
  }
  double s = 0.0;
  for (double v : lw) s += std::exp(v - m);
  const double lse = m + std::log(s);
  for (double& v : lw) v -= lse;
  return lw;
}

// The whole state of one calibration.
struct engine {
  const problem& data;
  const options& opts;
  std::vector<double> nodes;
  std::vector<int> cats;
  std::vector<item_layout> layouts;
  std::vector<bool> fixed;
  std::vector<std::size_t> table_offset;  // per item into the log-probability / count tables
  std::size_t table_size = 0;
  std::vector<std::size_t> param_offset;  // per item into the global free vector
  std::size_t n_params = 0;
  std::vector<latent> groups;
  detail::pattern_set patterns;
  std::vector<bool> log_odds;
  detail::estep_engine estep;
  std::vector<double> table, counts, node_counts;
  std::vector<std::vector<double>> log_prior;

  engine(const problem& d, const options& o) : data(d), opts(o) {}

  void fill_table(std::size_t i, const irt::item_params& p) {
    const std::size_t Q = nodes.size();
    double lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
    const int K = cats[i];
    for (std::size_t q = 0; q < Q; ++q) {
      irt::category_terms(p, nodes[q], lp, g, h);
      for (int k = 0; k < K; ++k)
        table[table_offset[i] + static_cast<std::size_t>(k) * Q + q] = std::max(lp[k], -700.0);
    }
  }
  irt::item_params item_params(std::size_t i, const std::vector<double>& x) const {
    if (fixed[i]) return *data.fixed[i];
    return detail::to_params(layouts[i], std::span(x).subspan(param_offset[i], static_cast<std::size_t>(layouts[i].size())));
  }
  void fill_tables(const std::vector<double>& x) {
    for (std::size_t i = 0; i < data.items; ++i) fill_table(i, item_params(i, x));
  }
  void fill_priors() {
    log_prior.clear();
    for (const auto& g : groups) log_prior.push_back(log_prior_weights(nodes, g));
  }
  double run_estep(const std::vector<double>& x) {
    fill_tables(x);
    fill_priors();
    // Log-odds items: category-1 row becomes log P1 - log P0, sum of log P0 joins the prior.
    const std::size_t Q = nodes.size();
    std::vector<double> base(Q, 0.0);
    bool any = false;
    for (std::size_t i = 0; i < data.items; ++i) {
      if (!log_odds[i]) continue;
      any = true;
      double* r0 = table.data() + table_offset[i];
      double* r1 = r0 + Q;
      for (std::size_t q = 0; q < Q; ++q) {
        base[q] += r0[q];
        r1[q] -= r0[q];
      }
    }
    if (any)
      for (auto& lp : log_prior)
        for (std::size_t q = 0; q < Q; ++q) lp[q] += base[q];
    const double ll = estep.run(table.data(), log_prior, counts, node_counts);
    if (any) {
      std::vector<double> total(Q, 0.0);
      for (std::size_t g = 0; g < groups.size(); ++g)
        for (std::size_t q = 0; q < Q; ++q) total[q] += node_counts[g * Q + q];
      for (std::size_t i = 0; i < data.items; ++i) {
        if (!log_odds[i]) continue;
        double* c0 = counts.data() + table_offset[i];
        const double* c1 = c0 + Q;
        for (std::size_t q = 0; q < Q; ++q) c0[q] = std::max(0.0, total[q] - c1[q]);
      }
    }
    return ll;
  }
  // Dichotomous items answered by every person take the log-odds path of the E-step.
  void setup_patterns(const problem& d, int n_groups, int threads) {
    log_odds.assign(d.items, false);
    for (std::size_t i = 0; i < d.items; ++i) {
      if (cats[i] != 2) continue;
      bool complete = true;
      for (std::size_t p = 0; p < d.persons && complete; ++p) complete = d.responses[p * d.items + i] >= 0;
      log_odds[i] = complete;
    }
    patterns = detail::compress(d, table_offset, nodes.size(), log_odds);
    estep.configure(&patterns, table_size, nodes.size(), n_groups, threads);
  }
  std::span<const double> item_counts(std::size_t i) const {
    return std::span(counts).subspan(table_offset[i], static_cast<std::size_t>(cats[i]) * nodes.size());
  }
  // M-step for every free item, in place.
  void mstep(std::vector<double>& x) {
    for (std::size_t i = 0; i < data.items; ++i) {
      if (fixed[i]) continue;
      const auto n = static_cast<std::size_t>(layouts[i].size());
      std::vector<double> xi(x.begin() + static_cast<std::ptrdiff_t>(param_offset[i]),
                             x.begin() + static_cast<std::ptrdiff_t>(param_offset[i] + n));
      detail::newton(layouts[i], xi, nodes, item_counts(i), opts.priors, 25, 1e-9);
      std::copy(xi.begin(), xi.end(), x.begin() + static_cast<std::ptrdiff_t>(param_offset[i]));
    }
    const std::size_t Q = nodes.size();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      auto& lat = groups[g];
      if (!lat.mean_free && !lat.var_free) continue;
      const double* n = node_counts.data() + g * Q;
      double tot = 0.0, m1 = 0.0;
      for (std::size_t q = 0; q < Q; ++q) {
        tot += n[q];
        m1 += n[q] * nodes[q];
      }
      if (tot <= 0) continue;
      const double mean = lat.mean_free ? m1 / tot : lat.mean;
      if (lat.var_free) {
        double v = 0.0;
        for (std::size_t q = 0; q < Q; ++q) v += n[q] * (nodes[q] - mean) * (nodes[q] - mean);
        lat.sd = std::sqrt(std::max(v / tot, 1e-4));
      }
      lat.mean = mean;
    }
  }
  std::vector<double> latent_vector() const {
    std::vector<double> v;
    for (const auto& g : groups) {
      if (g.mean_free) v.push_back(g.mean);
      if (g.var_free) v.push_back(std::log(g.sd));
    }
    return v;
  }
  void set_latent_vector(const std::vector<double>& v) {
    std::size_t k = 0;
    for (auto& g : groups) {
      if (g.mean_free) g.mean = v[k++];
      if (g.var_free) g.sd = std::exp(v[k++]);
    }
  }
};

}  // namespace

result run(const problem& data, const options& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  validate(opts);
  if (!data.responses || data.persons == 0 || data.items == 0)
    throw invalid_argument("calibration needs at least one person and one item");
  if (data.models.size() != data.items)
    throw invalid_argument(fmt::format("calibration has {} items but {} models", data.items, data.models.size()));
  if (!data.fixed.empty() && data.fixed.size() != data.items)
    throw invalid_argument("problem.fixed must be empty or have one entry per item");
  if (!data.start.empty() && data.start.size() != data.items)
    throw invalid_argument("problem.start must be empty or have one entry per item");
  if (!data.group.empty() && data.group.size() != data.persons)
    throw invalid_argument("problem.group must be empty or have one entry per person");
  int n_groups = 1;
  for (auto g : data.group) {
    if (g > 1) throw invalid_argument(fmt::format("group must be 0 or 1, got {}", int(g)));
    n_groups = std::max(n_groups, int(g) + 1);
  }

  engine E(data, opts);
  E.nodes = grid_nodes(opts.grid);
  const std::size_t Q = E.nodes.size();
  E.cats = infer_categories(data);
  const std::size_t J = data.items;

  // Observed category counts; checks.
  std::vector<std::vector<double>> observed(J);
  for (std::size_t i = 0; i < J; ++i) observed[i].assign(static_cast<std::size_t>(E.cats[i]), 0.0);
  for (std::size_t p = 0; p < data.persons; ++p)
    for (std::size_t i = 0; i < J; ++i) {
      const int x = data.responses[p * J + i];
      if (x < 0) continue;
      if (x >= E.cats[i])
        throw invalid_argument(fmt::format("person {}: response {} to item {} is outside its {} categories", p + 1, x,
                                           i + 1, E.cats[i]));
      observed[i][static_cast<std::size_t>(x)] += 1.0;
    }
  E.fixed.assign(J, false);
  bool any_free_slope = false, any_rasch = false, any_pcm = false, any_fixed = false;
  for (std::size_t i = 0; i < J; ++i) {
    E.fixed[i] = !data.fixed.empty() && data.fixed[i].has_value();
    any_fixed = any_fixed || E.fixed[i];
    item_layout L{data.models[i], E.cats[i], 1.0};
    if (data.models[i] == irt::model::nominal) throw invalid_argument("calibration of the nominal model is not supported");
    E.layouts.push_back(L);
    if (E.fixed[i]) continue;
    const auto& obs = observed[i];
    double tot = 0.0;
    for (double v : obs) tot += v;
    if (tot == 0) throw invalid_argument(fmt::format("item {} has no responses; drop it or hold it fixed", i + 1));
    for (int k = 0; k < E.cats[i]; ++k)
      if (obs[static_cast<std::size_t>(k)] == 0)
        throw invalid_argument(fmt::format("item {}: nobody chose category {}; recode the item's categories", i + 1, k));
    if (data.models[i] == irt::model::one_pl || data.models[i] == irt::model::pcm) any_rasch = true;
    else any_free_slope = true;
    if (data.models[i] == irt::model::pcm) any_pcm = true;
  }
  // Layout of tables and of the free vector.
  std::vector<double> x;
  for (std::size_t i = 0; i < J; ++i) {
    E.table_offset.push_back(E.table_size);
    E.table_size += static_cast<std::size_t>(E.cats[i]) * Q;
    E.param_offset.push_back(E.n_params);
    if (E.fixed[i]) continue;
    std::vector<double> xi = !data.start.empty() && data.start[i]
                                 ? detail::from_params(E.layouts[i], *data.start[i])
                                 : detail::start_values(E.layouts[i], observed[i]);
    x.insert(x.end(), xi.begin(), xi.end());
    E.n_params += xi.size();
  }
  E.table.assign(E.table_size, 0.0);
  E.groups.resize(static_cast<std::size_t>(n_groups));
  const bool rasch = any_rasch && !any_free_slope && !any_fixed;
  E.groups[0].mean_free = opts.free_reference_mean;
  E.groups[0].var_free = opts.free_reference_variance || rasch;
  if (n_groups > 1) E.groups[1].mean_free = E.groups[1].var_free = true;

  E.setup_patterns(data, n_groups, opts.threads);

  result res;
  res.unique_patterns = E.patterns.freq.size();
  // Free parameters for AIC/BIC.
  int n_latent = 0;
  for (const auto& g : E.groups) n_latent += int(g.mean_free) + int(g.var_free);
  res.parameters = static_cast<int>(E.n_params) + n_latent;

  // One EM map: x -> F(x). Returns the log-likelihood at x.
  auto em_map = [&](std::vector<double>& xs, std::vector<double>& lat) {
    E.set_latent_vector(lat);
    const double ll = E.run_estep(xs);
    E.mstep(xs);
    lat = E.latent_vector();
    return ll;
  };
  auto max_change = [](const std::vector<double>& a, const std::vector<double>& b) {
    double m = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
    return m;
  };

  std::vector<double> lat = E.latent_vector();
  double prev_ll = -std::numeric_limits<double>::infinity();
  int it = 0;
  bool converged = false;
  // SQUAREM (Varadhan & Roland 2008, scheme S3) every cycle after a few plain EM steps: two EM
  // maps, an extrapolated point, one stabilising EM map; it is kept only if the log-likelihood
  // does not fall. It converges to the same fixed point as plain EM.
  const int plain_first = 3;
  while (it < opts.max_iterations) {
    auto x0 = x;
    auto l0 = lat;
    const double ll0 = em_map(x, lat);
    ++it;
    res.log_likelihood_history.push_back(ll0);
    double change = std::max(max_change(x, x0), max_change(lat, l0));
    if (opts.on_iteration) opts.on_iteration({it, ll0, change});
    const bool ll_conv = opts.loglik_tolerance > 0 && std::abs(ll0 - prev_ll) < opts.loglik_tolerance;
    prev_ll = ll0;
    if (change < opts.tolerance || ll_conv) {
      converged = true;
      break;
    }
    if (!opts.accelerate || it < plain_first || it + 2 >= opts.max_iterations) continue;
    // Second map from x1.
    auto x1 = x, l1 = lat;
    const double ll1 = em_map(x, lat);
    ++it;
    res.log_likelihood_history.push_back(ll1);
    change = std::max(max_change(x, x1), max_change(lat, l1));
    if (opts.on_iteration) opts.on_iteration({it, ll1, change});
    prev_ll = ll1;
    if (change < opts.tolerance) {
      converged = true;
      break;
    }
    auto x2 = x, l2 = lat;
    // r = x1 - x0, v = x2 - 2 x1 + x0 over items and latent parameters together.
    double rr = 0.0, vv = 0.0;
    const std::size_t nx = x0.size();
    auto comp = [&](std::size_t k, double& r, double& v) {
      if (k < nx) {
        r = x1[k] - x0[k];
        v = x2[k] - 2 * x1[k] + x0[k];
      } else {
        const std::size_t j = k - nx;
        r = l1[j] - l0[j];
        v = l2[j] - 2 * l1[j] + l0[j];
      }
    };
    for (std::size_t k = 0; k < nx + l0.size(); ++k) {
      double r, v;
      comp(k, r, v);
      rr += r * r;
      vv += v * v;
    }
    if (!(vv > 0)) continue;
    double alpha = -std::sqrt(rr / vv);
    alpha = std::min(alpha, -1.0);
    alpha = std::max(alpha, -20.0);
    std::vector<double> xa(nx), la(l0.size());
    for (std::size_t k = 0; k < nx + l0.size(); ++k) {
      double r, v;
      comp(k, r, v);
      const double base = k < nx ? x0[k] : l0[k - nx];
      const double val = base - 2 * alpha * r + alpha * alpha * v;
      if (k < nx) xa[k] = val;
      else la[k - nx] = val;
    }
    for (std::size_t i = 0; i < J; ++i)
      if (!E.fixed[i])
        E.layouts[i].project(std::span(xa).subspan(E.param_offset[i], static_cast<std::size_t>(E.layouts[i].size())));
    // Stabilising map from the extrapolated point; accept if its log-likelihood >= ll1.
    auto xs = xa, ls = la;
    E.set_latent_vector(ls);
    bool ok = true;
    for (std::size_t i = 0; i < J && ok; ++i) {
      if (E.fixed[i]) continue;
      auto p = E.item_params(i, xs);
      ok = irt::check_params(p).empty() && std::isfinite(p.slope);
    }
    if (!ok) {
      E.set_latent_vector(lat);
      continue;
    }
    const double lla = em_map(xs, ls);
    ++it;
    res.log_likelihood_history.push_back(lla);
    if (std::isfinite(lla) && lla >= ll1 - 1e-9 * std::abs(ll1)) {
      change = std::max(max_change(xs, xa), max_change(ls, la));
      x = xs;
      lat = ls;
      if (opts.on_iteration) opts.on_iteration({it, lla, change});
      prev_ll = lla;
      if (change < opts.tolerance) {
        converged = true;
        break;
      }
    } else {
      if (opts.on_iteration) opts.on_iteration({it, lla, 0.0});
      E.set_latent_vector(lat);
    }
  }
  E.set_latent_vector(lat);
  // Final E-step at the estimates: log-likelihood and expected counts for the SEs.
  res.log_likelihood = E.run_estep(x);
  res.iterations = it;
  res.converged = converged;
  const double N = static_cast<double>(data.persons);
  res.aic = -2.0 * res.log_likelihood + 2.0 * res.parameters;
  res.bic = -2.0 * res.log_likelihood + res.parameters * std::log(N);

  // Standard errors by Oakes' identity over the whole free vector: item parameters followed by
  // the free latent parameters (mean, log SD per group), so that the SEs account for the
  // estimated common slope of a Rasch calibration (its latent SD) and for estimated groups.
  const std::vector<double> lat_hat = E.latent_vector();
  const std::size_t n_lat = lat_hat.size();
  Eigen::MatrixXd cov;
  bool have_cov = false;
  if (opts.standard_errors && E.n_params + n_lat > 0) {
    const auto P = static_cast<Eigen::Index>(E.n_params + n_lat);
    Eigen::MatrixXd info = Eigen::MatrixXd::Zero(P, P);
    const auto saved_counts = E.counts;
    const auto saved_node_counts = E.node_counts;
    for (std::size_t i = 0; i < J; ++i) {
      if (E.fixed[i]) continue;
      const auto n = static_cast<std::size_t>(E.layouts[i].size());
      std::vector<double> g(n), h(n * n);
      detail::objective(E.layouts[i], std::span(x).subspan(E.param_offset[i], n), E.nodes, E.item_counts(i),
                        opts.priors, g.data(), h.data());
      for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b)
          info(static_cast<Eigen::Index>(E.param_offset[i] + a), static_cast<Eigen::Index>(E.param_offset[i] + b)) -=
              h[a * n + b];
    }
    // The latent terms at the estimates (E.groups holds them now); the groups' parameters are
    // laid out as latent_vector() lays them out.
    auto latent_terms = [&](Eigen::VectorXd* grad, Eigen::MatrixXd* hess) {
      auto k = static_cast<Eigen::Index>(E.n_params);
      for (std::size_t g = 0; g < E.groups.size(); ++g) {
        const auto& lg = E.groups[g];
        if (!lg.mean_free && !lg.var_free) continue;
        double gm = 0, gs = 0, hmm = 0, hms = 0, hss = 0;
        detail::latent_derivatives(E.nodes, std::span(E.node_counts).subspan(g * Q, Q), lg.mean, lg.sd, gm, gs, hmm,
                                   hms, hss);
        const Eigen::Index im = k, is = k + (lg.mean_free ? 1 : 0);
        if (grad) {
          if (lg.mean_free) (*grad)(im) = gm;
          if (lg.var_free) (*grad)(is) = gs;
        }
        if (hess) {
          if (lg.mean_free) (*hess)(im, im) -= hmm;
          if (lg.var_free) (*hess)(is, is) -= hss;
          if (lg.mean_free && lg.var_free) {
            (*hess)(im, is) -= hms;
            (*hess)(is, im) -= hms;
          }
        }
        k += int(lg.mean_free) + int(lg.var_free);
      }
    };
    latent_terms(nullptr, &info);
    const item_priors no_priors{};
    // Gradient of the complete-data log-likelihood at the estimates, with the expected counts of
    // the last E-step.
    auto complete_gradient = [&](Eigen::VectorXd& out) {
      for (std::size_t i = 0; i < J; ++i) {
        if (E.fixed[i]) continue;
        const auto n = static_cast<std::size_t>(E.layouts[i].size());
        std::vector<double> g(n);
        detail::objective(E.layouts[i], std::span(x).subspan(E.param_offset[i], n), E.nodes, E.item_counts(i),
                          no_priors, g.data(), nullptr);
        for (std::size_t a = 0; a < n; ++a) out(static_cast<Eigen::Index>(E.param_offset[i] + a)) = g[a];
      }
      latent_terms(&out, nullptr);
    };
    Eigen::MatrixXd cross(P, P);
    Eigen::VectorXd gp(P), gm(P);
    // E-step at the estimates with coordinate k moved by `step`; E.groups is back at the
    // estimates afterwards.
    auto shifted_gradient = [&](std::size_t k, double step, Eigen::VectorXd& out) {
      auto xs = x;
      auto ls = lat_hat;
      if (k < E.n_params) xs[k] += step;
      else ls[k - E.n_params] += step;
      E.set_latent_vector(ls);
      E.run_estep(xs);
      E.set_latent_vector(lat_hat);
      complete_gradient(out);
    };
    for (Eigen::Index k = 0; k < P; ++k) {
      const auto uk = static_cast<std::size_t>(k);
      const double v = uk < E.n_params ? x[uk] : lat_hat[uk - E.n_params];
      const double h = 1e-4 * std::max(1.0, std::abs(v));
      shifted_gradient(uk, h, gp);
      shifted_gradient(uk, -h, gm);
      cross.col(k) = (gp - gm) / (2 * h);
    }
    E.counts = saved_counts;
    E.node_counts = saved_node_counts;
    info -= 0.5 * (cross + cross.transpose());
    Eigen::LDLT<Eigen::MatrixXd> ldlt(info);
    if (ldlt.info() == Eigen::Success && ldlt.isPositive() && (ldlt.vectorD().array() > 0).all()) {
      cov = ldlt.solve(Eigen::MatrixXd::Identity(P, P));
      have_cov = cov.allFinite();
    }
    res.standard_errors = true;
    res.se_positive_definite = have_cov;
  }

  // Results per item.
  double rasch_sd = E.groups[0].sd;
  const bool rescale = rasch && opts.rescale_rasch && !any_pcm;
  res.latent_sd_rasch = rasch ? rasch_sd : 1.0;
  // Index of each group's free mean and log SD in the covariance (-1 when not free).
  std::vector<Eigen::Index> mean_at(E.groups.size(), -1), logsd_at(E.groups.size(), -1);
  {
    auto k = static_cast<Eigen::Index>(E.n_params);
    for (std::size_t g = 0; g < E.groups.size(); ++g) {
      if (E.groups[g].mean_free) mean_at[g] = k++;
      if (E.groups[g].var_free) logsd_at[g] = k++;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // SE of a linear combination (delta method) of the covariance's coordinates.
  auto se_of = [&](const std::vector<std::pair<Eigen::Index, double>>& grad) {
    if (!have_cov) return nan;
    double v = 0.0;
    for (const auto& [i, gi] : grad)
      for (const auto& [j, gj] : grad) v += gi * gj * cov(i, j);
    return std::sqrt(std::max(0.0, v));
  };
  if (rasch && have_cov && logsd_at[0] >= 0) res.se_latent_sd_rasch = se_of({{logsd_at[0], rasch_sd}});
  for (std::size_t i = 0; i < J; ++i) {
    item_estimate est;
    est.fixed = E.fixed[i];
    est.params = E.item_params(i, x);
    const int n = E.fixed[i] ? 0 : E.layouts[i].size();
    est.free_parameters = n;
    Eigen::MatrixXd V;
    const auto o = static_cast<Eigen::Index>(E.param_offset[i]);
    if (rescale && est.params.kind == irt::model::one_pl) {
      // Rescaled Rasch item: free vector [a, d] with the common slope a = SD = exp(log SD).
      est.params.slope = rasch_sd;
      if (have_cov && n > 0 && logsd_at[0] >= 0) {
        const Eigen::Index s = logsd_at[0];
        V.resize(2, 2);
        V(0, 0) = rasch_sd * rasch_sd * cov(s, s);
        V(0, 1) = V(1, 0) = rasch_sd * cov(s, o);
        V(1, 1) = cov(o, o);
      }
      detail::fill_standard_errors({irt::model::two_pl, 2, 1.0}, V, est);
    } else {
      if (have_cov && n > 0) V = cov.block(o, o, n, n);
      detail::fill_standard_errors(E.layouts[i], V, est);
    }
    res.items.push_back(std::move(est));
  }
  std::vector<std::size_t> group_n(E.groups.size(), 0);
  for (std::size_t p = 0; p < data.persons; ++p) ++group_n[data.group.empty() ? 0 : data.group[p]];
  for (std::size_t g = 0; g < E.groups.size(); ++g) {
    const auto& lg = E.groups[g];
    group_estimate ge{lg.mean, lg.sd, group_n[g]};
    if (rescale) {
      // Reported on group 0's scale: mean_g / SD_0, SD_g / SD_0 (group 0 becomes N(0, 1)).
      ge.mean /= rasch_sd;
      ge.sd /= rasch_sd;
      if (g > 0) {
        std::vector<std::pair<Eigen::Index, double>> dm{{logsd_at[0], -ge.mean}}, ds{{logsd_at[0], -ge.sd}};
        if (mean_at[g] >= 0) dm.emplace_back(mean_at[g], 1.0 / rasch_sd);
        if (logsd_at[g] >= 0) ds.emplace_back(logsd_at[g], ge.sd);
        ge.se_mean = se_of(dm);
        ge.se_sd = se_of(ds);
      }
    } else {
      if (mean_at[g] >= 0) ge.se_mean = se_of({{mean_at[g], 1.0}});
      if (logsd_at[g] >= 0) ge.se_sd = se_of({{logsd_at[g], lg.sd}});
    }
    res.groups.push_back(ge);
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

double log_likelihood(const problem& data, std::span<const irt::item_params> items, const options& opts) {
  if (items.size() != data.items) throw invalid_argument("log_likelihood needs one item_params per item");
  problem fixed_problem = data;
  fixed_problem.fixed.assign(items.begin(), items.end());
  engine E(fixed_problem, opts);
  E.nodes = grid_nodes(opts.grid);
  E.cats = infer_categories(fixed_problem);
  E.fixed.assign(data.items, true);
  for (std::size_t i = 0; i < data.items; ++i) {
    E.layouts.push_back({items[i].kind, E.cats[i], 1.0});
    E.table_offset.push_back(E.table_size);
    E.table_size += static_cast<std::size_t>(E.cats[i]) * E.nodes.size();
    E.param_offset.push_back(0);
  }
  E.table.assign(E.table_size, 0.0);
  E.groups.resize(1);
  E.setup_patterns(fixed_problem, 1, opts.threads);
  return E.run_estep({});
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
