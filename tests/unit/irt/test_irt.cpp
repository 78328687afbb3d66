// irt: category probabilities, derivatives and information against catR and mirt, finite
// differences, the information identity, conversions and extreme-parameter stability.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/irt/kernels.hpp"
#include "dskill/irt/model.hpp"
#include "test_support.hpp"

using namespace dskill;
using irt::model;

namespace {
constexpr double reference_tolerance = 1e-9;  // issue 2: agreement with catR/mirt

// Builds an item from a catR reference entry (difficulty form, D = 1).
irt::item_params from_catr(const nlohmann::json& entry) {
  const auto& p = entry.at("params");
  const std::string m = entry.at("model");
  irt::difficulty_form f;
  if (m == "dich") {
    f.a = p.at("a");
    f.b = {p.at("b").get<double>()};
    f.c = p.at("c");
    f.d = p.at("d");
    f.kind = f.d < 1 ? model::four_pl : f.c > 0 ? model::three_pl : model::two_pl;
  } else {
    f.kind = m == "GRM" ? model::grm : m == "GPCM" ? model::gpcm : model::pcm;
    f.a = p.value("a", 1.0);
    f.b = p.at("b").get<std::vector<double>>();
  }
  return irt::to_intercept_form(f, 1.0);
}

std::vector<irt::item_params> sample_items() {
  std::vector<irt::item_params> items;
  items.push_back(irt::to_intercept_form({.kind = model::one_pl, .a = 1.0, .b = {0.4}}));
  items.push_back(irt::to_intercept_form({.kind = model::two_pl, .a = 1.7, .b = {-0.6}}));
  items.push_back(irt::to_intercept_form({.kind = model::three_pl, .a = 0.8, .b = {1.1}, .c = 0.25}));
  items.push_back(irt::to_intercept_form({.kind = model::four_pl, .a = 2.2, .b = {0.3}, .c = 0.1, .d = 0.93}));
  items.push_back(irt::to_intercept_form({.kind = model::grm, .a = 1.3, .b = {-1.5, -0.2, 0.9, 2.0}}));
  items.push_back(irt::to_intercept_form({.kind = model::gpcm, .a = 0.7, .b = {0.5, -0.4, 1.2}}));
  items.push_back(irt::to_intercept_form({.kind = model::pcm, .b = {-1.0, 1.0}}));
  irt::item_params nominal{.kind = model::nominal, .slope = 1.1, .intercepts = {0.3, -0.2, 0.5}, .scores = {0.6, 1.9, 3.1}};
  items.push_back(nominal);
  return items;
}
}  // namespace

TEST_CASE("irt: probabilities, derivatives, information and J agree with catR" * doctest::test_suite("irt")) {
  const auto ref = dskill_test::load_reference("irf_info_catR.json");
  for (const auto& [name, entry] : ref.at("items").items()) {
    CAPTURE(name);
    const auto item = from_catr(entry);
    for (const auto& point : entry.at("grid")) {
      const double theta = point.at("theta");
      CAPTURE(theta);
      double p[irt::max_categories], dp[irt::max_categories], d2p[irt::max_categories];
      irt::probability_derivatives(item, theta, p, dp, d2p);
      const auto probs = point.at("probs").get<std::vector<double>>();
      const auto dprobs = point.at("dprobs_dtheta").get<std::vector<double>>();
      REQUIRE(static_cast<int>(probs.size()) == item.categories());
      for (std::size_t k = 0; k < probs.size(); ++k) {
        CHECK(std::abs(p[k] - probs[k]) < reference_tolerance);
        CHECK(std::abs(dp[k] - dprobs[k]) < reference_tolerance);
      }
      CHECK(std::abs(irt::information(item, theta) - point.at("info").get<double>()) < reference_tolerance);
      CHECK(std::abs(irt::warm_j(item, theta) - point.at("J").get<double>()) < reference_tolerance);
    }
  }
}

TEST_CASE("irt: probabilities and information agree with mirt's slope-intercept parameters" * doctest::test_suite("irt")) {
  const auto ref = dskill_test::load_reference("irf_info_mirt.json");
  for (const auto& [name, entry] : ref.at("items").items()) {
    CAPTURE(name);
    const auto& coef = entry.at("mirt_coef");
    const std::string type = entry.at("mirt_itemtype");
    irt::item_params item;
    item.slope = coef.at("a1");
    if (coef.contains("g")) {
      item.kind = name == "1PL" ? model::one_pl : name == "2PL" ? model::two_pl : name == "3PL" ? model::three_pl : model::four_pl;
      item.intercepts = {coef.at("d").get<double>()};
      item.lower = coef.at("g");
      item.upper = coef.at("u");
    } else {
      item.kind = type == "graded" ? model::grm : type == "gpcm" ? model::gpcm : model::pcm;
      for (int k = 1; coef.contains("d" + std::to_string(k)); ++k) item.intercepts.push_back(coef.at("d" + std::to_string(k)));
    }
    REQUIRE(irt::check_params(item).empty());
    for (const auto& point : entry.at("grid")) {
      const double theta = point.at("theta");
      double p[irt::max_categories];
      irt::probabilities(item, theta, p);
      const auto probs = point.at("probs").get<std::vector<double>>();
      for (std::size_t k = 0; k < probs.size(); ++k) CHECK(std::abs(p[k] - probs[k]) < reference_tolerance);
      CHECK(std::abs(irt::information(item, theta) - point.at("info").get<double>()) < reference_tolerance);
    }
  }
}

TEST_CASE("irt: derivatives match central finite differences" * doctest::test_suite("irt")) {
  constexpr double h = 1e-5, tolerance = 1e-6;
  for (const auto& item : sample_items()) {
    CAPTURE(irt::to_string(item.kind));
    for (double theta = -5; theta <= 5; theta += 0.37) {
      double p[32], dp[32], d2p[32], pp[32], pm[32], dpp[32], dpm[32], tmp[32];
      irt::probability_derivatives(item, theta, p, dp, d2p);
      irt::probability_derivatives(item, theta + h, pp, dpp, tmp);
      irt::probability_derivatives(item, theta - h, pm, dpm, tmp);
      double total = 0;
      for (int k = 0; k < item.categories(); ++k) {
        total += p[k];
        CHECK(std::abs((pp[k] - pm[k]) / (2 * h) - dp[k]) < tolerance);
        CHECK(std::abs((dpp[k] - dpm[k]) / (2 * h) - d2p[k]) < tolerance);
        // The log-likelihood terms are the derivatives of log P_k.
        const auto terms = irt::response_at(item, theta, k);
        const double lp_plus = irt::response_at(item, theta + h, k).log_p;
        const double lp_minus = irt::response_at(item, theta - h, k).log_p;
        CHECK(std::abs((lp_plus - lp_minus) / (2 * h) - terms.d1) < tolerance);
        CHECK(std::abs((lp_plus - 2 * terms.log_p + lp_minus) / (h * h) - terms.d2) < 1e-3);
      }
      CHECK(std::abs(total - 1.0) < 1e-12);
    }
  }
}

TEST_CASE("irt: information equals the expected negative second derivative of log P" * doctest::test_suite("irt")) {
  for (const auto& item : sample_items()) {
    CAPTURE(irt::to_string(item.kind));
    for (double theta = -6; theta <= 6; theta += 0.5) {
      double expected = 0, p[32];
      irt::probabilities(item, theta, p);
      for (int k = 0; k < item.categories(); ++k) expected += p[k] * -irt::response_at(item, theta, k).d2;
      const double info = irt::information(item, theta);
      CHECK(info == doctest::Approx(expected).epsilon(1e-10));
      // The vectorised dichotomous form agrees with the general kernel.
      if (irt::is_dichotomous(item.kind))
        CHECK(irt::dichotomous_information(item.slope, item.intercepts[0], item.lower, item.upper, theta) ==
              doctest::Approx(info).epsilon(1e-12));
    }
  }
}

TEST_CASE("irt: extreme thetas and parameters stay finite and keep tiny probabilities" * doctest::test_suite("irt")) {
  std::vector<irt::item_params> items;
  for (double b : {-8.0, 0.0, 8.0}) {
    items.push_back(irt::to_intercept_form({.kind = model::two_pl, .a = 6.0, .b = {b}}));
    items.push_back(irt::to_intercept_form({.kind = model::four_pl, .a = 6.0, .b = {b}, .c = 1e-12, .d = 1 - 1e-12}));
    items.push_back(irt::to_intercept_form({.kind = model::grm, .a = 6.0, .b = {b - 1, b, b + 1}}));
    items.push_back(irt::to_intercept_form({.kind = model::gpcm, .a = 6.0, .b = {b - 1, b, b + 1}}));
  }
  for (const auto& item : items) {
    for (double theta : {-20.0, -12.5, 0.0, 12.5, 20.0}) {
      double lp[32], g[32], h[32];
      irt::category_terms(item, theta, lp, g, h);
      for (int k = 0; k < item.categories(); ++k) {
        CHECK(std::isfinite(lp[k]));
        CHECK(std::isfinite(g[k]));
        CHECK(std::isfinite(h[k]));
      }
      CHECK(std::isfinite(irt::information(item, theta)));
      CHECK(irt::information(item, theta) >= 0);
    }
  }
  // a = 6, b = 8, theta = -20: P(correct) = sigma(-168) ~ 1.1e-73 is kept in log space.
  const auto hard = irt::to_intercept_form({.kind = model::two_pl, .a = 6.0, .b = {8.0}});
  double lp[2];
  irt::log_probabilities(hard, -20.0, lp);
  CHECK(lp[1] == doctest::Approx(-168.0).epsilon(1e-12));
  CHECK(lp[0] > -1e-70);
  // The middle category of a GRM item far below its thresholds keeps its log probability.
  const auto grm = irt::to_intercept_form({.kind = model::grm, .a = 6.0, .b = {7.0, 8.0}});
  double lg[3];
  irt::log_probabilities(grm, -20.0, lg);
  // log P_1 = log(sigma(-162) - sigma(-168)) ~ -162 + log(1 - e^-6)
  CHECK(lg[1] == doctest::Approx(-162.0 + std::log1p(-std::exp(-6.0))).epsilon(1e-12));
}

TEST_CASE("irt: difficulty and slope-intercept forms convert exactly both ways" * doctest::test_suite("irt")) {
  for (double scaling : {1.0, 1.702}) {
    const std::vector<irt::difficulty_form> forms = {
        {.kind = model::one_pl, .a = 1.0, .b = {0.4}},
        {.kind = model::three_pl, .a = 1.3, .b = {-0.7}, .c = 0.2},
        {.kind = model::four_pl, .a = 0.6, .b = {2.1}, .c = 0.05, .d = 0.97},
        {.kind = model::grm, .a = 1.1, .b = {-1.0, 0.0, 1.2}},
        {.kind = model::gpcm, .a = 0.9, .b = {-0.5, 0.3, 1.0}},
        {.kind = model::pcm, .a = 1.0, .b = {0.2, -0.1}},
    };
    for (const auto& f : forms) {
      const auto item = irt::to_intercept_form(f, scaling);
      CHECK(item.slope == doctest::Approx(scaling * f.a).epsilon(1e-15));
      const auto back = irt::to_difficulty_form(item, scaling);
      CHECK(back.kind == f.kind);
      CHECK(back.a == doctest::Approx(f.a).epsilon(1e-15));
      REQUIRE(back.b.size() == f.b.size());
      for (std::size_t i = 0; i < f.b.size(); ++i) CHECK(std::abs(back.b[i] - f.b[i]) < 1e-14);
      CHECK(back.c == f.c);
      CHECK(back.d == f.d);
    }
  }
  // mirt's GPCM convention: d_k = -a * cumsum(b).
  const auto g = irt::to_intercept_form({.kind = model::gpcm, .a = 0.9, .b = {-1.0, 0.3, 1.1}});
  CHECK(g.intercepts[0] == doctest::Approx(0.9));
  CHECK(g.intercepts[1] == doctest::Approx(0.63));
  CHECK(g.intercepts[2] == doctest::Approx(-0.36));
  // D = 1.702 makes a 2PL item with a = 1 match the normal ogive closely (|diff| < 0.01).
  const auto logistic = irt::to_intercept_form({.kind = model::two_pl, .a = 1.0, .b = {0.0}}, 1.702);
  for (double t = -3; t <= 3; t += 0.25) {
    double p[2];
    irt::probabilities(logistic, t, p);
    CHECK(std::abs(p[1] - 0.5 * std::erfc(-t / std::sqrt(2.0))) < 0.01);
  }
}

TEST_CASE("irt: check_params names what is wrong" * doctest::test_suite("irt")) {
  auto item = irt::to_intercept_form({.kind = model::two_pl, .a = 1.0, .b = {0.0}});
  CHECK(irt::check_params(item).empty());
  item.slope = -1;
  CHECK(irt::check_params(item).find("slope") != std::string::npos);
  auto c = irt::to_intercept_form({.kind = model::three_pl, .a = 1.0, .b = {0.0}, .c = 0.4, .d = 0.3});
  CHECK(irt::check_params(c).find("0 <= c < d <= 1") != std::string::npos);
  irt::item_params grm{.kind = model::grm, .slope = 1.0, .intercepts = {-1.0, 1.0}};
  CHECK(irt::check_params(grm).find("increase") != std::string::npos);
  CHECK(irt::parse_model("rasch") == model::one_pl);
  CHECK(irt::parse_model("gpcm") == model::gpcm);
  CHECK(!irt::parse_model("3PL-ish").has_value());
}
