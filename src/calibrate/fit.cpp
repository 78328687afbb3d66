// Item and person fit. See fit.hpp.
#include "dskill/calibrate/fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include <boost/math/special_functions/gamma.hpp>
#include <fmt/format.h>

#include "dskill/bank/item_bank.hpp"
#include "dskill/error.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
using table = std::vector<std::vector<double>>;

double row_sum(const std::vector<double>& r) {
  double s = 0.0;
  for (double v : r)
    if (!std::isnan(v)) s += v;
  return s;
}
void add_row(std::vector<double>& into, const std::vector<double>& from) {
  for (std::size_t k = 0; k < into.size(); ++k) into[k] += from[k];
}
int default_parameters(const irt::item_params& it) {
  switch (it.kind) {
    case irt::model::one_pl: return 1;
    case irt::model::two_pl: return 2;
    case irt::model::three_pl: return 3;
    case irt::model::four_pl: return 4;
    case irt::model::pcm: return it.categories() - 1;
    default: return it.categories();
  }
}
void check(const fit_data& d) {
  if (!d.responses || d.persons == 0 || d.items.empty()) throw invalid_argument("fit needs responses and items");
  for (std::size_t p = 0; p < d.persons; ++p)
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      const int x = d.responses[p * d.items.size() + i];
      if (x >= d.items[i].categories())
        throw invalid_argument(fmt::format("person {}: response {} to item {} is outside its {} categories", p + 1, x,
                                           i + 1, d.items[i].categories()));
    }
}
}  // namespace

double chi_square_upper(double x, double df) {
  if (!(df > 0) || std::isnan(x)) return nan;
  if (x <= 0) return 1.0;
  return boost::math::gamma_q(df / 2.0, x / 2.0);
}

std::vector<int> collapse_cells(table& O, table& E, double mincell) {
  std::vector<int> label(O.size());
  for (std::size_t r = 0; r < label.size(); ++r) label[r] = static_cast<int>(r);
  auto erase_row = [&](std::size_t r) {
    O.erase(O.begin() + static_cast<std::ptrdiff_t>(r));
    E.erase(E.begin() + static_cast<std::ptrdiff_t>(r));
    label.erase(label.begin() + static_cast<std::ptrdiff_t>(r));
  };
  std::size_t ncol = O.empty() ? 0 : O[0].size();
  // (1) rows with impossible (NA) cells: low ones folded forward, high ones backward.
  {
    std::vector<std::size_t> R;
    for (std::size_t r = 0; r < E.size(); ++r) {
      bool na = false;
      for (double& v : E[r])
        if (std::isnan(v)) {
          na = true;
          v = 0.0;
        }
      if (na) R.push_back(r);
    }
    if (!R.empty()) {
      const std::size_t half = R.size() / 2;
      for (std::size_t i = 0; i < half; ++i) {
        const std::size_t r = R[i];
        if (r + 1 < O.size()) {
          add_row(O[r + 1], O[r]);
          add_row(E[r + 1], E[r]);
        }
      }
      for (std::size_t i = R.size(); i-- > half;) {
        const std::size_t r = R[i];
        if (r >= 1) {
          add_row(O[r - 1], O[r]);
          add_row(E[r - 1], E[r]);
        }
      }
      for (std::size_t i = R.size(); i-- > 0;) erase_row(R[i]);
    }
  }
  // (2) rows nobody is in.
  for (std::size_t r = O.size(); r-- > 0;)
    if (row_sum(O[r]) == 0) erase_row(r);
  // Flags computed once, here (mirt reads them by position after step 3).
  std::vector<std::vector<bool>> L(E.size(), std::vector<bool>(ncol));
  for (std::size_t r = 0; r < E.size(); ++r)
    for (std::size_t k = 0; k < ncol; ++k) L[r][k] = E[r][k] < mincell;
  // (3) rows with exactly one observation go into the next row; a last such row into the one before.
  if (O.size() > 1) {
    std::vector<bool> drop(O.size(), false);
    for (std::size_t j = 0; j + 1 < O.size(); ++j)
      if (row_sum(O[j]) == 1) {
        add_row(O[j + 1], O[j]);
        add_row(E[j + 1], E[j]);
        drop[j] = true;
      }
    for (std::size_t r = O.size(); r-- > 0;)
      if (drop[r]) erase_row(r);
    if (O.size() > 1 && row_sum(O.back()) == 1) {
      add_row(O[O.size() - 2], O.back());
      add_row(E[E.size() - 2], E.back());
      erase_row(O.size() - 1);
    }
  }
  // (4) polytomous: within a flagged row, merge sparse categories into neighbours.
  if (ncol > 2) {
    for (std::size_t r = 0; r < O.size() && r < L.size(); ++r) {
      if (std::none_of(L[r].begin(), L[r].end(), [](bool b) { return b; })) continue;
      std::vector<double> o = O[r], e = E[r];
      do {
        std::size_t m = 0;
        for (std::size_t k = 1; k < e.size(); ++k)
          if (e[k] <= e[m]) m = k;  // ties: the last
        std::size_t into;
        if (m == 0) into = 1;
        else if (m == e.size() - 1) into = m - 1;
        else into = e[m - 1] <= e[m + 1] ? m - 1 : m + 1;
        o[into] += o[m];
        e[into] += e[m];
        o.erase(o.begin() + static_cast<std::ptrdiff_t>(m));
        e.erase(e.begin() + static_cast<std::ptrdiff_t>(m));
      } while (e.size() > 2 && std::any_of(e.begin(), e.end(), [&](double v) { return v < mincell; }));
      o.resize(ncol, 0.0);
      e.resize(ncol, 0.0);
      O[r] = o;
      E[r] = e;
    }
    // (5) fold a sparse last category into the previous one.
    while (ncol > 2) {
      double tot = 0.0;
      for (const auto& row : E) tot += row[ncol - 1];
      if (!(tot < mincell * std::ceil(static_cast<double>(E.size()) * 0.1))) break;
      for (std::size_t r = 0; r < O.size(); ++r) {
        O[r][ncol - 2] += O[r][ncol - 1];
        E[r][ncol - 2] += E[r][ncol - 1];
        O[r].pop_back();
        E[r].pop_back();
      }
      --ncol;
    }
  }
  // (6) categories expected in fewer than 5% of rows.
  for (std::size_t k = ncol; k-- > 1;) {
    std::size_t present = 0;
    for (const auto& row : E) present += row[k] > 0 ? 1 : 0;
    if (static_cast<double>(present) < 0.05 * static_cast<double>(E.size())) {
      for (std::size_t r = 0; r < O.size(); ++r) {
        O[r][k - 1] += O[r][k];
        E[r][k - 1] += E[r][k];
        O[r].erase(O[r].begin() + static_cast<std::ptrdiff_t>(k));
        E[r].erase(E[r].begin() + static_cast<std::ptrdiff_t>(k));
      }
      --ncol;
    }
  }
  // (7) rows with a small expected cell join a neighbour.
  while (O.size() > 1) {
    std::size_t r = O.size();
    for (std::size_t i = 0; i < E.size() && r == O.size(); ++i)
      for (double v : E[i])
        if (v > 0 && v < mincell) {
          r = i;
          break;
        }
    if (r == O.size()) break;
    std::size_t into;
    if (r == 0) into = 1;
    else if (r == O.size() - 1) into = r - 1;
    else into = row_sum(O[r - 1]) <= row_sum(O[r + 1]) ? r - 1 : r + 1;
    add_row(O[into], O[r]);
    add_row(E[into], E[r]);
    erase_row(r);
  }
  // (8) empty expected cells are ignored.
  for (std::size_t r = 0; r < E.size(); ++r)
    for (std::size_t k = 0; k < E[r].size(); ++k)
      if (E[r][k] == 0) {
        E[r][k] = nan;
        O[r][k] = nan;
      }
  return label;
}

namespace {

// One group of persons who answered the same items: its item subset (indices into the data's
// items), its persons and their total scores over that subset.
struct sx2_group {
  std::vector<std::size_t> items;
  std::vector<std::size_t> persons;
  std::vector<int> total;
};

// Persons grouped by the set of items they answered, in order of first appearance. Persons
// who answered fewer than two items cannot enter any table (the rest score has no range).
std::vector<sx2_group> group_by_pattern(const fit_data& d) {
  const std::size_t J = d.items.size();
  std::vector<sx2_group> groups;
  std::unordered_map<std::string, std::size_t> index;
  std::string key(J, '0');
  for (std::size_t p = 0; p < d.persons; ++p) {
    int answered = 0, s = 0;
    for (std::size_t i = 0; i < J; ++i) {
      const int x = d.responses[p * J + i];
      key[i] = x < 0 ? '0' : '1';
      answered += x >= 0;
      s += std::max(x, 0);
    }
    if (answered < 2) continue;
    auto [it, fresh] = index.try_emplace(key, groups.size());
    if (fresh) {
      groups.emplace_back();
      for (std::size_t i = 0; i < J; ++i)
        if (key[i] == '1') groups.back().items.push_back(i);
    }
    groups[it->second].persons.push_back(p);
    groups[it->second].total.push_back(s);
  }
  return groups;
}

// The (collapsed) observed and expected tables of every item of one group, and what pooling
// needs: chi-square sum and the number of cells and rows per item of the group.
struct sx2_group_tables {
  std::vector<double> x2;
  std::vector<int> cells, rows;
};

}  // namespace

std::vector<sx2_item> s_x2(const fit_data& d, const sx2_options& opts) {
  check(d);
  const std::size_t J = d.items.size();
  const auto nodes = grid_nodes(opts.grid);
  const std::size_t Q = nodes.size();
  std::vector<double> w(Q);
  double wsum = 0.0;
  for (std::size_t q = 0; q < Q; ++q) {
    const double z = (nodes[q] - opts.latent_mean) / opts.latent_sd;
    w[q] = std::exp(-0.5 * z * z);
    wsum += w[q];
  }
  for (auto& v : w) v /= wsum;
  std::vector<int> maxk(J);
  // P[i][k * Q + q]
  std::vector<std::vector<double>> P(J);
  for (std::size_t i = 0; i < J; ++i) {
    maxk[i] = d.items[i].categories() - 1;
    const int K = maxk[i] + 1;
    P[i].resize(static_cast<std::size_t>(K) * Q);
    double pr[irt::max_categories];
    for (std::size_t q = 0; q < Q; ++q) {
      irt::probabilities(d.items[i], nodes[q], pr);
      for (int k = 0; k < K; ++k) P[i][static_cast<std::size_t>(k) * Q + q] = pr[k];
    }
  }

  auto groups = group_by_pattern(d);
  std::size_t left_out = 0;
  std::erase_if(groups, [&](const sx2_group& g) {
    const bool small = g.persons.size() < opts.min_group;
    left_out += small ? g.persons.size() : 0;
    return small;
  });
  if (groups.empty())
    throw invalid_argument(fmt::format(
        "S-X2 has no group of at least {} persons who answered the same items (of {} persons); lower "
        "sx2_options::min_group or give complete patterns",
        opts.min_group, d.persons));

  std::vector<sx2_item> out(J);
  std::vector<double> x2_sum(J, 0.0);
  std::vector<int> cell_sum(J, 0), row_sum_(J, 0);
  std::vector<std::size_t> persons_of(J, 0);
  std::vector<double> dist, next, Ls, Ns, num;
  for (const auto& g : groups) {
    const auto& use = g.items;
    int S = 0;
    for (auto i : use) S += maxk[i];
    Ns.assign(static_cast<std::size_t>(S + 1), 0.0);
    for (int s : g.total) Ns[static_cast<std::size_t>(s)] += 1.0;
    // Lord-Wingersky recursion at node q over the group's items but `skip`.
    auto recursion = [&](std::size_t q, std::size_t skip) {
      dist.assign(static_cast<std::size_t>(S + 1), 0.0);
      next.assign(static_cast<std::size_t>(S + 1), 0.0);
      dist[0] = 1.0;
      int top = 0;
      for (auto i : use) {
        if (i == skip) continue;
        std::fill(next.begin(), next.begin() + top + maxk[i] + 1, 0.0);
        for (int s = 0; s <= top; ++s) {
          const double v = dist[static_cast<std::size_t>(s)];
          if (v == 0) continue;
          for (int k = 0; k <= maxk[i]; ++k)
            next[static_cast<std::size_t>(s + k)] += v * P[i][static_cast<std::size_t>(k) * Q + q];
        }
        top += maxk[i];
        std::copy(next.begin(), next.begin() + top + 1, dist.begin());
      }
    };
    Ls.assign(static_cast<std::size_t>(S + 1), 0.0);
    for (std::size_t q = 0; q < Q; ++q) {
      recursion(q, J);
      for (int s = 0; s <= S; ++s) Ls[static_cast<std::size_t>(s)] += w[q] * dist[static_cast<std::size_t>(s)];
    }
    for (auto i : use) {
      const int K = maxk[i] + 1;
      const int rest_max = S - maxk[i];
      // Numerators sum_q w_q L_-i(r | q) P_ik(q), for r = s - k.
      num.assign(static_cast<std::size_t>(rest_max + 1) * static_cast<std::size_t>(K), 0.0);
      for (std::size_t q = 0; q < Q; ++q) {
        recursion(q, i);
        for (int r = 0; r <= rest_max; ++r)
          for (int k = 0; k < K; ++k)
            num[static_cast<std::size_t>(r * K + k)] +=
                w[q] * dist[static_cast<std::size_t>(r)] * P[i][static_cast<std::size_t>(k) * Q + q];
      }
      auto& it = out[i];
      table O, E;
      std::vector<int> raw_scores;
      for (int s = 1; s <= S - 1; ++s) {
        raw_scores.push_back(s);
        std::vector<double> orow(static_cast<std::size_t>(K), 0.0), erow(static_cast<std::size_t>(K), nan);
        for (int k = 0; k < K; ++k) {
          const int r = s - k;
          if (r < 0 || r > rest_max) continue;
          erow[static_cast<std::size_t>(k)] =
              Ns[static_cast<std::size_t>(s)] * num[static_cast<std::size_t>(r * K + k)] / Ls[static_cast<std::size_t>(s)];
        }
        O.push_back(orow);
        E.push_back(erow);
      }
      for (std::size_t n = 0; n < g.persons.size(); ++n) {
        const int s = g.total[n];
        if (s < 1 || s > S - 1) continue;
        O[static_cast<std::size_t>(s - 1)][static_cast<std::size_t>(d.responses[g.persons[n] * J + i])] += 1.0;
      }
      if (opts.keep_tables) {
        it.raw_scores.insert(it.raw_scores.end(), raw_scores.begin(), raw_scores.end());
        it.observed_raw.insert(it.observed_raw.end(), O.begin(), O.end());
        it.expected_raw.insert(it.expected_raw.end(), E.begin(), E.end());
      } else if (it.raw_scores.empty()) {
        it.raw_scores = raw_scores;
      }
      const auto labels = collapse_cells(O, E, opts.mincell);
      for (int l : labels) it.row_labels.push_back(raw_scores[static_cast<std::size_t>(l)]);
      for (std::size_t r = 0; r < E.size(); ++r)
        for (std::size_t k = 0; k < E[r].size(); ++k) {
          if (std::isnan(E[r][k])) continue;
          x2_sum[i] += (O[r][k] - E[r][k]) * (O[r][k] - E[r][k]) / E[r][k];
          ++cell_sum[i];
        }
      row_sum_[i] += static_cast<int>(E.size());
      persons_of[i] += g.persons.size();
      ++it.groups;
      if (opts.keep_tables) {
        it.observed.insert(it.observed.end(), O.begin(), O.end());
        it.expected.insert(it.expected.end(), E.begin(), E.end());
      }
    }
  }
  for (std::size_t i = 0; i < J; ++i) {
    auto& it = out[i];
    it.persons = persons_of[i];
    it.persons_left_out = left_out;
    const int est = opts.estimated_parameters.empty() ? default_parameters(d.items[i]) : opts.estimated_parameters[i];
    it.df = cell_sum[i] - row_sum_[i] - est - opts.latent_parameters;
    if (it.df > 0) {
      it.statistic = x2_sum[i];
      it.p = chi_square_upper(x2_sum[i], it.df);
      it.rmsea = std::sqrt(std::max(0.0, (x2_sum[i] - it.df) / (it.df * (static_cast<double>(it.persons) - 1.0))));
    } else {
      it.statistic = it.p = it.rmsea = nan;
    }
  }
  return out;
}

namespace {
// Moments of an item's score at theta: E, Var (W), fourth central moment (C), and the category
// probabilities.
struct score_moments {
  double e = 0, w = 0, c = 0;
};
score_moments moments(const irt::item_params& it, double theta, double* p) {
  irt::probabilities(it, theta, std::span<double>(p, static_cast<std::size_t>(it.categories())));
  score_moments m;
  const int K = it.categories();
  for (int k = 0; k < K; ++k) m.e += k * p[k];
  for (int k = 0; k < K; ++k) {
    const double dv = k - m.e;
    m.w += dv * dv * p[k];
    m.c += dv * dv * dv * dv * p[k];
  }
  if (m.w * m.w < 1e-5) m.w = std::sqrt(1e-5);
  return m;
}
double wilson_hilferty(double ms, double q) {
  q = std::min(q, 1.4142);
  return (std::cbrt(ms) - 1.0) * (3.0 / q) + q / 3.0;
}
}  // namespace

std::vector<person_fit_row> person_fit(const fit_data& d, const person_fit_options& opts) {
  check(d);
  const std::size_t J = d.items.size();
  std::vector<bank::bank_item> bitems(J);
  bool all_dich = true;
  for (std::size_t i = 0; i < J; ++i) {
    bitems[i].id = "i" + std::to_string(i + 1);
    bitems[i].params = d.items[i];
    all_dich = all_dich && irt::is_dichotomous(d.items[i].kind);
  }
  const bank::item_bank bank({.id = "fit"}, std::move(bitems));
  estimate::options eo;
  eo.estimator = opts.method == theta_method::eap ? estimate::method::eap
                 : opts.method == theta_method::ml ? estimate::method::ml
                                                   : estimate::method::wle;
  eo.grid = opts.grid;
  eo.prior_ = {prior_kind::normal, opts.latent_mean, opts.latent_sd, {}};
  eo.lower_bound = -opts.bound;
  eo.upper_bound = opts.bound;
  eo.wle = estimate::wle_variant::warm;
  std::vector<person_fit_row> out(d.persons);
  std::vector<estimate::response> resp;
  double p[irt::max_categories], lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
  for (std::size_t n = 0; n < d.persons; ++n) {
    resp.clear();
    for (std::size_t i = 0; i < J; ++i) {
      const int x = d.responses[n * J + i];
      if (x >= 0) resp.push_back({static_cast<std::uint32_t>(i), x});
    }
    auto& row = out[n];
    row.answered = static_cast<int>(resp.size());
    if (resp.empty()) {
      row.theta = row.zh = row.lz_star = row.outfit = row.infit = row.z_outfit = row.z_infit = nan;
      continue;
    }
    const auto est = estimate::estimate_theta(bank, resp, eo);
    const double th = est.theta;
    row.theta = th;
    double l0 = 0, mu = 0, var = 0;
    double sr2w = 0, sr2 = 0, sw = 0, sc_w2 = 0, sc_m_w2 = 0;
    // lz* pieces (dichotomous)
    double W = 0, num_c = 0, den_c = 0, info = 0, jw = 0;
    for (const auto& r : resp) {
      const auto& it = d.items[r.item];
      irt::category_terms(it, th, lp, g, h);
      const int K = it.categories();
      double m1 = 0, m2 = 0;
      for (int k = 0; k < K; ++k) {
        const double pk = std::exp(lp[k]);
        m1 += pk * lp[k];
        m2 += pk * lp[k] * lp[k];
      }
      l0 += lp[r.category];
      mu += m1;
      var += m2 - m1 * m1;
      const auto m = moments(it, th, p);
      const double res = r.category - m.e;
      sr2w += res * res / m.w;
      sr2 += res * res;
      sw += m.w;
      sc_w2 += m.c / (m.w * m.w);
      sc_m_w2 += m.c - m.w * m.w;
      if (irt::is_dichotomous(it.kind)) {
        const double P = std::exp(lp[1]), Qp = std::exp(lp[0]);
        const double dP = P * g[1];
        const double wj = lp[1] - lp[0];
        const double rj = dP / (P * Qp);
        W += (r.category - P) * wj;
        num_c += dP * wj;
        den_c += dP * rj;
        info += dP * dP / (P * Qp);
        jw += dP * (P * h[1]) / (P * Qp);
      }
    }
    row.zh = var > 0 ? (l0 - mu) / std::sqrt(var) : nan;
    const double Jn = static_cast<double>(resp.size());
    row.outfit = sr2w / Jn;
    row.infit = sw > 0 ? sr2 / sw : nan;
    row.z_outfit = wilson_hilferty(row.outfit, std::sqrt(std::abs(sc_w2 / (Jn * Jn) - 1.0 / Jn)));
    row.z_infit = wilson_hilferty(row.infit, std::sqrt(std::max(0.0, sc_m_w2)) / sw);
    row.lz_star = nan;
    if (all_dich && opts.method != theta_method::eap && std::abs(th) < opts.bound - 1e-6) {
      const double cn = den_c != 0 ? num_c / den_c : 0.0;
      const double r0 = opts.method == theta_method::wle && info > 0 ? jw / (2.0 * info) : 0.0;
      double tau = 0;
      for (const auto& r : resp) {
        const auto& it = d.items[r.item];
        irt::category_terms(it, th, lp, g, h);
        const double P = std::exp(lp[1]), Qp = std::exp(lp[0]);
        const double dP = P * g[1];
        const double wt = (lp[1] - lp[0]) - cn * dP / (P * Qp);
        tau += wt * wt * P * Qp;
      }
      if (tau > 0) row.lz_star = (W + cn * r0) / std::sqrt(tau);
    }
  }
  return out;
}

std::vector<item_infit_row> item_infit(const fit_data& d, std::span<const double> thetas) {
  check(d);
  if (thetas.size() != d.persons) throw invalid_argument("item_infit needs one theta per person");
  const std::size_t J = d.items.size();
  std::vector<item_infit_row> out(J);
  std::vector<double> sr2w(J), sr2(J), sw(J), scw2(J), scmw2(J);
  double p[irt::max_categories];
  for (std::size_t n = 0; n < d.persons; ++n) {
    if (!std::isfinite(thetas[n])) continue;
    for (std::size_t i = 0; i < J; ++i) {
      const int x = d.responses[n * J + i];
      if (x < 0) continue;
      const auto m = moments(d.items[i], thetas[n], p);
      const double res = x - m.e;
      sr2w[i] += res * res / m.w;
      sr2[i] += res * res;
      sw[i] += m.w;
      scw2[i] += m.c / (m.w * m.w);
      scmw2[i] += m.c - m.w * m.w;
      ++out[i].answered;
    }
  }
  for (std::size_t i = 0; i < J; ++i) {
    const double n = static_cast<double>(out[i].answered);
    if (n == 0) {
      out[i] = {nan, nan, nan, nan, 0};
      continue;
    }
    out[i].outfit = sr2w[i] / n;
    out[i].infit = sr2[i] / sw[i];
    out[i].z_outfit = wilson_hilferty(out[i].outfit, std::sqrt(std::abs(scw2[i] / (n * n) - 1.0 / n)));
    out[i].z_infit = wilson_hilferty(out[i].infit, std::sqrt(std::max(0.0, scmw2[i])) / sw[i]);
  }
  return out;
}

q3_result q3(const fit_data& d, std::span<const double> thetas, std::size_t min_pairs) {
  check(d);
  const std::size_t J = d.items.size(), N = d.persons;
  if (thetas.size() != N) throw invalid_argument(fmt::format("Q3 needs one theta per person: {} persons, {} thetas", N, thetas.size()));
  // Residuals per person and item (NaN where not answered or no theta).
  std::vector<double> res(N * J, nan);
  double p[irt::max_categories];
  for (std::size_t n = 0; n < N; ++n) {
    if (!std::isfinite(thetas[n])) continue;
    for (std::size_t i = 0; i < J; ++i) {
      const int x = d.responses[n * J + i];
      if (x < 0) continue;
      const auto& it = d.items[i];
      irt::probabilities(it, thetas[n], p);
      double e = 0;
      for (int k = 1; k < it.categories(); ++k) e += k * p[k];  // x is the category index
      res[n * J + i] = x - e;
    }
  }
  q3_result out;
  out.items = J;
  out.q3.assign(J * J, nan);
  out.n.assign(J * J, 0);
  double sum = 0;
  for (std::size_t i = 0; i < J; ++i)
    for (std::size_t j = i + 1; j < J; ++j) {
      // Pearson correlation over the persons with both residuals (two passes: means, then sums).
      std::size_t m = 0;
      double si = 0, sj = 0;
      for (std::size_t n = 0; n < N; ++n) {
        const double a = res[n * J + i], b = res[n * J + j];
        if (std::isnan(a) || std::isnan(b)) continue;
        ++m, si += a, sj += b;
      }
      out.n[i * J + j] = out.n[j * J + i] = m;
      if (m < std::max<std::size_t>(min_pairs, 2)) continue;
      const double mi = si / static_cast<double>(m), mj = sj / static_cast<double>(m);
      double cij = 0, vi = 0, vj = 0;
      for (std::size_t n = 0; n < N; ++n) {
        const double a = res[n * J + i], b = res[n * J + j];
        if (std::isnan(a) || std::isnan(b)) continue;
        cij += (a - mi) * (b - mj), vi += (a - mi) * (a - mi), vj += (b - mj) * (b - mj);
      }
      if (vi <= 0 || vj <= 0) continue;
      const double r = cij / std::sqrt(vi * vj);
      out.q3[i * J + j] = out.q3[j * J + i] = r;
      sum += r;
      ++out.pairs;
    }
  out.mean = out.pairs ? sum / static_cast<double>(out.pairs) : nan;
  out.max_star = nan;
  for (double v : out.q3)
    if (!std::isnan(v) && (std::isnan(out.max_star) || v - out.mean > out.max_star)) out.max_star = v - out.mean;
  return out;
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
