// dskill::core: the standard normal distribution, through Boost.Math (a private dependency of
// the compiled library), so that no layer carries its own rational approximation.
#pragma once

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// Density of N(mean, sd^2) at x. Requires sd > 0 (throws invalid_argument otherwise).
double normal_pdf(double x, double mean = 0.0, double sd = 1.0);
/// Phi((x - mean) / sd): accurate in both tails (no 1 - Phi cancellation below the mean).
/// +-infinity give 0 and 1. Requires sd > 0 (throws invalid_argument otherwise).
double normal_cdf(double x, double mean = 0.0, double sd = 1.0);
/// The p-quantile of N(mean, sd^2). Requires 0 < p < 1 and sd > 0 (throws invalid_argument).
double normal_quantile(double p, double mean = 0.0, double sd = 1.0);

}  // namespace core
DSKILL_END_NAMESPACE
