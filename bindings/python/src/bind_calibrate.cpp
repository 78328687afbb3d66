// dskill._dskill: item calibration (MML-EM) from a numpy response matrix.
#include <cmath>

#include "common.hpp"
#include "dskill/calibrate/calibrate.hpp"
#include "dskill/error.hpp"

namespace dskill::python {

void bind_calibrate(py::module_& m) {
  m.def(
      "_calibrate",
      [](py::array responses, std::vector<std::string> item_ids, std::vector<std::string> models, bool se,
         int max_iterations, double tolerance, int threads, const std::string& bank_id) {
        if (!responses.dtype().is(py::dtype::of<std::int8_t>()) || responses.ndim() != 2 ||
            !(responses.flags() & py::array::c_style))
          throw invalid_argument("responses must be a C-contiguous 2-dimensional int8 array");
        calibrate::problem p;
        p.responses = static_cast<const std::int8_t*>(responses.data());
        p.persons = static_cast<std::size_t>(responses.shape(0));
        p.items = static_cast<std::size_t>(responses.shape(1));
        if (item_ids.size() != p.items)
          throw invalid_argument(std::to_string(item_ids.size()) + " item ids for " + std::to_string(p.items) + " columns");
        if (models.size() == 1 && p.items != 1) models.assign(p.items, models[0]);
        if (models.size() != p.items)
          throw invalid_argument(std::to_string(models.size()) + " models for " + std::to_string(p.items) + " items");
        for (const auto& name : models) {
          const auto k = irt::parse_model(name);
          if (!k) throw invalid_argument("unknown model '" + name + "'");
          p.models.push_back(*k);
        }
        calibrate::options o;
        o.standard_errors = se;
        o.max_iterations = max_iterations;
        o.tolerance = tolerance;
        o.threads = threads;
        calibrate::result r;
        {
          py::gil_scoped_release nogil;
          r = calibrate::run(p, o);
        }
        // The calibrated bank (slope-intercept form, D = 1).
        bank::bank_info info;
        info.id = bank_id;
        info.title = "calibrated by dskill (MML-EM)";
        info.version = "1";
        std::vector<bank::bank_item> items(p.items);
        for (std::size_t i = 0; i < p.items; ++i) {
          items[i].id = item_ids[i];
          items[i].params = r.items[i].params;
        }
        auto bank = std::make_shared<bank_handle>(
            bank_handle{std::make_shared<const bank::item_bank>(std::move(info), std::move(items))});
        py::list params;
        for (std::size_t i = 0; i < p.items; ++i) {
          const auto& e = r.items[i];
          py::dict d;
          d["id"] = item_ids[i];
          d["model"] = std::string(irt::to_string(e.params.kind));
          d["slope"] = e.params.slope;
          d["intercepts"] = e.params.intercepts;
          d["lower"] = e.params.lower;
          d["upper"] = e.params.upper;
          if (e.params.kind != irt::model::nominal) {
            const auto df = irt::to_difficulty_form(e.params, 1.0);
            d["a"] = df.a;
            d["b"] = df.b;
          }
          d["se_slope"] = e.se_slope;
          d["se_intercepts"] = e.se_intercepts;
          d["se_b"] = e.se_b;
          params.append(d);
        }
        py::dict out;
        out["bank"] = bank;
        out["items"] = params;
        out["log_likelihood"] = r.log_likelihood;
        out["aic"] = r.aic;
        out["bic"] = r.bic;
        out["parameters"] = r.parameters;
        out["iterations"] = r.iterations;
        out["converged"] = r.converged;
        out["log_likelihood_history"] = r.log_likelihood_history;
        out["unique_patterns"] = r.unique_patterns;
        out["seconds"] = r.seconds;
        return out;
      },
      py::arg("responses"), py::arg("item_ids"), py::arg("models"), py::arg("se"), py::arg("max_iterations"),
      py::arg("tolerance"), py::arg("threads"), py::arg("bank_id"));
}

}  // namespace dskill::python
