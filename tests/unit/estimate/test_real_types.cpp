// The estimators as templates: a bank is read through its irt::item_table, float tables give
// the double results to float precision, and an item_store built from the bank's parameters is
// the same table as the bank's own.
#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include "dskill/bank/item_bank.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/kernels.hpp"

using namespace dskill;

namespace {
bank::item_bank mixed_bank() {
  std::vector<bank::bank_item> items;
  const auto add = [&](irt::item_params p) {
    bank::bank_item it;
    it.id = "i" + std::to_string(items.size());
    it.params = std::move(p);
    items.push_back(std::move(it));
  };
  for (double b : {-1.0, 0.0, 1.0})
    add(irt::to_intercept_form({.kind = irt::model::three_pl, .a = 1.3, .b = {b}, .c = 0.15}, 1.702));
  add(irt::to_intercept_form({.kind = irt::model::grm, .a = 1.1, .b = {-1.0, 0.2, 1.4}}));
  add(irt::to_intercept_form({.kind = irt::model::gpcm, .a = 0.9, .b = {-0.5, 0.5}}));
  irt::item_params nominal;
  nominal.kind = irt::model::nominal;
  nominal.slope = 1.0;
  nominal.intercepts = {0.2, -0.3};
  nominal.scores = {0.8, 2.1};
  add(nominal);
  return bank::item_bank({}, std::move(items));
}
}  // namespace

TEST_CASE("estimate: a bank's table and an item_store of its parameters agree" * doctest::test_suite("estimate")) {
  const auto bank = mixed_bank();
  std::vector<irt::item_params> params;
  for (std::size_t i = 0; i < bank.size(); ++i) params.push_back(bank.params(i));
  const irt::item_store store(params);
  const irt::item_table a = bank, b = store;
  REQUIRE(a.size() == bank.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a.categories(i) == bank.params(i).categories());
    CHECK(b.categories(i) == a.categories(i));
    for (double theta : {-2.0, 0.3, 2.5}) {
      CHECK(irt::information(a[i], theta) == irt::information(bank.params(i), theta));
      CHECK(irt::information(b[i], theta) == irt::information(bank.params(i), theta));
    }
  }
}

TEST_CASE("estimate: float tables give the double estimates to float precision" * doctest::test_suite("estimate")) {
  const auto bank = mixed_bank();
  std::vector<irt::item_params> params;
  for (std::size_t i = 0; i < bank.size(); ++i) params.push_back(bank.params(i));
  const irt::basic_item_store<float> store(params);
  const std::vector<response> pattern{{0, 1}, {1, 1}, {2, 0}, {3, 2}, {4, 1}, {5, 2}};
  for (auto m : {estimate::method::ml, estimate::method::map, estimate::method::wle, estimate::method::eap}) {
    estimate::options opts;
    opts.estimator = m;
    const auto d = estimate::estimate_theta(bank, pattern, opts);
    const auto f = estimate::estimate_theta(store.view(), pattern, opts);
    CAPTURE(estimate::to_string(m));
    CHECK(f.state == d.state);
    CHECK(std::abs(static_cast<double>(f.theta) - d.theta) < 2e-3);
    CHECK(std::abs(static_cast<double>(f.se) - d.se) < 2e-3);
  }
  estimate::options eap;
  const estimate::eap_scorer scorer_d(bank, eap);
  const estimate::basic_eap_scorer<float> scorer_f(store.view(), eap);
  const auto d = scorer_d(pattern);
  const auto f = scorer_f(pattern);
  CHECK(std::abs(static_cast<double>(f.theta) - d.theta) < 1e-4);
  CHECK(std::abs(estimate::log_likelihood(store.view(), pattern, 0.5f) -
                 static_cast<float>(estimate::log_likelihood(bank, pattern, 0.5))) < 1e-4f);
}
