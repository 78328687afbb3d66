// Uses the installed library: builds a two-item bank and computes an information value.
#include <cmath>
#include <cstdio>

#include <dskill/dskill.hpp>

int main() {
  using namespace dskill;
  irt::item_params item = irt::to_intercept_form({.kind = irt::model::two_pl, .a = 1.2, .b = {0.5}});
  const double info = irt::information(item, 0.5);
  // At theta = b a 2PL item gives a^2 / 4.
  if (std::abs(info - 1.2 * 1.2 / 4) > 1e-12) {
    std::printf("unexpected information %g\n", info);
    return 1;
  }
  std::printf("dskill %s: information %.4f\n", std::string(version()).c_str(), info);
  return 0;
}
