// dskill::cat internals shared by the engine's files: per-thread scratch, the engine's private
// helpers (engine::impl), and the built-in rules' registration.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "dskill/cat/engine.hpp"
#include "dskill/cat/registry.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {
namespace detail {

inline constexpr double neg_inf = -std::numeric_limits<double>::infinity();

/// Per-thread scratch of selection steps: grown on a thread's first step, then reused, so that a
/// step allocates nothing.
struct workspace {
  std::vector<double> value, score, grid_a, grid_b, grid_c, grid_d;
  // MEI's table of the answered items' estimating function (criteria.cpp): value and slope at
  // evenly spaced thetas, filled lazily per step (mei_have marks the nodes done).
  std::vector<double> mei_f, mei_df;
  std::vector<std::uint8_t> mei_have;
  // MEI's re-estimates of one step, one per (candidate, category): theta and the answered
  // items' score and its slope there.
  std::vector<double> mei_theta, mei_d1, mei_d2;
  std::vector<std::uint8_t> mei_interior;
  std::vector<std::uint8_t> eligible;
  std::vector<std::uint32_t> cand;
  std::vector<estimate::response> resp;
  std::vector<int> group_count;
  std::vector<std::uint8_t> group_allowed;
  std::vector<double> group_dev;
  std::vector<std::uint32_t> excluded_extra;
  std::vector<std::uint32_t> over_exposed;  // the live set, when the state does not carry one

  void ensure(std::size_t n, std::size_t q, std::size_t groups, std::size_t answered) {
    if (value.size() < n) {
      value.resize(n);
      score.resize(n);
      eligible.resize(n);
      cand.reserve(n);
    }
    if (grid_a.size() < q) {
      grid_a.resize(q);
      grid_b.resize(q);
      grid_c.resize(q);
      grid_d.resize(q);
    }
    if (group_count.size() < groups + 1) {
      group_count.resize(groups + 1);
      group_allowed.resize(groups + 1);
      group_dev.resize(groups + 1);
    }
    if (resp.capacity() < answered + 1) resp.reserve(std::max<std::size_t>(2 * answered + 2, 64));
    if (excluded_extra.capacity() < 64) excluded_extra.reserve(64);
  }
};

workspace& scratch();

/// Set while a replay steps on this thread: the engine then counts nothing into its live
/// exposure tracker (a replay is not a new administration).
inline thread_local bool replaying = false;
/// Sets `replaying` for a scope.
struct replay_scope {
  bool was = replaying;
  explicit replay_scope(bool on) noexcept { replaying = on; }
  ~replay_scope() { replaying = was; }
  replay_scope(const replay_scope&) = delete;
  replay_scope& operator=(const replay_scope&) = delete;
};

/// The context of one step over the thread's scratch (ensured for this engine and state).
step_context make_step_context(const engine& e, const selection_state& st, rng& gen, workspace& ws);
stop_context make_stop_context(const engine& e, const selection_state& st, workspace& ws);

// Exposure control (exposure.cpp): wraps whatever selector is in use.
/// Progressive-restricted: items whose exposure rate reached the maximum are not eligible (the
/// set the state carries, else the live one).
void restrict_exposure(const engine& e, const step_context& ctx);
/// Blends the normalised scores with a uniform random component: weight `selector_weight`
/// (progressive) or progressive-restricted's, when either applies.
void blend_scores(const engine& e, const step_context& ctx, std::span<const std::uint32_t> cand,
                  std::optional<double> selector_weight);
/// The best candidate by score (ties to the lower index), or randomesque's pick among the k best.
std::uint32_t pick_best(const engine& e, const step_context& ctx, std::vector<std::uint32_t>& cand);
/// Sympson-Hetter's lottery: whether the selected item is administered.
bool sympson_hetter_admits(const engine& e, std::uint32_t item, rng& gen);

// Stopping and classification (stopping.cpp).
classification classify(const engine& e, const selection_state& st);
/// Profile banks (multidim_rules.cpp): decided when every stopping dimension is (classify_areas),
/// with the first one's level.
classification classify_profile(const engine& e, const selection_state& st);

// Registration of the built-in rules (criteria.cpp, start.cpp, estimation.cpp, stopping.cpp).
void register_builtin_selectors(rule_registry<item_selector>& r);
void register_builtin_start_rules(rule_registry<start_rule>& r);
void register_builtin_estimators(rule_registry<estimator>& r);
void register_builtin_stopping_rules(rule_registry<stopping_rule>& r);
// The profile rules (multidim_rules.cpp), registered with the built-ins.
void register_profile_selectors(rule_registry<item_selector>& r);
void register_profile_stopping_rules(rule_registry<stopping_rule>& r);

}  // namespace detail

/// The engine's private helpers, spread over engine.cpp (tables, eligibility) and balancing.cpp.
struct engine::impl {
  static void build_structure(engine& e);
  static void build_grid(engine& e);
  static void build_strata(engine& e);
  /// Dimension weights and stopping dimensions; for profile banks the profile estimator, and the
  /// refusal of unidimensional rules (multidim_rules.cpp).
  static void build_profile(engine& e);
  /// Fills ws.eligible and ws.cand (and ctx.eligible / ctx.candidates); false when nothing is
  /// eligible.
  static bool eligibility(const engine& e, step_context& ctx, detail::workspace& ws, std::span<const std::uint32_t> extra);
  // Content balancing (balancing.cpp).
  /// Blueprint group of every item and the effective target proportions.
  static void build_groups(engine& e);
  /// Blueprint maxima and minima, and Kingsbury-Zara's group choice (soft restrictions).
  static void apply_blueprint(const engine& e, const step_context& ctx, detail::workspace& ws);
  /// Stocking & Swanson's weighted deviations on ws.score.
  static void apply_weighted_deviations(const engine& e, const step_context& ctx, detail::workspace& ws);
};

}  // namespace cat
DSKILL_END_NAMESPACE
