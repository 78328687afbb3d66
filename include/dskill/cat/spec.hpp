// dskill::cat: the test specification of an adaptive test.
//
// A specification names the four exchangeable parts of a CAT (as catsim teaches): the start
// rule, the item selector (with exposure control and content balancing), the estimator and the
// stopping rule. It is plain data: build it in code, or read it from YAML with load_test_spec.
// The rules are named: a built-in enumerator or any name registered in cat/registry.hpp; the
// engine makes them through the registry.
// Defaults follow catR where the peers differ (33-point grid on [-4, 4] for the selection
// criteria, MEI re-estimating with Bayes modal and observed information).
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dskill/core/quadrature.hpp"
#include "dskill/estimate/estimate.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

/// The name of a rule in a specification. A built-in enumerator converts to its name
/// (spec.selection.rule = criterion::kl); any name registered in cat::registry may be given as a
/// string (rule_name<criterion>("my_selector")). The engine resolves it through the registry.
template <class Builtin>
class rule_name {
 public:
  rule_name(Builtin b) : name_(to_string(b)) {}  // implicit: the field used to be the enumeration
  explicit rule_name(std::string name) : name_(std::move(name)) {}
  const std::string& str() const noexcept { return name_; }
  friend bool operator==(const rule_name&, const rule_name&) = default;
  friend bool operator==(const rule_name& r, Builtin b) noexcept { return r.name_ == to_string(b); }

 private:
  std::string name_;
};
template <class Builtin>
std::string_view to_string(const rule_name<Builtin>& r) noexcept {
  return r.str();
}

/// Item selection criteria.
enum class criterion : std::uint8_t {
  mfi,           ///< maximum Fisher information at the provisional theta
  bopt,          ///< difficulty closest to theta (|b - theta|, smaller wins)
  mlwi,          ///< likelihood-weighted information over the grid (Veerkamp & Berger 1997)
  mpwi,          ///< posterior-weighted information (van der Linden 1998)
  kl,            ///< likelihood-weighted Kullback-Leibler information (Chang & Ying 1996)
  klp,           ///< posterior-weighted Kullback-Leibler information
  mei,           ///< maximum expected information (van der Linden & Pashley 2000)
  mepv,          ///< minimum expected posterior variance (smaller wins)
  random,        ///< uniformly at random among eligible items
  progressive,   ///< progressive method (Revuelta & Ponsoda 1998; Barrada et al. 2008)
  proportional,  ///< proportional method (Barrada et al. 2008)
  a_stratified,  ///< a-stratified with b-blocking (Chang, Qian & Ying 2001), closest b in the stratum
};
/// "mfi", "bopt", ..., "a_stratified".
std::string_view to_string(criterion c) noexcept;
/// Inverse of to_string (case-insensitive; "astrat" also accepted).
std::optional<criterion> parse_criterion(std::string_view name) noexcept;

/// How the first items are chosen.
enum class start_kind : std::uint8_t {
  fixed_theta,    ///< the selector runs at `theta` until the first answer
  random_window,  ///< the first `count` items at random among items with b in [window_lo, window_hi]
  fixed_items,    ///< the first items are `items`, in order
};
std::string_view to_string(start_kind k) noexcept;

struct start_spec {
  rule_name<start_kind> kind = start_kind::fixed_theta;  ///< a start_kind or a registered start rule
  double theta = 0.0;            ///< provisional theta before any answer (every kind)
  int count = 1;                 ///< random_window: how many items are drawn at random
  double window_lo = -1.0;       ///< random_window: difficulty window
  double window_hi = 1.0;
  std::vector<std::string> items;  ///< fixed_items: item ids
  friend bool operator==(const start_spec&, const start_spec&) = default;
};

struct selection_spec {
  rule_name<criterion> rule = criterion::mfi;  ///< a criterion or a registered selector
  /// Integration grid of MLWI, MPWI, KL, KLP and MEPV (trapezoid rule, as catR).
  grid_spec grid = {-4.0, 4.0, 33};
  /// MEI: how the provisional theta is re-estimated for each possible answer (catR: BM = map).
  estimate::method mei_method = estimate::method::map;
  /// MEI: information at the re-estimates (catR default: observed).
  estimate::information_kind mei_information = estimate::information_kind::observed;
  /// Progressive / proportional: acceleration parameter (catR's AP).
  double acceleration = 1.0;
  /// a-stratified: number of strata.
  int strata = 4;
  /// Profile criteria (a_optimal, ap_optimal, t_optimal, tp_optimal): the weight of each
  /// dimension, by dimension id or by the framework area it reports; dimensions not named weigh
  /// 1. YAML: selection.weights: {info: 2, safety: 1}.
  std::vector<std::pair<std::string, double>> weights;
  friend bool operator==(const selection_spec&, const selection_spec&) = default;
};

struct exposure_spec {
  /// Randomesque: choose at random among the k best items (1 = off).
  int randomesque = 1;
  /// Sympson-Hetter: a selected item is administered with probability k_i (the bank's
  /// exposure_control, or a table from derive_sympson_hetter); otherwise it is set aside for
  /// this examinee and the next best is tried.
  bool sympson_hetter = false;
  /// Progressive-restricted (Revuelta & Ponsoda 1998): items whose live exposure rate has
  /// reached this maximum are not eligible, and the criterion is blended with a random
  /// component that fades as the test goes on. 0 = off.
  double restricted_max = 0.0;
  friend bool operator==(const exposure_spec&, const exposure_spec&) = default;
};

/// What blueprint targets refer to.
enum class blueprint_by : std::uint8_t { area, competence, level };
/// How the blueprint is enforced.
enum class balancing : std::uint8_t {
  none,
  kingsbury_zara,       ///< pick the most under-represented group, then the best item in it
  weighted_deviations,  ///< Stocking & Swanson (1993): criterion minus weighted constraint deviations
};

/// One blueprint group: a target proportion and/or minimum and maximum counts.
struct blueprint_target {
  std::string key;          ///< area id, competence id, or level ("3")
  double proportion = -1;   ///< target share of the test; < 0 = not given
  int min = 0;              ///< at least this many items
  int max = -1;             ///< at most this many items; < 0 = no maximum
  double weight = 1.0;      ///< weighted deviations: weight of this group's constraints
  friend bool operator==(const blueprint_target&, const blueprint_target&) = default;
};

struct blueprint {
  blueprint_by by = blueprint_by::area;
  balancing method = balancing::none;
  std::vector<blueprint_target> targets;
  /// Weighted deviations: weight of the (normalised) criterion against the deviations.
  double information_weight = 1.0;
  friend bool operator==(const blueprint&, const blueprint&) = default;
};

enum class classification_kind : std::uint8_t {
  none,
  sprt,                 ///< sequential probability ratio test at every cut, with an indifference region
  confidence_interval,  ///< stop when theta +- z SE contains no cut
};
enum class combine_rule : std::uint8_t { any, all };

struct stopping_spec {
  int min_items = 1;
  int max_items = 20;
  double se = 0.0;               ///< stop when SE <= se (0 = off)
  double min_information = 0.0;  ///< stop when no eligible item gives this much information at theta (0 = off)
  classification_kind classification = classification_kind::none;
  std::vector<double> cuts;      ///< cut scores on the theta scale, increasing
  /// Profile banks: cut scores of particular dimensions (by dimension id or area id), in place of
  /// `cuts` for them (YAML: classification.area_cuts: {info: [-0.5, 0.8]}); area_cuts_from()
  /// takes them from a framework.
  std::vector<std::pair<std::string, std::vector<double>>> area_cuts;
  double indifference = 0.3;     ///< SPRT: half-width delta of the indifference region
  double alpha = 0.05;           ///< SPRT error rates
  double beta = 0.05;
  double confidence = 0.95;      ///< confidence-interval classification level
  combine_rule combine = combine_rule::any;  ///< how the SE, information, classification and user rules combine
  std::vector<std::string> rules;  ///< registered stopping rules joined to the ones above (YAML: stopping.rules)
  /// Profile banks: stop when the SE of every chosen dimension is at or below this (0 = off).
  double se_per_area = 0.0;
  /// Profile banks: the dimensions se_per_area and classification look at, by dimension id or
  /// area id; empty = every dimension whose role is area (every dimension when none is).
  std::vector<std::string> areas;
  friend bool operator==(const stopping_spec&, const stopping_spec&) = default;
};

/// The whole specification of an adaptive test.
struct test_spec {
  std::string id = "cat";
  start_spec start;
  selection_spec selection;
  estimate::options estimator;  ///< provisional and final estimates (default EAP, 121 nodes on [-6, 6])
  /// A registered estimator in place of estimator.estimator's built-in (YAML: estimation.method
  /// names it); empty = the built-in. It still reads the options above.
  std::string estimator_rule;
  exposure_spec exposure;
  blueprint content;
  stopping_spec stopping;
  bool include_pretest = false;  ///< pretest items are eligible too (retired never are)
};

/// Checks ranges and consistency; throws invalid_argument naming the field.
void validate(const test_spec& spec);

/// Reads a specification from YAML text (`dskill: 1` documents with the keys of test_spec;
/// see docs/ARCHITECTURE.md "Adaptive testing"). `origin` names the source in messages.
/// Throws parse_error with file:line:column for malformed text or unknown keys.
test_spec parse_test_spec(std::string_view yaml, std::string_view origin = "<spec>");
/// Reads a specification file (io_error when it cannot be read).
test_spec load_test_spec(const std::string& path);
/// Canonical YAML of the specification: parse_test_spec(to_yaml(s)) == s, numbers exact.
std::string to_yaml(const test_spec& spec);
/// "sha256:<hex>" of to_yaml(spec): snapshots record it.
std::string spec_hash(const test_spec& spec);

}  // namespace cat
DSKILL_END_NAMESPACE
