// `dskill fit`: item fit (S-X2, infit/outfit), local dependence (Q3) and person fit (Zh, lz*, infit/outfit) of a bank
// on a response file. A thin face over dskill::calibrate fit functions.
#include <cmath>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/calibrate/fit.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/response_matrix.hpp"

namespace dskill::cli {
namespace {

struct fit_args {
  std::string bank, responses, items_out, persons_out, q3_out, theta = "eap", quadrature, format = "json";
  double latent_mean = 0.0, latent_sd = 1.0;
  std::size_t min_group = 50;
};

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
std::string csvnum(double v) { return std::isfinite(v) ? fmt::format("{:.8g}", v) : std::string(); }

int run(const fit_args& a) {
  const auto b = bank::load_bank(a.bank);
  const auto m = io::read_response_matrix(a.responses);
  // Columns that are bank items, in file order.
  std::vector<std::size_t> cols;
  std::vector<irt::item_params> items;
  std::vector<std::string> ids, ignored;
  for (std::size_t i = 0; i < m.items(); ++i) {
    if (auto k = b->find(m.item_ids[i])) {
      cols.push_back(i);
      items.push_back(b->params(*k));
      ids.push_back(m.item_ids[i]);
    } else {
      ignored.push_back(m.item_ids[i]);
    }
  }
  if (cols.empty()) throw invalid_argument(fmt::format("no column of {} is an item of {}", a.responses, a.bank));
  std::vector<std::int8_t> cells(m.persons() * cols.size());
  for (std::size_t p = 0; p < m.persons(); ++p)
    for (std::size_t j = 0; j < cols.size(); ++j) cells[p * cols.size() + j] = m.at(p, cols[j]);
  const calibrate::fit_data d{cells.data(), m.persons(), items};

  calibrate::sx2_options so;
  so.latent_mean = a.latent_mean;
  so.latent_sd = a.latent_sd;
  if (!a.quadrature.empty()) so.grid = parse_grid(a.quadrature);
  so.min_group = a.min_group;
  std::vector<calibrate::sx2_item> sx;
  std::string sx_note;
  try {
    sx = calibrate::s_x2(d, so);
  } catch (const dskill::invalid_argument& e) {
    sx_note = e.detail();
  }
  // A statistic that cannot be computed is said on stderr, null in the JSON, and the exit code
  // is 1 once every output is written: a zero count of misfitting items must mean "none".
  if (!sx_note.empty()) fmt::print(stderr, "dskill fit: warning: no S-X2: {}\n", sx_note);
  else if (sx.front().persons_left_out)
    fmt::print(stderr,
               "dskill fit: warning: S-X2 leaves out {} persons whose answered items no other {} persons share "
               "(--min-group)\n",
               sx.front().persons_left_out, a.min_group);
  bool non_rasch = false;
  for (const auto& it : items)
    non_rasch = non_rasch || !(it.kind == irt::model::one_pl || it.kind == irt::model::pcm);
  calibrate::person_fit_options po;
  po.method = a.theta == "eap" ? calibrate::theta_method::eap
              : a.theta == "ml" ? calibrate::theta_method::ml
              : a.theta == "wle" ? calibrate::theta_method::wle
                                 : throw invalid_argument(fmt::format("--theta: unknown method '{}' (eap, ml or wle)", a.theta));
  po.latent_mean = a.latent_mean;
  po.latent_sd = a.latent_sd;
  const auto pf = calibrate::person_fit(d, po);
  std::vector<double> thetas;
  for (const auto& r : pf) thetas.push_back(r.theta);
  const auto inf = calibrate::item_infit(d, thetas);
  const auto q3 = calibrate::q3(d, thetas);
  std::size_t q3_flagged = 0;
  for (std::size_t i = 0; i < ids.size(); ++i)
    for (std::size_t k = i + 1; k < ids.size(); ++k) q3_flagged += q3.at(i, k) - q3.mean > 0.2;
  if (!a.q3_out.empty()) {
    std::ostringstream out;
    out << "item_a,item_b,n,q3,q3_star\n";
    for (std::size_t i = 0; i < ids.size(); ++i)
      for (std::size_t k = i + 1; k < ids.size(); ++k) {
        if (std::isnan(q3.at(i, k))) continue;
        out << io::csv_escape(ids[i]) << ',' << io::csv_escape(ids[k]) << ',' << q3.n[i * ids.size() + k] << ','
            << csvnum(q3.at(i, k)) << ',' << csvnum(q3.at(i, k) - q3.mean) << '\n';
      }
    io::write_file_text(a.q3_out, out.str());
  }

  if (!a.items_out.empty()) {
    std::ostringstream out;
    out << "item,model,s_x2,df,p,rmsea,infit,z_infit,outfit,z_outfit\n";
    for (std::size_t j = 0; j < ids.size(); ++j) {
      out << io::csv_escape(ids[j]) << ',' << irt::to_string(items[j].kind);
      if (!sx.empty()) out << ',' << csvnum(sx[j].statistic) << ',' << sx[j].df << ',' << csvnum(sx[j].p) << ',' << csvnum(sx[j].rmsea);
      else out << ",,,,";
      out << ',' << csvnum(inf[j].infit) << ',' << csvnum(inf[j].z_infit) << ',' << csvnum(inf[j].outfit) << ','
          << csvnum(inf[j].z_outfit) << '\n';
    }
    io::write_file_text(a.items_out, out.str());
  }
  if (!a.persons_out.empty()) {
    std::ostringstream out;
    out << "person_id,answered,theta,zh,lz_star,infit,z_infit,outfit,z_outfit\n";
    for (std::size_t p = 0; p < pf.size(); ++p) {
      const auto& r = pf[p];
      out << io::csv_escape(m.person_ids[p]) << ',' << r.answered << ',' << csvnum(r.theta) << ',' << csvnum(r.zh) << ','
          << csvnum(r.lz_star) << ',' << csvnum(r.infit) << ',' << csvnum(r.z_infit) << ',' << csvnum(r.outfit) << ','
          << csvnum(r.z_outfit) << '\n';
    }
    io::write_file_text(a.persons_out, out.str());
  }
  if (a.format == "csv") {
    fmt::print("item,s_x2,df,p,infit,outfit\n");
    for (std::size_t j = 0; j < ids.size(); ++j)
      fmt::print("{},{},{},{},{},{}\n", io::csv_escape(ids[j]), sx.empty() ? "" : csvnum(sx[j].statistic),
                 sx.empty() ? std::string() : std::to_string(sx[j].df), sx.empty() ? "" : csvnum(sx[j].p),
                 csvnum(inf[j].infit), csvnum(inf[j].outfit));
    return sx.empty() ? exit_bad_input : exit_ok;
  }
  nlohmann::json j;
  j["bank"] = a.bank;
  j["persons"] = m.persons();
  j["items"] = ids.size();
  if (!ignored.empty()) j["columns_not_in_bank"] = ignored;
  if (!sx_note.empty()) j["s_x2_note"] = sx_note;
  if (!sx.empty()) {
    j["s_x2_groups"] = sx.front().groups;  // groups of the first item; see s_x2_persons for all
    j["s_x2_persons_left_out"] = sx.front().persons_left_out;
  }
  // Infit and outfit are Rasch mean squares: their expectation of 1 holds for 1PL/PCM items.
  j["infit_outfit"] = non_rasch ? "Rasch mean squares; the bank has non-Rasch items (2PL/3PL/4PL/GRM/GPCM), for "
                                  "which they are descriptive only: judge those items by S-X2"
                                : "Rasch mean squares";
  nlohmann::json arr = nlohmann::json::array();
  int flagged = 0;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    nlohmann::json it{{"item", ids[k]}, {"infit", num(inf[k].infit)}, {"outfit", num(inf[k].outfit)}};
    if (!sx.empty()) {
      it["s_x2"] = num(sx[k].statistic);
      it["df"] = sx[k].df;
      it["p"] = num(sx[k].p);
      it["rmsea"] = num(sx[k].rmsea);
      it["s_x2_groups"] = sx[k].groups;
      flagged += std::isfinite(sx[k].p) && sx[k].p < 0.01;
    }
    arr.push_back(it);
  }
  j["item_fit"] = arr;
  j["s_x2_items_p_below_0.01"] = sx.empty() ? nlohmann::json(nullptr) : nlohmann::json(flagged);
  int misfit = 0;
  for (const auto& r : pf) misfit += std::isfinite(r.zh) && r.zh < -1.645;
  j["persons_zh_below_-1.645"] = misfit;
  j["theta_method"] = a.theta;
  j["q3"] = {{"pairs", q3.pairs}, {"mean", num(q3.mean)}, {"max_star", num(q3.max_star)},
             {"pairs_star_above_0.2", q3_flagged}};
  fmt::print("{}\n", j.dump(2));
  return sx.empty() ? exit_bad_input : exit_ok;
}

const bool registered = register_command({
    "fit",
    "Item fit (S-X2, infit/outfit) and person fit (Zh, lz*) of a bank on a response file",
    [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<fit_args>();
      app.add_option("--bank", a->bank, "item bank (YAML)")->required();
      app.add_option("--responses", a->responses, "wide CSV response file")->required();
      app.add_option("--items-out", a->items_out, "write item fit as CSV");
      app.add_option("--persons-out", a->persons_out, "write person fit as CSV");
      app.add_option("--q3-out", a->q3_out, "write Yen's Q3 and Q3* of every item pair answered together as CSV");
      app.add_option("--theta", a->theta, "ability estimate for person fit and infit/outfit: eap, ml or wle")
          ->capture_default_str();
      app.add_option("--quadrature", a->quadrature, "S-X2 grid LO:HI:N (default -6:6:61, as mirt)");
      app.add_option("--latent-mean", a->latent_mean, "mean of the latent distribution")->capture_default_str();
      app.add_option("--latent-sd", a->latent_sd, "SD of the latent distribution")->capture_default_str();
      app.add_option("--min-group", a->min_group,
                     "S-X2 on incomplete data: smallest group of persons with the same answered items")
          ->capture_default_str();
      app.add_option("--format", a->format, "stdout: json (summary and item fit) or csv (item fit)")->capture_default_str();
      return [a] { return run(*a); };
    },
});

}  // namespace
}  // namespace dskill::cli
