// Batch scoring: reconciliation, thread-count invariance, resume after an interruption,
// per-area scores and levels, and Rudner's classification accuracy against the empirical one.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "dskill/error.hpp"
#include "dskill/score/batch.hpp"
#include "dskill/version.hpp"
#include "test_score_support.hpp"

using namespace dskill;
using score_test::temp_dir;

namespace {
score::batch_options base_options(const std::string& responses, const std::string& out) {
  score::batch_options o;
  o.responses = responses;
  o.out = out;
  o.progress = 0;
  o.chunk_records = 64;
  o.issued_at = "2026-11-29T00:00:00Z";
  o.salt_secret = std::array<unsigned char, 32>{};
  o.person_ids = score::person_id_mode::clear;  // these tests read the ids back
  return o;
}
}  // namespace

TEST_CASE("score batch: with an identity secret no person id is written in clear" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const auto in = tmp.write("in.csv", "person_id,q1,q2,q3\n079123456789,1,0,1\n079123456780,1,x,1\n079123456789,0,0,0\n");
  const score::scorer s(bank, {}, nullptr);
  auto o = base_options(in, tmp.file("out.csv"));
  o.person_ids = score::person_id_mode::automatic;  // a secret is given: pseudonyms
  o.salt_secret = std::array<unsigned char, 32>{7};
  o.summary = tmp.file("summary.json");
  const auto sum = score::run_batch(s, o);
  CHECK(sum.pseudonymised);
  CHECK(sum.rows_rejected == 2);
  for (const auto& f : {o.out, o.out + ".rejects.csv", o.summary}) {
    const auto text = score_test::slurp(f);
    CHECK_MESSAGE(text.find("07912345678") == std::string::npos, f);
  }
  const auto out = score_test::lines_of(score_test::slurp(o.out));
  REQUIRE(out.size() == 2);
  const std::string pseudonym = score::person_pseudonym(*o.salt_secret, "079123456789");
  CHECK(pseudonym.size() == std::string_view("hmac-sha256:").size() + 32);
  CHECK(out[1].rfind(pseudonym + ",", 0) == 0);
  // the duplicate is rejected under the same pseudonym: a platform can still tell them apart
  const auto rej = score_test::lines_of(score_test::slurp(o.out + ".rejects.csv"));
  CHECK(rej[2].rfind("3,4," + pseudonym + ",duplicate person", 0) == 0);
  CHECK(score::person_pseudonym(std::array<unsigned char, 32>{8}, "079123456789") != pseudonym);
  const auto summary = nlohmann::json::parse(score_test::slurp(o.summary));
  CHECK(summary["person_ids"]["written_as"] == "pseudonym");
  CHECK(summary["person_ids"]["identity_key_id"] == score::identity_key_id(*o.salt_secret));
}

TEST_CASE("score batch: counts reconcile and every bad row is in the rejects file" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(3);
  temp_dir tmp;
  const auto in = tmp.write("in.csv",
                            "person_id,q1,q2,q3\n"
                            "A,1,0,1\n"
                            "B,1,x,1\n"
                            "C,1,0,\n"
                            "A,0,0,0\n"   // duplicate of row 1
                            "D,1,0\n"     // ragged
                            "\n"
                            "E,,,\n"      // nothing answered: scored, status no_responses
                            "F,1,1,1");
  const score::scorer s(bank, {});
  auto o = base_options(in, tmp.file("out.csv"));
  o.summary = tmp.file("summary.json");
  const auto sum = score::run_batch(s, o);
  CHECK(sum.rows_read == 7);
  CHECK(sum.persons_scored == 4);
  CHECK(sum.rows_rejected == 3);
  CHECK(sum.reconciles());
  CHECK(sum.blank_lines == 1);
  const auto out = score_test::lines_of(score_test::slurp(o.out));
  REQUIRE(out.size() == 5);
  CHECK(out[0].rfind("person_id,theta,se,n_answered,raw_score", 0) == 0);
  CHECK(out[1].rfind("A,", 0) == 0);
  CHECK(out[2].rfind("C,", 0) == 0);
  CHECK(out[3].find("no_responses") != std::string::npos);
  CHECK(out[1].ends_with(",ok"));  // the fingerprint and version are in the summary, not on the rows
  CHECK(out[1].find(bank->fingerprint()) == std::string::npos);
  const auto rej = score_test::lines_of(score_test::slurp(o.out + ".rejects.csv"));
  REQUIRE(rej.size() == 4);
  CHECK(rej[0] == "row,line,person_id,reason");
  CHECK(rej[1].rfind("2,3,B,non-numeric response 'x'", 0) == 0);
  CHECK(rej[2].rfind("4,5,A,duplicate person: this person_id already appeared at row 1", 0) == 0);
  CHECK(rej[3].rfind("5,6,D,\"ragged row: 3 fields, the header has 4\"", 0) == 0);
  const auto j = nlohmann::json::parse(score_test::slurp(o.summary));
  CHECK(j["rows_read"] == 7);
  CHECK(j["persons_scored"].get<int>() + j["rows_rejected"].get<int>() == j["rows_read"].get<int>());
  CHECK(j["reconciles"] == true);
  CHECK(j["rejects_by_kind"]["non_numeric_response"] == 1);
  CHECK(j["rejects_by_kind"]["duplicate_person"] == 1);
  CHECK(j["rejects_by_kind"]["ragged_row"] == 1);
  CHECK(j["bank"]["fingerprint"] == bank->fingerprint());
  CHECK(j["dskill_version"] == std::string(dskill::version()));
  CHECK_FALSE(std::filesystem::exists(o.out + ".checkpoint.json"));
}

TEST_CASE("score batch: output identical for any thread count, CSV and JSON Lines" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  temp_dir tmp;
  const auto in = tmp.write("in.csv", score_test::simulate_wide(*bank, 3000, 5, nullptr, 0.1));
  for (auto method : {estimate::method::eap, estimate::method::ml}) {
    estimate::options eo;
    eo.estimator = method;
    const score::scorer s(bank, eo, score_test::make_levels());
    for (auto fmt_ : {score::output_format::csv, score::output_format::jsonl}) {
      std::string reference;
      for (unsigned threads : {1u, 2u, 4u}) {
        auto o = base_options(in, tmp.file(fmt::format("out_{}.txt", threads)));
        o.threads = threads;
        o.out_format = fmt_;
        o.chunk_records = 37;  // chunks that do not divide the file
        score::run_batch(s, o);
        const auto text = score_test::slurp(o.out);
        if (reference.empty()) reference = text;
        CHECK_MESSAGE(text == reference, "threads " << threads);
      }
      if (fmt_ == score::output_format::jsonl) {
        const auto first = nlohmann::json::parse(score_test::lines_of(reference)[0]);
        CHECK(first["person_id"] == "P000001");
        CHECK(first["areas"].size() == 3);
        CHECK_FALSE(first.contains("bank_fingerprint"));  // stated once, in the summary
        CHECK_FALSE(first.contains("dskill_version"));
      }
    }
  }
}

TEST_CASE("score batch: the bank fingerprint and version in the summary, on every row on request" *
          doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  temp_dir tmp;
  const auto in = tmp.write("in.csv", score_test::simulate_wide(*bank, 500, 3, nullptr, 0.1));
  const std::string fp = bank->fingerprint(), ver(dskill::version());
  for (const bool with_levels : {false, true}) {
    const score::scorer s(bank, {}, with_levels ? score_test::make_levels() : nullptr);
    for (auto fmt_ : {score::output_format::csv, score::output_format::jsonl}) {
      CAPTURE(with_levels);
      CAPTURE(static_cast<int>(fmt_));
      auto o = base_options(in, tmp.file("plain.txt"));
      o.out_format = fmt_;
      o.summary = tmp.file("plain.json");
      score::run_batch(s, o);
      auto p = base_options(in, tmp.file("prov.txt"));
      p.out_format = fmt_;
      p.summary = tmp.file("prov.json");
      p.provenance_columns = true;
      score::run_batch(s, p);
      const auto plain = score_test::lines_of(score_test::slurp(o.out));
      const auto prov = score_test::lines_of(score_test::slurp(p.out));
      REQUIRE(plain.size() == prov.size());
      REQUIRE(plain.size() == (fmt_ == score::output_format::csv ? 501u : 500u));
      // Default rows carry neither; with the option every row (and the header) ends with both,
      // and is otherwise the same bytes.
      for (std::size_t i = 0; i < plain.size(); ++i) {
        CHECK(plain[i].find(fp) == std::string::npos);
        if (fmt_ == score::output_format::csv) {
          CHECK(prov[i] == plain[i] + (i == 0 ? std::string(",bank_fingerprint,dskill_version") : "," + fp + "," + ver));
        } else {
          CHECK(plain[i].find("\"dskill_version\"") == std::string::npos);
          REQUIRE(plain[i].ends_with("}"));
          CHECK(prov[i] == plain[i].substr(0, plain[i].size() - 1) + ",\"bank_fingerprint\":\"" + fp +
                               "\",\"dskill_version\":\"" + ver + "\"}");
        }
      }
      if (fmt_ == score::output_format::csv) {
        CHECK(plain[0] == score::csv_header(s, false).substr(0, score::csv_header(s, false).size() - 1));
        CHECK(prov[0] + "\n" == score::csv_header(s, false, true));
        CHECK(plain[0].ends_with(",status"));
      }
      // The summary states both once, and says whether the rows carry them.
      for (const auto* run : {&o, &p}) {
        const auto j = nlohmann::json::parse(score_test::slurp(run->summary));
        CHECK(j["bank"]["fingerprint"] == fp);
        CHECK(j["dskill_version"] == ver);
        CHECK(j["outputs"]["scores_provenance_columns"] == run->provenance_columns);
      }
    }
  }
}

TEST_CASE("score batch: a run resumes only with the row format it started with" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  temp_dir tmp;
  const auto in = tmp.write("in.csv", score_test::simulate_wide(*bank, 3000, 6));
  const score::scorer s(bank, {}, nullptr);
  for (const bool started_with : {false, true}) {
    CAPTURE(started_with);
    auto ref = base_options(in, tmp.file("ref.csv"));
    ref.provenance_columns = started_with;
    score::run_batch(s, ref);

    auto o = base_options(in, tmp.file("out.csv"));
    o.provenance_columns = started_with;
    o.checkpoint_rows = 500;
    o.crash_after_rows = 1700;
    CHECK_THROWS_WITH(score::run_batch(s, o), doctest::Contains("simulated interruption"));
    REQUIRE(std::filesystem::exists(o.out + ".checkpoint.json"));
    o.crash_after_rows = 0;
    auto other = o;
    other.provenance_columns = !started_with;
    CHECK_THROWS_WITH_AS(score::run_batch(s, other), doctest::Contains("different command"), dskill::state_error);
    CHECK(std::filesystem::exists(o.out + ".checkpoint.json"));  // refused, not consumed
    const auto resumed = score::run_batch(s, o);
    CHECK(resumed.resumed);
    CHECK(score_test::slurp(o.out) == score_test::slurp(ref.out));
  }
}

TEST_CASE("score batch: an interrupted run resumes without duplicates or gaps" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  temp_dir tmp;
  std::string text = score_test::simulate_wide(*bank, 5000, 9);
  text += "P000010,1,1\n";  // a ragged duplicate near the end, to check the rejects file too
  const auto in = tmp.write("in.csv", text);
  const score::scorer s(bank, {}, score_test::make_levels());

  auto ref = base_options(in, tmp.file("ref.csv"));
  ref.credentials_dir = tmp.file("cred_ref");
  ref.threads = 2;
  const auto full = score::run_batch(s, ref);

  auto o = base_options(in, tmp.file("out.csv"));
  o.credentials_dir = tmp.file("cred");
  o.threads = 2;
  o.checkpoint_rows = 500;
  o.crash_after_rows = 3100;  // interrupts after a checkpoint at >= 3000, with rows written past it
  CHECK_THROWS_WITH(score::run_batch(s, o), doctest::Contains("simulated interruption"));
  REQUIRE(std::filesystem::exists(o.out + ".checkpoint.json"));
  const auto ck = nlohmann::json::parse(score_test::slurp(o.out + ".checkpoint.json"));
  CHECK(ck["rows_done"].get<int>() >= 3000);
  CHECK(ck["rows_done"].get<int>() < 3100 + 64);

  // A different command must not resume from this checkpoint.
  {
    estimate::options other;
    other.estimator = estimate::method::map;
    const score::scorer s2(bank, other, score_test::make_levels());
    auto o2 = o;
    o2.crash_after_rows = 0;
    CHECK_THROWS_AS(score::run_batch(s2, o2), dskill::state_error);
  }
  o.crash_after_rows = 0;
  o.threads = 3;
  const auto resumed = score::run_batch(s, o);
  CHECK(resumed.resumed_from_row == ck["rows_done"].get<std::uint64_t>());
  CHECK(score_test::slurp(o.out) == score_test::slurp(ref.out));
  CHECK(score_test::slurp(o.out + ".rejects.csv") == score_test::slurp(ref.out + ".rejects.csv"));
  CHECK(resumed.rows_read == full.rows_read);
  CHECK(resumed.persons_scored == full.persons_scored);
  CHECK(resumed.rows_rejected == full.rows_rejected);
  CHECK(resumed.rejects_by_kind == full.rejects_by_kind);
  CHECK(resumed.certified == full.certified);
  CHECK(resumed.credentials_issued == full.credentials_issued);
  CHECK(resumed.overall.accuracy_sum == full.overall.accuracy_sum);  // same order of sums: bit-identical
  CHECK(resumed.reconciles());
  CHECK_FALSE(std::filesystem::exists(o.out + ".checkpoint.json"));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(o.credentials_dir)) {
    ++files;
    CHECK(e.path().extension() == ".json");
    CHECK(score_test::slurp(e.path().string()) ==
          score_test::slurp((std::filesystem::path(ref.credentials_dir) / e.path().filename()).string()));
  }
  CHECK(files == full.credentials_issued);
}

TEST_CASE("score batch: per-area scores, levels and certification" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30);
  const score::scorer s(bank, {}, score_test::make_levels());
  // everything right: every area high, certified by "core"
  std::vector<estimate::response> all_right, first_area_only;
  for (std::uint32_t i = 0; i < 30; ++i) {
    all_right.push_back({i, 1});
    if (i % 3 == 0) first_area_only.push_back({i, 1});
  }
  score::scorer::workspace ws;
  score::person_result r;
  s.score(all_right, r, ws);
  REQUIRE(r.areas.size() == 3);
  for (const auto& a : r.areas) {
    CHECK(a.n_answered == 10);
    CHECK(a.level == 4);
  }
  CHECK(r.level == 4);
  REQUIRE(r.rule.has_value());
  CHECK(*r.rule == 0);
  CHECK(r.raw_score == 30);
  // each area is scored on its own items: the area-1 theta equals scoring those items alone
  s.score(first_area_only, r, ws);
  CHECK(r.areas[1].n_answered == 0);
  CHECK(r.areas[1].level == 0);
  const score::scorer plain(bank, {});
  score::person_result alone;
  plain.score(first_area_only, alone, ws);
  CHECK(r.areas[0].est.theta == doctest::Approx(alone.overall.theta).epsilon(1e-12));
  const bool core_rule = r.rule.has_value() && *r.rule == 0;
  CHECK_FALSE(core_rule);  // missing areas cannot pass "every area"
}

TEST_CASE("score batch: Rudner accuracy is close to the empirical accuracy" * doctest::test_suite("score")) {
  const auto bank = score_test::make_bank(30, 3);
  const auto levels = score_test::make_levels();
  const score::scorer s(bank, {}, levels);
  temp_dir tmp;
  std::vector<double> thetas;
  const auto in = tmp.write("in.csv", score_test::simulate_wide(*bank, 8000, 21, &thetas));
  auto o = base_options(in, tmp.file("out.jsonl"));
  o.out_format = score::output_format::jsonl;
  const auto sum = score::run_batch(s, o);
  REQUIRE(sum.persons_scored == 8000);
  std::size_t agree = 0, row = 0;
  for (const auto& line : score_test::lines_of(score_test::slurp(o.out))) {
    const auto j = nlohmann::json::parse(line);
    const int assigned = j["level"].get<int>();
    agree += assigned == score::level_for(levels->overall_cuts, thetas[row++]) ? 1 : 0;
  }
  const double empirical = static_cast<double>(agree) / 8000.0;
  MESSAGE("Rudner accuracy " << sum.overall.accuracy() << ", empirical " << empirical << ", consistency "
                             << sum.overall.consistency());
  // Tolerance: the simulation's sampling error on 8000 persons is about 0.005; Rudner's normal
  // approximation of the posterior adds a little. 0.02 separates "right" from "wrong formula".
  CHECK(std::abs(sum.overall.accuracy() - empirical) < 0.02);
  CHECK(sum.overall.consistency() < sum.overall.accuracy());
  CHECK(sum.overall.consistency() > 0.3);
}

TEST_CASE("score batch: levels follow the schema's rule and Rudner sums to one" * doctest::test_suite("score")) {
  const std::vector<double> cuts{-1.0, 0.0, 1.0};
  CHECK(score::level_for(cuts, -5.0) == 1);
  CHECK(score::level_for(cuts, -1.0) == 2);  // a boundary belongs to the level above
  CHECK(score::level_for(cuts, 0.5) == 3);
  CHECK(score::level_for(cuts, 9.0) == 4);
  double pa = 0, p2 = 0;
  score::rudner(cuts, 0.5, 1e-9, 3, pa, p2);
  CHECK(pa == doctest::Approx(1.0));
  score::rudner(cuts, 0.0, 0.5, 3, pa, p2);
  CHECK(pa == doctest::Approx(0.5 - 0.0227501319).epsilon(1e-6));  // Phi(2) - Phi(0)
  score::level_scheme bad;
  bad.levels = {{1, "a", ""}, {2, "b", ""}, {3, "c", ""}};
  bad.overall_cuts = {1.0, 0.0};
  CHECK_THROWS_AS(bad.validate(), dskill::framework_error);
}
