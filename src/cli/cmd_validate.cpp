// dskill validate: checks an item bank (optionally against its framework) or a framework file,
// and lists every problem as "file:line:col: error: item 'q7': ..." (or JSON for programs).
#include <algorithm>
#include <string_view>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/io/file_text.hpp"

namespace dskill::cli {
namespace {

struct validate_options {
  std::string file;
  std::string framework;
  std::string format = "text";
  std::size_t max_problems = 100;
  bool strict = false;
};

// A framework file is recognised by its top-level key; anything else is checked as a bank
// (which reports a missing 'dskill: 1' if it is neither).
bool is_framework_file(const std::string& path) {
  std::string text;
  try {
    text = io::read_file_text(path);
  } catch (const error&) {
    return false;  // the bank check reports the file as unreadable
  }
  // A line starting "dskill_framework", optional blanks, then ':' (a plain scan: a regex per
  // line was a tenth of validating a 100,000-item bank).
  static constexpr std::string_view key = "dskill_framework";
  for (std::size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find('\n', at), text.size());
    std::string_view line(text.data() + at, end - at);
    if (line.starts_with(key)) {
      line.remove_prefix(key.size());
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (!line.empty() && line.front() == ':') return true;
    }
    at = end + 1;
  }
  return false;
}

nlohmann::json to_json(const diagnostic& d) {
  nlohmann::json j{{"severity", std::string(to_string(d.level))}, {"file", d.where.file}, {"line", d.where.line},
                   {"column", d.where.column}, {"code", d.code}, {"message", d.message}};
  if (!d.where.item_id.empty()) j["item_id"] = d.where.item_id;
  return j;
}

int run(const validate_options& o) {
  const bool json = o.format == "json";
  nlohmann::json report{{"file", o.file}};
  std::vector<diagnostic> diags;
  std::shared_ptr<const framework::framework> fw;
  std::string summary;

  if (!o.framework.empty()) {
    auto fdiags = framework::validate_framework_file(o.framework, o.max_problems);
    if (has_errors(fdiags)) {
      diags = std::move(fdiags);
      diags.insert(diags.begin(), diagnostic{severity::note, location{.file = o.framework}, "framework",
                                             "the framework given with --framework has errors; the bank was not checked"});
    } else {
      fw = framework::load_framework(o.framework);
    }
  }
  const bool framework_file = is_framework_file(o.file);
  report["kind"] = framework_file ? "framework" : "bank";
  if (diags.empty() || fw) {
    if (framework_file) {
      diags = framework::validate_framework_file(o.file, o.max_problems);
      if (!has_errors(diags)) {
        auto f = framework::load_framework(o.file);
        report["framework"] = {{"id", f->id()}, {"version", f->version()}, {"levels", f->levels().size()},
                               {"areas", f->areas().size()}, {"competences", f->competences().size()}};
        summary = fmt::format("framework '{}' version '{}': {} levels, {} areas, {} competences", f->id(), f->version(),
                              f->levels().size(), f->areas().size(), f->competences().size());
      }
    } else {
      bank::load_options lo;
      lo.framework = fw.get();
      lo.max_diagnostics = o.max_problems;
      auto checked = bank::check_bank_file(o.file, lo);
      diags = std::move(checked.diagnostics);
      if (!has_errors(diags) && checked.bank) {
        const auto& b = checked.bank;
        report["bank"] = {{"id", b->info().id}, {"items", b->size()}, {"fingerprint", b->fingerprint()}};
        summary = fmt::format("bank '{}': {} items, fingerprint {}", b->info().id, b->size(), b->fingerprint());
        if (fw) summary += fmt::format(", checked against {} {}", fw->id(), fw->version());
      }
    }
  }
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : diags) {
    errors += d.level == severity::error;
    warnings += d.level == severity::warning;
  }
  const bool ok = errors == 0 && !(o.strict && warnings > 0);
  if (json) {
    report["valid"] = ok;
    report["errors"] = errors;
    report["warnings"] = warnings;
    report["diagnostics"] = nlohmann::json::array();
    for (const auto& d : diags) report["diagnostics"].push_back(to_json(d));
    std::cout << report.dump(2) << '\n';
  } else {
    for (const auto& d : diags) std::cout << d.to_string() << '\n';
    if (ok)
      std::cout << fmt::format("{}: ok: {}{}\n", o.file, summary,
                               warnings ? fmt::format(" ({} warning{})", warnings, warnings == 1 ? "" : "s") : "");
    else
      std::cout << fmt::format("{}: {} error{}, {} warning{}\n", o.file, errors, errors == 1 ? "" : "s", warnings,
                               warnings == 1 ? "" : "s");
  }
  std::cout.flush();
  return ok ? exit_ok : exit_bad_input;
}

const bool registered = register_command(command{
    "validate", "Check an item bank or a competency framework file and list every problem",
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<validate_options>();
      // A missing file is bad input (exit 1), reported by the readers, not a usage error.
      app.add_option("file", o->file, "Bank (dskill: 1) or framework (dskill_framework: 1) YAML file")->required();
      app.add_option("--framework,-f", o->framework, "Check the bank's competences and levels against this framework");
      app.add_option("--format", o->format, "Output: text (file:line:col: lines) or json")
          ->check(CLI::IsMember({"text", "json"}));
      app.add_option("--max-problems", o->max_problems, "List at most this many problems")->check(CLI::Range(1, 1000000));
      app.add_flag("--strict", o->strict, "Treat warnings as errors");
      app.footer("Exit status: 0 clean (warnings allowed unless --strict), 1 problems found, 2 bad usage.");
      return [o] { return run(*o); };
    }});

}  // namespace
}  // namespace dskill::cli
