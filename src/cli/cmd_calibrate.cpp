// `dskill calibrate`: MML-EM item calibration of a wide response file into an item bank; also
// fixed-anchor calibration (--anchors) and pretest calibration into an existing bank
// (--pretest-into). A thin face over dskill::calibrate.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/calibrate/bank_output.hpp"
#include "dskill/calibrate/calibrate.hpp"
#include "dskill/calibrate/fit.hpp"
#include "dskill/calibrate/linking.hpp"
#include "dskill/calibrate/multidim.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/response_matrix.hpp"

namespace dskill::cli {
namespace {

struct calibrate_args {
  std::string responses, model = "2pl", models, out, quadrature, prior_slope, prior_b, prior_c, groups, reference;
  std::string anchors, pretest_into, pretest_method = "mem", thetas, params_out, log, bank_id = "calibrated", title, data;
  std::string factors;  // multidimensional: mirt-like model syntax, or a file holding it
  std::string template_bank, framework, areas, note;  // profile bank output (--factors)
  double D = 1.0, tol = 1e-4, loglik_tol = 0.0;
  int max_iter = 500, threads = 0, points = 0, qmc_points = 5000;
  bool se = false, no_accelerate = false, fit = false, progress = false, quiet = false, qmc = false;
};

std::pair<double, double> two_numbers(const std::string& text, const std::string& option) {
  const auto comma = text.find(',');
  try {
    if (comma == std::string::npos) throw std::invalid_argument("");
    return {std::stod(text.substr(0, comma)), std::stod(text.substr(comma + 1))};
  } catch (const std::exception&) {
    throw invalid_argument(fmt::format("{}: expected two numbers 'X,Y', got '{}'", option, text));
  }
}

// --areas DIM=AREA,DIM=AREA,...
std::map<std::string, std::string> parse_areas(const std::string& text) {
  std::map<std::string, std::string> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    const std::string term = text.substr(start, end - start);
    const auto eq = term.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == term.size())
      throw invalid_argument(fmt::format("--areas: expected DIMENSION=AREA[,DIMENSION=AREA...], got '{}'", term));
    if (!out.emplace(term.substr(0, eq), term.substr(eq + 1)).second)
      throw invalid_argument(fmt::format("--areas: dimension '{}' is given twice", term.substr(0, eq)));
    start = end + 1;
  }
  return out;
}

// A multidimensional calibration (--factors): a profile bank to --out (dimensions mapped to
// framework areas, the estimated correlations, each item's slopes), the estimates as CSV with one
// slope column per factor to --params-out; the summary carries the latent correlations.
int run_multidim(const calibrate_args& a, const io::response_matrix& m, const std::vector<irt::model>& models,
                 const calibrate::options& uni) {
  const auto refuse = [](bool given, const char* option) {
    if (given) throw invalid_argument(fmt::format("{} does not apply to a multidimensional calibration (--factors)", option));
  };
  refuse(!a.anchors.empty(), "--anchors");
  refuse(!a.pretest_into.empty(), "--pretest-into");
  refuse(!a.groups.empty(), "--groups");
  refuse(!a.quadrature.empty(), "--quadrature (use --points)");
  refuse(a.loglik_tol > 0, "--loglik-tol");
  refuse(a.D != 1.0, "--D (slopes and intercepts are written on the logit scale, D = 1)");
  if (a.out.size() >= 4 && a.out.compare(a.out.size() - 4, 4, ".csv") == 0)
    throw invalid_argument(fmt::format("--out {}: with --factors, --out is the profile bank (YAML); the estimates as CSV go to --params-out",
                                       a.out));
  // Profile bank inputs: the framework (areas), the template bank (content, and items' areas).
  std::shared_ptr<const framework::framework> fw;
  std::vector<std::string> framework_areas;
  if (!a.framework.empty()) {
    fw = framework::load_framework(a.framework);
    for (const auto& area : fw->areas()) framework_areas.push_back(area.id);
  }
  std::shared_ptr<const bank::item_bank> tpl;
  if (!a.template_bank.empty()) {
    bank::load_options lo;
    lo.framework = fw.get();
    tpl = bank::load_bank(a.template_bank, lo);
  }
  const auto explicit_areas = parse_areas(a.areas);
  const std::string syntax = io::file_exists(a.factors) ? io::read_file_text(a.factors) : a.factors;
  calibrate::multidim::problem prob;
  prob.responses = m.cells.data();
  prob.persons = m.persons();
  prob.items = m.items();
  prob.models = models;
  prob.factors = calibrate::multidim::parse_structure(syntax, m.items(), m.item_ids);
  // Map the dimensions to areas before the (long) calibration, so that a bad --areas fails fast.
  const auto areas = calibrate::match_areas(prob.factors, m.item_ids, tpl.get(), framework_areas, explicit_areas);
  calibrate::multidim::options o;
  o.method = a.qmc ? calibrate::multidim::integration::qmc : calibrate::multidim::integration::automatic;
  o.points = a.points;
  o.qmc_points = a.qmc_points;
  o.tolerance = a.tol;
  o.max_iterations = a.max_iter;
  o.accelerate = !a.no_accelerate;
  o.standard_errors = a.se;
  o.threads = a.threads;
  o.on_iteration = uni.on_iteration;
  o.priors = uni.priors;  // --prior-b is on the intercepts here
  const auto res = calibrate::multidim::run(prob, o);
  calibrate::profile_bank_options bo;
  if (a.fit) bo.m2 = calibrate::multidim::m2(prob, res, o);  // --fit: M2 (dichotomous items, complete data)
  bo.id = a.bank_id;
  bo.title = a.title;
  bo.data = a.data;
  bo.note = a.note;
  bo.areas = areas;
  bo.template_bank = tpl.get();
  const auto out = calibrate::make_profile_bank(res, prob.factors, m.item_ids, bo, &o);
  bank::save_bank(out, a.out);
  if (!a.params_out.empty()) calibrate::multidim::write_params_csv(a.params_out, res, m.item_ids);
  nlohmann::json j;
  j["log_likelihood"] = res.log_likelihood;
  j["aic"] = res.aic;
  j["bic"] = res.bic;
  j["parameters"] = res.parameters;
  j["iterations"] = res.iterations;
  j["converged"] = res.converged;
  j["persons"] = m.persons();
  j["items"] = m.items();
  j["unique_patterns"] = res.unique_patterns;
  j["dimensions"] = res.names;
  j["integration"] = res.qmc ? fmt::format("qmc, {} Halton nodes", res.nodes)
                             : fmt::format("grid, {} points per dimension, {} nodes{}", res.points, res.nodes,
                                           prob.factors.specifics > 0 ? " (times each specific factor)" : "");
  j["standard_errors"] = res.standard_errors ? (res.se_positive_definite ? "oakes" : "oakes (information not positive definite)")
                                             : (a.se && res.qmc ? "none (not available with QMC)" : "none");
  nlohmann::json cor = nlohmann::json::array(), se = nlohmann::json::array();
  for (std::size_t r = 0; r < res.dimensions; ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (std::size_t c = 0; c < res.dimensions; ++c) row.push_back(res.correlation[r * res.dimensions + c]);
    cor.push_back(row);
  }
  j["correlation"] = cor;
  for (const auto& [f1, f2] : prob.factors.free_correlations) {
    const auto r = static_cast<std::size_t>(f1), c = static_cast<std::size_t>(f2);
    nlohmann::json e{{"factors", {res.names[r], res.names[c]}}, {"estimate", res.correlation[r * res.dimensions + c]}};
    const double s = res.se_correlation[r * res.dimensions + c];
    if (std::isfinite(s)) e["se"] = s;
    se.push_back(e);
  }
  j["free_correlations"] = se;
  if (bo.m2)
    j["m2"] = {{"statistic", bo.m2->statistic}, {"df", bo.m2->df}, {"p", bo.m2->p}, {"rmsea", bo.m2->rmsea},
               {"srmsr", bo.m2->srmsr}, {"moments", bo.m2->moments}, {"nodes", bo.m2->nodes}};
  nlohmann::json dims = nlohmann::json::array();
  for (const auto& d : out.info().dimensions) {
    nlohmann::json e{{"id", d.id}, {"role", std::string(bank::to_string(d.role))}};
    e["area"] = d.area.empty() ? nlohmann::json() : nlohmann::json(d.area);
    dims.push_back(e);
  }
  j["bank_dimensions"] = dims;
  j["seconds"] = res.seconds;
  j["bank"] = a.out;
  if (!a.params_out.empty()) j["params"] = a.params_out;
  fmt::print("{}\n", j.dump(2));
  return exit_ok;
}

int run(const calibrate_args& a) {
  const auto m = io::read_response_matrix(a.responses);
  const auto default_model = irt::parse_model(a.model);
  if (!default_model || *default_model == irt::model::nominal)
    throw invalid_argument(fmt::format("--model: unknown model '{}' (1pl, 2pl, 3pl, 4pl, grm, gpcm or pcm)", a.model));
  calibrate::problem prob;
  prob.responses = m.cells.data();
  prob.persons = m.persons();
  prob.items = m.items();
  prob.models.assign(m.items(), *default_model);
  if (!a.models.empty()) {
    const auto map = calibrate::read_model_map(a.models);
    std::set<std::string> ids(m.item_ids.begin(), m.item_ids.end());
    for (const auto& [id, kind] : map)
      if (!ids.count(id))
        throw invalid_argument(fmt::format("item '{}' of {} is not a column of {}", id, a.models, a.responses));
    for (std::size_t i = 0; i < m.items(); ++i)
      if (auto it = map.find(m.item_ids[i]); it != map.end()) prob.models[i] = it->second;
  }
  calibrate::options o;
  if (!a.quadrature.empty()) o.grid = parse_grid(a.quadrature);
  o.tolerance = a.tol;
  o.loglik_tolerance = a.loglik_tol;
  o.max_iterations = a.max_iter;
  o.accelerate = !a.no_accelerate;
  o.standard_errors = a.se;
  o.threads = a.threads;
  if (!a.prior_slope.empty()) {
    o.priors.slope_lognormal = true;
    std::tie(o.priors.slope_meanlog, o.priors.slope_sdlog) = two_numbers(a.prior_slope, "--prior-slope");
  }
  if (!a.prior_b.empty()) {
    o.priors.difficulty_normal = true;
    std::tie(o.priors.difficulty_mean, o.priors.difficulty_sd) = two_numbers(a.prior_b, "--prior-b");
  }
  if (!a.prior_c.empty()) {
    o.priors.lower_beta = true;
    std::tie(o.priors.lower_alpha, o.priors.lower_beta_b) = two_numbers(a.prior_c, "--prior-c");
  }
  calibrate::validate(o);

  // Groups: two labels; the reference group is --reference or the first label in the file.
  std::vector<std::string> group_labels;
  if (!a.groups.empty()) {
    const auto values = calibrate::read_person_values(a.groups);
    std::vector<std::string> labels;
    prob.group.resize(m.persons());
    std::string ref = a.reference;
    for (std::size_t p = 0; p < m.persons(); ++p) {
      const auto it = values.find(m.person_ids[p]);
      if (it == values.end())
        throw invalid_argument(fmt::format("person '{}' has no group in {}", m.person_ids[p], a.groups));
      if (std::find(labels.begin(), labels.end(), it->second) == labels.end()) labels.push_back(it->second);
    }
    if (labels.size() > 2) throw invalid_argument(fmt::format("{}: at most two groups, found {}", a.groups, labels.size()));
    if (ref.empty()) ref = labels[0];
    if (std::find(labels.begin(), labels.end(), ref) == labels.end())
      throw invalid_argument(fmt::format("--reference: group '{}' is not in {}", ref, a.groups));
    group_labels = {ref};
    for (const auto& l : labels)
      if (l != ref) group_labels.push_back(l);
    for (std::size_t p = 0; p < m.persons(); ++p)
      prob.group[p] = values.at(m.person_ids[p]) == ref ? 0 : 1;
  }

  const bool tty = isatty(STDERR_FILENO) != 0;
  std::optional<io::text_file> log;
  if (!a.log.empty()) {
    log.emplace(a.log);
    log->write("iteration,log_likelihood,max_change\n");
  }
  o.on_iteration = [&](const calibrate::iteration_info& it) {
    if (log) log->write(fmt::format("{},{:.6f},{:.3e}\n", it.iteration, it.log_likelihood, it.max_change));
    if ((tty || a.progress) && !a.quiet)
      fmt::print(stderr, "iteration {:4d}  logLik {:.4f}  max change {:.2e}\n", it.iteration, it.log_likelihood,
                 it.max_change);
  };

  if (!a.factors.empty()) return run_multidim(a, m, prob.models, o);
  if (!a.areas.empty()) throw invalid_argument("--areas applies to a multidimensional calibration (--factors) only");
  if (!a.framework.empty() && a.template_bank.empty())
    throw invalid_argument("--framework checks the --template bank; give --template too");
  // The template: the bank whose items these are, so the written bank keeps their content.
  std::shared_ptr<const bank::item_bank> tpl;
  if (!a.template_bank.empty()) {
    std::shared_ptr<const framework::framework> fw;
    if (!a.framework.empty()) fw = framework::load_framework(a.framework);
    bank::load_options lo;
    lo.framework = fw.get();
    tpl = bank::load_bank(a.template_bank, lo);
  }

  // Pretest calibration into an existing bank.
  if (!a.pretest_into.empty()) {
    const auto base = bank::load_bank(a.pretest_into);
    std::vector<std::optional<irt::item_params>> op(m.items());
    std::size_t n_op = 0;
    for (std::size_t i = 0; i < m.items(); ++i)
      if (auto k = base->find(m.item_ids[i])) {
        op[i] = base->params(*k);
        ++n_op;
      }
    if (n_op == 0) throw invalid_argument(fmt::format("no column of {} is an item of {}", a.responses, a.pretest_into));
    calibrate::pretest_options po;
    po.grid = o.grid;
    po.priors = o.priors;
    po.threads = a.threads;
    const std::string pm = a.pretest_method;
    po.method = pm == "fixed-theta" ? calibrate::pretest_method::fixed_theta
                : pm == "oem"       ? calibrate::pretest_method::oem
                : pm == "mem"       ? calibrate::pretest_method::mem
                                    : throw invalid_argument(fmt::format("--pretest-method: unknown '{}' (fixed-theta, oem or mem)", pm));
    std::vector<double> thetas;
    if (po.method == calibrate::pretest_method::fixed_theta) {
      if (a.thetas.empty()) throw invalid_argument("--pretest-method fixed-theta needs --thetas FILE (person_id,theta)");
      const auto values = calibrate::read_person_values(a.thetas);
      for (const auto& id : m.person_ids) {
        const auto it = values.find(id);
        if (it == values.end()) throw invalid_argument(fmt::format("person '{}' has no theta in {}", id, a.thetas));
        thetas.push_back(std::stod(it->second));
      }
    }
    const auto est = calibrate::pretest_calibrate(m.cells.data(), m.persons(), m.items(), op, prob.models, thetas, po);
    const auto out = calibrate::extend_bank(*base, est, m.item_ids, bank::item_status::pretest,
                                            fmt::format("pretest calibration ({}), {} persons", pm, m.persons()));
    bank::save_bank(out, a.out);
    if (!a.params_out.empty()) calibrate::write_params_csv(a.params_out, est, m.item_ids, base->scaling());
    nlohmann::json j;
    j["pretest_method"] = pm;
    j["operational_items"] = n_op;
    j["pretest_items"] = m.items() - n_op;
    j["persons"] = m.persons();
    j["bank"] = a.out;
    fmt::print("{}\n", j.dump(2));
    return exit_ok;
  }

  // Fixed anchors from a bank.
  std::size_t n_anchor = 0;
  if (!a.anchors.empty()) {
    const auto anchor_bank = bank::load_bank(a.anchors);
    prob.fixed.resize(m.items());
    for (std::size_t i = 0; i < m.items(); ++i)
      if (auto k = anchor_bank->find(m.item_ids[i])) {
        prob.fixed[i] = anchor_bank->params(*k);
        prob.models[i] = prob.fixed[i]->kind;
        ++n_anchor;
      }
    if (n_anchor == 0) throw invalid_argument(fmt::format("no column of {} is an item of {}", a.responses, a.anchors));
    o.free_reference_mean = o.free_reference_variance = true;
  }

  const auto res = calibrate::run(prob, o);
  std::vector<calibrate::sx2_item> fit;
  if (a.fit) {
    std::vector<irt::item_params> items;
    for (const auto& e : res.items) items.push_back(e.params);
    calibrate::sx2_options so;
    so.latent_mean = res.groups[0].mean;
    so.latent_sd = res.groups[0].sd;
    fit = calibrate::s_x2({m.cells.data(), m.persons(), items}, so);
  }
  calibrate::bank_output_options bo;
  bo.id = a.bank_id;
  bo.title = a.title;
  bo.scaling = a.D;
  bo.data = a.data;
  bo.note = a.note;
  bo.template_bank = tpl.get();
  std::set<std::string> kinds;
  for (auto k : prob.models) kinds.insert(std::string(irt::to_string(k)));
  std::string kind_text;
  for (const auto& k : kinds) kind_text += (kind_text.empty() ? "" : "+") + k;
  bo.method = fmt::format("MML-EM {} (dskill)", kind_text);
  const auto out = calibrate::make_bank(res, m.item_ids, bo, a.fit ? &fit : nullptr, &o);
  bank::save_bank(out, a.out);
  if (!a.params_out.empty()) calibrate::write_params_csv(a.params_out, res.items, m.item_ids, a.D);

  nlohmann::json j;
  j["log_likelihood"] = res.log_likelihood;
  j["aic"] = res.aic;
  j["bic"] = res.bic;
  j["parameters"] = res.parameters;
  j["iterations"] = res.iterations;
  j["converged"] = res.converged;
  j["persons"] = m.persons();
  j["items"] = m.items();
  j["anchors"] = n_anchor;
  j["unique_patterns"] = res.unique_patterns;
  j["standard_errors"] = res.standard_errors ? (res.se_positive_definite ? "oakes" : "oakes (information not positive definite)") : "none";
  nlohmann::json groups = nlohmann::json::array();
  for (std::size_t g = 0; g < res.groups.size(); ++g) {
    nlohmann::json gj{{"mean", res.groups[g].mean}, {"sd", res.groups[g].sd}, {"persons", res.groups[g].persons}};
    if (g < group_labels.size()) gj["group"] = group_labels[g];
    groups.push_back(gj);
  }
  j["latent"] = groups;
  if (res.latent_sd_rasch != 1.0) j["rasch_latent_sd"] = res.latent_sd_rasch;
  if (std::isfinite(res.se_latent_sd_rasch)) j["rasch_latent_sd_se"] = res.se_latent_sd_rasch;
  if (a.fit) {
    int flagged = 0;
    for (const auto& f : fit) flagged += (std::isfinite(f.p) && f.p < 0.01) ? 1 : 0;
    j["s_x2_items_p_below_0.01"] = flagged;
  }
  j["seconds"] = res.seconds;
  j["bank"] = a.out;
  fmt::print("{}\n", j.dump(2));
  return exit_ok;
}

const bool registered = register_command({
    "calibrate",
    "Calibrate items by marginal maximum likelihood (EM) and write an item bank",
    [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<calibrate_args>();
      app.add_option("--responses", a->responses, "wide CSV: person_id, then one column per item (empty or NA = missing)")
          ->required();
      app.add_option("--model", a->model, "model of every item: 1pl, 2pl, 3pl, 4pl, grm, gpcm or pcm")->capture_default_str();
      app.add_option("--models", a->models, "YAML map item id -> model, overriding --model per item");
      app.add_option("--out", a->out,
                     "the bank to write (YAML, difficulty form); with --factors a profile bank (one dimension per factor)")
          ->required();
      app.add_option("--factors", a->factors,
                     "multidimensional: mirt-like model syntax, or a file holding it, e.g. 'F1 = 1-12; F2 = 9-20; "
                     "COV = F1*F2' (SPECIFIC = S1, S2 makes bifactor/two-tier specifics)");
      app.add_option("--points", a->points, "with --factors: grid points per dimension (default mirt's: 31 for 2, 15 for 3)");
      app.add_flag("--qmc", a->qmc, "with --factors: quasi-Monte Carlo integration (the default beyond 3 factors)");
      app.add_option("--qmc-points", a->qmc_points, "with --factors: QMC nodes")->capture_default_str();
      app.add_option("--template", a->template_bank,
                     "a bank whose items (by id) give the written items' content, competences, levels, status, "
                     "enemies, tags and metadata, and whose title, framework and languages the written bank takes");
      app.add_option("--framework", a->framework,
                     "the framework of --template (checked; with --factors its items' areas map the dimensions to areas)");
      app.add_option("--areas", a->areas,
                     "with --factors: the framework area of each dimension, DIM=AREA,... (else a dimension named as an "
                     "area, else the one area of the --template items measuring it alone)");
      app.add_flag("--se", a->se, "standard errors (Oakes' observed information)");
      app.add_option("--threads", a->threads, "E-step threads (0 = all cores); results do not depend on it");
      app.add_option("--D", a->D, "scaling constant of the written parameters (1 or 1.702)")->capture_default_str();
      app.add_option("--quadrature", a->quadrature, "EM grid LO:HI:N (default -6:6:61, as mirt)");
      app.add_option("--tol", a->tol, "convergence: largest parameter change")->capture_default_str();
      app.add_option("--loglik-tol", a->loglik_tol, "also stop when the log-likelihood changes less than this");
      app.add_option("--max-iter", a->max_iter, "EM iterations at most")->capture_default_str();
      app.add_flag("--no-accelerate", a->no_accelerate, "plain EM (no SQUAREM extrapolation)");
      app.add_option("--prior-slope", a->prior_slope, "lognormal prior on slopes: MEANLOG,SDLOG (e.g. 0,0.5)");
      app.add_option("--prior-b", a->prior_b, "normal prior on difficulties: MEAN,SD (e.g. 0,2); with --factors on the intercepts");
      app.add_option("--prior-c", a->prior_c, "beta prior on lower asymptotes: ALPHA,BETA (e.g. 5,17)");
      app.add_option("--groups", a->groups, "CSV person_id,group (two groups; the second gets free latent mean and SD)");
      app.add_option("--reference", a->reference, "the reference group label (default: the first in --groups)");
      app.add_option("--anchors", a->anchors, "bank whose items (matched by id) are held fixed; latent mean/SD free");
      app.add_option("--pretest-into", a->pretest_into,
                     "operational bank: its items are held fixed, the other columns are calibrated and added as pretest");
      app.add_option("--pretest-method", a->pretest_method, "fixed-theta, oem or mem")->capture_default_str();
      app.add_option("--thetas", a->thetas, "CSV person_id,theta for --pretest-method fixed-theta");
      app.add_flag("--fit", a->fit,
                   "compute S-X2 item fit and store it in the bank; with --factors, M2 (dichotomous items, complete data)");
      app.add_option("--params-out", a->params_out, "also write the estimates and SEs as CSV");
      app.add_option("--log", a->log, "write the iteration log (CSV) here");
      app.add_option("--bank-id", a->bank_id, "id of the written bank")->capture_default_str();
      app.add_option("--title", a->title, "title of the written bank");
      app.add_option("--data", a->data, "provenance: real or simulated");
      app.add_option("--note", a->note, "provenance note of the written bank (default: the fit summary)");
      app.add_flag("--progress", a->progress, "print progress on stderr even when it is not a terminal");
      app.add_flag("--quiet", a->quiet, "no progress output");
      return [a] { return run(*a); };
    },
});

}  // namespace
}  // namespace dskill::cli
