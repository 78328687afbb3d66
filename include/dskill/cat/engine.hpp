// dskill::cat: the shared, immutable engine of one adaptive test, and its exposure tracker.
//
// An engine is built once per (bank, test specification): it holds the four rules the
// specification names (made through cat::registry, see rules.hpp) and the precomputed tables
// they read (log-probability and information tables on the criterion grid, enemy lists,
// blueprint groups, strata). It is immutable apart from the
// exposure tracker, whose counters are atomic: any number of sessions in any number of threads
// share one engine through std::shared_ptr<const engine>. A selection step through an engine
// allocates nothing once the calling thread has made its first step (scratch is thread-local).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/cat/rng.hpp"
#include "dskill/cat/rules.hpp"
#include "dskill/cat/spec.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/estimate/multidim.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

/// Live exposure counts, shared by every session of an engine. Thread-safe (relaxed atomics):
/// counts may be read while tests are running.
class exposure_tracker {
 public:
  explicit exposure_tracker(std::size_t items);
  std::size_t size() const noexcept { return n_; }
  void session_started() noexcept { sessions_.fetch_add(1, std::memory_order_relaxed); }
  /// The selector chose the item (before any Sympson-Hetter lottery).
  void selected(std::size_t item) noexcept { selected_[item].fetch_add(1, std::memory_order_relaxed); }
  /// The item was offered to an examinee.
  void administered(std::size_t item) noexcept { administered_[item].fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t sessions() const noexcept { return sessions_.load(std::memory_order_relaxed); }
  std::uint64_t selected_count(std::size_t item) const noexcept { return selected_[item].load(std::memory_order_relaxed); }
  std::uint64_t administered_count(std::size_t item) const noexcept {
    return administered_[item].load(std::memory_order_relaxed);
  }
  /// Administrations per started session (0 before any session).
  double rate(std::size_t item) const noexcept {
    const auto s = sessions();
    return s == 0 ? 0.0 : static_cast<double>(administered_count(item)) / static_cast<double>(s);
  }
  /// The largest rate over the bank.
  double max_rate() const noexcept;
  void reset() noexcept;

 private:
  std::size_t n_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> selected_, administered_;
  std::atomic<std::uint64_t> sessions_{0};
};

/// Classification of the current state against the specification's cut scores.
struct classification {
  int level = -1;        ///< number of cuts the examinee is above (0..cuts); -1 when undecided
  bool decided = false;  ///< true when every cut is decided (SPRT) or outside the interval (CI)
};

/// One (item, criterion value) pair of an explained step. The value is the criterion in its
/// natural form (|b - theta| for bOpt and posterior variance for MEPV, where smaller wins).
struct criterion_value {
  std::uint32_t item = 0;
  double value = 0.0;
};

/// The outcome of one step of the test.
struct step_result {
  std::optional<std::uint32_t> item;  ///< the item to give, or empty when the test is over
  finish_reason reason = finish_reason::not_finished;
};

class engine {
 public:
  /// Builds the tables for `spec` over `bank`. `sympson_hetter` overrides the bank's exposure
  /// control parameters (one per item; empty = the bank's). Throws invalid_argument for a bad
  /// specification and bank_error when it names items the bank does not have.
  engine(bank::bank_ptr bank, test_spec spec, std::shared_ptr<exposure_tracker> tracker = {},
         std::vector<double> sympson_hetter = {});
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Convenience: std::make_shared of the constructor.
  static std::shared_ptr<const engine> create(bank::bank_ptr bank, test_spec spec,
                                              std::shared_ptr<exposure_tracker> tracker = {},
                                              std::vector<double> sympson_hetter = {});

  const bank::item_bank& bank() const noexcept { return *bank_; }
  const bank::bank_ptr& bank_ptr() const noexcept { return bank_; }
  const test_spec& spec() const noexcept { return spec_; }
  /// spec_hash(spec()).
  const std::string& spec_hash() const noexcept { return spec_hash_; }
  /// to_yaml(spec()): the canonical text snapshots carry.
  const std::string& spec_yaml() const noexcept { return spec_yaml_; }
  /// The shared live exposure counts.
  exposure_tracker& exposure() const noexcept { return *tracker_; }
  const std::shared_ptr<exposure_tracker>& exposure_ptr() const noexcept { return tracker_; }
  /// Sympson-Hetter administration probabilities in use (index = item).
  std::span<const double> sympson_hetter() const noexcept { return sh_; }
  /// SHA-256 of those values (at 17 significant digits) when the specification has
  /// Sympson-Hetter control, else empty: session records keep it, so that a replay can tell
  /// whether it uses the same table.
  const std::string& sympson_hetter_hash() const noexcept { return sh_hash_; }

  /// The estimate from these responses under the specification's estimator (no allocation
  /// for EAP, ML, MAP and WLE). With no responses: the start theta and the prior SD (or +inf).
  /// Profile banks: estimate_profile's summary (the first dimension's theta, the largest SE).
  estimate::result estimate(std::span<const estimate::response> responses) const noexcept;

  /// True for a profile (multidimensional) bank: the estimates are vectors (estimate_profile),
  /// and selection takes the profile criteria (cat/multidim.hpp).
  bool profile() const noexcept { return profile_ != nullptr; }
  /// Profile banks: the estimate after these responses (the specification's map or eap, over the
  /// bank's latent mean and covariance as the prior, within estimation.bounds); with none, the
  /// prior. MAP allocates nothing. Unidimensional banks: the one-dimension case of estimate().
  estimate::profile_result estimate_profile(std::span<const estimate::response> responses) const noexcept;
  /// The dimensions that stopping.se_per_area and per-area classification read (bank dimension
  /// indices, from stopping.areas; {0} for a unidimensional bank).
  std::span<const std::uint32_t> stopping_dimensions() const noexcept { return stop_dims_; }
  /// The cut scores of a dimension: its stopping.classification.area_cuts, else stopping.cuts.
  std::span<const double> cuts_of(std::size_t dimension) const noexcept {
    return dimension < dim_cuts_.size() && !dim_cuts_[dimension].empty() ? std::span<const double>(dim_cuts_[dimension])
                                                                          : std::span<const double>(spec_.stopping.cuts);
  }
  /// The weight of every dimension from selection.weights (1 where not named).
  std::span<const double> dimension_weights() const noexcept { return dim_weights_; }
  /// Classification of each stopping dimension against its cuts (cuts_of; out.size() ==
  /// stopping_dimensions().size()): confidence interval on the dimension's marginal (theta_d +-
  /// z SE_d holds no cut), SPRT along the dimension (the others at the estimate), or, with
  /// neither, the level of theta_d. Allocates nothing.
  void classify_areas(const selection_state& state, std::span<classification> out) const noexcept;

  /// One selection step: the best eligible item at state.theta under the specification's
  /// criterion, content balancing and exposure control (the start rule and the stopping rule
  /// are not applied: see step). Items set aside by Sympson-Hetter are appended to
  /// `set_aside` when given. With `explain`, every eligible item's criterion value is appended.
  /// Returns empty when no item is eligible.
  std::optional<std::uint32_t> select(const selection_state& state, rng& gen,
                                      std::vector<std::uint32_t>* set_aside = nullptr,
                                      std::vector<criterion_value>* explain = nullptr) const;

  /// A full step: stopping rule, then the start rule or select().
  step_result step(const selection_state& state, rng& gen, std::vector<std::uint32_t>* set_aside = nullptr) const;

  /// Stopping rule alone (before choosing item responses.size() + 1).
  finish_reason should_stop(const selection_state& state) const;

  /// Classification against the specification's cuts (SPRT or CI; with neither, the level of
  /// theta, marked decided).
  classification classify(const selection_state& state) const;

  /// The live input of progressive-restricted exposure control: into `out`, the usable items
  /// whose exposure rate has reached exposure.restricted_max, increasing (none before any
  /// session has started, or without that control). Other sessions move these counts.
  void over_exposed_items(std::vector<std::uint32_t>& out) const;
  /// The same from counts kept elsewhere: `administered` per bank item over `sessions` started
  /// (simulate() freezes them per wave; a service may keep them in its store).
  void over_exposed_items(std::span<const std::uint64_t> administered, std::uint64_t sessions,
                          std::vector<std::uint32_t>& out) const;

  /// Blueprint group of an item (index into spec().content.targets), or -1.
  int group_of(std::size_t item) const noexcept { return group_of_.empty() ? -1 : group_of_[item]; }
  /// a-stratified stratum of an item (0 = lowest a), or -1 when not stratified.
  int stratum_of(std::size_t item) const noexcept { return stratum_.empty() ? -1 : stratum_[item]; }
  /// Enemies of an item (bank indices).
  std::span<const std::uint32_t> enemies_of(std::size_t item) const noexcept {
    return {enemies_.data() + enemy_offset_[item], enemy_offset_[item + 1] - enemy_offset_[item]};
  }
  /// Whether an item may ever be given under this specification (status).
  bool usable(std::size_t item) const noexcept { return usable_[item] != 0; }

  // ---- for rules (see rules.hpp) ----
  /// The rules in use, made from the specification's names.
  const cat::start_rule& start_rule() const noexcept { return *start_; }
  const item_selector& selector() const noexcept { return *selector_; }
  const cat::estimator& estimator() const noexcept { return *estimator_; }
  const stopping_rule& stopping() const noexcept { return *stop_; }
  /// Sets eligible[i] to whether item i may be given after these responses: usable, not
  /// answered, no enemy answered, not in `excluded` (one slot per bank item).
  void mark_available(std::span<const estimate::response> responses, std::span<const std::uint32_t> excluded,
                      std::span<std::uint8_t> eligible) const noexcept;
  /// The items the selector may choose from now (mark_available, then the selector's
  /// restriction, progressive-restricted exposure and content balancing, which may draw from
  /// ctx.gen). Fills ctx.eligible; the result views per-thread scratch until the next step.
  std::span<const std::uint32_t> eligible_candidates(const step_context& ctx) const;
  /// The criterion grid (selection.grid), its trapezoid weights (unnormalised, as catR) and the
  /// prior density at its nodes.
  std::span<const double> grid_nodes() const noexcept { return nodes_; }
  std::span<const double> grid_weights() const noexcept { return trap_; }
  std::span<const double> grid_prior() const noexcept { return density_; }
  /// Whether the per-item grid tables below exist (the selector asked for them).
  bool has_grid_tables() const noexcept { return !grid_offset_.empty(); }
  /// log P(category k | node q) and P over the grid nodes, and the item information there.
  std::span<const double> grid_log_probabilities(std::size_t item, int k) const noexcept {
    return {grid_logp_.data() + grid_offset_[item] + static_cast<std::size_t>(k) * nodes_.size(), nodes_.size()};
  }
  std::span<const double> grid_probabilities(std::size_t item, int k) const noexcept {
    return {grid_p_.data() + grid_offset_[item] + static_cast<std::size_t>(k) * nodes_.size(), nodes_.size()};
  }
  std::span<const double> grid_information(std::size_t item) const noexcept {
    return {grid_info_.data() + item * nodes_.size(), nodes_.size()};
  }
  /// The unnormalised likelihood of the responses at every grid node into lik[0..nodes) (1
  /// without answers, as catR; rescaled only if it would underflow). Needs the grid tables.
  void likelihood_on_grid(std::span<const estimate::response> responses, std::span<double> lik) const noexcept;
  /// The fixed start items (bank indices, start.items in order).
  std::span<const std::uint32_t> start_items() const noexcept { return start_items_; }

  struct impl;  ///< implementation detail (src/cat)

 private:
  friend struct impl;
  bank::bank_ptr bank_;
  test_spec spec_;
  std::string spec_hash_;
  std::string spec_yaml_;
  std::shared_ptr<exposure_tracker> tracker_;
  std::vector<double> sh_;
  std::string sh_hash_;
  std::vector<std::uint8_t> usable_;
  std::vector<int> group_of_;
  std::vector<int> stratum_;
  std::vector<std::uint32_t> enemies_;
  std::vector<std::size_t> enemy_offset_;
  std::vector<std::uint32_t> start_items_;
  std::vector<double> group_proportion_;  // effective target proportion per group (sums to 1 or 0)
  // Criterion grid (trapezoid weights without normalisation, as catR; prior density).
  std::vector<double> nodes_, trap_, density_;
  std::vector<double> grid_logp_, grid_p_;   // [offset(i) + k * Q + q]
  std::vector<std::size_t> grid_offset_;
  std::vector<double> grid_info_;            // [i * Q + q]
  std::unique_ptr<cat::start_rule> start_;
  std::unique_ptr<item_selector> selector_;
  std::unique_ptr<cat::estimator> estimator_;
  std::unique_ptr<stopping_rule> stop_;
  // Profile banks.
  std::unique_ptr<estimate::profile_estimator> profile_;
  std::vector<std::uint32_t> stop_dims_;
  std::vector<double> dim_weights_;
  std::vector<std::vector<double>> dim_cuts_;  // per dimension; empty = stopping.cuts
};

}  // namespace cat
DSKILL_END_NAMESPACE
