// dskill::cat: simulation of adaptive tests, summary statistics, and the Sympson-Hetter tool.
//
// Every examinee has its own random streams derived from (seed, examinee index): one for the
// true theta, one for the session, one for the simulated answers. Results are therefore
// identical for any number of threads. Progressive-restricted exposure control reads exposure
// rates that other examinees move: examinees start in waves (simulation_options::exposure_wave),
// and each wave reads the rates of all examinees of earlier waves, as a live platform's
// concurrent test takers see only the tests finished before they started.
//
// Examinees are simulated block by block (simulation_options::block of them in memory, in
// parallel within a block) and handed to a sink in index order, so a million examinees need no
// more memory than a few thousand; the vector-returning simulate() is a sink that keeps them all.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dskill/cat/engine.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

struct simulation_options {
  std::size_t examinees = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 1;
  /// True thetas (one per examinee; examinees = size). Empty: drawn from N(0, 1).
  std::vector<double> true_thetas;
  /// Profile banks: true profiles, one row of bank.dimensions() values per examinee (examinees =
  /// rows). Empty: drawn from the bank's latent N(mean, covariance).
  std::vector<double> true_profiles;
  /// Called now and then with (done, total); may be called from any worker thread, one call
  /// at a time.
  std::function<void(std::size_t, std::size_t)> progress;
  /// Examinees simulated (and held) at once; results do not depend on it.
  std::size_t block = 4096;
  /// With progressive-restricted exposure control: examinees per wave. A wave's examinees all
  /// read the exposure rates of the examinees before the wave (none for the first wave), then
  /// run in parallel. 1 runs them one after another (each reads all earlier examinees' items).
  std::size_t exposure_wave = 64;
};

struct examinee_result {
  double true_theta = 0.0;
  double theta = 0.0;
  double se = 0.0;
  finish_reason reason = finish_reason::not_finished;
  int true_level = -1;  ///< level of the true theta: 1 + cuts at or below it, as in frameworks (-1 without cuts)
  int level = -1;       ///< classified level, numbered the same way (the final theta's level when undecided)
  std::vector<std::uint32_t> items;      ///< administered, in order
  std::vector<std::uint32_t> set_aside;  ///< selected but set aside by Sympson-Hetter
  /// Profile banks (empty otherwise): per bank dimension the true value, the final estimate and
  /// its SE; per stopping dimension (engine::stopping_dimensions) the true and the classified
  /// level, numbered as true_level and level (-1 without cuts). The scalar fields above are then
  /// the first dimension's (se: the largest SE; levels: the first stopping dimension's).
  std::vector<double> true_profile, profile, profile_se;
  std::vector<int> true_levels, levels;
};

/// Profile banks: the statistics of one dimension.
struct dimension_summary {
  std::string id;
  double bias = 0.0, rmse = 0.0, mean_se = 0.0, correlation = 0.0;
  std::optional<double> classification_accuracy;  ///< stopping dimensions with cuts only
};

struct band_summary {
  double lo = 0.0, hi = 0.0;  ///< true-theta band [lo, hi)
  std::size_t n = 0;
  double bias = 0.0, rmse = 0.0, mean_se = 0.0, mean_length = 0.0;
};

struct simulation_summary {
  std::size_t examinees = 0;
  double bias = 0.0, rmse = 0.0, mae = 0.0, mean_se = 0.0, correlation = 0.0;
  std::vector<band_summary> bands;
  double length_mean = 0.0;
  int length_min = 0, length_max = 0;
  double exposure_max = 0.0;         ///< largest administration rate
  double exposure_never_used = 0.0;  ///< share of usable items never given
  double exposure_chi_square = 0.0;  ///< Chang & Ying (1999): sum (r_i - L/n)^2 / (L/n)
  double test_overlap = 0.0;         ///< Chen, Ankenmann & Spray (2003): (n/L) S_r^2 + L/n
  std::optional<double> classification_accuracy;  ///< share whose level equals the true level
  std::map<std::string, std::size_t> reasons;     ///< finish reason -> count
  std::vector<double> exposure_rates;             ///< per item
  std::vector<dimension_summary> dimensions;      ///< profile banks: one per bank dimension
};

struct simulation_result {
  std::vector<examinee_result> examinees;
  simulation_summary summary;
};

/// The summary statistics of examinees added one at a time, in one pass: what simulate() and
/// summarize() both report. Adding the same examinees in the same order gives the same figures.
class summary_accumulator {
 public:
  explicit summary_accumulator(const engine& eng);
  void add(const examinee_result& r);
  simulation_summary summary() const;

 private:
  struct band_sums {
    std::size_t n = 0;
    double err = 0, sq = 0, se = 0, length = 0;
  };
  const engine* eng_;
  std::size_t n_ = 0, correct_ = 0;
  bool classify_ = false;
  double sum_err_ = 0, sum_sq_ = 0, sum_abs_ = 0, sum_se_ = 0, sum_len_ = 0;
  // Welford's running means and co-moments of (true theta, theta), for the correlation.
  double mean_true_ = 0, mean_est_ = 0, m2_true_ = 0, m2_est_ = 0, co_ = 0;
  int length_min_ = 0, length_max_ = 0;
  band_sums bands_[6];
  std::map<std::string, std::size_t> reasons_;
  std::vector<std::uint64_t> counts_;  // administrations per item
  // Profile banks, per dimension: sums of errors, squares, SEs, and Welford's co-moments.
  struct dimension_sums {
    double err = 0, sq = 0, se = 0, mean_true = 0, mean_est = 0, m2_true = 0, m2_est = 0, co = 0;
    std::size_t classified = 0, correct = 0;
  };
  std::vector<dimension_sums> dims_;
};

/// Receives one examinee's result; simulate() calls it in index order, on its calling thread.
using examinee_sink = std::function<void(std::size_t index, const examinee_result& result)>;

/// Runs the simulation over an engine (its exposure tracker counts along), handing every
/// examinee to `sink` in index order while only options.block of them are in memory. Returns
/// the summary of them all.
simulation_summary simulate(const std::shared_ptr<const engine>& eng, const simulation_options& options,
                            const examinee_sink& sink);

/// Runs the simulation and keeps every examinee's result (memory grows with the examinees: for
/// large runs, use the sink above).
simulation_result simulate(const std::shared_ptr<const engine>& eng, const simulation_options& options);

/// Summary statistics of finished examinees (a summary_accumulator over them, in order).
simulation_summary summarize(const engine& eng, std::span<const examinee_result> results);

/// Sympson-Hetter control parameters by iterated simulation (Sympson & Hetter 1985): start
/// from k_i = 1; simulate; set k_i = target / P(selected_i) where that exceeds target, else 1;
/// repeat `iterations` times or until the largest administration rate is within 0.01 of the
/// target. Returns one k per item.
std::vector<double> derive_sympson_hetter(const bank::bank_ptr& bank, const test_spec& spec, double target_max_rate,
                                          std::size_t examinees, int iterations, std::uint64_t seed, unsigned threads = 1);

}  // namespace cat
DSKILL_END_NAMESPACE
