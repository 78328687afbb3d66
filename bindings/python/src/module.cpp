// dskill._dskill: the pybind11 module behind the `dskill` Python package. It binds the C++ API
// directly (the C API is for other FFIs). Long work releases the GIL after the arguments have
// been checked and the outputs allocated; dskill errors become Python exceptions carrying the
// same message, code and location.
#include <algorithm>
#include <array>
#include <optional>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>
#include <type_traits>
#include <vector>

#include "common.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/core/diagnostic.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/matrix.hpp"
#include "dskill/version.hpp"

namespace dskill::python {

namespace {

// ---- exceptions --------------------------------------------------------------------------------

struct exception_classes {
  py::object base;
  py::object by_code[100];
  py::object missing_file;  // FileError and FileNotFoundError
};
exception_classes& classes() {
  static auto* c = new exception_classes();  // lives as long as the interpreter; never destroyed
  return *c;
}

py::object new_exception(py::module_& m, const char* name, py::object bases, const char* doc) {
  const std::string qualified = std::string("dskill.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (!cls) throw py::error_already_set();
  auto obj = py::reinterpret_steal<py::object>(cls);
  m.attr(name) = obj;
  return obj;
}

void register_exceptions(py::module_& m) {
  auto& c = classes();
  c.base = new_exception(m, "DskillError", py::reinterpret_borrow<py::object>(PyExc_Exception),
                         "Base of every dskill error. Attributes: code (int, dskill::errc), kind (str), "
                         "detail (message without prefix), file, line, column, row, item_id.");
  auto two = [&](PyObject* other) { return py::make_tuple(c.base, py::reinterpret_borrow<py::object>(other)); };
  struct spec {
    errc code;
    const char* name;
    PyObject* builtin;
    const char* doc;
  };
  const spec specs[] = {
      {errc::invalid_argument, "InvalidArgument", PyExc_ValueError, "A value outside its documented domain."},
      {errc::parse_error, "ParseError", PyExc_ValueError, "A file or string is not well-formed."},
      {errc::bank_error, "BankError", PyExc_ValueError, "An item bank is well-formed but invalid."},
      {errc::framework_error, "FrameworkError", PyExc_ValueError, "A competency framework is invalid."},
      {errc::no_items_available, "NoItemsAvailable", PyExc_RuntimeError, "A CAT step found no eligible item."},
      {errc::serialization_error, "SerializationError", PyExc_ValueError,
       "A snapshot is truncated, corrupted or for another bank."},
      {errc::io_error, "FileError", PyExc_OSError, "A file could not be opened, read or written."},
      {errc::state_error, "StateError", PyExc_RuntimeError, "A call not valid in the object's current state."},
      {errc::not_supported, "NotSupported", PyExc_NotImplementedError, "A request this build cannot serve."},
      {errc::internal, "InternalError", PyExc_RuntimeError, "A bug in dskill: please report it."},
  };
  for (const auto& s : specs) c.by_code[static_cast<int>(s.code)] = new_exception(m, s.name, two(s.builtin), s.doc);
  py::object file_error = c.by_code[static_cast<int>(errc::io_error)];
  c.missing_file = new_exception(
      m, "MissingFileError",
      py::make_tuple(file_error, py::reinterpret_borrow<py::object>(PyExc_FileNotFoundError)),
      "A FileError for a file that does not exist; also a FileNotFoundError (errno ENOENT).");
  // OSError's str() becomes "[Errno ..] ...: 'file'" once `filename` is set; dskill's message
  // (which names the file already) is kept instead.
  file_error.attr("__str__") = py::cpp_function(
      [](py::object self) -> py::object {
        py::tuple args = self.attr("args");
        return args.size() > 0 ? py::object(py::str(args[0])) : py::object(py::str(""));
      },
      py::is_method(file_error));

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const dskill::error& e) {
      auto& c = classes();
      const int code = static_cast<int>(e.code());
      py::object cls = code > 0 && code < 100 && c.by_code[code] ? c.by_code[code] : c.base;
      const auto& where = e.where();
      // A file error about a path that does not exist is a FileNotFoundError as well (io_error
      // carries no errno: the path is looked at here, when the error is raised).
      bool missing = false;
      if (e.code() == errc::io_error && !where.file.empty()) missing = io::file_missing(where.file);
      if (missing) cls = c.missing_file;
      py::object exc = cls(py::str(e.what()));
      if (e.code() == errc::io_error) {
        exc.attr("filename") = where.file.empty() ? py::none() : py::object(py::str(where.file));
        if (missing) {
          exc.attr("errno") = ENOENT;
          exc.attr("strerror") = std::string(std::strerror(ENOENT));
        }
      }
      exc.attr("code") = code;
      exc.attr("kind") = std::string(to_string(e.code()));
      exc.attr("detail") = e.detail();
      const auto& w = e.where();
      exc.attr("file") = w.file.empty() ? py::none() : py::object(py::str(w.file));
      exc.attr("line") = w.line > 0 ? py::object(py::int_(w.line)) : py::none();
      exc.attr("column") = w.column > 0 ? py::object(py::int_(w.column)) : py::none();
      exc.attr("row") = w.row > 0 ? py::object(py::int_(w.row)) : py::none();
      exc.attr("item_id") = w.item_id.empty() ? py::none() : py::object(py::str(w.item_id));
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });
}

// ---- helpers -----------------------------------------------------------------------------------

std::string str_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

std::size_t item_index(const bank::item_bank& b, py::handle item) {
  if (py::isinstance<py::str>(item)) {
    const auto id = item.cast<std::string>();
    const auto idx = b.find(id);
    if (!idx) throw invalid_argument("the bank has no item '" + id + "'");
    return *idx;
  }
  const auto i = item.cast<long long>();
  if (i < 0 || static_cast<unsigned long long>(i) >= b.size())
    throw invalid_argument("item index " + std::to_string(i) + " is outside the bank (" + std::to_string(b.size()) +
                           " items)");
  return static_cast<std::size_t>(i);
}

py::dict diagnostic_dict(const diagnostic& d) {
  py::dict o;
  o["severity"] = std::string(to_string(d.level));
  o["code"] = d.code;
  o["message"] = d.message;
  o["file"] = d.where.file;
  o["line"] = d.where.line;
  o["column"] = d.where.column;
  o["item_id"] = d.where.item_id;
  o["text"] = d.to_string();
  return o;
}

/// A read-only numpy view of a span owned by `owner` (no copy).
py::array view_of(std::span<const double> s, py::handle owner) {
  py::array a(py::dtype::of<double>(), {static_cast<py::ssize_t>(s.size())}, {static_cast<py::ssize_t>(sizeof(double))},
              s.data(), owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

/// Converts one cell of a numeric array to a category (-1 = missing); throws naming the cell.
template <class T>
std::int8_t to_category(const char* p, std::size_t row, std::size_t col) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return -1;
    if (v >= -1 && v <= 127 && v == std::floor(v)) return static_cast<std::int8_t>(v);
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? 1 : 0;
  } else if constexpr (std::is_signed_v<T>) {
    if (v >= -1 && v <= 127) return static_cast<std::int8_t>(v);
  } else {
    if (v <= 127) return static_cast<std::int8_t>(v);
  }
  throw invalid_argument("column " + std::to_string(col + 1) + ": value is not a category (a whole number 0..127, or -1 or "
                             "NaN for missing)",
                         location{.row = row + 1});
}

template <class T>
void convert_cells(const py::array& a, std::vector<std::int8_t>& out) {
  const auto rows = static_cast<std::size_t>(a.shape(0)), cols = static_cast<std::size_t>(a.shape(1));
  const auto s0 = a.strides(0), s1 = a.strides(1);
  const char* base = static_cast<const char*>(a.data());
  out.resize(rows * cols);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c)
      out[r * cols + c] = to_category<T>(base + static_cast<py::ssize_t>(r) * s0 + static_cast<py::ssize_t>(c) * s1, r, c);
}

using converter = void (*)(const py::array&, std::vector<std::int8_t>&);

/// The converter of a numeric 2-D array to C-contiguous int8 cells (one pass, no numpy
/// temporaries). Chosen with the GIL held (dtype() touches reference counts); the conversion
/// itself only reads the buffer.
converter pick_converter(const py::array& a) {
  const char kind = a.dtype().kind();
  const auto size = a.dtype().itemsize();
  if (kind == 'f' && size == 8) return &convert_cells<double>;
  if (kind == 'f' && size == 4) return &convert_cells<float>;
  if (kind == 'i' && size == 1) return &convert_cells<std::int8_t>;
  if (kind == 'i' && size == 2) return &convert_cells<std::int16_t>;
  if (kind == 'i' && size == 4) return &convert_cells<std::int32_t>;
  if (kind == 'i' && size == 8) return &convert_cells<std::int64_t>;
  if (kind == 'u' && size == 1) return &convert_cells<std::uint8_t>;
  if (kind == 'u' && size == 2) return &convert_cells<std::uint16_t>;
  if (kind == 'u' && size == 4) return &convert_cells<std::uint32_t>;
  if (kind == 'u' && size == 8) return &convert_cells<std::uint64_t>;
  if (kind == 'b' && size == 1) return &convert_cells<bool>;
  throw invalid_argument("responses must be a numeric array, got dtype kind '" + std::string(1, kind) + "'");
}

/// Scores a persons x columns matrix. int8 with contiguous rows is read in place; any other
/// numeric array (floats with NaN for missing, other integer types, any strides) is converted
/// to int8 in one pass without the GIL.
py::tuple score_matrix(const bank_handle& b, py::array responses, py::object columns, const std::string& method,
                       py::object prior_mean, py::object prior_sd, py::object grid, py::object bounds, const std::string& se,
                       const std::string& wle, unsigned threads) {
  if (!b.bank) throw invalid_argument("bank is empty");
  if (responses.ndim() != 2)
    throw invalid_argument("responses must be 2-dimensional (persons x items), got " +
                           std::to_string(responses.ndim()) + " dimensions");
  const auto persons = static_cast<std::size_t>(responses.shape(0));
  const auto cols = static_cast<std::size_t>(responses.shape(1));
  const bool in_place = responses.dtype().is(py::dtype::of<std::int8_t>()) && (cols <= 1 || responses.strides(1) == 1) &&
                        (persons <= 1 || responses.strides(0) >= static_cast<py::ssize_t>(cols));
  const std::size_t stride = persons > 1 && in_place ? static_cast<std::size_t>(responses.strides(0)) : cols;
  std::vector<std::uint32_t> map;
  if (!columns.is_none()) {
    for (auto c : columns) map.push_back(static_cast<std::uint32_t>(item_index(*b.bank, c)));
    if (map.size() != cols)
      throw invalid_argument(std::to_string(map.size()) + " column ids for " + std::to_string(cols) + " columns");
  }
  const score::scorer scorer(b.bank, make_options(*b.bank, method, prior_mean, prior_sd, grid, bounds, se, wle));
  py::array_t<double> theta(static_cast<py::ssize_t>(persons));
  py::array_t<double> sem(static_cast<py::ssize_t>(persons));
  py::array_t<std::int32_t> status(static_cast<py::ssize_t>(persons));
  const std::int8_t* cells = in_place ? static_cast<const std::int8_t*>(responses.data()) : nullptr;
  const converter convert = in_place ? nullptr : pick_converter(responses);
  std::vector<std::int8_t> converted;
  double* t = theta.mutable_data();
  double* s = sem.mutable_data();
  std::int32_t* st = status.mutable_data();
  {
    py::gil_scoped_release nogil;
    if (!in_place) {
      convert(responses, converted);
      cells = converted.data();
    }
    static const std::uint32_t no_column = 0;  // a map of no columns is still a map
    const std::uint32_t* column_item = columns.is_none() ? nullptr : map.empty() ? &no_column : map.data();
    score::score_matrix(scorer, {cells, persons, cols, stride, column_item}, {t, s, st}, threads);
  }
  return py::make_tuple(theta, sem, status);
}

}  // namespace

estimate::options make_options(const bank::item_bank& bank, const std::string& method, py::object prior_mean,
                               py::object prior_sd, py::object grid, py::object bounds, const std::string& se,
                               const std::string& wle) {
  estimate::options opts = score::default_options(bank);  // the bank's latent distribution as the prior
  const auto m = estimate::parse_method(str_lower(method));
  if (!m) throw invalid_argument("unknown method '" + method + "' (eap, map, ml or wle)");
  opts.estimator = *m;
  if (!prior_mean.is_none()) opts.prior_.mean = prior_mean.cast<double>();
  if (!prior_sd.is_none()) opts.prior_.sd = prior_sd.cast<double>();
  if (!grid.is_none()) {
    if (py::isinstance<py::str>(grid)) {
      opts.grid = parse_grid(grid.cast<std::string>());
    } else {
      auto g = grid.cast<std::tuple<double, double, int>>();
      opts.grid = {std::get<0>(g), std::get<1>(g), std::get<2>(g)};
    }
  }
  if (!bounds.is_none()) {
    auto b = bounds.cast<std::pair<double, double>>();
    opts.lower_bound = b.first;
    opts.upper_bound = b.second;
  }
  const auto sl = str_lower(se);
  if (sl == "expected") opts.se_information = estimate::information_kind::expected;
  else if (sl == "observed") opts.se_information = estimate::information_kind::observed;
  else throw invalid_argument("unknown se '" + se + "' (expected or observed)");
  const auto wl = str_lower(wle);
  if (wl == "warm") opts.wle = estimate::wle_variant::warm;
  else if (wl == "jeffreys") opts.wle = estimate::wle_variant::jeffreys;
  else throw invalid_argument("unknown wle '" + wle + "' (warm or jeffreys)");
  estimate::validate(opts);
  return opts;
}

}  // namespace dskill::python

using namespace dskill::python;
namespace dsk = dskill;

PYBIND11_MODULE(_dskill, m) {
  m.doc() = "dskill native module (use the `dskill` package)";
  m.attr("__version__") = std::string(dsk::version());
  m.attr("version_info") = py::make_tuple(DSKILL_VERSION_MAJOR, DSKILL_VERSION_MINOR, DSKILL_VERSION_PATCH);
  register_exceptions(m);

  // ---- Framework ---------------------------------------------------------------------------------
  py::class_<framework_handle, std::shared_ptr<framework_handle>>(m, "Framework",
                                                                  "An immutable competency framework.")
      .def(py::init([](const std::string& path) {
             auto text = dsk::io::read_file_text(path);
             auto fw = dsk::framework::load_framework_from_string(text, path);
             return framework_handle{std::move(fw), std::move(text)};
           }),
           py::arg("path"), "Reads and checks a framework YAML file (raises FrameworkError, ParseError or FileError).")
      .def_static(
          "from_yaml",
          [](const std::string& text, const std::string& name) {
            return framework_handle{dsk::framework::load_framework_from_string(text, name), text};
          },
          py::arg("text"), py::arg("name") = "<string>", "A framework from YAML text; `name` stands for the file name in messages.")
      .def("to_yaml", [](const framework_handle& f) { return f.yaml; }, "The YAML text the framework was read from.")
      .def(py::pickle([](const framework_handle& f) { return py::make_tuple(f.yaml); },
                      [](py::tuple t) {
                        if (t.size() != 1) throw dsk::serialization_error("bad Framework pickle state");
                        auto text = t[0].cast<std::string>();
                        return framework_handle{dsk::framework::load_framework_from_string(text, "<pickle>"), text};
                      }))
      .def("__eq__", [](const framework_handle& a, const framework_handle& b) {
        return a.framework->id() == b.framework->id() && a.framework->version() == b.framework->version() && a.yaml == b.yaml;
      })
      .def("__hash__", [](const framework_handle& f) { return py::hash(py::str(f.framework->id() + " " + f.framework->version())); })
      .def_property_readonly("id", [](const framework_handle& f) { return f.framework->id(); })
      .def_property_readonly("version", [](const framework_handle& f) { return f.framework->version(); })
      .def_property_readonly("level_count", [](const framework_handle& f) { return f.framework->level_count(); })
      .def_property_readonly("areas",
                             [](const framework_handle& f) {
                               std::vector<std::string> ids;
                               for (const auto& a : f.framework->areas()) ids.push_back(a.id);
                               return ids;
                             })
      .def_property_readonly("competences",
                             [](const framework_handle& f) {
                               std::vector<std::string> ids;
                               for (const auto& c : f.framework->competences()) ids.push_back(c.id);
                               return ids;
                             })
      .def(
          "level",
          [](const framework_handle& f, double theta, py::object area) {
            if (area.is_none()) return f.framework->level_overall(theta);
            const auto id = area.cast<std::string>();
            const auto idx = f.framework->area_index(id);
            if (!idx) throw dsk::invalid_argument("the framework has no area '" + id + "'");
            return f.framework->level_for_area(*idx, theta);
          },
          py::arg("theta"), py::arg("area") = py::none(), "Proficiency level of theta (overall, or in an area).")
      .def("__repr__", [](const framework_handle& f) {
        return "<dskill.Framework " + f.framework->id() + " " + f.framework->version() + ">";
      });

  // ---- Bank ------------------------------------------------------------------------------------
  py::class_<bank_handle, std::shared_ptr<bank_handle>>(m, "Bank", "An immutable item bank, shareable across threads.")
      .def(py::init([](const std::string& path, std::shared_ptr<framework_handle> fw) {
             dsk::bank::load_options o;
             o.framework = fw ? fw->framework.get() : nullptr;
             return bank_handle{dsk::bank::load_bank(path, o)};
           }),
           py::arg("path"), py::arg("framework") = py::none(),
           "Reads and checks a bank YAML file (raises BankError, ParseError or FileError).")
      .def_static(
          "from_yaml",
          [](const std::string& text, std::shared_ptr<framework_handle> fw, const std::string& name) {
            dsk::bank::load_options o;
            o.framework = fw ? fw->framework.get() : nullptr;
            return bank_handle{dsk::bank::load_bank_from_string(text, o, name)};
          },
          py::arg("text"), py::arg("framework") = py::none(), py::arg("name") = "<string>")
      .def("to_yaml", [](const bank_handle& b) { return dsk::bank::to_yaml(*b.bank); })
      .def("save", [](const bank_handle& b, const std::string& path) { dsk::bank::save_bank(*b.bank, path); },
           py::arg("path"))
      .def("__len__", [](const bank_handle& b) { return b.bank->size(); })
      .def_property_readonly("size", [](const bank_handle& b) { return b.bank->size(); })
      .def_property_readonly("id", [](const bank_handle& b) { return b.bank->info().id; })
      .def_property_readonly("title", [](const bank_handle& b) { return b.bank->info().title; })
      .def_property_readonly("fingerprint", [](const bank_handle& b) { return b.bank->fingerprint(); })
      .def_property_readonly("scaling", [](const bank_handle& b) { return b.bank->scaling(); })
      .def_property_readonly("item_ids",
                             [](const bank_handle& b) {
                               std::vector<std::string> ids;
                               ids.reserve(b.bank->size());
                               for (const auto& it : b.bank->items()) ids.push_back(it.id);
                               return ids;
                             })
      .def(
          "index", [](const bank_handle& b, const std::string& id) { return item_index(*b.bank, py::str(id)); },
          py::arg("item_id"), "Index of the item with this id (InvalidArgument if none).")
      .def(
          "item",
          [](const bank_handle& b, py::object item) {
            const auto i = item_index(*b.bank, item);
            const auto& it = b.bank->item(i);
            py::dict d;
            d["id"] = it.id;
            d["index"] = i;
            d["model"] = std::string(dsk::irt::to_string(it.params.kind));
            d["categories"] = it.params.categories();
            d["slope"] = it.params.slope;
            d["intercepts"] = it.params.intercepts;
            d["lower"] = it.params.lower;
            d["upper"] = it.params.upper;
            d["competences"] = it.competences;
            d["area"] = it.area;
            d["level"] = it.level;
            d["status"] = std::string(dsk::bank::to_string(it.status));
            d["enemies"] = it.enemies;
            d["tags"] = it.tags;
            return d;
          },
          py::arg("item"), "An item's fields (by id or index); parameters in slope-intercept form, D applied.")
      .def("categories", [](const bank_handle& b, py::object item) {
             return b.bank->params(item_index(*b.bank, item)).categories();
           }, py::arg("item"))
      .def_property_readonly("slopes", [](py::object self) {
        return view_of(self.cast<const bank_handle&>().bank->slopes(), self);
      }, "Slopes (D a) of every item, a read-only view (no copy).")
      .def_property_readonly("intercepts", [](py::object self) {
        return view_of(self.cast<const bank_handle&>().bank->intercepts(), self);
      })
      .def_property_readonly("difficulties", [](py::object self) {
        return view_of(self.cast<const bank_handle&>().bank->difficulties(), self);
      })
      .def(
          "information",
          [](const bank_handle& b, double theta) {
            py::array_t<double> out(static_cast<py::ssize_t>(b.bank->size()));
            b.bank->information_at(theta, std::span<double>(out.mutable_data(), b.bank->size()));
            return out;
          },
          py::arg("theta"), "Fisher information of every item at theta.")
      .def(py::pickle([](const bank_handle& b) { return py::make_tuple(dsk::bank::to_yaml(*b.bank)); },
                      [](py::tuple t) {
                        if (t.size() != 1) throw dsk::serialization_error("bad Bank pickle state");
                        return bank_handle{dsk::bank::load_bank_from_string(t[0].cast<std::string>(), {}, "<pickle>")};
                      }))
      .def("__eq__", [](const bank_handle& a, const bank_handle& b) { return a.bank->fingerprint() == b.bank->fingerprint(); })
      .def("__hash__", [](const bank_handle& b) { return py::hash(py::str(b.bank->fingerprint())); })
      .def("__repr__", [](const bank_handle& b) {
        return "<dskill.Bank " + b.bank->info().id + ": " + std::to_string(b.bank->size()) + " items>";
      });

  // ---- validation ------------------------------------------------------------------------------
  m.def(
      "validate_bank",
      [](const std::string& path, std::shared_ptr<framework_handle> fw) {
        std::vector<dsk::diagnostic> d;
        {
          py::gil_scoped_release nogil;
          d = dsk::bank::validate_bank_file(path, fw ? fw->framework.get() : nullptr);
        }
        py::list out;
        for (const auto& x : d) out.append(diagnostic_dict(x));
        return out;
      },
      py::arg("path"), py::arg("framework") = py::none());
  m.def(
      "validate_framework",
      [](const std::string& path) {
        std::vector<dsk::diagnostic> d;
        {
          py::gil_scoped_release nogil;
          d = dsk::framework::validate_framework_file(path);
        }
        py::list out;
        for (const auto& x : d) out.append(diagnostic_dict(x));
        return out;
      },
      py::arg("path"));

  // ---- credentials ------------------------------------------------------------------------------
  m.def(
      "verify_credential",
      [](const std::string& credential, std::vector<std::string> did_documents, std::vector<std::string> status_lists,
         std::optional<py::bytes> public_key, const std::string& issuer, const std::string& now, bool require_status) {
        dsk::score::verify_options o;
        o.did_documents = std::move(did_documents);
        o.status_lists = std::move(status_lists);
        if (public_key) {
          const std::string pk = *public_key;
          if (pk.size() != 32) throw dsk::invalid_argument("public_key must be 32 bytes (an Ed25519 public key)");
          std::array<unsigned char, 32> k{};
          std::memcpy(k.data(), pk.data(), 32);
          o.public_key = k;
        }
        o.issuer = issuer;
        o.now = now;
        o.require_status = require_status;
        dsk::score::verify_result r;
        {
          py::gil_scoped_release nogil;
          r = dsk::score::verify_credential(credential, o);
        }
        py::dict d;
        d["valid"] = r.valid();
        d["error"] = r.error;
        d["warnings"] = r.warnings;
        d["issuer"] = r.issuer;
        d["verification_method"] = r.verification_method;
        d["cryptosuite"] = r.cryptosuite;
        return d;
      },
      py::arg("credential"), py::arg("did_documents") = std::vector<std::string>{},
      py::arg("status_lists") = std::vector<std::string>{}, py::arg("public_key") = py::none(), py::arg("issuer") = "",
      py::arg("now") = "", py::arg("require_status") = false);

  // ---- estimation and scoring --------------------------------------------------------------------
  m.def("_score_matrix", &score_matrix, py::arg("bank"), py::arg("responses"), py::arg("columns"),
        py::arg("method"), py::arg("prior_mean"), py::arg("prior_sd"), py::arg("grid"), py::arg("bounds"),
        py::arg("se"), py::arg("wle"), py::arg("threads"));
  m.def(
      "estimate",
      [](const bank_handle& b, py::iterable items, std::vector<int> categories, const std::string& method,
         py::object prior_mean, py::object prior_sd, py::object grid, py::object bounds, const std::string& se,
         const std::string& wle) {
        std::vector<dsk::estimate::response> pattern;
        std::size_t k = 0;
        for (auto it : items) {
          if (k >= categories.size()) throw dsk::invalid_argument("more items than categories");
          pattern.push_back({static_cast<std::uint32_t>(item_index(*b.bank, it)), categories[k++]});
        }
        if (k != categories.size()) throw dsk::invalid_argument("more categories than items");
        dsk::estimate::validate_responses(*b.bank, pattern);
        const auto opts = make_options(*b.bank, method, prior_mean, prior_sd, grid, bounds, se, wle);
        const auto r = dsk::estimate::estimate_theta(*b.bank, pattern, opts);
        return py::make_tuple(r.theta, r.se, std::string(dsk::estimate::to_string(r.state)));
      },
      py::arg("bank"), py::arg("items"), py::arg("categories"), py::arg("method") = "eap", py::arg("prior_mean") = py::none(),
      py::arg("prior_sd") = py::none(), py::arg("grid") = py::none(), py::arg("bounds") = py::none(),
      py::arg("se") = "expected", py::arg("wle") = "warm",
      "Estimates one pattern (items by id or index): returns (theta, se, status). The prior defaults to "
      "the bank's latent distribution (N(0, 1) when it records none).");

  bind_cat(m);
  bind_calibrate(m);
}
