// dskill simulate: simulated examinees take the adaptive test; CSV per examinee (--out) and a
// JSON summary on standard output. Results are identical for any --threads.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/cat/multidim.hpp"
#include "dskill/cat/simulate.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/version.hpp"

namespace dskill::cli {
namespace {

struct simulate_options {
  std::string bank, spec, select, estimate, out, thetas, quadrature;
  std::size_t examinees = 1000;
  std::uint64_t seed = 1;
  int max_items = -1, min_items = -1;
  double se = -1;
  unsigned threads = 1;
  std::size_t exposure_wave = cat::simulation_options{}.exposure_wave;
  double sh_target = 0;
  int sh_iterations = 6;
  std::string sh_bank;  ///< write the bank with the derived Sympson-Hetter parameters here
};

// The text of a --thetas file, or io_error naming it.
std::string theta_file_text(const std::string& path) {
  try {
    return io::read_file_text(path);
  } catch (const io_error&) {
    throw io_error(fmt::format("cannot open theta file '{}'", path));
  }
}

// A cell that is wholly a finite number, or nothing.
std::optional<double> finite_number(const std::string& cell) {
  try {
    std::size_t used = 0;
    const double v = std::stod(cell, &used);
    if (used == cell.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::vector<double> read_thetas(const std::string& path) {
  std::istringstream in(theta_file_text(path));
  std::vector<double> out;
  std::string line;
  std::size_t row = 0;
  while (std::getline(in, line)) {
    ++row;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto comma = line.find(',');
    std::string cell = line.substr(comma == std::string::npos ? 0 : line.rfind(',') + 1);
    if (cell.empty() || cell == "theta" || cell == "true_theta") continue;
    if (const auto v = finite_number(cell)) {
      out.push_back(*v);
    } else {
      location where;
      where.file = path;
      where.row = row;
      throw parse_error(fmt::format("'{}' is not a number (one theta per line, or CSV with theta in the last column)", cell),
                        where);
    }
  }
  if (out.empty()) throw parse_error(fmt::format("theta file '{}' has no values", path));
  return out;
}

// Profile banks: one true profile per line, its `dims` values in the last `dims` CSV cells (so a
// simulation's own CSV columns, or "id,v1,...,vD", work); a first line that is not numbers is a
// header.
std::vector<double> read_profiles(const std::string& path, std::size_t dims) {
  std::istringstream in(theta_file_text(path));
  std::vector<double> out;
  std::string line;
  std::size_t row = 0;
  while (std::getline(in, line)) {
    ++row;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream parts(line);
    for (std::string cell; std::getline(parts, cell, ',');) cells.push_back(cell);
    location where;
    where.file = path;
    where.row = row;
    if (cells.size() < dims)
      throw parse_error(fmt::format("{} values on the line; the bank has {} dimensions (one profile per line)", cells.size(), dims),
                        where);
    std::vector<double> values;
    for (std::size_t k = cells.size() - dims; k < cells.size(); ++k) {
      if (const auto v = finite_number(cells[k])) {
        values.push_back(*v);
      } else {
        if (row == 1) break;  // a header
        throw parse_error(fmt::format("'{}' is not a number (one profile per line, its {} values last)", cells[k], dims), where);
      }
    }
    if (values.size() == dims) out.insert(out.end(), values.begin(), values.end());
  }
  if (out.empty()) throw parse_error(fmt::format("theta file '{}' has no profiles", path));
  return out;
}

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

int run_simulate(const simulate_options& o) {
  cat::test_spec spec = o.spec.empty() ? cat::test_spec{} : cat::load_test_spec(o.spec);
  if (!o.select.empty()) {
    if (const auto r = cat::parse_criterion(o.select)) {
      spec.selection.rule = *r;
    } else if (const auto p = cat::parse_profile_criterion(o.select)) {
      spec.selection.rule = cat::rule_name<cat::criterion>(std::string(cat::to_string(*p)));
    } else {
      throw invalid_argument(fmt::format("unknown --select '{}'", o.select));
    }
  }
  if (!o.estimate.empty()) {
    const auto m = estimate::parse_method(o.estimate);
    if (!m) throw invalid_argument(fmt::format("unknown --estimate '{}' (eap, map, ml, wle)", o.estimate));
    spec.estimator.estimator = *m;
  }
  if (!o.quadrature.empty()) spec.selection.grid = parse_grid(o.quadrature);
  if (o.max_items >= 0) spec.stopping.max_items = o.max_items;
  if (o.min_items >= 0) spec.stopping.min_items = o.min_items;
  if (spec.stopping.min_items > spec.stopping.max_items) spec.stopping.min_items = spec.stopping.max_items;
  if (o.se >= 0) spec.stopping.se = o.se;
  if (o.threads < 1) throw invalid_argument("--threads must be at least 1");
  if (o.examinees < 1 && o.thetas.empty()) throw invalid_argument("--examinees must be at least 1");
  cat::validate(spec);

  const auto bank = bank::load_bank(o.bank);
  cat::simulation_options so;
  so.examinees = o.examinees;
  so.seed = o.seed;
  so.threads = o.threads;
  so.exposure_wave = o.exposure_wave;
  if (!o.thetas.empty()) {
    if (bank->multidimensional()) so.true_profiles = read_profiles(o.thetas, bank->dimensions());
    else so.true_thetas = read_thetas(o.thetas);
  }
  const bool tty = isatty(fileno(stderr)) != 0;
  if (tty)
    so.progress = [](std::size_t done, std::size_t total) {
      fmt::print(stderr, "\rsimulated {} of {} examinees", done, total);
      if (done == total) fmt::print(stderr, "\n");
    };
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<double> sh;
  if (o.sh_target > 0) {
    spec.exposure.sympson_hetter = true;
    if (tty) fmt::print(stderr, "deriving Sympson-Hetter parameters for a maximum exposure of {}\n", o.sh_target);
    sh = cat::derive_sympson_hetter(bank, spec, o.sh_target, std::min<std::size_t>(!so.true_thetas.empty() ? so.true_thetas.size() : !so.true_profiles.empty() ? so.true_profiles.size() / bank->dimensions() : o.examinees, 5000),
                                    o.sh_iterations, cat::derive_seed(o.seed, 0, 11), o.threads);
  }
  if (!o.sh_bank.empty()) {
    if (sh.empty()) throw invalid_argument("--sympson-hetter-bank needs --sympson-hetter MAX_RATE (the parameters to write)");
    // The bank as read, each item's exposure.sh the derived administration probability, and how
    // they were derived in the bank's metadata: `simulate --spec` with this bank then uses them.
    auto info = bank->info();
    std::erase_if(info.meta, [](const bank::meta_entry& m) { return m.key == "sympson_hetter"; });
    info.meta.push_back({"sympson_hetter",
                         fmt::format("{{target_max_rate: {}, iterations: {}, seed: {}, spec: \"{}\", derived_by: \"dskill "
                                     "simulate {}\"}}",
                                     o.sh_target, o.sh_iterations, o.seed, cat::spec_hash(spec), dskill::version()),
                         true});
    auto items = bank->items();
    for (std::size_t i = 0; i < items.size(); ++i) items[i].exposure_control = sh[i];
    bank::save_bank(bank::item_bank(std::move(info), std::move(items)), o.sh_bank);
  }
  const auto eng = cat::engine::create(bank, spec, nullptr, sh);
  // Rows are written as examinees finish (in index order), so memory stays flat however many
  // examinees there are.
  std::optional<io::text_file> out;
  if (!o.out.empty()) out.emplace(o.out);
  fmt::memory_buffer buf;
  auto flush = [&] {
    out->write(std::string_view(buf.data(), buf.size()));
    buf.clear();
  };
  cat::examinee_sink sink;
  if (out && eng->profile()) {
    // Profile banks: per dimension the true value, the estimate and its SE, then per stopping
    // dimension the true and classified levels, so that a study computes per-area RMSE and
    // classification from the rows alone.
    const auto& dims = bank->info().dimensions;
    const auto stop = eng->stopping_dimensions();
    buf.append(std::string_view("examinee"));
    for (const auto& d : dims) fmt::format_to(std::back_inserter(buf), ",true_theta_{0},theta_{0},se_{0}", d.id);
    buf.append(std::string_view(",length,reason"));
    for (auto d : stop) fmt::format_to(std::back_inserter(buf), ",true_level_{0},level_{0}", dims[d].id);
    buf.append(std::string_view(",items\n"));
    sink = [&, stop](std::size_t i, const cat::examinee_result& r) {
      fmt::format_to(std::back_inserter(buf), "{}", i + 1);
      for (std::size_t d = 0; d < r.profile.size(); ++d)
        fmt::format_to(std::back_inserter(buf), ",{},{},{}", r.true_profile[d], r.profile[d], r.profile_se[d]);
      fmt::format_to(std::back_inserter(buf), ",{},{}", r.items.size(), cat::to_string(r.reason));
      for (std::size_t k = 0; k < stop.size(); ++k) fmt::format_to(std::back_inserter(buf), ",{},{}", r.true_levels[k], r.levels[k]);
      buf.push_back(',');
      for (std::size_t k = 0; k < r.items.size(); ++k) {
        if (k) buf.push_back(';');
        const auto& id = bank->id(r.items[k]);
        buf.append(id.data(), id.data() + id.size());
      }
      buf.push_back('\n');
      if (buf.size() > (1u << 20)) flush();
    };
  } else if (out) {
    fmt::format_to(std::back_inserter(buf), "examinee,true_theta,theta,se,length,reason,true_level,level,items\n");
    sink = [&](std::size_t i, const cat::examinee_result& r) {
      fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{},{},{},", i + 1, r.true_theta, r.theta, r.se, r.items.size(),
                     cat::to_string(r.reason), r.true_level, r.level);
      for (std::size_t k = 0; k < r.items.size(); ++k) {
        if (k) buf.push_back(';');
        const auto& id = bank->id(r.items[k]);
        buf.append(id.data(), id.data() + id.size());
      }
      buf.push_back('\n');
      if (buf.size() > (1u << 20)) flush();
    };
  }
  const auto s = cat::simulate(eng, so, sink);
  if (out) {
    flush();
    out->close();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  nlohmann::ordered_json j;
  j["examinees"] = s.examinees;
  j["seed"] = o.seed;
  j["bank"] = {{"id", bank->info().id}, {"items", bank->size()}, {"fingerprint", bank->fingerprint()}};
  j["selection"] = cat::to_string(spec.selection.rule);
  j["estimator"] = estimate::to_string(spec.estimator.estimator);
  j["bias"] = number(s.bias);
  j["rmse"] = number(s.rmse);
  j["mae"] = number(s.mae);
  j["mean_se"] = number(s.mean_se);
  j["correlation"] = number(s.correlation);
  auto bands = nlohmann::ordered_json::array();
  for (const auto& b : s.bands) {
    nlohmann::ordered_json x;
    x["band"] = fmt::format("[{}, {})", b.lo, b.hi);
    x["n"] = b.n;
    x["bias"] = number(b.bias);
    x["rmse"] = number(b.rmse);
    x["mean_se"] = number(b.mean_se);
    x["mean_length"] = number(b.mean_length);
    bands.push_back(x);
  }
  j["conditional"] = bands;
  j["length"] = {{"mean", s.length_mean}, {"min", s.length_min}, {"max", s.length_max}};
  j["exposure"] = {{"max_rate", s.exposure_max}, {"never_used", s.exposure_never_used}, {"chi_square", s.exposure_chi_square}};
  j["test_overlap"] = number(s.test_overlap);
  if (s.classification_accuracy) {
    j["classification"] = {{"cuts", spec.stopping.cuts}, {"accuracy", *s.classification_accuracy}};
  }
  if (!s.dimensions.empty()) {
    auto dims = nlohmann::ordered_json::array();
    for (const auto& d : s.dimensions) {
      nlohmann::ordered_json x;
      x["id"] = d.id;
      x["bias"] = number(d.bias);
      x["rmse"] = number(d.rmse);
      x["mean_se"] = number(d.mean_se);
      x["correlation"] = number(d.correlation);
      if (d.classification_accuracy) x["classification_accuracy"] = *d.classification_accuracy;
      dims.push_back(x);
    }
    j["dimensions"] = dims;
  }
  nlohmann::ordered_json reasons;
  for (const auto& [k, v] : s.reasons) reasons[k] = v;
  j["finish_reasons"] = reasons;
  const auto text = j.dump(2) + "\n";
  write_stdout(text);
  if (tty) fmt::print(stderr, "{} examinees in {:.2f} s ({:.0f} per second, {} threads)\n", s.examinees, seconds,
                      static_cast<double>(s.examinees) / seconds, o.threads);
  return exit_ok;
}

[[maybe_unused]] const bool registered = register_command({
    "simulate",
    "Simulate examinees taking the adaptive test: per-examinee CSV and a JSON summary",
    [](CLI::App& app) -> std::function<int()> {
      auto o = std::make_shared<simulate_options>();
      app.add_option("--bank", o->bank, "Item bank (YAML)")->required();
      app.add_option("--spec", o->spec, "Test specification (YAML)");
      app.add_option("--examinees", o->examinees, "Number of simulated examinees, true theta ~ N(0, 1) (default 1000)");
      app.add_option("--thetas", o->thetas, "File of true thetas (one per line, or CSV with theta last) instead of N(0, 1); profile banks: one profile per line, its values last");
      app.add_option("--seed", o->seed, "Seed (default 1); each examinee's streams derive from (seed, index)");
      app.add_option("--select", o->select, "Selection rule (overrides the specification)");
      app.add_option("--estimate", o->estimate, "Estimator eap|map|ml|wle (overrides the specification)");
      app.add_option("--quadrature", o->quadrature, "Integration grid LO:HI:N of the selection criteria");
      app.add_option("--max-items", o->max_items, "Maximum test length");
      app.add_option("--min-items", o->min_items, "Minimum test length");
      app.add_option("--se", o->se, "Stop when the SE is at or below this value");
      app.add_option("--threads", o->threads, "Worker threads (results do not depend on it)");
      app.add_option("--exposure-wave", o->exposure_wave,
                     "With progressive-restricted exposure control: examinees per wave, each wave reading the exposure "
                     "rates of the examinees before it (default 64; 1 = one examinee after another)")
          ->check(CLI::PositiveNumber);
      app.add_option("--sympson-hetter", o->sh_target, "Derive Sympson-Hetter parameters for this maximum exposure rate, then use them");
      app.add_option("--sympson-hetter-bank", o->sh_bank,
                     "With --sympson-hetter: write the bank with the derived parameters (items' exposure.sh) here");
      app.add_option("--out", o->out, "Write one CSV row per examinee here");
      app.footer(
          "Prints a JSON summary on standard output: bias, RMSE, MAE, conditional statistics by true-theta "
          "band, test length, item exposure (maximum rate, share never used, chi-square), test overlap, "
          "and classification accuracy when the specification has cut scores.\n"
          "Exit status: 0 success, 1 bad input, 2 bad usage.");
      return [o] { return run_simulate(*o); };
    },
});

}  // namespace
}  // namespace dskill::cli
