#include "dskill/core/normal.hpp"

#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

namespace {
// Domain errors become dskill::invalid_argument (our error model), overflow returns infinity.
using policy = boost::math::policies::policy<boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
                                             boost::math::policies::overflow_error<boost::math::policies::errno_on_error>>;
using normal = boost::math::normal_distribution<double, policy>;

void check_sd(double sd) {
  if (!(sd > 0) || !std::isfinite(sd))
    throw invalid_argument(fmt::format("normal distribution: sd must be a finite number > 0, got {}", sd));
}
}  // namespace

double normal_pdf(double x, double mean, double sd) {
  check_sd(sd);
  if (std::isinf(x)) return 0.0;
  return boost::math::pdf(normal(mean, sd), x);
}

double normal_cdf(double x, double mean, double sd) {
  check_sd(sd);
  if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;
  return boost::math::cdf(normal(mean, sd), x);
}

double normal_quantile(double p, double mean, double sd) {
  check_sd(sd);
  if (!(p > 0 && p < 1)) throw invalid_argument(fmt::format("normal quantile: p must lie in (0, 1), got {}", p));
  return boost::math::quantile(normal(mean, sd), p);
}

}  // namespace core
DSKILL_END_NAMESPACE
