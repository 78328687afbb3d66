// dskill::irt: item response models and their parameters.
//
// Parameters are stored in slope-intercept form on the logit scale, as mirt does:
// z = slope * theta + intercept, where slope already includes the scaling constant D. The
// difficulty form (a, b) that authors write is converted at the boundary (see to_intercept_form
// and to_difficulty_form); the conversions are exact up to rounding.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace irt {

/// The largest number of response categories an item may have. Kernels keep per-category
/// scratch on the stack with this bound, so they never allocate.
inline constexpr int max_categories = 32;

/// The item response models dskill knows.
enum class model : std::uint8_t {
  one_pl,    ///< 1PL / Rasch: P = sigma(a(theta - b)) with a common (default 1) slope
  two_pl,    ///< 2PL
  three_pl,  ///< 3PL: lower asymptote c
  four_pl,   ///< 4PL: lower asymptote c, upper asymptote d
  grm,       ///< Samejima's graded response model
  gpcm,      ///< Muraki's generalized partial credit model
  pcm,       ///< Masters' partial credit model (GPCM with a = 1)
  nominal,   ///< Bock's nominal response model (divide-by-total with free category scores)
};

/// "1pl", "2pl", "3pl", "4pl", "grm", "gpcm", "pcm", "nominal".
std::string_view to_string(model m) noexcept;
/// Inverse of to_string; also accepts "rasch" for 1pl. Empty when unknown.
std::optional<model> parse_model(std::string_view name) noexcept;

/// True for the four logistic models with two categories.
constexpr bool is_dichotomous(model m) noexcept { return m <= model::four_pl; }
/// True for the divide-by-total family (gpcm, pcm, nominal).
constexpr bool is_divide_by_total(model m) noexcept {
  return m == model::gpcm || m == model::pcm || m == model::nominal;
}

/// Parameters of one item in slope-intercept form on the logit scale.
///
/// - dichotomous: `intercepts = {d}`; P(1) = lower + (upper - lower) sigma(slope*theta + d).
/// - grm: `intercepts = {d_1 > d_2 > ... > d_{K-1}}`; P(X >= k) = sigma(slope*theta + d_k).
/// - gpcm, pcm, nominal: `intercepts = {d_1..d_{K-1}}` (d_0 = 0);
///   P(X = k) proportional to exp(slope * s_k * theta + d_k) with s_k = k, or `scores[k-1]`
///   for the nominal model (s_0 = 0).
struct item_params {
  model kind = model::two_pl;
  double slope = 1.0;  ///< D * a
  double lower = 0.0;  ///< lower asymptote c (dichotomous only)
  double upper = 1.0;  ///< upper asymptote d (dichotomous only)
  std::vector<double> intercepts;
  std::vector<double> scores;  ///< nominal only: s_1..s_{K-1}

  /// Number of response categories K (2 for dichotomous items).
  int categories() const noexcept {
    return is_dichotomous(kind) ? 2 : static_cast<int>(intercepts.size()) + 1;
  }
  /// Score of category k in the divide-by-total family (k for gpcm/pcm).
  double category_score(int k) const noexcept {
    if (k == 0) return 0.0;
    return kind == model::nominal ? scores[static_cast<std::size_t>(k - 1)] : static_cast<double>(k);
  }
  friend bool operator==(const item_params&, const item_params&) = default;
};

/// Parameters in the difficulty form authors write: a(theta - b) with scaling D.
/// For grm, b holds the K-1 category thresholds; for gpcm/pcm the K-1 step parameters;
/// for dichotomous models b has one element. pcm ignores a (it is 1).
struct difficulty_form {
  model kind = model::two_pl;
  double a = 1.0;
  std::vector<double> b;
  double c = 0.0;  ///< lower asymptote
  double d = 1.0;  ///< upper asymptote
  friend bool operator==(const difficulty_form&, const difficulty_form&) = default;
};

/// Converts difficulty form to slope-intercept form: slope = D a, d_k = -D a b_k (grm,
/// dichotomous) or d_k = -D a (b_1 + ... + b_k) (gpcm, pcm). The nominal model has no
/// difficulty form (throws invalid_argument).
item_params to_intercept_form(const difficulty_form& item, double scaling_d = 1.0);
/// Inverse of to_intercept_form.
difficulty_form to_difficulty_form(const item_params& item, double scaling_d = 1.0);

/// Checks that the parameters are valid for the model; returns an empty string when they are,
/// otherwise what is wrong ("slope must be > 0", "thresholds must increase", ...).
std::string check_params(const item_params& item);

}  // namespace irt
DSKILL_END_NAMESPACE

#ifdef DSKILL_HEADER_ONLY
#include "dskill/irt/model-inl.hpp"
#endif
