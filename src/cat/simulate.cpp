// dskill::cat simulation: many examinees in parallel with per-examinee random streams.
#include "dskill/cat/simulate.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>

#include <fmt/format.h>

#include "dskill/cat/session.hpp"
#include "dskill/core/levels.hpp"
#include "dskill/core/parallel.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

namespace {

enum stream : std::uint64_t { theta_stream = 1, session_stream = 2, answer_stream = 3 };

// Levels are numbered from 1, as in the frameworks: 1 + the number of cuts at or below theta.
// No cuts: no levels (-1).
int level_of(double theta, const std::vector<double>& cuts) { return cuts.empty() ? -1 : core::level_for(cuts, theta); }

examinee_result run_one(const std::shared_ptr<const engine>& eng, std::size_t index, const simulation_options& o) {
  examinee_result r;
  r.true_theta = o.true_thetas.empty() ? rng(derive_seed(o.seed, index, theta_stream)).normal() : o.true_thetas[index];
  session s(eng, derive_seed(o.seed, index, session_stream));
  rng answers(derive_seed(o.seed, index, answer_stream));
  const auto& bank = eng->bank();
  double p[irt::max_categories];
  for (;;) {
    const auto st = s.next_item();
    if (!st.item) break;
    const auto& it = bank.params(*st.item);
    irt::probabilities(it, r.true_theta, p);
    double u = answers.uniform();
    int cat = it.categories() - 1;
    for (int k = 0; k < it.categories(); ++k) {
      if (u < p[k]) {
        cat = k;
        break;
      }
      u -= p[k];
    }
    s.record_response(*st.item, cat);
  }
  r.theta = s.theta();
  r.se = s.se();
  r.reason = s.reason();
  r.items.reserve(s.responses().size());
  for (const auto& x : s.responses()) r.items.push_back(x.item);
  r.set_aside.assign(s.set_aside().begin(), s.set_aside().end());
  const auto& cuts = eng->spec().stopping.cuts;
  r.true_level = level_of(r.true_theta, cuts);
  if (!cuts.empty()) {
    const auto c = s.classify();
    r.level = c.decided && c.level >= 0 ? c.level + 1 : level_of(r.theta, cuts);
  }
  return r;
}

}  // namespace

simulation_result simulate(const std::shared_ptr<const engine>& eng, const simulation_options& o) {
  if (!eng) throw invalid_argument("simulate needs an engine");
  const std::size_t n = o.true_thetas.empty() ? o.examinees : o.true_thetas.size();
  simulation_result out;
  out.examinees.resize(n);
  unsigned threads = std::max(1u, o.threads);
  if (eng->spec().exposure.restricted_max > 0) threads = 1;  // live exposure counts: keep the order
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, n / 64)));
  constexpr std::size_t chunk = 256;
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  // Each examinee's result depends only on its index (its own seed), so the thread count does
  // not change the output.
  core::parallel_for(n, chunk, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out.examinees[i] = run_one(eng, i, o);
    const auto d = done.fetch_add(end - begin) + (end - begin);
    if (o.progress) {
      std::lock_guard lock(progress_mutex);
      o.progress(d, n);
    }
  });
  out.summary = summarize(*eng, out.examinees);
  return out;
}

simulation_summary summarize(const engine& eng, std::span<const examinee_result> results) {
  simulation_summary s;
  const std::size_t n = results.size();
  s.examinees = n;
  if (n == 0) return s;
  double sum_err = 0, sum_sq = 0, sum_abs = 0, sum_se = 0, sum_len = 0;
  double mt = 0, me = 0;
  s.length_min = std::numeric_limits<int>::max();
  s.length_max = 0;
  const double edges[] = {-std::numeric_limits<double>::infinity(), -2, -1, 0, 1, 2, std::numeric_limits<double>::infinity()};
  s.bands.resize(6);
  for (std::size_t b = 0; b < 6; ++b) {
    s.bands[b].lo = edges[b];
    s.bands[b].hi = edges[b + 1];
  }
  const std::size_t items = eng.bank().size();
  std::vector<std::uint64_t> counts(items, 0);
  std::size_t correct = 0;
  bool classify = false;
  for (const auto& r : results) {
    const double err = r.theta - r.true_theta;
    sum_err += err;
    sum_sq += err * err;
    sum_abs += std::abs(err);
    sum_se += r.se;
    mt += r.true_theta;
    me += r.theta;
    const int len = static_cast<int>(r.items.size());
    sum_len += len;
    s.length_min = std::min(s.length_min, len);
    s.length_max = std::max(s.length_max, len);
    for (auto i : r.items) ++counts[i];
    for (std::size_t b = 0; b < 6; ++b)
      if (r.true_theta >= edges[b] && r.true_theta < edges[b + 1]) {
        auto& band = s.bands[b];
        ++band.n;
        band.bias += err;
        band.rmse += err * err;
        band.mean_se += r.se;
        band.mean_length += len;
      }
    ++s.reasons[std::string(to_string(r.reason))];
    if (r.true_level >= 0) {
      classify = true;
      if (r.level == r.true_level) ++correct;
    }
  }
  const double dn = static_cast<double>(n);
  s.bias = sum_err / dn;
  s.rmse = std::sqrt(sum_sq / dn);
  s.mae = sum_abs / dn;
  s.mean_se = sum_se / dn;
  s.length_mean = sum_len / dn;
  for (auto& b : s.bands)
    if (b.n > 0) {
      const double bn = static_cast<double>(b.n);
      b.bias /= bn;
      b.rmse = std::sqrt(b.rmse / bn);
      b.mean_se /= bn;
      b.mean_length /= bn;
    }
  mt /= dn;
  me /= dn;
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& r : results) {
    sxy += (r.true_theta - mt) * (r.theta - me);
    sxx += (r.true_theta - mt) * (r.true_theta - mt);
    syy += (r.theta - me) * (r.theta - me);
  }
  s.correlation = sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
  // Exposure over the items the test may use.
  s.exposure_rates.assign(items, 0.0);
  std::size_t usable = 0, never = 0;
  double sum_r = 0, sum_r2 = 0;
  for (std::size_t i = 0; i < items; ++i) {
    const double r = static_cast<double>(counts[i]) / dn;
    s.exposure_rates[i] = r;
    s.exposure_max = std::max(s.exposure_max, r);
    if (!eng.usable(i)) continue;
    ++usable;
    if (counts[i] == 0) ++never;
    sum_r += r;
    sum_r2 += r * r;
  }
  if (usable > 0 && s.length_mean > 0) {
    const double nu = static_cast<double>(usable);
    const double expected = s.length_mean / nu;
    s.exposure_never_used = static_cast<double>(never) / nu;
    double chi = 0;
    for (std::size_t i = 0; i < items; ++i)
      if (eng.usable(i)) chi += (s.exposure_rates[i] - expected) * (s.exposure_rates[i] - expected) / expected;
    s.exposure_chi_square = chi;
    const double mean_r = sum_r / nu;
    const double var_r = std::max(0.0, sum_r2 / nu - mean_r * mean_r);
    s.test_overlap = nu / s.length_mean * var_r + s.length_mean / nu;
  }
  if (classify) s.classification_accuracy = static_cast<double>(correct) / dn;
  return s;
}

std::vector<double> derive_sympson_hetter(const bank::bank_ptr& bank, const test_spec& spec_in, double target,
                                          std::size_t examinees, int iterations, std::uint64_t seed, unsigned threads) {
  if (!bank) throw invalid_argument("derive_sympson_hetter needs a bank");
  if (!(target > 0 && target <= 1)) throw invalid_argument(fmt::format("target maximum exposure rate {} must be in (0, 1]", target));
  if (examinees == 0 || iterations < 1) throw invalid_argument("derive_sympson_hetter needs examinees and iterations");
  test_spec spec = spec_in;
  spec.exposure.sympson_hetter = true;
  const std::size_t n = bank->size();
  std::vector<double> k(n, 1.0);
  for (int it = 0; it < iterations; ++it) {
    const auto eng = engine::create(bank, spec, nullptr, k);
    simulation_options o;
    o.examinees = examinees;
    o.seed = derive_seed(seed, static_cast<std::uint64_t>(it), 7);
    o.threads = threads;
    const auto res = simulate(eng, o);
    std::vector<double> selected(n, 0.0);
    for (const auto& r : res.examinees) {
      for (auto i : r.items) selected[i] += 1;
      for (auto i : r.set_aside) selected[i] += 1;
    }
    const double dn = static_cast<double>(examinees);
    for (std::size_t i = 0; i < n; ++i) {
      const double ps = selected[i] / dn;
      k[i] = ps > target ? target / ps : 1.0;
    }
    if (res.summary.exposure_max <= target + 0.01 && it > 0) break;
  }
  return k;
}

}  // namespace cat
DSKILL_END_NAMESPACE
