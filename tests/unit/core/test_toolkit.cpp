#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "dskill/core/hash.hpp"
#include "dskill/core/levels.hpp"
#include "dskill/core/normal.hpp"
#include "dskill/core/parallel.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/core/time.hpp"
#include "dskill/error.hpp"

namespace core = dskill::core;

TEST_CASE("core: sha256_hex names content as sha256:<64 hex>" * doctest::test_suite("core")) {
  // FIPS 180-2 test vectors.
  CHECK(core::sha256_hex("") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(core::sha256_hex("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(core::sha256_hex(std::string_view("a\0b", 3)) != core::sha256_hex("ab"));
}

TEST_CASE("core: utc_timestamp writes ISO 8601 in UTC" * doctest::test_suite("core")) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1764624600)) + std::chrono::milliseconds(999);
  CHECK(core::utc_timestamp(t) == "2025-12-01T21:30:00Z");
  CHECK(core::utc_timestamp(t, core::utc_format::date) == "2025-12-01");
  CHECK(core::utc_timestamp(std::chrono::system_clock::time_point{}) == "1970-01-01T00:00:00Z");
  CHECK(core::utc_timestamp().size() == 20);
  CHECK(core::utc_timestamp(core::utc_format::date).size() == 10);
}

TEST_CASE("core: level_for is 1 + the number of cuts at or below theta" * doctest::test_suite("core")) {
  const std::vector<double> cuts{-1.0, 0.0, 1.5};
  CHECK(core::level_for(cuts, -3.0) == 1);
  CHECK(core::level_for(cuts, -1.0) == 2);  // on a cut: the upper level
  CHECK(core::level_for(cuts, -0.5) == 2);
  CHECK(core::level_for(cuts, 0.0) == 3);
  CHECK(core::level_for(cuts, 9.0) == 4);
  CHECK(core::level_for({}, 9.0) == 1);
  CHECK(core::level_for(cuts, std::nan("")) == 1);
  static_assert(core::level_for(std::span<const double>(), 0.0) == 1);
}

TEST_CASE("core: normal distribution through Boost.Math" * doctest::test_suite("core")) {
  // The hand-written forms this replaces, to the last bits that get printed.
  for (double x = -8; x <= 8; x += 0.125) {
    const double erfc_form = 0.5 * std::erfc(-x * 0.7071067811865475244);
    CHECK(core::normal_cdf(x) == doctest::Approx(erfc_form).epsilon(1e-15));
    const double pdf = std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
    CHECK(core::normal_pdf(x) == doctest::Approx(pdf).epsilon(1e-14));
  }
  CHECK(core::normal_cdf(0.0) == 0.5);
  CHECK(core::normal_cdf(-INFINITY) == 0.0);
  CHECK(core::normal_cdf(INFINITY) == 1.0);
  CHECK(core::normal_cdf(1.0, 1.0, 2.0) == 0.5);
  CHECK(core::normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-15));
  CHECK(core::normal_quantile(0.5, 3.0, 2.0) == 3.0);
  for (double p : {1e-300, 1e-10, 0.01, 0.3, 0.7, 0.99, 1 - 1e-10})
    CHECK(core::normal_cdf(core::normal_quantile(p)) == doctest::Approx(p).epsilon(1e-13));
  CHECK_THROWS_AS(core::normal_quantile(0.0), dskill::invalid_argument);
  CHECK_THROWS_AS(core::normal_quantile(1.0), dskill::invalid_argument);
  CHECK_THROWS_AS(core::normal_cdf(0.0, 0.0, 0.0), dskill::invalid_argument);
}

TEST_CASE("core: parallel_for covers every index once, in chunks, on any thread count" * doctest::test_suite("core")) {
  for (unsigned threads : {0u, 1u, 2u, 7u}) {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{1000}}) {
      std::vector<std::atomic<int>> hits(n);
      std::atomic<int> bad_chunks{0};
      core::parallel_for(n, 64, threads, [&](std::size_t b, std::size_t e) {
        if (b % 64 != 0 || e - b > 64 || e > n || e <= b) ++bad_chunks;
        for (std::size_t i = b; i < e; ++i) ++hits[i];
      });
      CHECK(bad_chunks == 0);
      for (auto& h : hits) CHECK(h == 1);
    }
  }
  // One thread: the chunks run in order on the calling thread.
  std::vector<std::size_t> order;
  core::parallel_for(10, 3, 1, [&](std::size_t b, std::size_t) { order.push_back(b); });
  CHECK(order == std::vector<std::size_t>{0, 3, 6, 9});
  // The first exception reaches the caller with its type.
  CHECK_THROWS_AS(core::parallel_for(1000, 10, 4,
                                     [](std::size_t b, std::size_t) {
                                       if (b == 500) throw dskill::invalid_argument("chunk 50");
                                     }),
                  dskill::invalid_argument);
}

TEST_CASE("core: one grid syntax, LO:HI:N and LO:HI:STEP" * doctest::test_suite("core")) {
  using dskill::grid_whole_number;
  auto g = dskill::parse_grid_text("-6:6:121");
  CHECK_FALSE(g.by_step);
  CHECK(g.count == 121);
  CHECK(g.step == 0.1);
  g = dskill::parse_grid_text("-4:4:0.5");
  CHECK(g.by_step);
  CHECK(g.count == 17);
  CHECK(g.step == 0.5);
  g = dskill::parse_grid_text("0:1:1e-1");
  CHECK(g.by_step);
  CHECK(g.count == 11);  // the slack keeps HI although 0.1 is not exact in binary
  // Where a whole number has always meant a step (info, report --theta), it still does.
  g = dskill::parse_grid_text("0:1:1", grid_whole_number::step);
  CHECK(g.by_step);
  CHECK(g.count == 2);
  g = dskill::parse_grid_text("0:0:0.5", grid_whole_number::step);
  CHECK(g.count == 1);
  g = dskill::parse_grid_text("+1:3:2");
  CHECK(g.lo == 1.0);
  CHECK(g.count == 2);
  for (const char* bad : {"0:1", "0:1:2:3", "a:b:c", "1:0:5", "0:1:1", "0:1:2.5e", "0:1:-0.5", "1:0:0.5", "0:1:0.0",
                          "0:1:1e-9", " 0:1:3", "0:1:inf"})
    CHECK_THROWS_AS(dskill::parse_grid_text(bad), dskill::invalid_argument);
  // parse_grid: a quadrature grid from either form.
  CHECK(dskill::parse_grid("-6:6:121") == dskill::grid_spec{-6, 6, 121});
  CHECK(dskill::parse_grid("-6:6:0.1") == dskill::grid_spec{-6, 6, 121});
  CHECK(dskill::parse_grid("-4:4:0.3").n == 27);
  CHECK(dskill::parse_grid("-4:4:0.3").hi == doctest::Approx(3.8));
  CHECK_THROWS_AS(dskill::parse_grid("0:0:0.5"), dskill::invalid_argument);
  CHECK_THROWS_AS(dskill::parse_grid("-1:1:1"), dskill::invalid_argument);
  try {
    dskill::parse_grid_text("a:1:2", grid_whole_number::step, "--theta");
  } catch (const dskill::invalid_argument& e) {
    CHECK(std::string(e.what()).find("bad --theta 'a:1:2': fields must be numbers (expected LO:HI:STEP") != std::string::npos);
  }
}
