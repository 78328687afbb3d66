// dskill::cat: the four exchangeable parts of an adaptive test, as interfaces (catsim's shape:
// initializer, selector, estimator, stopper).
//
// An engine owns one object of each kind, made at construction from the names in its
// specification through cat::registry (every built-in rule is registered there under the name
// the spec YAML uses). The engine calls each rule once per step through a virtual function and
// never once per item: a rule loops over the items itself, writing into scratch the engine owns
// (per thread), so a step allocates nothing. Content balancing and exposure control are applied
// by the engine around any selector, user ones included.
//
// What a user rule must guarantee: it is immutable after construction and thread-safe (one
// engine serves many sessions in many threads at once); it draws random numbers only from
// ctx.gen (so a seed replays a test, and snapshots restore it); it touches scratch only during
// the call; a stopping rule and an estimator are deterministic functions of the state.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "dskill/cat/rng.hpp"
#include "dskill/estimate/estimate.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

class engine;

/// Why a test ended.
enum class finish_reason : std::uint8_t {
  not_finished,
  max_items,              ///< the maximum length was reached
  se_reached,             ///< SE at or below the threshold
  information_exhausted,  ///< no eligible item gives the minimum information
  classified,             ///< SPRT or confidence-interval classification decided every cut
  rules_met,              ///< several rules held together (combine: all)
  bank_exhausted,         ///< no eligible item is left
  user_rule,              ///< a stopping rule registered by the user said so
};
std::string_view to_string(finish_reason r) noexcept;

/// What a selection step reads: the answered items, further items to leave out, and the
/// provisional estimate.
struct selection_state {
  std::span<const estimate::response> responses;
  std::span<const std::uint32_t> excluded;  ///< e.g. items set aside by Sympson-Hetter
  double theta = 0.0;
  double se = 1.0;
  /// Progressive-restricted exposure control's input, when the caller fixes it: the usable items
  /// whose exposure rate has reached exposure.restricted_max (increasing). Sessions read the live
  /// tracker once per step and pass what they read (and keep it, for replay); empty optional: the
  /// step reads the live tracker itself (engine::over_exposed_items).
  std::optional<std::span<const std::uint32_t>> over_exposed;
  /// Profile banks: the provisional estimate as a vector (one value per dimension) and its
  /// covariance (dims x dims, symmetric); theta and se above then summarise it (the first
  /// dimension's theta, the largest SE). Empty for unidimensional banks, where the profile
  /// criteria read theta as the one-dimension case.
  std::span<const double> profile_theta;
  std::span<const double> profile_covariance;
};

/// What a stopping rule reads: the engine (bank, specification, tables), the state, and
/// per-thread scratch with one slot per bank item.
struct stop_context {
  const engine& eng;
  const selection_state& state;
  std::span<std::uint8_t> eligible;  ///< scratch, one per item (see engine::mark_available)
  std::span<double> value;           ///< scratch, one per item
};

/// What a start rule and an item selector read at one step. The spans view per-thread scratch
/// owned by the engine, valid during the call only.
struct step_context {
  const engine& eng;
  const selection_state& state;
  rng& gen;                                  ///< the session's stream: the only source of randomness
  std::span<std::uint8_t> eligible;          ///< per item: 1 = may be chosen now (restrict() narrows it)
  std::span<const std::uint32_t> candidates; ///< the eligible items in increasing order (set before evaluate())
  std::span<double> value;                   ///< per item: the criterion in its natural form (explain output)
  std::span<double> score;                   ///< per item: higher wins
  std::span<double> work;                    ///< free scratch of at least engine::grid_nodes().size() doubles

  /// A soft restriction: keeps only the eligible items for which keep(i) holds, unless that
  /// would leave none (then nothing changes). Returns whether it applied.
  template <class Keep>
  bool restrict_to(Keep&& keep) const {
    const std::size_t n = eligible.size();
    bool any = false;
    for (std::size_t i = 0; i < n && !any; ++i) any = eligible[i] && keep(i);
    if (!any) return false;
    for (std::size_t i = 0; i < n; ++i)
      if (eligible[i] && !keep(i)) eligible[i] = 0;
    return true;
  }
};

/// Engine tables a selector needs (built once, at engine construction, only when asked for).
struct table_needs {
  bool grid = false;    ///< log-probability, probability and information on the criterion grid
  bool strata = false;  ///< a-stratified strata (engine::stratum_of)
};

/// Chooses the first items (catsim's initializer). Registered names: fixed_theta,
/// random_window, fixed_items.
class start_rule {
 public:
  virtual ~start_rule() = default;
  /// While the start rule is in charge: the item to give (or, when nothing is eligible, empty
  /// item with in_charge set: the test ends with bank_exhausted). Otherwise in_charge = false and
  /// the selector chooses. Called before every selection step (not before the stopping rule).
  struct choice {
    bool in_charge = false;
    std::optional<std::uint32_t> item;
  };
  virtual choice choose(const step_context& ctx) const = 0;
};

/// Scores the eligible items (catsim's selector). Registered names: mfi, bopt, mlwi, mpwi, kl,
/// klp, mei, mepv, random, progressive, proportional, a_stratified, and the profile criteria
/// (cat/multidim.hpp) d_optimal, dp_optimal, a_optimal, ap_optimal, t_optimal, tp_optimal,
/// kl_profile.
class item_selector {
 public:
  virtual ~item_selector() = default;
  /// Tables this selector reads from the engine.
  virtual table_needs needs() const noexcept { return {}; }
  /// Narrows ctx.eligible before exposure control and content balancing (a-stratified: the
  /// current stratum, as a soft restriction). Default: nothing.
  virtual void restrict(const step_context& ctx) const { (void)ctx; }
  /// Fills ctx.value[i] and ctx.score[i] for every i in ctx.candidates.
  virtual void evaluate(const step_context& ctx) const = 0;
  /// A selector that draws the item itself (random, proportional) returns it here, after
  /// evaluate(); weighted deviations, blending and randomesque then stand aside. Default: empty,
  /// and the engine takes the best score after content balancing and exposure control.
  virtual std::optional<std::uint32_t> draw(const step_context& ctx) const {
    (void)ctx;
    return std::nullopt;
  }
  /// Weight in [0, 1] of the (normalised) criterion against a uniform random component, in
  /// place of progressive-restricted's (progressive method). Default: empty, no blend of its own.
  virtual std::optional<double> criterion_weight(const step_context& ctx) const {
    (void)ctx;
    return std::nullopt;
  }
};

/// The provisional and final estimate (catsim's estimator). The built-in is a thin adapter over
/// the specification's estimate::options, registered as eap, map, ml and wle.
class estimator {
 public:
  virtual ~estimator() = default;
  /// The estimate after these responses; with none, the start theta and the prior SD (or +inf).
  /// Must not allocate for the built-in methods, must not throw.
  virtual estimate::result estimate(const engine& eng, std::span<const estimate::response> responses) const noexcept = 0;
};

/// Decides whether the test ends (catsim's stopper). Registered names: combined (the
/// specification's stopping section: max_items, min_items, and the rules below joined by
/// `combine`), max_items, se, min_information, sprt, confidence_interval (alias ci), se_per_area.
class stopping_rule {
 public:
  virtual ~stopping_rule() = default;
  /// Before item state.responses.size() + 1 is chosen: why the test ends, or
  /// finish_reason::not_finished to go on. A user rule typically answers user_rule.
  virtual finish_reason check(const stop_context& ctx) const = 0;
};

}  // namespace cat
DSKILL_END_NAMESPACE
