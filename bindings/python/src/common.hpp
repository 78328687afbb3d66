// Shared declarations of the pybind11 module dskill._dskill.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "dskill/bank/item_bank.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/framework/framework.hpp"

namespace dskill::python {

namespace py = pybind11;

/// Python's Bank: a shared, immutable item bank.
struct bank_handle {
  bank::bank_ptr bank;
};
/// Python's Framework.
struct framework_handle {
  framework::framework_ptr framework;
  std::string yaml;  ///< the text it was read from: its pickled form (frameworks have no writer)
};

/// Estimator options from keyword arguments (method "eap", "map", "ml", "wle"; se "expected" or
/// "observed"; wle "warm" or "jeffreys"). A prior mean or SD of None is the bank's
/// (score::default_options). Throws dskill::invalid_argument naming the bad value.
estimate::options make_options(const bank::item_bank& bank, const std::string& method, py::object prior_mean,
                               py::object prior_sd, py::object grid, py::object bounds, const std::string& se,
                               const std::string& wle);

void bind_cat(py::module_& m);
void bind_calibrate(py::module_& m);

}  // namespace dskill::python
