// Batch scoring in units: reject codes with stable ids (the readers' codes feed the summary),
// the public in-memory scorer (score::score_matrix) and its width check, and the defect fix
// that scoring uses the bank's calibrated latent distribution as its default prior.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "dskill/bank/latent.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/cat/rng.hpp"
#include "dskill/error.hpp"
#include "dskill/io/reject_code.hpp"
#include "dskill/io/response_reader.hpp"
#include "dskill/score/batch.hpp"
#include "dskill/score/matrix.hpp"
#include "test_score_support.hpp"
#include "../../../src/score/person_set.hpp"

using namespace dskill;
using score_test::temp_dir;

TEST_CASE("score units: reject codes have stable ids that round-trip" * doctest::test_suite("score")) {
  // The ids are a documented interface (docs/scoring.md): this list may grow, never change.
  const std::vector<std::pair<io::reject_code, std::string_view>> ids = {
      {io::reject_code::none, "none"},
      {io::reject_code::truncated_row, "truncated_row"},
      {io::reject_code::wrong_encoding, "wrong_encoding"},
      {io::reject_code::duplicate_person, "duplicate_person"},
      {io::reject_code::ragged_row, "ragged_row"},
      {io::reject_code::non_numeric_response, "non_numeric_response"},
      {io::reject_code::out_of_range_response, "out_of_range_response"},
      {io::reject_code::unknown_item, "unknown_item"},
      {io::reject_code::item_answered_twice, "item_answered_twice"},
      {io::reject_code::bad_person_id, "bad_person_id"},
      {io::reject_code::malformed_record, "malformed_record"},
      {io::reject_code::record_too_long, "record_too_long"},
  };
  CHECK(ids.size() == io::reject_code_count);
  for (const auto& [code, id] : ids) {
    CHECK(io::to_string(code) == id);
    CHECK(io::parse_reject_code(id) == code);
  }
  CHECK(!io::parse_reject_code("other"));
}

namespace {
std::vector<io::session_record> read_all(const std::string& path, io::response_format f, const bank::bank_ptr& b) {
  io::response_reader reader(path, f, b);
  std::vector<io::session_record> out;
  io::session_record rec;
  while (reader.next(rec)) out.push_back(rec);
  return out;
}
}  // namespace

TEST_CASE("score units: the readers give each reject its code" * doctest::test_suite("score")) {
  using rc = io::reject_code;
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const auto wide = read_all(tmp.write("w.csv",
                                       "person_id,q1,q2,q3\n"
                                       "A,1,0,1\nC,1,x,0\nD,1,2,0\nE,1,0\n,1,0,1\nG,1,\xC3\x28,1\nJ,\"1,0\nK,1,0"),
                             io::response_format::wide, bank);
  const std::vector<rc> want_wide = {rc::none,       rc::non_numeric_response, rc::out_of_range_response, rc::ragged_row,
                                     rc::bad_person_id, rc::wrong_encoding,     rc::malformed_record,      rc::truncated_row};
  REQUIRE(wide.size() == want_wide.size());
  for (std::size_t i = 0; i < wide.size(); ++i) {
    CHECK(wide[i].code == want_wide[i]);
    CHECK(wide[i].ok() == wide[i].error.empty());
  }
  const auto lng = read_all(tmp.write("l.csv", "person_id,item_id,response\nA,q1,1\nB,q9,1\nC,q1,0\nC,q1,1\n"),
                            io::response_format::long_csv, bank);
  REQUIRE(lng.size() == 3);
  CHECK(lng[0].ok());
  CHECK(lng[1].code == rc::unknown_item);
  CHECK(lng[2].code == rc::item_answered_twice);
  CHECK(lng[2].line == 5);
  const auto js = read_all(tmp.write("j.jsonl", "{\"person_id\":\"A\",\"responses\":{\"q1\":1}}\n[1]\n"
                                                "{\"person_id\":\"C\"}\n{\"person_id\":\"D\",\"responses\":{\"q1\":"),
                           io::response_format::jsonl, bank);
  REQUIRE(js.size() == 4);
  CHECK(js[0].ok());
  CHECK(js[1].code == rc::bad_person_id);  // no object, so no person id (as the summary always counted it)
  CHECK(js[2].code == rc::malformed_record);
  CHECK(js[3].code == rc::truncated_row);
}

TEST_CASE("score units: rejects_by_kind comes from the codes" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  // An item id that reads like another kind's message must not move its row to that kind
  // (matching the English messages counted "unknown item id 'out of range'" as out of range).
  const auto in = tmp.write("in.csv", "person_id,item_id,response\nA,q1,1\nB,out of range,1\nC,q1,1\nA,q2,0\n");
  const score::scorer s(bank, estimate::options{});
  score::batch_options o;
  o.responses = in;
  o.format = io::response_format::long_csv;
  o.out = tmp.file("out.csv");
  o.progress = 0;
  const auto sum = score::run_batch(s, o);
  CHECK(sum.rows_rejected == 2);
  CHECK(sum.rejects_by_kind == std::map<std::string, std::uint64_t>{{"duplicate_person", 1}, {"unknown_item", 1}});
}

TEST_CASE("score units: score_matrix refuses a matrix narrower than the bank" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(4);
  const score::scorer s(bank, estimate::options{});
  const std::vector<std::int8_t> cells = {1, 0, 1};
  double theta = 0, se = 0;
  try {
    score::score_matrix(s, {cells.data(), 1, 3, 3, nullptr}, {&theta, &se, nullptr});
    FAIL("a 3-column matrix was scored against a 4-item bank");
  } catch (const invalid_argument& e) {
    const std::string m = e.what();
    CHECK(m.find("3 columns") != std::string::npos);
    CHECK(m.find("4 items") != std::string::npos);
  }
  // With a column map a subset is fine, and equals scoring the pattern directly.
  const std::vector<std::uint32_t> map = {0, 2, 3};
  score::score_matrix(s, {cells.data(), 1, 3, 3, map.data()}, {&theta, &se, nullptr});
  const std::vector<estimate::response> pattern = {{0, 1}, {2, 0}, {3, 1}};
  const auto direct = estimate::estimate_theta(*bank, pattern, estimate::options{});
  CHECK(theta == doctest::Approx(direct.theta).epsilon(1e-12));
  CHECK(se == doctest::Approx(direct.se).epsilon(1e-12));
}

namespace {
// A PCM bank calibrated (as dskill calibrate records it) on N(0, 1.7).
constexpr const char* pcm_bank_yaml = R"(dskill: 1
bank:
  id: pcm-latent
  scale: {D: 1.0}
  meta: {calibration: {engine: dskill, method: MML-EM, latent: [{mean: 0, sd: 1.7, persons: 1000}], rasch_latent_sd: 1.7}}
items:
  - {id: p1, model: pcm, params: {b: [-1.2, 0.3]}}
  - {id: p2, model: pcm, params: {b: [-0.4, 0.5, 1.4]}}
  - {id: p3, model: pcm, params: {b: [0.8]}}
  - {id: p4, model: pcm, params: {b: [-2.0, -0.6, 0.2]}}
  - {id: p5, model: pcm, params: {b: [0.1, 1.1]}}
)";

// EAP and posterior SD by brute force: PCM probabilities written out from the model,
// P(k | theta) proportional to exp(sum_{v<=k} (theta - b_v)), times the N(mean, sd) density, on the
// grid's nodes (the rectangle rule dskill's EAP uses).
std::pair<double, double> brute_force_eap(const std::vector<std::vector<double>>& b, const std::vector<int>& x,
                                          double mean, double sd, double lo, double hi, int n) {
  double s0 = 0, s1 = 0, s2 = 0;
  for (int q = 0; q < n; ++q) {
    const double t = lo + (hi - lo) * q / (n - 1);
    double like = std::exp(-0.5 * ((t - mean) / sd) * ((t - mean) / sd));
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (x[i] < 0) continue;
      double num = 0, den = 0, cum = 0;
      for (std::size_t k = 0; k <= b[i].size(); ++k) {
        if (k > 0) cum += t - b[i][k - 1];
        den += std::exp(cum);
        if (static_cast<int>(k) == x[i]) num = std::exp(cum);
      }
      like *= num / den;
    }
    s0 += like;
    s1 += like * t;
    s2 += like * t * t;
  }
  const double m = s1 / s0;
  return {m, std::sqrt(s2 / s0 - m * m)};
}
}  // namespace

TEST_CASE("score units: a PCM bank is scored with its calibrated latent SD by default" * doctest::test_suite("score")) {
  const auto bank = bank::load_bank_from_string(pcm_bank_yaml);
  const auto latent = bank::latent_distribution(bank->info());
  REQUIRE(latent);
  CHECK(latent->mean == 0.0);
  CHECK(latent->sd == 1.7);
  const auto opts = score::default_options(*bank);
  CHECK(opts.prior_.sd == 1.7);
  const std::vector<std::vector<double>> b = {{-1.2, 0.3}, {-0.4, 0.5, 1.4}, {0.8}, {-2.0, -0.6, 0.2}, {0.1, 1.1}};
  const score::scorer s(bank, opts);
  cat::rng rng(20261201);
  const std::size_t persons = 40;
  std::vector<std::int8_t> cells(persons * 5);
  for (std::size_t p = 0; p < persons; ++p)
    for (std::size_t i = 0; i < 5; ++i)
      cells[p * 5 + i] = static_cast<std::int8_t>(rng.uniform() < 0.15 ? -1 : rng.below(b[i].size() + 1));
  std::vector<double> theta(persons), se(persons);
  score::score_matrix(s, {cells.data(), persons, 5, 5, nullptr}, {theta.data(), se.data(), nullptr});
  double largest_shift = 0;
  for (std::size_t p = 0; p < persons; ++p) {
    const std::vector<int> x(cells.begin() + static_cast<long>(p * 5), cells.begin() + static_cast<long>(p * 5 + 5));
    const auto [m, sdv] = brute_force_eap(b, x, 0.0, 1.7, opts.grid.lo, opts.grid.hi, opts.grid.n);
    CHECK(std::fabs(theta[p] - m) < 1e-6);
    CHECK(std::fabs(se[p] - sdv) < 1e-6);
    const auto [m1, sd1] = brute_force_eap(b, x, 0.0, 1.0, opts.grid.lo, opts.grid.hi, opts.grid.n);
    largest_shift = std::max(largest_shift, std::fabs(m - m1));
  }
  MESSAGE("largest EAP shift from N(0, 1) to the bank's N(0, 1.7): " << largest_shift);
  CHECK(largest_shift > 0.2);  // the defect: N(0, 1) was used, far from the calibrated scale
  // An explicit prior still wins.
  auto explicit_opts = opts;
  explicit_opts.prior_.sd = 1.0;
  const score::scorer s1(bank, explicit_opts);
  score::score_matrix(s1, {cells.data(), 1, 5, 5, nullptr}, {theta.data(), se.data(), nullptr});
  const std::vector<int> x0(cells.begin(), cells.begin() + 5);
  CHECK(std::fabs(theta[0] - brute_force_eap(b, x0, 0.0, 1.0, opts.grid.lo, opts.grid.hi, opts.grid.n).first) < 1e-6);
}

TEST_CASE("score units: latent_distribution reads what calibrations write, and nothing else" * doctest::test_suite("score")) {
  bank::bank_info info;
  CHECK(!bank::latent_distribution(info));
  info.meta.push_back({"calibration", "{latent: [{mean: 0.25, sd: 1.3}, {mean: 1, sd: 2}]}", true});
  auto l = bank::latent_distribution(info);
  REQUIRE(l);
  CHECK(l->mean == 0.25);
  CHECK(l->sd == 1.3);
  info.meta.back().value = "{rasch_latent_sd: 1.4}";
  l = bank::latent_distribution(info);
  REQUIRE(l);
  CHECK(l->mean == 0.0);
  CHECK(l->sd == 1.4);
  info.meta.back().value = "{latent: [{mean: 0, sd: -1}]}";
  CHECK(!bank::latent_distribution(info));
  info.meta.back().value = "{latent: [oops";
  CHECK(!bank::latent_distribution(info));
  info.meta.back() = {"calibration", "anchor (held fixed)", false};
  CHECK(!bank::latent_distribution(info));
}

TEST_CASE("score units: the duplicate check finds every repeat and holds at most 24 bytes a person" *
          doctest::test_suite("score")) {
  REQUIRE(sodium_init() >= 0);
  score::detail::person_set seen;
  constexpr std::uint64_t n = 600'000;
  double worst = 0;
  for (std::uint64_t row = 1; row <= n; ++row) {
    REQUIRE_FALSE(seen.insert(fmt::format("P{:09}", row), row));
    if (row >= 100'000 && row % 997 == 0) worst = std::max(worst, static_cast<double>(seen.bytes()) / static_cast<double>(row));
  }
  CHECK(seen.size() == n);
  CHECK(worst <= 24.0);
  CHECK(worst > 12.0);  // the tables are real: 12-byte slots, load at most 0.8
  for (std::uint64_t row = 1; row <= n; row += 7919) {
    const auto first = seen.insert(fmt::format("P{:09}", row), n + row);
    REQUIRE(first);
    CHECK(*first == row);
  }
  CHECK(seen.size() == n);
  // Rows past 32 bits are remembered as "past max_row", never as a wrong row.
  CHECK_FALSE(seen.insert("late", std::uint64_t{1} << 40));
  const auto late = seen.insert("late", (std::uint64_t{1} << 40) + 1);
  REQUIRE(late);
  CHECK(*late == score::detail::person_set::max_row + 1);
  CHECK_FALSE(seen.insert("", 5));  // the empty id is an id like another (callers skip it)
  CHECK(seen.insert("", 6) == std::optional<std::uint64_t>{5});
}
