// dskill take: a person takes the adaptive test in the terminal. Answers are read from
// standard input, one per line, so the command can also be scripted.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/cat/multidim.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/core/levels.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"

namespace dskill::cli {
namespace {

struct take_options {
  std::string bank, spec, lang = "en", framework;
  std::uint64_t seed = 0;
  bool seed_given = false;
  int max_items = -1;
  bool details = false;  ///< also print the estimates (theta, SE) behind the levels
};


// The end screen with a framework: each area's level by name and in plain words, the overall
// level, and whether a certificate is issued (by which rule) or why not. No ids, no theta.
void print_results(const framework::framework& fw, const std::string& lang, std::span<const int> area_levels,
                   std::span<const int> answered, int overall) {
  const bool vi = lang == "vi";
  auto level_name = [&](int l) -> std::string {
    for (const auto& lv : fw.levels())
      if (lv.number == l) return std::string(lv.name.get(lang));
    return std::to_string(l);
  };
  auto words = [&](int l) { return framework::plain_level_words(l, lang); };
  fmt::print("{}\n", vi ? "Kết quả của bạn theo từng lĩnh vực:" : "Your results by area:");
  for (std::size_t a = 0; a < fw.areas().size(); ++a) {
    const auto& name = fw.areas()[a].name.get(lang);
    if (answered[a] == 0) {
      fmt::print("  {}: {}\n", name, vi ? "chưa có câu hỏi nào về lĩnh vực này" : "no question was about this area");
      continue;
    }
    fmt::print("  {}: {}. {}.\n", name, level_name(area_levels[a]), words(area_levels[a]));
  }
  fmt::print("{}: {}.\n", vi ? "Mức chung" : "Overall", level_name(overall));
  const auto rule = fw.certify(area_levels, overall);
  if (rule) {
    for (const auto& r : fw.certification_rules())
      if (r.id == *rule)
        fmt::print("{}: {}.\n", vi ? "Bạn được cấp chứng chỉ" : "You are awarded the certificate", r.name.get(lang));
  } else {
    fmt::print("{}\n", vi ? "Lần này bạn chưa đạt chứng chỉ nào. Các chứng chỉ yêu cầu:"
                          : "This time no certificate is awarded. The certificates require:");
    for (const auto& r : fw.certification_rules()) fmt::print("  - {}\n", r.name.get(lang));
  }
}

struct texts {
  const char* question;
  const char* prompt_choice;
  const char* prompt_category;
  const char* invalid;
  const char* done;
  const char* estimate;
  const char* level;
  const char* area_level;
  const char* stopped;
  const char* no_content;
};

const texts& text_for(const std::string& lang) {
  static const texts en{"Question", "Your answer (letter)", "Your answer (category number)", "Please answer with one of",
                        "Test finished", "Your estimated ability", "Overall level", "Level by area",
                        "Input ended before the test finished.", "(this item has no text in the bank)"};
  static const texts vi{"Câu hỏi", "Câu trả lời của bạn (chữ cái)", "Câu trả lời của bạn (số mức)", "Vui lòng trả lời bằng một trong",
                        "Bài kiểm tra đã kết thúc", "Năng lực ước tính của bạn", "Mức tổng thể", "Mức theo lĩnh vực",
                        "Dữ liệu nhập kết thúc trước khi xong bài kiểm tra.", "(câu hỏi này không có nội dung trong ngân hàng)"};
  return lang == "vi" ? vi : en;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::shared_ptr<const framework::framework> find_framework(const take_options& o, const bank::item_bank& bank) {
  if (!o.framework.empty()) return framework::load_framework(o.framework);
  return framework::find_framework_beside(o.bank, bank.info().framework_id, bank.info().framework_version);
}

int run_take(const take_options& o) {
  if (o.lang != "en" && o.lang != "vi") throw invalid_argument("--lang must be en or vi");
  const auto& t = text_for(o.lang);
  cat::test_spec spec = o.spec.empty() ? cat::test_spec{} : cat::load_test_spec(o.spec);
  if (o.spec.empty()) {
    spec.stopping.max_items = 20;
    spec.stopping.min_items = 8;
    spec.stopping.se = 0.35;
    spec.exposure.randomesque = 3;
  }
  if (o.max_items > 0) {
    spec.stopping.max_items = o.max_items;
    spec.stopping.min_items = std::min(spec.stopping.min_items, o.max_items);
  }
  auto bank = bank::load_bank(o.bank);
  std::shared_ptr<const framework::framework> fw;
  try {
    fw = find_framework(o, *bank);
  } catch (const error& e) {
    if (!o.framework.empty()) throw;
    fmt::print(stderr, "dskill: note: framework not used: {}\n", e.what());
  }
  if (fw) {
    bank::load_options lo;
    lo.framework = fw.get();
    bank = bank::load_bank(o.bank, lo);  // fills each item's area from the framework
  }
  if (o.spec.empty() && bank->multidimensional()) {
    // A profile bank without a specification: Bayesian D-optimality at the profile MAP (mirtCAT's
    // DPrule), stopping at SE 0.35 on every area or at the maximum length.
    spec.selection.rule = cat::rule_name<cat::criterion>(std::string(cat::to_string(cat::profile_criterion::dp_optimal)));
    spec.estimator.estimator = estimate::method::map;
    spec.stopping.se = 0;
    spec.stopping.se_per_area = 0.35;
  }
  // A profile bank on a framework: each area's classification against the framework's cuts,
  // unless the specification states them.
  if (fw && bank->multidimensional() && spec.stopping.area_cuts.empty()) spec.stopping.area_cuts = cat::area_cuts_from(*fw, *bank);
  const std::uint64_t seed =
      o.seed_given ? o.seed : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  cat::session s(cat::engine::create(bank, spec), seed);
  const bool interactive = isatty(fileno(stdin)) != 0;
  int number = 0;
  std::string line;
  while (true) {
    const auto st = s.next_item();
    if (!st.item) break;
    const auto& item = bank->item(*st.item);
    const int k_count = item.params.categories();
    const auto* content = item.content_for(o.lang);
    // Never the item's id: it tells the person nothing and gives the bank away.
    fmt::print("\n{} {}\n", t.question, ++number);
    const bool choice = content && !content->options.empty() && item.key.has_value();
    if (content) fmt::print("{}\n", content->stem);
    else fmt::print("{}\n", t.no_content);
    int options = 0;
    if (choice) {
      options = static_cast<int>(content->options.size());
      for (int k = 0; k < options; ++k) fmt::print("  {}) {}\n", static_cast<char>('A' + k), content->options[static_cast<std::size_t>(k)]);
    } else {
      for (int k = 0; k < k_count; ++k) {
        const bool described = content && static_cast<std::size_t>(k) < content->scoring.size();
        fmt::print("  {}) {}\n", k, described ? content->scoring[static_cast<std::size_t>(k)] : std::to_string(k));
      }
    }
    int category = -1;
    while (category < 0) {
      fmt::print("{}: ", choice ? t.prompt_choice : t.prompt_category);
      std::fflush(stdout);
      if (!std::getline(std::cin, line)) {
        fmt::print("\n{}\n", t.stopped);
        return exit_bad_input;
      }
      const auto a = trim(line);
      if (choice) {
        if (a.size() == 1) {
          const int idx = std::toupper(static_cast<unsigned char>(a[0])) - 'A';
          if (idx >= 0 && idx < options) category = idx == *item.key ? 1 : 0;
        }
        if (category < 0) fmt::print("{} A-{}.\n", t.invalid, static_cast<char>('A' + options - 1));
      } else {
        try {
          std::size_t used = 0;
          const int v = std::stoi(a, &used);
          if (used == a.size() && v >= 0 && v < k_count) category = v;
        } catch (const std::exception&) {
        }
        // A letter works too: A = 0, B = 1, ...
        if (a.size() == 1 && std::isalpha(static_cast<unsigned char>(a[0]))) {
          const int v = std::toupper(static_cast<unsigned char>(a[0])) - 'A';
          if (v >= 0 && v < k_count) category = v;
        }
        if (category < 0) fmt::print("{} 0-{}.\n", t.invalid, k_count - 1);
      }
      if (category < 0 && !interactive) return exit_bad_input;
    }
    s.record_response(*st.item, category);
  }
  // Why the test stopped is an engine code (se_reached, max_items): for --details only.
  if (o.details)
    fmt::print("\n{} ({} {}, {}).\n", t.done, s.responses().size(), o.lang == "vi" ? "câu" : "questions", cat::to_string(s.reason()));
  else
    fmt::print("\n{} ({} {}).\n", t.done, s.responses().size(), o.lang == "vi" ? "câu" : "questions");
  if (bank->multidimensional()) {
    // The profile: every dimension's estimate and SE, with its level where the framework (or the
    // specification's cuts) places it.
    const auto& dims = bank->info().dimensions;
    const auto se = s.profile_se();
    const auto areas = s.classify_areas();
    const auto stop = s.get_engine().stopping_dimensions();
    if (fw) {
      // Each framework area from its dimension's estimate; the overall level from their mean.
      std::vector<int> levels(fw->areas().size(), 1), answered(fw->areas().size(), 0);
      double mean = 0;
      int n = 0;
      for (std::size_t d = 0; d < dims.size(); ++d)
        if (const auto ai = dims[d].area.empty() ? std::nullopt : fw->area_index(dims[d].area)) {
          const double th = s.profile_theta()[static_cast<Eigen::Index>(d)];
          levels[*ai] = fw->level_for_area(*ai, th);
          mean += th, ++n;
        }
      for (const auto& r : s.responses())
        if (const auto ai = fw->area_index(bank->item(r.item).area)) ++answered[*ai];
      // An area no dimension reports stays unanswered; one a dimension reports is estimated
      // from all answers through the latent correlations even without an item of its own.
      for (std::size_t d = 0; d < dims.size(); ++d)
        if (const auto ai = dims[d].area.empty() ? std::nullopt : fw->area_index(dims[d].area)) answered[*ai] = std::max(answered[*ai], 1);
      print_results(*fw, o.lang, levels, answered, fw->level_overall(n ? mean / n : 0.0));
      if (!o.details) {
        std::fflush(stdout);
        return exit_ok;
      }
    }
    fmt::print("{}:\n", t.estimate);
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const double th = s.profile_theta()[static_cast<Eigen::Index>(d)];
      std::string level;
      if (fw && !dims[d].area.empty()) {
        if (const auto ai = fw->area_index(dims[d].area))
          level = fmt::format(", {} {}", t.level, fw->level_for_area(*ai, th));
      } else if (!spec.stopping.cuts.empty()) {
        for (std::size_t k = 0; k < stop.size(); ++k)
          if (stop[k] == d)
            level = fmt::format(", {} {}", t.level, areas[k].decided ? areas[k].level : core::level_for(spec.stopping.cuts, th) - 1);
      }
      fmt::print("  {}{}: theta = {:.2f} (SE {:.2f}){}\n", dims[d].id, dims[d].area.empty() ? "" : " (" + dims[d].area + ")", th,
                 se[static_cast<Eigen::Index>(d)], level);
    }
    std::fflush(stdout);
    return exit_ok;
  }
  if (fw) {
    // Per area: the EAP of that area's answers alone, placed on the area's cut scores.
    estimate::options eo = spec.estimator;
    eo.estimator = estimate::method::eap;
    std::vector<int> levels(fw->areas().size(), 1), answered(fw->areas().size(), 0);
    std::vector<double> thetas(fw->areas().size(), 0.0);
    for (std::size_t a = 0; a < fw->areas().size(); ++a) {
      std::vector<estimate::response> part;
      for (const auto& r : s.responses())
        if (auto ai = fw->area_index(bank->item(r.item).area); ai && *ai == a) part.push_back(r);
      answered[a] = static_cast<int>(part.size());
      if (part.empty()) continue;
      thetas[a] = estimate::estimate_theta(*bank, part, eo).theta;
      levels[a] = fw->level_for_area(a, thetas[a]);
    }
    print_results(*fw, o.lang, levels, answered, fw->level_overall(s.theta()));
    if (o.details) {
      fmt::print("{}: theta = {:.2f} (SE {:.2f})\n", t.estimate, s.theta(), s.se());
      for (std::size_t a = 0; a < fw->areas().size(); ++a)
        if (answered[a]) fmt::print("  {}: theta {:.2f}, {} {}\n", fw->areas()[a].id, thetas[a], answered[a], o.lang == "vi" ? "câu" : "items");
    }
  } else {
    fmt::print("{}: theta = {:.2f} (SE {:.2f})\n", t.estimate, s.theta(), s.se());
  }
  if (!fw && !spec.stopping.cuts.empty()) {
    const auto c = s.classify();
    // classify() numbers levels from 0; so does this line of output
    const int level = core::level_for(spec.stopping.cuts, s.theta()) - 1;
    fmt::print("{}: {}\n", t.level, c.decided ? c.level : level);
  }
  std::fflush(stdout);
  return exit_ok;
}

[[maybe_unused]] const bool registered = register_command({
    "take",
    "Take the adaptive test in the terminal (answers from standard input)",
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<take_options>();
      app.add_option("--bank", o->bank, "Item bank (YAML)")->required();
      app.add_option("--spec", o->spec, "Test specification (YAML); default: 8-20 items, stop at SE 0.35");
      app.add_option("--lang", o->lang, "Language of the items: en or vi (default en)");
      app.add_option("--framework", o->framework, "Competency framework (default: the bank's, from frameworks/ beside it)");
      app.add_option("--max-items", o->max_items, "Maximum number of questions");
      app.add_flag("--details", o->details, "Also print the ability estimates (theta, SE) behind the levels");
      auto* seed = app.add_option("--seed", o->seed, "Seed of random choices (default: from the clock)");
      app.footer(
          "Shows one question at a time and reads the answer (a letter for multiple choice, a category "
          "number otherwise) from standard input, then each area's level explained in plain words and whether a "
          "certificate is awarded (--details adds the estimates).\n"
          "Exit status: 0 finished, 1 bad input or input ended early, 2 bad usage.");
      return [o, seed] {
        o->seed_given = seed->count() > 0;
        return run_take(*o);
      };
    },
});

}  // namespace
}  // namespace dskill::cli
