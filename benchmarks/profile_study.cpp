// The profile study of issue 11: per-area decisions of today's test (one theta for selection,
// each area scored alone from its own items) against the multidimensional test (selection on
// the profile, per-area levels from the profile posterior), on the same bank, the same simulated
// people and the same lengths.
//
//   profile_study --bank item_banks/digcomp-profile.yaml --framework item_banks/frameworks/digcomp-2.2.yaml
//                 --spec item_banks/specs/digcomp-cat.yaml --profile-spec item_banks/specs/digcomp-profile-cat.yaml
//                 [--examinees 2000] [--lengths 20,25,30] [--seed 11] [--threads 2] [--out DIR]
//
// True profiles are drawn from the bank's latent N(mean, covariance); answers are drawn from the
// bank's multidimensional model at the true profile (each item through its slopes). Both arms
// read the same people and the same answer streams per item (one uniform per person and item,
// fixed before the test), so a difference between arms is the test's, not the draw's.
//
// Figures per arm and length: per-area RMSE of theta and classification accuracy (estimated level
// = true level, framework cut scores of the area), the share of people certified, and the share
// wrongly certified: issued a certification rule that their true levels do not meet (the
// framework's own rule evaluated on the true area levels; the true overall level is that of the
// mean of the true area abilities). The information bound is what a test of that length could at
// best reach: the posterior SD of each area from the prior and the information at the true
// profile of the L most informative items there (chosen greedily for D-optimality, knowing the
// truth), and the classification accuracy an estimate with that SD centred on the truth gives.
//
// Output: study.json (every figure), study.csv (one row per arm, length and area) and
// study.html (the table and plots) in --out; the table is also printed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/spec.hpp"
#include "dskill/core/normal.hpp"
#include "dskill/core/parallel.hpp"
#include "dskill/core/rng.hpp"
#include "dskill/estimate/multidim.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/irt/multidim.hpp"
#include "dskill/report/html.hpp"
#include "dskill/report/svg.hpp"
#include "dskill/score/framework_levels.hpp"
#include "dskill/score/levels.hpp"
#include "dskill/score/scorer.hpp"

using namespace dskill;

namespace {

struct args {
  std::string bank, framework, spec, profile_spec, out = ".";
  std::size_t examinees = 2000;
  std::vector<int> lengths = {20, 25, 30};
  std::uint64_t seed = 11;
  unsigned threads = 2;
  std::vector<double> min_probability = {0.8, 0.9};
};

[[noreturn]] void usage(const char* msg) {
  std::fprintf(stderr, "profile_study: %s\nusage: profile_study --bank PROFILE_BANK --framework FW --spec SPEC "
               "--profile-spec SPEC [--examinees N] [--lengths 20,25,30] [--seed S] [--threads T] [--out DIR]\n", msg);
  std::exit(2);
}

args parse(int argc, char** argv) {
  args a;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) usage(("missing value for " + k).c_str());
    const std::string v = argv[++i];
    if (k == "--bank") a.bank = v;
    else if (k == "--framework") a.framework = v;
    else if (k == "--spec") a.spec = v;
    else if (k == "--profile-spec") a.profile_spec = v;
    else if (k == "--out") a.out = v;
    else if (k == "--examinees") a.examinees = std::stoul(v);
    else if (k == "--seed") a.seed = std::stoull(v);
    else if (k == "--threads") a.threads = static_cast<unsigned>(std::stoul(v));
    else if (k == "--min-probability") {
      a.min_probability.clear();
      for (std::size_t p = 0; p < v.size();) {
        const auto q = v.find(',', p);
        a.min_probability.push_back(std::stod(v.substr(p, q - p)));
        p = q == std::string::npos ? v.size() : q + 1;
      }
    }
    else if (k == "--lengths") {
      a.lengths.clear();
      for (std::size_t p = 0; p < v.size();) {
        const auto q = v.find(',', p);
        a.lengths.push_back(std::stoi(v.substr(p, q - p)));
        p = q == std::string::npos ? v.size() : q + 1;
      }
    } else usage(("unknown option " + k).c_str());
  }
  if (a.bank.empty() || a.framework.empty() || a.spec.empty()) usage("--bank, --framework and --spec are required");
  return a;
}

// One simulated person: the true profile and one uniform per item for the answer to it.
struct person {
  std::vector<double> theta;
  std::vector<double> u;
};

// The category of item i drawn by uniform u at the true profile (inverse CDF over categories).
int answer(const irt::multidim_table& table, std::size_t i, const std::vector<double>& theta, double u) {
  double lp[irt::max_categories];
  irt::log_probabilities(table, i, theta, lp);
  const int k = table.links[i].categories();
  for (int c = 0; c < k - 1; ++c) {
    u -= std::exp(lp[c]);
    if (u < 0) return c;
  }
  return k - 1;
}

// What one arm decided for one person.
struct decision {
  std::vector<double> area_theta;  // per scheme area
  std::vector<int> area_level;
  std::optional<std::size_t> rule;
  int length = 0;
};

// Sums of one arm at one length.
struct tally {
  std::size_t n = 0, certified = 0, wrongly = 0;
  std::vector<double> sq, correct;  // per area
  double length = 0;
  explicit tally(std::size_t areas = 0) : sq(areas), correct(areas) {}
};

struct area_map {
  std::vector<std::size_t> dim_of_area;  // scheme area -> bank dimension
};

// True levels and certification of a person (the framework's rules on the truth).
struct truth {
  std::vector<int> level;
  std::optional<std::size_t> rule;
};

truth true_decision(const score::level_scheme& scheme, const area_map& map, const person& p) {
  truth t;
  double mean = 0;
  for (std::size_t a = 0; a < scheme.areas.size(); ++a) {
    const double th = p.theta[map.dim_of_area[a]];
    t.level.push_back(score::level_for(scheme.areas[a].cuts, th));
    mean += th;
  }
  mean /= static_cast<double>(scheme.areas.size());
  t.rule = scheme.certify(t.level, score::level_for(scheme.overall_cuts, mean));
  return t;
}

void add(tally& t, const decision& d, const person& p, const truth& tr, const area_map& map) {
  ++t.n;
  t.length += d.length;
  for (std::size_t a = 0; a < t.sq.size(); ++a) {
    const double e = d.area_theta[a] - p.theta[map.dim_of_area[a]];
    t.sq[a] += e * e;
    t.correct[a] += d.area_level[a] == tr.level[a];
  }
  if (d.rule) {
    ++t.certified;
    // Rules are listed from the most demanding: a lower index than the truth's is wrong.
    if (!tr.rule || *d.rule < *tr.rule) ++t.wrongly;
  }
}

// Today's view of a between-item profile bank: every item a unidimensional item of its own
// area's ability (its one slope and intercepts), the latent structure dropped.
bank::bank_ptr unidimensional_view(const bank::item_bank& profile) {
  auto info = profile.info();
  info.dimensions.clear();
  info.latent_mean.clear();
  info.latent_covariance.clear();
  auto items = profile.items();
  for (auto& it : items) {
    std::size_t loaded = 0;
    for (double a : it.slopes) loaded += a != 0.0;
    if (loaded > 1) throw std::invalid_argument("item " + it.id + " loads on several dimensions: the study needs a between-item bank");
    it.slopes.clear();
  }
  return std::make_shared<const bank::item_bank>(std::move(info), std::move(items));
}

// A fixed-length test: every stopping rule but the length off, and a blueprint of `length / areas`
// items per area where the spec sets per-area minima or maxima.
void fix_length(cat::test_spec& spec, int length) {
  spec.stopping.min_items = spec.stopping.max_items = length;
  spec.stopping.se = spec.stopping.se_per_area = spec.stopping.min_information = 0.0;
  spec.stopping.classification = cat::classification_kind::none;
  spec.stopping.rules.clear();
  const int n = static_cast<int>(spec.content.targets.size());
  for (auto& t : spec.content.targets) {
    if (t.max >= 0) t.max = (length + n - 1) / n;
    if (t.min > 0) t.min = std::min(t.min, length / n);
  }
}


// Today's test: the unidimensional engine picks items on one theta; each area is then scored
// alone from its own items (score::scorer, as `dskill score` and `take` do).
class unidimensional_arm {
 public:
  unidimensional_arm(bank::bank_ptr unidimensional, bank::bank_ptr profile, cat::test_spec spec,
                     std::shared_ptr<const score::level_scheme> scheme, int length, std::vector<std::size_t> dim_of_area)
      : bank_(std::move(unidimensional)), profile_bank_(std::move(profile)), scheme_(std::move(scheme)),
        dim_of_area_(std::move(dim_of_area)) {
    fix_length(spec, length);
    engine_ = cat::engine::create(bank_, spec);
    scorer_ = std::make_unique<score::scorer>(bank_, spec.estimator, scheme_);
    estimate::profile_options po;
    const auto dims = profile_bank_->dimensions();
    po.prior.mean = estimate::profile_vector::Map(profile_bank_->info().latent_mean.data(), static_cast<Eigen::Index>(dims));
    po.prior.covariance =
        estimate::profile_matrix::Map(profile_bank_->info().latent_covariance.data(), static_cast<Eigen::Index>(dims),
                                      static_cast<Eigen::Index>(dims));
    profile_ = std::make_unique<estimate::profile_estimator>(table_, po);
  }

  /// Today's decision, and in `profiled` the same answers scored on the profile (MAP with the
  /// bank's latent prior; levels of each area's coordinate, the framework's rules on them).
  decision run(const person& p, std::uint64_t seed, score::scorer::workspace& ws, decision* profiled = nullptr) const {
    cat::session s(engine_, seed);
    for (;;) {
      const auto st = s.next_item();
      if (!st.item) break;
      s.record_response(*st.item, answer(table_, *st.item, p.theta, p.u[*st.item]));
    }
    score::person_result r;
    scorer_->score(s.responses(), r, ws);
    decision d;
    d.length = static_cast<int>(s.responses().size());
    for (const auto& a : r.areas) {
      d.area_theta.push_back(a.n_answered ? a.est.theta : 0.0);
      d.area_level.push_back(a.level);
    }
    d.rule = r.rule;
    if (profiled) {
      const auto est = (*profile_)(s.responses());
      profiled->length = d.length;
      profiled->area_theta.clear();
      profiled->area_level.clear();
      double mean = 0;
      for (std::size_t a = 0; a < scheme_->areas.size(); ++a) {
        const double th = est.theta[static_cast<Eigen::Index>(dim_of_area_[a])];
        profiled->area_theta.push_back(th);
        profiled->area_level.push_back(score::level_for(scheme_->areas[a].cuts, th));
        mean += th;
      }
      mean /= static_cast<double>(scheme_->areas.size());
      profiled->rule = scheme_->certify(profiled->area_level, score::level_for(scheme_->overall_cuts, mean));
    }
    return d;
  }

 private:
  bank::bank_ptr bank_, profile_bank_;
  std::shared_ptr<const score::level_scheme> scheme_;
  std::shared_ptr<const cat::engine> engine_;
  std::unique_ptr<score::scorer> scorer_;
  std::vector<std::size_t> dim_of_area_;
  irt::multidim_table table_ = profile_bank_->multidim_table();
  std::unique_ptr<estimate::profile_estimator> profile_;
};

// The information bound at one length: per area, the posterior SD that the prior and the
// `length` items most informative at the true profile give (greedy D-optimality: each step
// takes the item maximising det(P + I_j) = det(P) (1 + I_j(t) a_j' P^-1 a_j), P the precision
// so far, kept with its inverse by Sherman-Morrison), and the chance that an estimate centred on
// the truth with that SD falls in the true level.
struct bound {
  std::vector<double> sd_sq, accuracy;  // sums per area
  explicit bound(std::size_t areas = 0) : sd_sq(areas), accuracy(areas) {}
};

void add_bound(bound& b, const bank::item_bank& bank, const score::level_scheme& scheme, const area_map& map,
               const person& p, int length) {
  const auto table = bank.multidim_table();
  const std::size_t dims = table.dims;
  const auto& cov = bank.info().latent_covariance;
  std::vector<double> inv(cov.begin(), cov.end());  // P^-1, from the prior covariance
  std::vector<char> used(bank.size(), 0);
  std::vector<double> pa(dims);
  for (int step = 0; step < length; ++step) {
    std::size_t best = bank.size();
    double best_gain = -1, best_w = 0;
    for (std::size_t i = 0; i < bank.size(); ++i) {
      if (used[i] || bank.item(i).status != bank::item_status::operational) continue;
      const auto a = table.slopes_of(i);
      const double w = irt::information(table.links[i], table.projection(i, p.theta));
      double q = 0;
      for (std::size_t r = 0; r < dims; ++r)
        for (std::size_t c = 0; c < dims; ++c) q += a[r] * inv[r * dims + c] * a[c];
      if (w * q > best_gain) best_gain = w * q, best = i, best_w = w;
    }
    if (best == bank.size()) break;
    used[best] = 1;
    const auto a = table.slopes_of(best);
    for (std::size_t r = 0; r < dims; ++r) {
      pa[r] = 0;
      for (std::size_t c = 0; c < dims; ++c) pa[r] += inv[r * dims + c] * a[c];
    }
    const double denom = 1 + best_w * std::inner_product(a.begin(), a.end(), pa.begin(), 0.0);
    for (std::size_t r = 0; r < dims; ++r)
      for (std::size_t c = 0; c < dims; ++c) inv[r * dims + c] -= best_w * pa[r] * pa[c] / denom;
  }
  for (std::size_t ar = 0; ar < b.sd_sq.size(); ++ar) {
    const std::size_t d = map.dim_of_area[ar];
    const double sd = std::sqrt(inv[d * dims + d]), th = p.theta[d];
    const auto& cuts = scheme.areas[ar].cuts;
    const int level = score::level_for(cuts, th);  // 1 + cuts at or below
    const double lo = level >= 2 ? cuts[level - 2] : -INFINITY, hi = level - 1 < static_cast<int>(cuts.size()) ? cuts[level - 1] : INFINITY;
    b.sd_sq[ar] += sd * sd;
    b.accuracy[ar] += core::normal_cdf((hi - th) / sd) - core::normal_cdf((lo - th) / sd);
  }
}

// The multidimensional test: the profile engine selects on the profile (the spec's rule, e.g.
// D-optimality with the latent prior); each area's level is that of its coordinate of the final
// profile estimate, or, in `cautious`, the highest level at or below it reached with posterior
// probability min_probability (score::level_at_probability, the rule `dskill score` applies).
class profile_arm {
 public:
  profile_arm(bank::bank_ptr bank, cat::test_spec spec, std::shared_ptr<const score::level_scheme> scheme, int length,
              std::vector<std::size_t> dim_of_area, std::vector<double> min_probability)
      : bank_(std::move(bank)), scheme_(std::move(scheme)), dim_of_area_(std::move(dim_of_area)), p_(min_probability) {
    fix_length(spec, length);
    engine_ = cat::engine::create(bank_, spec);
  }

  /// The point-estimate decision, and in cautious[j] the one at min_probability[j].
  decision run(const person& p, std::uint64_t seed, std::vector<decision>& cautious) const {
    cat::session s(engine_, seed);
    const auto table = bank_->multidim_table();
    for (;;) {
      const auto st = s.next_item();
      if (!st.item) break;
      s.record_response(*st.item, answer(table, *st.item, p.theta, p.u[*st.item]));
    }
    const auto& th = s.profile_theta();
    const auto se = s.profile_se();
    decision d;
    d.length = static_cast<int>(s.responses().size());
    cautious.assign(p_.size(), decision{});
    double mean = 0;
    for (std::size_t a = 0; a < scheme_->areas.size(); ++a) {
      const auto k = static_cast<Eigen::Index>(dim_of_area_[a]);
      const auto& cuts = scheme_->areas[a].cuts;
      d.area_theta.push_back(th[k]);
      d.area_level.push_back(score::level_for(cuts, th[k]));
      // The certified level at each probability, as `dskill score` states it (min_probability).
      std::vector<double> probs(cuts.size() + 1);
      score::level_probabilities(cuts, th[k], se[k], probs);
      for (std::size_t j = 0; j < p_.size(); ++j) {
        cautious[j].length = d.length;
        cautious[j].area_theta.push_back(th[k]);
        cautious[j].area_level.push_back(score::level_at_probability(probs, d.area_level.back(), p_[j]));
      }
      mean += th[k];
    }
    mean /= static_cast<double>(scheme_->areas.size());
    d.rule = scheme_->certify(d.area_level, score::level_for(scheme_->overall_cuts, mean));
    for (auto& c : cautious) c.rule = scheme_->certify(c.area_level, score::level_for(scheme_->overall_cuts, mean));
    return d;
  }

 private:
  bank::bank_ptr bank_;
  std::shared_ptr<const score::level_scheme> scheme_;
  std::vector<std::size_t> dim_of_area_;
  std::vector<double> p_;
  std::shared_ptr<const cat::engine> engine_;
};

}  // namespace

int main(int argc, char** argv) {
  const auto a = parse(argc, argv);
  const auto fw = framework::load_framework(a.framework);
  bank::load_options lo;
  lo.framework = fw.get();
  const auto bank = bank::load_bank(a.bank, lo);
  if (!bank->multidimensional()) usage("the study needs a profile bank (bank.dimensions)");
  const auto scheme = score::from_framework(fw);
  const std::size_t dims = bank->dimensions(), areas = scheme->areas.size();
  area_map map;
  for (const auto& ar : scheme->areas) {
    std::optional<std::size_t> d;
    for (std::size_t k = 0; k < dims; ++k)
      if (bank->info().dimensions[k].area == ar.id) d = k;
    if (!d) usage(("framework area " + ar.id + " has no dimension in the bank").c_str());
    map.dim_of_area.push_back(*d);
  }

  // People: true profiles from the latent N(mean, covariance), through its Cholesky factor.
  const auto& mean = bank->info().latent_mean;
  const auto& cov = bank->info().latent_covariance;
  std::vector<double> chol(dims * dims, 0.0);
  for (std::size_t i = 0; i < dims; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      double s = cov[i * dims + j];
      for (std::size_t k = 0; k < j; ++k) s -= chol[i * dims + k] * chol[j * dims + k];
      chol[i * dims + j] = i == j ? std::sqrt(s) : s / chol[j * dims + j];
    }
  std::vector<person> people(a.examinees);
  for (std::size_t n = 0; n < people.size(); ++n) {
    core::rng g(core::derive_seed(a.seed, n, 1));
    std::vector<double> z(dims);
    for (auto& x : z) x = g.normal();
    auto& p = people[n];
    p.theta.assign(dims, 0.0);
    for (std::size_t i = 0; i < dims; ++i) {
      p.theta[i] = mean.empty() ? 0.0 : mean[i];
      for (std::size_t k = 0; k <= i; ++k) p.theta[i] += chol[i * dims + k] * z[k];
    }
    p.u.resize(bank->size());
    for (auto& u : p.u) u = g.uniform();
  }
  std::vector<truth> truths;
  for (const auto& p : people) truths.push_back(true_decision(*scheme, map, p));

  const auto spec = cat::load_test_spec(a.spec);
  std::map<std::string, std::map<int, tally>> results;
  for (const int length : a.lengths) {
    const unidimensional_arm arm(unidimensional_view(*bank), bank, spec, scheme, length, map.dim_of_area);
    std::vector<decision> out(people.size()), profiled(people.size());
    core::parallel_for(people.size(), 16, a.threads, [&](std::size_t b, std::size_t e) {
      score::scorer::workspace ws;
      for (std::size_t i = b; i < e; ++i) out[i] = arm.run(people[i], core::derive_seed(a.seed, i, 2), ws, &profiled[i]);
    });
    tally t(areas), tp(areas);
    for (std::size_t i = 0; i < people.size(); ++i) {
      add(t, out[i], people[i], truths[i], map);
      add(tp, profiled[i], people[i], truths[i], map);
    }
    results["unidimensional"][length] = t;
    results["unidimensional selection, profile MAP"][length] = tp;
    if (!a.profile_spec.empty()) {
      const profile_arm parm(bank, cat::load_test_spec(a.profile_spec), scheme, length, map.dim_of_area, a.min_probability);
      std::vector<decision> po(people.size());
      std::vector<std::vector<decision>> pc(people.size());
      core::parallel_for(people.size(), 16, a.threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) po[i] = parm.run(people[i], core::derive_seed(a.seed, i, 2), pc[i]);
      });
      tally u(areas);
      std::vector<tally> uc(a.min_probability.size(), tally(areas));
      for (std::size_t i = 0; i < people.size(); ++i) {
        add(u, po[i], people[i], truths[i], map);
        for (std::size_t j = 0; j < uc.size(); ++j) add(uc[j], pc[i][j], people[i], truths[i], map);
      }
      results["multidimensional"][length] = u;
      for (std::size_t j = 0; j < uc.size(); ++j)
        results[fmt::format("multidimensional, levels at P >= {}", a.min_probability[j])][length] = uc[j];
    }
  }

  std::map<int, bound> bounds;
  for (const int length : a.lengths) {
    bound b(areas);
    for (const auto& p : people) add_bound(b, *bank, *scheme, map, p, length);
    bounds[length] = b;
  }

  // One row per arm and length: the table printed, written as CSV and JSON, and plotted.
  struct row {
    std::string arm;
    int length;
    double mean_length;
    std::vector<double> rmse, accuracy;
    double mean_accuracy, certified = NAN, wrongly = NAN;
  };
  std::vector<row> rows;
  for (const auto& [arm, by_length] : results)
    for (const auto& [length, t] : by_length) {
      const double n = static_cast<double>(t.n);
      row r{arm, length, t.length / n, {}, {}, 0.0, t.certified / n, t.wrongly / n};
      for (std::size_t k = 0; k < areas; ++k) {
        r.rmse.push_back(std::sqrt(t.sq[k] / n));
        r.accuracy.push_back(t.correct[k] / n);
        r.mean_accuracy += t.correct[k] / n / static_cast<double>(areas);
      }
      rows.push_back(r);
    }
  for (const auto& [length, b] : bounds) {
    const double n = static_cast<double>(people.size());
    row r{"information bound", length, static_cast<double>(length), {}, {}, 0.0};
    for (std::size_t k = 0; k < areas; ++k) {
      r.rmse.push_back(std::sqrt(b.sd_sq[k] / n));
      r.accuracy.push_back(b.accuracy[k] / n);
      r.mean_accuracy += b.accuracy[k] / n / static_cast<double>(areas);
    }
    rows.push_back(r);
  }
  auto f3 = [](double v) { return std::isfinite(v) ? fmt::format("{:.3f}", v) : std::string(); };
  std::vector<std::string> header = {"arm", "length", "mean length"};
  for (const auto& ar : scheme->areas) header.push_back("RMSE " + ar.id);
  for (const auto& ar : scheme->areas) header.push_back("accuracy " + ar.id);
  for (const char* h : {"mean accuracy", "certified", "wrongly certified"}) header.emplace_back(h);
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    std::vector<std::string> c = {r.arm, std::to_string(r.length), fmt::format("{:.1f}", r.mean_length)};
    for (double v : r.rmse) c.push_back(f3(v));
    for (double v : r.accuracy) c.push_back(f3(v));
    c.push_back(f3(r.mean_accuracy));
    c.push_back(f3(r.certified));
    c.push_back(f3(r.wrongly));
    cells.push_back(c);
  }
  auto join = [](const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
  };
  std::printf("| %s |\n", join(header, " | ").c_str());
  for (const auto& c : cells) std::printf("| %s |\n", join(c, " | ").c_str());

  std::string csv = join(header, ",") + "\n";
  for (const auto& c : cells) csv += join(c, ",") + "\n";
  std::ofstream(a.out + "/study.csv") << csv;
  std::string json = fmt::format("{{\n  \"bank\": \"{}\",\n  \"examinees\": {},\n  \"seed\": {},\n  \"rows\": [",
                                 bank->info().id, people.size(), a.seed);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    auto list = [](const std::vector<double>& v) {
      std::string out = "[";
      for (std::size_t k = 0; k < v.size(); ++k) out += fmt::format("{}{:.6f}", k ? ", " : "", v[k]);
      return out + "]";
    };
    auto num = [](double v) { return std::isfinite(v) ? fmt::format("{:.6f}", v) : std::string("null"); };
    json += fmt::format("{}\n    {{\"arm\": \"{}\", \"length\": {}, \"rmse\": {}, \"accuracy\": {}, \"mean_accuracy\": {}, "
                        "\"certified\": {}, \"wrongly_certified\": {}}}",
                        i ? "," : "", r.arm, r.length, list(r.rmse), list(r.accuracy), num(r.mean_accuracy),
                        num(r.certified), num(r.wrongly));
  }
  std::ofstream(a.out + "/study.json") << json << "\n  ]\n}\n";

  report::html_document doc("Profile study: per-area decisions, today's test and the multidimensional test");
  doc.fact("bank", bank->info().id + " (" + std::to_string(bank->size()) + " items, " + std::to_string(dims) + " dimensions)");
  doc.fact("simulated people", fmt::format("{} from the bank's latent N(mean, covariance), seed {}", people.size(), a.seed));
  doc.note("Simulated people and answers from the bank's own model: the figures show what the method does on this bank, not "
           "real examinees.");
  doc.section("table", "Figures");
  doc.table(header, cells, "Accuracy: share of people whose level in the area equals their true level. Wrongly certified: "
                           "issued a certification rule their true levels do not meet.");
  doc.section("plots", "Plots");
  report::svg::xy_plot acc("Mean per-area classification accuracy", "test length", "accuracy");
  report::svg::xy_plot wrong("Wrongly issued certificates", "test length", "share of people");
  std::size_t colour = 0;
  for (const auto& [arm, by_length] : results) {
    std::vector<double> x, y, w;
    for (const auto& r : rows)
      if (r.arm == arm) x.push_back(r.length), y.push_back(r.mean_accuracy), w.push_back(r.wrongly);
    acc.line(x, y, arm, report::palette(colour));
    wrong.line(x, w, arm, report::palette(colour));
    ++colour;
  }
  {
    std::vector<double> x, y;
    for (const auto& r : rows)
      if (r.arm == "information bound") x.push_back(r.length), y.push_back(r.mean_accuracy);
    acc.line(x, y, "information bound", "#555", true);
  }
  doc.figure(acc.render(), "The information bound is the accuracy an estimate centred on the truth with the posterior SD of the "
                           "most informative items at the true profile would reach.");
  doc.figure(wrong.render());
  std::ofstream(a.out + "/study.html") << doc.render();
  return 0;
}
