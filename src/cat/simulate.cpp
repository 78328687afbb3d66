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

// The finished session's estimate, finish reason and items (reusing r's vectors' capacity).
void record_outcome(const session& s, examinee_result& r) {
  r.theta = s.theta();
  r.se = s.se();
  r.reason = s.reason();
  r.items.clear();
  for (const auto& x : s.responses()) r.items.push_back(x.item);
  r.set_aside.assign(s.set_aside().begin(), s.set_aside().end());
}

// Levels are numbered from 1, as in the frameworks: 1 + the number of cuts at or below theta.
// No cuts: no levels (-1).
int level_of(double theta, std::span<const double> cuts) { return cuts.empty() ? -1 : core::level_for(cuts, theta); }

// Fills `r` (reusing its vectors' capacity) with examinee `index`'s test. `over_exposed`: the
// frozen progressive-restricted input of the examinee's wave, or null (no such control).
// A profile bank's examinee: the true profile drawn from the latent distribution (or given),
// answers drawn from the multidimensional items at it.
void run_one_profile(const std::shared_ptr<const engine>& eng, std::size_t index, const simulation_options& o,
                     examinee_result& r, const std::vector<std::uint32_t>* over_exposed) {
  const auto& bank = eng->bank();
  const std::size_t dims = bank.dimensions();
  r.true_profile.resize(dims);
  if (!o.true_profiles.empty()) {
    std::copy_n(o.true_profiles.begin() + static_cast<std::ptrdiff_t>(index * dims), dims, r.true_profile.begin());
  } else {
    // mean + L z, L the Cholesky factor of the latent covariance.
    const auto& cov = bank.info().latent_covariance;
    const auto& mean = bank.info().latent_mean;
    double l[irt::max_dimensions * irt::max_dimensions] = {};
    for (std::size_t j = 0; j < dims; ++j) {
      double diag = cov[j * dims + j];
      for (std::size_t k = 0; k < j; ++k) diag -= l[j * dims + k] * l[j * dims + k];
      l[j * dims + j] = std::sqrt(std::max(diag, 0.0));
      for (std::size_t i = j + 1; i < dims; ++i) {
        double x = cov[i * dims + j];
        for (std::size_t k = 0; k < j; ++k) x -= l[i * dims + k] * l[j * dims + k];
        l[i * dims + j] = l[j * dims + j] > 0 ? x / l[j * dims + j] : 0.0;
      }
    }
    rng draws(derive_seed(o.seed, index, theta_stream));
    double z[irt::max_dimensions];
    for (std::size_t d = 0; d < dims; ++d) z[d] = draws.normal();
    for (std::size_t d = 0; d < dims; ++d) {
      double x = mean[d];
      for (std::size_t k = 0; k <= d; ++k) x += l[d * dims + k] * z[k];
      r.true_profile[d] = x;
    }
  }
  session s(eng, derive_seed(o.seed, index, session_stream));
  if (over_exposed) s.read_exposure_from(*over_exposed);
  rng answers(derive_seed(o.seed, index, answer_stream));
  const auto table = bank.multidim_table();
  const std::span<const double> truth(r.true_profile);
  double lp[irt::max_categories];
  for (;;) {
    const auto st = s.next_item();
    if (!st.item) break;
    irt::log_probabilities<double>(table, *st.item, truth, lp);
    const int kc = table.links.categories(*st.item);
    double u = answers.uniform();
    int cat = kc - 1;
    for (int k = 0; k < kc; ++k) {
      const double p = std::exp(lp[k]);
      if (u < p) {
        cat = k;
        break;
      }
      u -= p;
    }
    s.record_response(*st.item, cat);
  }
  const auto& th = s.profile_theta();
  const auto se = s.profile_se();
  r.profile.assign(th.data(), th.data() + dims);
  r.profile_se.assign(se.data(), se.data() + dims);
  r.true_theta = r.true_profile[0];
  record_outcome(s, r);
  const auto stop_dims = eng->stopping_dimensions();
  r.true_levels.assign(stop_dims.size(), -1);
  r.levels.assign(stop_dims.size(), -1);
  const auto areas = s.classify_areas();
  for (std::size_t k = 0; k < stop_dims.size(); ++k) {
    const auto cuts = eng->cuts_of(stop_dims[k]);
    if (cuts.empty()) continue;
    r.true_levels[k] = level_of(r.true_profile[stop_dims[k]], cuts);
    r.levels[k] = areas[k].decided && areas[k].level >= 0 ? areas[k].level + 1 : level_of(r.profile[stop_dims[k]], cuts);
  }
  r.true_level = r.true_levels.empty() ? -1 : r.true_levels[0];
  r.level = r.levels.empty() ? -1 : r.levels[0];
}

void run_one(const std::shared_ptr<const engine>& eng, std::size_t index, const simulation_options& o, examinee_result& r,
             const std::vector<std::uint32_t>* over_exposed) {
  if (eng->profile()) {
    run_one_profile(eng, index, o, r, over_exposed);
    return;
  }
  r.true_theta = o.true_thetas.empty() ? rng(derive_seed(o.seed, index, theta_stream)).normal() : o.true_thetas[index];
  session s(eng, derive_seed(o.seed, index, session_stream));
  if (over_exposed) s.read_exposure_from(*over_exposed);
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
  record_outcome(s, r);
  const auto& cuts = eng->spec().stopping.cuts;
  r.true_level = level_of(r.true_theta, cuts);
  r.level = -1;
  if (!cuts.empty()) {
    const auto c = s.classify();
    r.level = c.decided && c.level >= 0 ? c.level + 1 : level_of(r.theta, cuts);
  }
}

// The true-theta bands of the conditional statistics: [edges[b], edges[b + 1]).
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double band_edges[] = {-inf, -2, -1, 0, 1, 2, inf};

}  // namespace

simulation_summary simulate(const std::shared_ptr<const engine>& eng, const simulation_options& o, const examinee_sink& sink) {
  if (!eng) throw invalid_argument("simulate needs an engine");
  std::size_t n = o.true_thetas.empty() ? o.examinees : o.true_thetas.size();
  if (eng->profile()) {
    const std::size_t dims = eng->bank().dimensions();
    if (!o.true_thetas.empty())
      throw invalid_argument("a profile bank is simulated from true profiles (simulation_options::true_profiles), not thetas");
    if (!o.true_profiles.empty()) {
      if (o.true_profiles.size() % dims != 0)
        throw invalid_argument(fmt::format("{} true profile values are not a whole number of rows of {} dimensions",
                                           o.true_profiles.size(), dims));
      n = o.true_profiles.size() / dims;
    }
  }
  unsigned threads = std::max(1u, o.threads);
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, n / 64)));
  // Progressive-restricted control reads exposure rates that earlier examinees move. Examinees
  // start in waves; a wave's sessions all read the rates of the examinees of earlier waves,
  // frozen, so the order in which threads finish them changes nothing. Blocks hold whole waves.
  const bool restricted = eng->spec().exposure.restricted_max > 0;
  const std::size_t wave = restricted ? std::max<std::size_t>(1, o.exposure_wave) : 0;
  std::size_t block = std::max<std::size_t>(1, o.block);
  if (restricted) block = std::max(wave, block / wave * wave);
  // Small chunks: a block (or wave) ends with a barrier, and the last chunks decide how long
  // the other threads wait there.
  const std::size_t chunk = restricted ? 1 : 8;
  std::vector<examinee_result> buffer(std::min(n, block));
  std::vector<std::uint64_t> administered(restricted ? eng->bank().size() : 0);
  std::vector<std::uint32_t> over_exposed;
  summary_accumulator acc(*eng);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  for (std::size_t first = 0; first < n; first += block) {
    const std::size_t count = std::min(block, n - first);
    const std::size_t step = restricted ? wave : count;
    for (std::size_t w = 0; w < count; w += step) {
      const std::size_t in_wave = std::min(step, count - w);
      if (restricted) eng->over_exposed_items(administered, first + w, over_exposed);
      // Each examinee's result depends only on its index (its own seed) and its wave's frozen
      // rates, so the thread count does not change the output; the sink and the summary then
      // see the block in index order.
      core::parallel_for(in_wave, chunk, threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
          run_one(eng, first + w + i, o, buffer[w + i], restricted ? &over_exposed : nullptr);
        const auto d = done.fetch_add(end - begin) + (end - begin);
        if (o.progress) {
          std::lock_guard lock(progress_mutex);
          o.progress(d, n);
        }
      });
      if (restricted)
        for (std::size_t i = 0; i < in_wave; ++i)
          for (auto item : buffer[w + i].items) ++administered[item];
    }
    for (std::size_t i = 0; i < count; ++i) {
      acc.add(buffer[i]);
      if (sink) sink(first + i, buffer[i]);
    }
  }
  return acc.summary();
}

simulation_result simulate(const std::shared_ptr<const engine>& eng, const simulation_options& o) {
  simulation_result out;
  std::size_t n = o.true_thetas.empty() ? o.examinees : o.true_thetas.size();
  if (eng && eng->profile() && !o.true_profiles.empty()) n = o.true_profiles.size() / eng->bank().dimensions();
  out.examinees.resize(n);
  out.summary = simulate(eng, o, [&](std::size_t i, const examinee_result& r) { out.examinees[i] = r; });
  return out;
}

summary_accumulator::summary_accumulator(const engine& eng) : eng_(&eng), counts_(eng.bank().size(), 0) {
  length_min_ = std::numeric_limits<int>::max();
  if (eng.profile()) dims_.resize(eng.bank().dimensions());
}

void summary_accumulator::add(const examinee_result& r) {
  ++n_;
  const double err = r.theta - r.true_theta;
  sum_err_ += err;
  sum_sq_ += err * err;
  sum_abs_ += std::abs(err);
  sum_se_ += r.se;
  // One pass (Welford): the stream is never held, so the means are not known beforehand.
  const double dn = static_cast<double>(n_);
  const double dt = r.true_theta - mean_true_, de = r.theta - mean_est_;
  mean_true_ += dt / dn;
  mean_est_ += de / dn;
  m2_true_ += dt * (r.true_theta - mean_true_);
  m2_est_ += de * (r.theta - mean_est_);
  co_ += dt * (r.theta - mean_est_);
  const int len = static_cast<int>(r.items.size());
  sum_len_ += len;
  length_min_ = std::min(length_min_, len);
  length_max_ = std::max(length_max_, len);
  for (auto i : r.items) ++counts_[i];
  for (std::size_t b = 0; b < 6; ++b)
    if (r.true_theta >= band_edges[b] && r.true_theta < band_edges[b + 1]) {
      auto& band = bands_[b];
      ++band.n;
      band.err += err;
      band.sq += err * err;
      band.se += r.se;
      band.length += len;
    }
  ++reasons_[std::string(to_string(r.reason))];
  if (!dims_.empty() && r.profile.size() == dims_.size() && r.true_profile.size() == dims_.size()) {
    for (std::size_t d = 0; d < dims_.size(); ++d) {
      auto& x = dims_[d];
      const double e = r.profile[d] - r.true_profile[d];
      x.err += e;
      x.sq += e * e;
      x.se += r.profile_se[d];
      const double t = r.true_profile[d] - x.mean_true, u = r.profile[d] - x.mean_est;
      x.mean_true += t / dn;
      x.mean_est += u / dn;
      x.m2_true += t * (r.true_profile[d] - x.mean_true);
      x.m2_est += u * (r.profile[d] - x.mean_est);
      x.co += t * (r.profile[d] - x.mean_est);
    }
    const auto stop = eng_->stopping_dimensions();
    for (std::size_t k = 0; k < stop.size() && k < r.true_levels.size() && k < r.levels.size(); ++k)
      if (r.true_levels[k] >= 0) {
        ++dims_[stop[k]].classified;
        if (r.levels[k] == r.true_levels[k]) ++dims_[stop[k]].correct;
      }
  }
  if (r.true_level >= 0) {
    classify_ = true;
    if (r.level == r.true_level) ++correct_;
  }
}

simulation_summary summary_accumulator::summary() const {
  simulation_summary s;
  s.examinees = n_;
  if (n_ == 0) return s;
  const double dn = static_cast<double>(n_);
  s.bias = sum_err_ / dn;
  s.rmse = std::sqrt(sum_sq_ / dn);
  s.mae = sum_abs_ / dn;
  s.mean_se = sum_se_ / dn;
  s.length_mean = sum_len_ / dn;
  s.length_min = length_min_;
  s.length_max = length_max_;
  s.bands.resize(6);
  for (std::size_t b = 0; b < 6; ++b) {
    auto& out = s.bands[b];
    const auto& in = bands_[b];
    out.lo = band_edges[b];
    out.hi = band_edges[b + 1];
    out.n = in.n;
    if (in.n == 0) continue;
    const double bn = static_cast<double>(in.n);
    out.bias = in.err / bn;
    out.rmse = std::sqrt(in.sq / bn);
    out.mean_se = in.se / bn;
    out.mean_length = in.length / bn;
  }
  s.correlation = m2_true_ > 0 && m2_est_ > 0 ? co_ / std::sqrt(m2_true_ * m2_est_) : 0.0;
  s.reasons = reasons_;
  // Exposure over the items the test may use.
  const auto& eng = *eng_;
  const std::size_t items = counts_.size();
  s.exposure_rates.assign(items, 0.0);
  std::size_t usable = 0, never = 0;
  double sum_r = 0, sum_r2 = 0;
  for (std::size_t i = 0; i < items; ++i) {
    const double r = static_cast<double>(counts_[i]) / dn;
    s.exposure_rates[i] = r;
    s.exposure_max = std::max(s.exposure_max, r);
    if (!eng.usable(i)) continue;
    ++usable;
    if (counts_[i] == 0) ++never;
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
  if (classify_) s.classification_accuracy = static_cast<double>(correct_) / dn;
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    const auto& x = dims_[d];
    dimension_summary ds;
    ds.id = eng.bank().info().dimensions[d].id;
    ds.bias = x.err / dn;
    ds.rmse = std::sqrt(x.sq / dn);
    ds.mean_se = x.se / dn;
    ds.correlation = x.m2_true > 0 && x.m2_est > 0 ? x.co / std::sqrt(x.m2_true * x.m2_est) : 0.0;
    if (x.classified > 0) ds.classification_accuracy = static_cast<double>(x.correct) / static_cast<double>(x.classified);
    s.dimensions.push_back(std::move(ds));
  }
  return s;
}

simulation_summary summarize(const engine& eng, std::span<const examinee_result> results) {
  summary_accumulator acc(eng);
  for (const auto& r : results) acc.add(r);
  return acc.summary();
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
