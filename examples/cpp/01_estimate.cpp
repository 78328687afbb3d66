// Estimate a person's ability from a few answers on the bundled bank, with each estimator.
// Run from the repository root: ./build/examples/example_01_estimate
#include <cstdio>
#include <vector>

#include <dskill/dskill.hpp>

int main() {
  using namespace dskill;
  auto bank = bank::load_bank("item_banks/digcomp-core.yaml");
  // Answers by item id: 1 = right, 0 = wrong (partial-credit items take 0..K-1).
  const std::pair<const char*, int> given[] = {
      {"dc-1.1-001", 1}, {"dc-1.2-003", 1}, {"dc-2.1-004", 0}, {"dc-4.2-003", 1}, {"dc-5.1-002", 0}};
  std::vector<estimate::response> answers;
  for (auto [id, category] : given) {
    const auto index = bank->find(id);
    if (!index) {
      std::fprintf(stderr, "item %s is not in the bank\n", id);
      return 1;
    }
    answers.push_back({static_cast<std::uint32_t>(*index), category});
  }
  for (auto method : {estimate::method::eap, estimate::method::map, estimate::method::ml, estimate::method::wle}) {
    estimate::options opts;  // N(0, 1) prior, 121 nodes on [-6, 6] for EAP; ML range [-4, 4]
    opts.estimator = method;
    const auto r = estimate::estimate_theta(*bank, answers, opts);
    std::printf("%-4s theta %+.3f  SE %.3f  (%s)\n", std::string(estimate::to_string(method)).c_str(), r.theta,
                r.se, std::string(estimate::to_string(r.state)).c_str());
  }
  return 0;
}
