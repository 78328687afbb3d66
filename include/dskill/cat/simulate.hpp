// dskill::cat: simulation of adaptive tests, summary statistics, and the Sympson-Hetter tool.
//
// Every examinee has its own random streams derived from (seed, examinee index): one for the
// true theta, one for the session, one for the simulated answers. Results are therefore
// identical for any number of threads (except with progressive-restricted exposure control,
// which reads live exposure counts; simulate() then runs on one thread).
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
  /// Called now and then with (done, total); may be called from any worker thread, one call
  /// at a time.
  std::function<void(std::size_t, std::size_t)> progress;
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
};

struct simulation_result {
  std::vector<examinee_result> examinees;
  simulation_summary summary;
};

/// Runs the simulation over an engine (its exposure tracker counts along).
simulation_result simulate(const std::shared_ptr<const engine>& eng, const simulation_options& options);

/// Summary statistics of finished examinees.
simulation_summary summarize(const engine& eng, std::span<const examinee_result> results);

/// Sympson-Hetter control parameters by iterated simulation (Sympson & Hetter 1985): start
/// from k_i = 1; simulate; set k_i = target / P(selected_i) where that exceeds target, else 1;
/// repeat `iterations` times or until the largest administration rate is within 0.01 of the
/// target. Returns one k per item.
std::vector<double> derive_sympson_hetter(const bank::bank_ptr& bank, const test_spec& spec, double target_max_rate,
                                          std::size_t examinees, int iterations, std::uint64_t seed, unsigned threads = 1);

}  // namespace cat
DSKILL_END_NAMESPACE
