// irt: compensatory multidimensional items. The one-dimension case equals the unidimensional
// kernels bit for bit; gradients match finite differences of the log probabilities; the
// information matrix equals the expected negative Hessian of log P; probabilities sum to one.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/irt/kernels.hpp"
#include "dskill/irt/multidim.hpp"

using namespace dskill;
using irt::model;

namespace {
std::vector<irt::multidim_item> sample_items() {
  std::vector<irt::multidim_item> items;
  items.push_back({{model::two_pl, 1.0, 0.0, 1.0, {0.4}, {}}, {1.3, 0.0, 0.7}});
  items.push_back({{model::three_pl, 1.0, 0.2, 1.0, {-0.8}, {}}, {0.0, 1.9, 0.0}});
  items.push_back({{model::four_pl, 1.0, 0.15, 0.9, {1.1}, {}}, {0.6, 0.5, 0.4}});
  items.push_back({{model::grm, 1.0, 0.0, 1.0, {2.0, 0.3, -1.5}, {}}, {1.1, 0.0, 0.9}});
  items.push_back({{model::gpcm, 1.0, 0.0, 1.0, {0.5, 0.2, -0.9}, {}}, {0.0, 0.8, 1.2}});
  items.push_back({{model::nominal, 1.0, 0.0, 1.0, {0.3, -0.2}, {0.7, 2.1}}, {0.9, 0.4, 0.0}});
  return items;
}
}  // namespace

TEST_CASE("multidim: one dimension is the unidimensional item (bit for bit for logistic and graded)") {
  const std::vector<irt::item_params> uni = {{model::two_pl, 1.7, 0.0, 1.0, {0.4}, {}},
                                             {model::three_pl, 0.9, 0.25, 1.0, {-1.2}, {}},
                                             {model::grm, 1.3, 0.0, 1.0, {1.5, -0.5}, {}},
                                             {model::gpcm, 0.8, 0.0, 1.0, {0.4, -0.3, 0.1}, {}}};
  irt::multidim_store store(1);
  for (const auto& p : uni) store.push_back({p, {p.slope}});
  const auto table = store.view();
  for (double theta : {-7.0, -2.2, 0.0, 0.35, 3.1, 9.0}) {
    const double th[1] = {theta};
    for (std::size_t i = 0; i < uni.size(); ++i) {
      double lp_uni[irt::max_categories], lp_md[irt::max_categories];
      irt::log_probabilities(uni[i], theta, lp_uni);
      irt::log_probabilities(table, i, std::span<const double>(th), lp_md);
      for (int k = 0; k < uni[i].categories(); ++k) {
        if (irt::is_divide_by_total(uni[i].kind))
          CHECK(lp_md[k] == doctest::Approx(lp_uni[k]).epsilon(1e-14));
        else
          CHECK(lp_md[k] == lp_uni[k]);
      }
      const auto r_uni = irt::response_at(uni[i], theta, 1);
      const auto r_md = irt::response_at(table, i, std::span<const double>(th), 1);
      CHECK(r_md.d1 * uni[i].slope == doctest::Approx(r_uni.d1).epsilon(1e-15));
      double info[1] = {0};
      irt::add_information(table, i, std::span<const double>(th), std::span<double>(info));
      CHECK(info[0] == doctest::Approx(irt::information(uni[i], theta)).epsilon(1e-14));
    }
  }
}

TEST_CASE("multidim: gradient and Hessian match finite differences; information is E[-Hessian]") {
  const auto items = sample_items();
  const irt::multidim_store store(3, items);
  const auto table = store.view();
  const std::vector<std::vector<double>> points = {{0.0, 0.0, 0.0}, {1.2, -0.7, 0.4}, {-2.5, 1.8, -1.1}};
  constexpr double h = 1e-5;
  for (const auto& theta : points) {
    for (std::size_t i = 0; i < table.size(); ++i) {
      const int k_count = table.links.categories(i);
      double lp[irt::max_categories];
      irt::log_probabilities(table, i, std::span<const double>(theta), lp);
      double total = 0;
      for (int k = 0; k < k_count; ++k) total += std::exp(lp[k]);
      CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
      std::vector<double> expected_neg_hessian(9, 0.0);
      for (int k = 0; k < k_count; ++k) {
        const auto terms = irt::response_at(table, i, std::span<const double>(theta), k);
        const auto a = table.slopes_of(i);
        for (std::size_t d = 0; d < 3; ++d) {
          auto up = theta, down = theta;
          up[d] += h;
          down[d] -= h;
          double lp_up[irt::max_categories], lp_down[irt::max_categories];
          irt::log_probabilities(table, i, std::span<const double>(up), lp_up);
          irt::log_probabilities(table, i, std::span<const double>(down), lp_down);
          CHECK(terms.d1 * a[d] == doctest::Approx((lp_up[k] - lp_down[k]) / (2 * h)).epsilon(1e-6));
          // Second derivative along d, from the analytic gradient's finite difference.
          const auto t_up = irt::response_at(table, i, std::span<const double>(up), k);
          const auto t_down = irt::response_at(table, i, std::span<const double>(down), k);
          for (std::size_t e = 0; e < 3; ++e)
            CHECK(terms.d2 * a[d] * a[e] ==
                  doctest::Approx((t_up.d1 - t_down.d1) * a[e] / (2 * h)).epsilon(1e-5).scale(1e-7));
        }
        irt::add_outer<double>(a, -std::exp(lp[k]) * terms.d2, std::span<double>(expected_neg_hessian));
      }
      std::vector<double> info(9, 0.0);
      irt::add_information(table, i, std::span<const double>(theta), std::span<double>(info));
      for (std::size_t c = 0; c < 9; ++c) CHECK(info[c] == doctest::Approx(expected_neg_hessian[c]).epsilon(1e-10).scale(1e-12));
    }
  }
}

TEST_CASE("multidim: stable at extreme abilities") {
  const irt::multidim_store store(3, sample_items());
  const auto table = store.view();
  const std::vector<double> far = {40.0, -35.0, 30.0};
  for (std::size_t i = 0; i < table.size(); ++i) {
    double lp[irt::max_categories];
    irt::log_probabilities(table, i, std::span<const double>(far), lp);
    for (int k = 0; k < table.links.categories(i); ++k) CHECK(std::isfinite(lp[k]));
    const auto terms = irt::response_at(table, i, std::span<const double>(far), 0);
    CHECK(std::isfinite(terms.d1));
    CHECK(std::isfinite(terms.info));
  }
}

TEST_CASE("multidim: a slope count that differs from the dimensions is refused") {
  irt::multidim_store store(2);
  CHECK_THROWS_AS(store.push_back({{model::two_pl, 1.0, 0.0, 1.0, {0.0}, {}}, {1.0, 0.5, 0.2}}),
                  std::invalid_argument);
}
