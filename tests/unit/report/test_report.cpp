// Reports: the SVG helper (well-formed, finite numbers, axes that hold the data), the HTML
// document, and the bank and scores reports (sections present, JSON numbers consistent).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dskill/bank/yaml.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/report/html.hpp"
#include "dskill/report/report.hpp"
#include "dskill/report/svg.hpp"
#include "test_report_support.hpp"
#include "test_support.hpp"

using namespace dskill;
using report_test::check_numbers;
using report_test::check_tags;

TEST_CASE("report: nice ticks and ranges" * doctest::test_suite("report")) {
  const auto t = report::nice_ticks(-3.7, 4.2, 6);
  REQUIRE(t.size() >= 3);
  CHECK(t.front() >= -3.7);
  CHECK(t.back() <= 4.2 + 1e-12);
  for (std::size_t i = 2; i < t.size(); ++i) CHECK(t[i] - t[i - 1] == doctest::Approx(t[1] - t[0]));
  const auto [lo, hi] = report::nice_range(-3.7, 4.2);
  CHECK(lo <= -3.7);
  CHECK(hi >= 4.2);
  const auto [a, b] = report::nice_range(5.0, 5.0);  // degenerate: a range around the value
  CHECK(a < 5.0);
  CHECK(b > 5.0);
  const auto [c, d] = report::nice_range(0.0, 0.013);
  CHECK(c == 0.0);
  CHECK(d >= 0.013);
  CHECK(d <= 0.02 + 1e-12);
}

TEST_CASE("report: histogram counts every finite value once" * doctest::test_suite("report")) {
  const std::vector<double> v{-1.0, -0.9, 0.0, 0.24, 0.25, 2.0, NAN, INFINITY};
  const auto h = report::make_histogram(v, 0.25);
  double total = 0;
  for (double c : h.counts) total += c;
  CHECK(total == 6);
  CHECK(h.skipped == 2);
  CHECK(h.edges.front() <= -1.0);
  CHECK(h.edges.back() > 2.0);
  CHECK(h.edges.size() == h.counts.size() + 1);
  CHECK_THROWS_AS(report::make_histogram(v, 0.0), dskill::invalid_argument);
  const auto e = report::make_histogram(std::vector<double>{NAN}, 1.0);  // nothing finite: one empty bin
  CHECK(e.counts.size() == 1);
}

TEST_CASE("report: xy plot is well-formed, finite, and its axes hold the data" * doctest::test_suite("report")) {
  std::vector<double> x, y;
  for (int i = -40; i <= 40; ++i) {
    x.push_back(i * 0.1);
    y.push_back(i == 0 ? NAN : 10.0 / (1 + std::exp(-i * 0.1)) - 3.3);  // a break at NaN
  }
  report::svg::xy_plot p("A <title> & \"quotes\"", "theta", "value");
  p.line(x, y, "curve").points({5.5, -7.25}, {12.0, -4.0}, "points").vline(0.5, "cut").add_band(-1, 1, "L2");
  p.bars({0, 1, 2}, {3, 4}, "bars").error_bars({1.0}, {-5.5}, {13.0});
  const auto svg = p.render();
  CHECK(check_tags(svg) == "");
  CHECK(check_numbers(svg) == "");
  CHECK(svg.find("A &lt;title&gt; &amp; &quot;quotes&quot;") != std::string::npos);
  CHECK(svg.find("nan") == std::string::npos);
  const auto [xlo, xhi] = p.x_axis();
  const auto [ylo, yhi] = p.y_axis();
  CHECK(xlo <= -7.25);
  CHECK(xhi >= 5.5);
  CHECK(ylo <= -5.5);
  CHECK(yhi >= 13.0);
  // A fixed range that holds the data is kept; one that does not is widened.
  report::svg::xy_plot q("q", "x", "y");
  q.line({0, 1}, {0.2, 0.8}).y_range(0, 1);
  CHECK(q.y_axis() == std::pair<double, double>{0.0, 1.0});
  q.line({0, 1}, {1.5, -0.2});
  CHECK(q.y_axis().first <= -0.2);
  CHECK(q.y_axis().second >= 1.5);
  // No data at all still renders.
  report::svg::xy_plot e("empty", "x", "y");
  CHECK(check_tags(e.render()) == "");
  CHECK(check_numbers(e.render()) == "");
}

TEST_CASE("report: bar chart is well-formed, stacked and in percent" * doctest::test_suite("report")) {
  report::svg::bar_chart b("Levels", "persons");
  b.categories({"overall", "area <1>"}).add_series("L1", {3, 0}).add_series("L2", {5, 2}).add_series("bad", {NAN, -1});
  auto svg = b.render();
  CHECK(check_tags(svg) == "");
  CHECK(check_numbers(svg) == "");
  CHECK(b.axis_max() >= 8);
  b.percent(true);
  svg = b.render();
  CHECK(b.axis_max() == 100);
  CHECK(check_tags(svg) == "");
  CHECK(check_numbers(svg) == "");
  CHECK(svg.find("area &lt;1&gt;") != std::string::npos);
}

TEST_CASE("report: HTML document is self-contained and well-formed" * doctest::test_suite("report")) {
  report::html_document d("Title & more");
  d.fact("Bank", "b<1>");
  d.section("one", "First");
  d.paragraph("x < y");
  d.note("careful");
  d.figure(report::svg::xy_plot("p", "x", "y").line({0, 1}, {0, 1}).render(), "caption");
  d.table({"a", "b"}, {{"1", "x"}, {"2.5", "y"}, {"-3"}}, "cap");
  d.section("two", "Second");
  const auto html = d.render();
  CHECK(check_tags(html, true) == "");
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // no other link
  CHECK(html.find("href=\"#one\"") != std::string::npos);
  CHECK(html.find("<td class=\"n\">2.5</td>") != std::string::npos);
  CHECK(html.find("Title &amp; more") != std::string::npos);
}

namespace {
void check_report_html(const std::string& html, const std::vector<std::string>& sections) {
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(check_tags(html, true) == "");
  CHECK(html.find("<script") == std::string::npos);
  for (const auto& s : sections) CHECK_MESSAGE(html.find("<section id=\"" + s + "\">") != std::string::npos, s);
  const auto svgs = report_test::svgs(html);
  CHECK(!svgs.empty());
  for (const auto& s : svgs) {
    CHECK(check_tags(s) == "");
    CHECK(check_numbers(s) == "");
  }
}
}  // namespace

TEST_CASE("report: bank report of the bundled bank with its framework" * doctest::test_suite("report")) {
  const auto fw = framework::load_framework(dskill_test::source_path("item_banks/frameworks/digcomp-2.2.yaml"));
  bank::load_options lo;
  lo.framework = fw.get();
  const auto b = bank::load_bank(dskill_test::source_path("item_banks/digcomp-core.yaml"), lo);
  const auto html = report::bank_report(*b, fw.get());
  check_report_html(html, {"summary", "information", "icc", "difficulty", "counts", "levels"});
  CHECK(html.find(b->fingerprint()) != std::string::npos);
  CHECK(html.find("Safety") != std::string::npos);

  const auto j = nlohmann::json::parse(report::bank_report(*b, fw.get(), {}, report::format::json));
  const auto& theta = j["theta"];
  REQUIRE(theta.size() == 161);
  CHECK(theta.front().get<double>() == doctest::Approx(-4));
  CHECK(theta.back().get<double>() == doctest::Approx(4));
  // The bank's information is the sum of the areas' (every item has an area).
  double sum_at_0 = 0;
  for (const auto& a : j["areas"]) sum_at_0 += a["information"][80].get<double>();
  CHECK(j["information"][80].get<double>() == doctest::Approx(sum_at_0));
  CHECK(j["areas"].size() == 5);
  std::size_t counted = 0;
  for (auto& [k, v] : j["counts"]["status"].items()) counted += v.get<std::size_t>();
  CHECK(counted == b->size());
  std::size_t in_hist = 0;
  for (const auto& c : j["difficulty_histogram"]["counts"]) in_hist += static_cast<std::size_t>(c.get<double>());
  CHECK(in_hist == b->size());
  CHECK(j["cut_scores"].size() == 7);
  CHECK(j["levels"].size() == 8);
  CHECK(j["icc"].size() == 8);

  // Without a framework, with chosen items; unknown items are an error naming the item.
  report::bank_report_options o;
  o.icc_items = {"dc-1.1-001", "dc-1.1-002"};
  const auto plain = report::bank_report(*bank::load_bank(dskill_test::source_path("item_banks/digcomp-core.yaml")), nullptr, o);
  check_report_html(plain, {"summary", "information", "icc", "difficulty", "counts"});
  CHECK(plain.find("<section id=\"levels\">") == std::string::npos);
  o.icc_items = {"nope"};
  CHECK_THROWS_WITH_AS(report::bank_report(*b, fw.get(), o), doctest::Contains("'nope'"), dskill::invalid_argument);
}

TEST_CASE("report: bank report of a mixed-model bank without operational status" * doctest::test_suite("report")) {
  const auto b = bank::load_bank(dskill_test::data_path("banks/example.yaml"));
  report::bank_report_options o;
  o.statuses = {bank::item_status::retired};  // none: falls back to all items
  const auto html = report::bank_report(*b, nullptr, o);
  check_report_html(html, {"summary", "information", "icc", "difficulty", "counts"});
  CHECK(html.find("all items (the bank has none") != std::string::npos);
  const auto j = nlohmann::json::parse(report::bank_report(*b, nullptr, o, report::format::json));
  CHECK(j["information_items"] == 4);
  for (const auto& c : j["icc"])
    for (const auto& v : c["curve"]) {
      CHECK(v.get<double>() >= 0.0);
      CHECK(v.get<double>() <= 1.0);
    }
}

TEST_CASE("report: scores report from CSV and JSON Lines" * doctest::test_suite("report")) {
  const auto fw = framework::load_framework(dskill_test::data_path("frameworks/mini.yaml"));
  const std::string csv =
      "person_id,theta,se,n_answered,raw_score,max_score,theta_1,se_1,level_1,theta_4,se_4,level_4,level,certified,"
      "certified_by,status,bank_fingerprint,dskill_version\n"
      "A,0.5,0.3,4,3,4,0.4,0.4,3,0.6,0.5,3,3,true,core,ok,sha256:ab,0.1.0\n"
      "B,-1.5,0.4,4,1,4,-1.4,0.5,1,,,,1,false,,ok,sha256:ab,0.1.0\n"
      "\"C, jr\",2.5,0.6,4,4,4,2.4,0.7,4,2.6,0.7,4,4,true,core,at_upper_bound,sha256:ab,0.1.0\n";
  const std::string summary =
      R"({"rows_read": 4, "persons_scored": 3, "rows_rejected": 1, "reconciles": true, "blank_lines_skipped": 0,
          "method": "eap", "bank": {"id": "mini", "items": 4},
          "classification": {"overall": {"n": 3, "accuracy": 0.8, "consistency": 0.7},
                             "areas": {"1": {"n": 3, "accuracy": null, "consistency": 0.6}}}})";
  std::istringstream in(csv);
  const auto html = report::scores_report(in, "scores.csv", summary, fw.get());
  check_report_html(html, {"summary", "theta", "levels", "certification"});
  CHECK(html.find("The counts reconcile: 4 = 3 + 1") != std::string::npos);
  CHECK(html.find("2 of 3 persons certified") != std::string::npos);

  std::istringstream in2(csv);
  const auto j = nlohmann::json::parse(report::scores_report(in2, "scores.csv", summary, fw.get(), {}, report::format::json));
  CHECK(j["persons"] == 3);
  CHECK(j["certified"] == 2);
  CHECK(j["levels"]["4"]["unclassified"] == 1);
  CHECK(j["levels"]["overall"]["3"] == 1);
  CHECK(j["reconciliation"]["reconciles"] == true);
  CHECK(j["reconciliation"]["scores_file_matches"] == true);
  CHECK(j["provenance"]["bank_fingerprint"] == "sha256:ab");  // from the columns
  CHECK(j["provenance"]["dskill_version"] == "0.1.0");
  CHECK(j["provenance"]["from"] == "scores");
  CHECK(j["provenance"]["summary_agrees"].is_null());  // the summary states no fingerprint
  CHECK(html.find("<dd>sha256:ab</dd>") != std::string::npos);
  CHECK(html.find("<dd>dskill 0.1.0</dd>") != std::string::npos);

  // JSON Lines gives the same numbers.
  const std::string jsonl =
      R"({"row":1,"person_id":"A","theta":0.5,"se":0.3,"n_answered":4,"raw_score":3,"max_score":4,"status":"ok","areas":{"1":{"theta":0.4,"se":0.4,"level":3,"n_answered":2},"4":{"theta":0.6,"se":0.5,"level":3,"n_answered":2}},"level":3,"certified":true,"certified_by":"core"})"
      "\n"
      R"({"row":2,"person_id":"B","theta":-1.5,"se":0.4,"n_answered":4,"raw_score":1,"max_score":4,"status":"ok","areas":{"1":{"theta":-1.4,"se":0.5,"level":1,"n_answered":4},"4":{"theta":null,"se":null,"level":null,"n_answered":0}},"level":1,"certified":false,"certified_by":null})"
      "\n"
      R"({"row":3,"person_id":"C, jr","theta":2.5,"se":0.6,"n_answered":4,"raw_score":4,"max_score":4,"status":"at_upper_bound","areas":{"1":{"theta":2.4,"se":0.7,"level":4,"n_answered":2},"4":{"theta":2.6,"se":0.7,"level":4,"n_answered":2}},"level":4,"certified":true,"certified_by":"core"})"
      "\n";
  std::istringstream in3(jsonl);
  const auto k = nlohmann::json::parse(report::scores_report(in3, "scores.jsonl", summary, fw.get(), {}, report::format::json));
  CHECK(k["levels"] == j["levels"]);
  CHECK(k["certified"] == j["certified"]);
  CHECK(k["theta_histogram"] == j["theta_histogram"]);

  // A summary that does not reconcile is called out; a file that is not a scores file is refused.
  std::istringstream in4(csv);
  const auto bad = report::scores_report(in4, "scores.csv", R"({"rows_read": 9, "persons_scored": 3, "rows_rejected": 1})",
                                         nullptr);
  CHECK(bad.find("do NOT reconcile") != std::string::npos);
  std::istringstream in5("a,b\n1,2\n");
  CHECK_THROWS_AS(report::scores_report(in5, "x.csv", "", nullptr), dskill::parse_error);
  std::istringstream in6("");
  CHECK_THROWS_AS(report::scores_report(in6, "x.csv", "", nullptr), dskill::parse_error);
}

TEST_CASE("report: scores report finds the bank fingerprint in the columns, else the summary" *
          doctest::test_suite("report")) {
  // `dskill score` rows without --provenance-columns: the summary states the bank once.
  const std::string csv = "person_id,theta,se,n_answered,raw_score,max_score,status\nA,0.5,0.3,4,3,4,ok\nB,-1.5,0.4,4,1,4,ok\n";
  const std::string jsonl =
      R"({"row":1,"person_id":"A","theta":0.5,"se":0.3,"n_answered":4,"raw_score":3,"max_score":4,"status":"ok"})"
      "\n";
  const std::string summary =
      R"({"dskill_version": "9.8.7", "rows_read": 2, "persons_scored": 2, "rows_rejected": 0,
          "bank": {"id": "mini", "fingerprint": "sha256:cd", "items": 4}})";
  const auto report = [](const std::string& text, const std::string& name, const std::string& sum, report::format f) {
    std::istringstream in(text);
    return report::scores_report(in, name, sum, nullptr, {}, f);
  };
  for (const auto& [text, name] : {std::pair{csv, std::string("s.csv")}, std::pair{jsonl, std::string("s.jsonl")}}) {
    CAPTURE(name);
    const auto j = nlohmann::json::parse(report(text, name, summary, report::format::json));
    CHECK(j["provenance"]["bank_fingerprint"] == "sha256:cd");
    CHECK(j["provenance"]["dskill_version"] == "9.8.7");
    CHECK(j["provenance"]["from"] == "summary");
    CHECK(j["provenance"]["summary_agrees"].is_null());  // nothing to compare
    const auto html = report(text, name, summary, report::format::html);
    CHECK(html.find("<dd>sha256:cd (from the summary)</dd>") != std::string::npos);
    CHECK(html.find("<dd>dskill 9.8.7</dd>") != std::string::npos);

    // No summary: unknown, and said so.
    const auto k = nlohmann::json::parse(report(text, name, "", report::format::json));
    CHECK(k["provenance"]["bank_fingerprint"].is_null());
    CHECK(k["provenance"]["dskill_version"].is_null());
    CHECK(k["provenance"]["from"].is_null());
    const auto bare = report(text, name, "", report::format::html);
    CHECK(bare.find("<dd>unknown (no bank_fingerprint column and no --summary)</dd>") != std::string::npos);
    CHECK(bare.find("<dd>dskill, version unknown</dd>") != std::string::npos);
    // A summary without the fingerprint: unknown too.
    const auto partial = report(text, name, R"({"rows_read": 2, "persons_scored": 2, "rows_rejected": 0})", report::format::html);
    CHECK(partial.find("<dd>unknown (stated neither in the scores nor in the summary)</dd>") != std::string::npos);
  }
  // Rows with the columns win over the summary; a summary of another bank is called out.
  const std::string with_columns =
      "person_id,theta,se,n_answered,raw_score,max_score,status,bank_fingerprint,dskill_version\n"
      "A,0.5,0.3,4,3,4,ok,sha256:ab,0.1.0\n";
  const auto j = nlohmann::json::parse(report(with_columns, "s.csv", summary, report::format::json));
  CHECK(j["provenance"]["bank_fingerprint"] == "sha256:ab");
  CHECK(j["provenance"]["dskill_version"] == "0.1.0");
  CHECK(j["provenance"]["from"] == "scores");
  CHECK(j["provenance"]["summary_agrees"] == false);
  const auto html = report(with_columns, "s.csv", summary, report::format::html);
  CHECK(html.find("made over bank sha256:ab, but the summary names bank sha256:cd") != std::string::npos);
  const auto same = nlohmann::json::parse(
      report(with_columns, "s.csv", R"({"bank": {"fingerprint": "sha256:ab"}})", report::format::json));
  CHECK(same["provenance"]["summary_agrees"] == true);
}

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("report: calibration report from the bank, fit file and log" * doctest::test_suite("report")) {
  const auto b = bank::load_bank(dskill_test::data_path("report/calibrated.yaml"));
  report::calibration_inputs in;
  in.bank = b.get();
  in.fit_text = slurp(dskill_test::data_path("report/fit.json"));
  in.fit_name = "fit.json";
  in.log_text = slurp(dskill_test::data_path("report/calibration_log.csv"));
  in.log_name = "log.csv";
  const auto html = report::calibration_report(in);
  check_report_html(html, {"summary", "convergence", "parameters", "fit"});
  CHECK(html.find("misfit") != std::string::npos);
  const auto j = nlohmann::json::parse(report::calibration_report(in, {}, report::format::json));
  CHECK(j["flagged"] == nlohmann::json::array({"i02", "i05"}));
  CHECK(j["log"]["iteration"].size() == 15);
  CHECK(j["items"][1]["infit"].get<double>() == doctest::Approx(1.12));
  CHECK(j["items"][6]["se"]["b"].size() == 3);
  CHECK(!j.contains("recovery"));
  // The fit file as CSV (`dskill fit --items-out`) gives the same flags.
  in.fit_text = "item,model,s_x2,df,p,rmsea,infit,z_infit,outfit,z_outfit\ni01,2pl,40,9,0.00001,0.1,1,0,1,0\n";
  const auto k = nlohmann::json::parse(report::calibration_report(in, {}, report::format::json));
  CHECK(k["flagged"] == nlohmann::json::array({"i01", "i02", "i05"}));
  in.fit_text = "nonsense,columns\n1,2\n";
  CHECK_THROWS_AS(report::calibration_report(in), dskill::parse_error);
}

TEST_CASE("report: calibration report of the bundled bank compares with generating values" * doctest::test_suite("report")) {
  const auto b = bank::load_bank(dskill_test::source_path("item_banks/digcomp-core.yaml"));
  report::calibration_inputs in;
  in.bank = b.get();
  const auto j = nlohmann::json::parse(report::calibration_report(in, {}, report::format::json));
  if (!j.contains("recovery")) return;  // a bank without generating values
  CHECK(j["recovery"]["b"]["n"].get<int>() >= 150);
  CHECK(j["recovery"]["b"]["correlation"].get<double>() > 0.9);
  check_report_html(report::calibration_report(in), {"summary", "parameters", "recovery"});
}

TEST_CASE("report: simulation report from the results CSV" * doctest::test_suite("report")) {
  const auto b = bank::load_bank(dskill_test::source_path("item_banks/digcomp-core.yaml"));
  const std::string summary = slurp(dskill_test::data_path("report/simulation_summary.json"));
  std::ifstream in(dskill_test::data_path("report/simulation.csv"));
  const auto html = report::simulation_report(in, "simulation.csv", summary, b.get());
  check_report_html(html, {"summary", "recovery", "length", "exposure", "classification"});
  std::ifstream in2(dskill_test::data_path("report/simulation.csv"));
  const auto j = nlohmann::json::parse(report::simulation_report(in2, "simulation.csv", summary, b.get(), {}, report::format::json));
  const auto s = nlohmann::json::parse(summary);
  CHECK(j["rmse"].get<double>() == doctest::Approx(s["rmse"].get<double>()).epsilon(1e-5));
  CHECK(j["bias"].get<double>() == doctest::Approx(s["bias"].get<double>()).epsilon(1e-5));
  std::size_t n = 0;
  for (const auto& band : j["conditional"]) n += band["n"].get<std::size_t>();
  CHECK(n == 200);
  CHECK(j["exposure"]["items_used"].get<std::size_t>() + j["exposure"]["bank_items_never_used"].get<std::size_t>() == 157);
  CHECK(j["classification_accuracy"].get<double>() == doctest::Approx(s["classification"]["accuracy"].get<double>()));
  std::istringstream bad("a,b\n1,2\n");
  CHECK_THROWS_AS(report::simulation_report(bad, "bad.csv", "", nullptr), dskill::parse_error);
}
