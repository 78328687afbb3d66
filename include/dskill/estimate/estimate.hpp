// dskill::estimate: ability estimation (ML, MAP, EAP, WLE) for one response pattern.
//
// A pattern is a list of (item index, category) pairs over a bank; items not presented are
// simply absent. Every estimator returns theta, its standard error and a status; none throws on
// any response pattern and none returns NaN. Entries with an item index outside the bank or a
// category outside 0..K-1 are skipped (validate_responses reports them; the API layers call it).
// Defaults: EAP as mirt (121 points on [-6, 6], normalised density, N(0, 1)); SEs from expected
// information and Warm's WLE, the textbook definitions (as catR). Each peer's choice is an option.
//
// Standard errors (SE = 1 / sqrt(information of the estimator's objective at the estimate)):
//   ML      expected: 1/sqrt(I)               observed: 1/sqrt(-l'')              (catR / mirt)
//   MAP     expected: 1/sqrt(I + 1/sd^2)      observed: 1/sqrt(-l'' + 1/sd^2)     (catR BM / mirt MAP)
//   WLE     warm:     1/sqrt(I) or 1/sqrt(-l'')  (catR WL; Warm's equation is no objective's gradient)
//           jeffreys: 1/sqrt(I - (0.5 log I)'') or 1/sqrt(-l'' - (0.5 log I)'')
//                                                (catR BM+Jeffreys / mirt WLE)
//   EAP     posterior standard deviation on the grid (both).
// I is the test (Fisher) information, l'' the second derivative of the log-likelihood. Where the
// chosen information is not positive (observed information of a 3PL can be), the SE falls back
// to the expected form, and is +inf when that is zero too.
//
// Extreme patterns: ML of an all-lowest / all-highest pattern has no finite maximum; dskill
// returns the search bound with status at_lower_bound / at_upper_bound, as catR does (mirt
// returns -Inf / +Inf). Any estimating function that keeps its sign over [lower_bound,
// upper_bound] is treated the same way (WLE, and MAP with a uniform prior, can hit a bound too).
//
// The estimators are templates over the real type (double, float) and read an irt::item_table
// (structure-of-arrays parameters); an item bank converts to one. Their bodies are in
// estimate-inl.hpp, compiled once for double and float in src/estimate/instantiate.cpp; in
// header-only mode (DSKILL_HEADER_ONLY) this header includes them.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dskill/core/quadrature.hpp"
#include "dskill/core/response.hpp"
#include "dskill/irt/item_table.hpp"
#ifndef DSKILL_HEADER_ONLY
// Callers pass a bank where a table is asked for (item_bank converts); keep it declared for them.
#include "dskill/bank/item_bank.hpp"
#endif

DSKILL_BEGIN_NAMESPACE
namespace estimate {

/// One answered item (defined in core, dskill/core/response.hpp; the old name stays valid).
using response = dskill::response;

enum class method : std::uint8_t {
  ml,   ///< maximum likelihood (Newton-Raphson safeguarded by bisection, bounded range)
  map,  ///< maximum a posteriori (Bayes modal) with the prior of options::prior_
  eap,  ///< expected a posteriori on a quadrature grid
  wle,  ///< weighted likelihood (Warm 1989), or the Jeffreys-prior mode (options::wle)
};
/// "ml", "map", "eap", "wle".
inline std::string_view to_string(method m) noexcept;
/// Inverse of to_string; also accepts catR's names "bm" (map) and "wl" (wle) and "mle" (ml).
inline std::optional<method> parse_method(std::string_view name) noexcept;

/// How an estimate came out.
enum class status : std::uint8_t {
  ok,
  /// Nothing answered. EAP: the prior's mean and SD on the grid. MAP with a normal prior: its
  /// mean and SD. ML, WLE and uniform MAP: 0 (clamped into the range) with SE = +inf.
  no_responses,
  at_upper_bound,     ///< ML/WLE of an all-highest pattern (or a root beyond the range): the upper bound
  at_lower_bound,     ///< ML/WLE of an all-lowest pattern: the lower bound
  max_iterations,     ///< the iteration limit was reached; the last iterate is returned
};
inline std::string_view to_string(status s) noexcept;

/// Which information the SE of ML, MAP and WLE uses.
enum class information_kind : std::uint8_t {
  expected,  ///< Fisher (expected) information: catR's semTheta, mirt's *_expected_info
  observed,  ///< minus the second derivative of the log-likelihood (log-posterior): mirt's default
};

/// Which weighted-likelihood estimator "wle" means.
enum class wle_variant : std::uint8_t {
  warm,      ///< Warm (1989): root of score + J/(2I); catR's "WL"
  jeffreys,  ///< mode of logL + 0.5 log I (Jeffreys prior); mirt's "WLE". Equal to warm for 1PL/2PL/GRM/GPCM.
};

struct options {
  method estimator = method::eap;
  /// Prior for MAP and EAP (for MAP only normal and uniform apply; a uniform MAP is ML).
  dskill::prior prior_ = {};
  /// EAP grid. The default is mirt's (121 points on [-6, 6]); catR's is -4:4:33 with trapezoid.
  grid_spec grid = {};
  integration_rule rule = integration_rule::normalized_density;
  /// Search range of ML, MAP and WLE; ML of extreme patterns returns its bound (as catR does).
  double lower_bound = -4.0;
  double upper_bound = 4.0;
  information_kind se_information = information_kind::expected;
  wle_variant wle = wle_variant::warm;
  double tolerance = 1e-10;  ///< on theta
  int max_iterations = 200;
};
/// Throws invalid_argument naming the bad field and value (bounds, tolerance, iterations, a
/// custom prior with MAP; grid and prior checks of make_quadrature for EAP).
inline void validate(const options& opts);
namespace detail {
/// What validate checks except the EAP grid (estimate_theta builds that anyway).
inline void validate_search(const options& opts);
}  // namespace detail

template <class Real>
struct basic_result {
  Real theta = 0;
  Real se = 0;
  int iterations = 0;
  status state = status::ok;
};
using result = basic_result<double>;

/// Checks item indices and categories against the bank (anything with size(), params(i) and
/// id(i), such as bank::item_bank); throws invalid_argument naming the offending item (and its
/// position in the pattern).
template <class Bank>
  requires requires(const Bank& b, std::size_t i) { b.size(); b.params(i).categories(); b.id(i); }
void validate_responses(const Bank& bank, std::span<const response> responses);

/// Estimates theta for one pattern. Throws invalid_argument only for bad options (validate);
/// ML, MAP and WLE allocate nothing. EAP builds its quadrature per call: for many patterns use
/// eap_scorer.
template <class Real>
basic_result<Real> estimate_theta(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                                  const options& opts);
/// Log-likelihood of the pattern at theta.
template <class Real>
Real log_likelihood(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                    Real theta) noexcept;
/// Test (Fisher) information of the answered items at theta.
template <class Real>
Real test_information(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                      Real theta) noexcept;

// The double forms, which also take an item_bank or an item_store (both convert to a table).
inline result estimate_theta(const irt::item_table& items, std::span<const response> responses, const options& opts) {
  return estimate_theta<double>(items, responses, opts);
}
inline double log_likelihood(const irt::item_table& items, std::span<const response> responses, double theta) noexcept {
  return log_likelihood<double>(items, responses, theta);
}
inline double test_information(const irt::item_table& items, std::span<const response> responses,
                               double theta) noexcept {
  return test_information<double>(items, responses, theta);
}

/// EAP with a precomputed table of log P(category | node) for every item on the grid, for
/// batch scoring and CAT: one pattern costs one sweep of additions plus one exp per node.
/// Built once per bank and options; immutable and shareable between threads.
template <class Real>
class basic_eap_scorer {
 public:
  /// Throws invalid_argument for a bad grid or prior (make_quadrature). Only opts.grid,
  /// opts.prior_ and opts.rule matter. The table is copied; `items` may go after this.
  basic_eap_scorer(const irt::basic_item_table<Real>& items, const options& opts);
  /// EAP and posterior SD; allocates nothing. `scratch` should hold nodes() values; a smaller
  /// one still gives the right answer through a slower node-by-node pass.
  basic_result<Real> operator()(std::span<const response> responses, std::span<Real> scratch) const noexcept;
  /// Convenience overload that allocates its scratch.
  basic_result<Real> operator()(std::span<const response> responses) const;
  /// Writes the normalised posterior weights of the pattern over the grid into out (size >= nodes()).
  void posterior(std::span<const response> responses, std::span<Real> out) const noexcept;
  std::size_t nodes() const noexcept { return quad_.size(); }
  const quadrature& grid() const noexcept { return quad_; }
  /// log P(category k | node q) for item i: table(i)[k * nodes() + q].
  std::span<const Real> table(std::size_t item) const noexcept {
    return {table_.data() + offset_[item], offset_[item + 1] - offset_[item]};
  }

 private:
  quadrature quad_;
  std::vector<Real> table_;
  std::vector<std::size_t> offset_;
};
using eap_scorer = basic_eap_scorer<double>;

#ifndef DSKILL_HEADER_ONLY
// Compiled once, for double and float, in src/estimate/instantiate.cpp.
#define DSKILL_ESTIMATE_FOR(EXTERN, Real)                                                                   \
  EXTERN template basic_result<Real> estimate_theta<Real>(const irt::basic_item_table<Real>&,             \
                                                          std::span<const response>, const options&);     \
  EXTERN template Real log_likelihood<Real>(const irt::basic_item_table<Real>&, std::span<const response>, \
                                            Real) noexcept;                                               \
  EXTERN template Real test_information<Real>(const irt::basic_item_table<Real>&,                          \
                                              std::span<const response>, Real) noexcept;                  \
  EXTERN template class basic_eap_scorer<Real>;
DSKILL_ESTIMATE_FOR(extern, double)
DSKILL_ESTIMATE_FOR(extern, float)
#endif

}  // namespace estimate
DSKILL_END_NAMESPACE

// Names, option checks and validate_responses are inline in both modes; the estimators' bodies only in
// header-only mode (the compiled library instantiates them).
#include "dskill/estimate/validate-inl.hpp"
#ifdef DSKILL_HEADER_ONLY
#include "dskill/estimate/estimate-inl.hpp"
#endif
