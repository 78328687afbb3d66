// An adaptive test from the platform's side: ask for the next item, record the answer, keep
// the session as bytes between requests, and read the result at the end. A simulated examinee
// with true theta 0.8 answers here; a real platform would show the item and wait.
// Run from the repository root: ./build/examples/example_02_adaptive_session
#include <cstdio>
#include <random>

#include <dskill/bank/yaml.hpp>
#include <dskill/cat/session.hpp>
#include <dskill/cat/spec.hpp>
#include <dskill/irt/kernels.hpp>

int main() {
  using namespace dskill;
  auto bank = bank::load_bank("item_banks/digcomp-core.yaml");
  auto engine = cat::engine::create(bank, cat::load_test_spec("item_banks/specs/digcomp-cat.yaml"));
  std::mt19937_64 examinee(42);
  const double true_theta = 0.8;

  std::vector<std::uint8_t> stored = cat::session(engine, /*seed=*/2026).snapshot();
  while (true) {
    auto session = cat::session::restore(engine, stored);  // a new request: restore the state
    const auto step = session.next_item();
    if (!step.item) {
      std::printf("finished (%s) after %zu items: theta %+.3f, SE %.3f\n",
                  std::string(cat::to_string(step.reason)).c_str(), session.responses().size(), session.theta(),
                  session.se());
      break;
    }
    // The simulated examinee answers according to the item's category probabilities.
    double p[irt::max_categories];
    const auto& item = bank->params(*step.item);
    irt::probabilities(item, true_theta, p);
    double u = std::uniform_real_distribution<double>(0.0, 1.0)(examinee);
    int category = 0;
    while (category + 1 < item.categories() && u > p[category]) u -= p[category++];
    session.record_response(*step.item, category);
    std::printf("%-12s -> %d   theta %+.3f  SE %.3f\n", bank->id(*step.item).c_str(), category, session.theta(),
                session.se());
    stored = session.snapshot();  // the state goes back to the platform's store
  }
  return 0;
}
