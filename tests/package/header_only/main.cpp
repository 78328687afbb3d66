// Uses irt and estimate with no compiled dskill library (dskill::header_only): a 3PL item, the
// kernels, ML and EAP (per call and with eap_scorer), in double and float.
#include <cmath>
#include <cstdio>
#include <vector>

#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/kernels.hpp"

namespace irt = dskill::irt;
namespace estimate = dskill::estimate;

int main() {
  int failures = 0;
  const auto check = [&](bool ok, const char* what) {
    if (!ok) {
      std::printf("FAILED: %s\n", what);
      ++failures;
    }
  };
  // Five 3PL items of increasing difficulty (difficulty form, D = 1.702).
  std::vector<irt::item_params> items;
  for (double b : {-1.5, -0.5, 0.0, 0.5, 1.5})
    items.push_back(irt::to_intercept_form({.kind = irt::model::three_pl, .a = 1.2, .b = {b}, .c = 0.2}, 1.702));
  check(irt::check_params(items[0]).empty(), "a valid 3PL item");
  double p[2];
  irt::probabilities(items[2], 0.0, p);
  check(std::abs(p[1] - 0.6) < 1e-12, "P(correct) = c + (1 - c) / 2 at theta = b");

  const irt::item_store store(items);
  const std::vector<dskill::response> pattern{{0, 1}, {1, 1}, {2, 1}, {3, 0}, {4, 0}};
  estimate::options ml;
  ml.estimator = estimate::method::ml;
  const auto ml_fit = estimate::estimate_theta(store, pattern, ml);
  check(ml_fit.state == estimate::status::ok && std::isfinite(ml_fit.theta) && ml_fit.se > 0, "ML converges");

  estimate::options eap;  // the default: EAP, N(0, 1), 121 nodes on [-6, 6]
  const auto eap_fit = estimate::estimate_theta(store, pattern, eap);
  const estimate::eap_scorer scorer(store, eap);
  const auto scored = scorer(pattern);
  check(std::abs(eap_fit.theta - scored.theta) < 1e-12 && std::abs(eap_fit.se - scored.se) < 1e-12,
        "EAP per call equals eap_scorer");
  check(std::abs(eap_fit.theta) < std::abs(ml_fit.theta) + 1e-9, "EAP shrinks towards the prior mean");

  const irt::basic_item_store<float> store_f(items);
  const auto eap_f = estimate::estimate_theta(store_f.view(), pattern, eap);
  const auto ml_f = estimate::estimate_theta(store_f.view(), pattern, ml);
  check(std::abs(eap_f.theta - eap_fit.theta) < 1e-4, "float EAP agrees with double");
  check(std::abs(ml_f.theta - ml_fit.theta) < 1e-3, "float ML agrees with double");

  bool threw = false;
  try {
    ml.lower_bound = 5;
    (void)estimate::estimate_theta(store, pattern, ml);
  } catch (const dskill::invalid_argument& e) {
    threw = e.code() == dskill::errc::invalid_argument;
  }
  check(threw, "bad options throw dskill::invalid_argument");

  std::printf("ML %.6f (%.6f), EAP %.6f (%.6f), float EAP %.6f: %s\n", ml_fit.theta, ml_fit.se, eap_fit.theta,
              eap_fit.se, static_cast<double>(eap_f.theta), failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
