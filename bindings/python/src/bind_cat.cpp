// dskill._dskill: adaptive tests (TestSpec, Session with snapshot/restore, simulate) and user
// rules written in Python (Selector, StoppingRule).
#include <algorithm>
#include <cmath>
#include <mutex>

#include <pybind11/stl.h>

#include "common.hpp"
#include "dskill/cat/registry.hpp"
#include "dskill/cat/replay.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/simulate.hpp"
#include "dskill/error.hpp"

namespace dskill::python {
namespace {
// A 32-byte Python bytes object as the library's secret_key.
core::secret_key secret_key_of(const py::object& key) {
  if (!py::isinstance<py::bytes>(key)) throw invalid_argument("key must be 32 bytes");
  const std::string v = key.cast<std::string>();
  if (v.size() != 32) throw invalid_argument("key must be 32 bytes, got " + std::to_string(v.size()));
  core::secret_key k;
  std::copy(v.begin(), v.end(), k.bytes.begin());
  return k;
}
}  // namespace

namespace {

/// Python's TestSpec: a specification plus one engine per bank, shared by every session of
/// this specification over that bank (precomputed tables, live exposure counts).
struct spec_handle {
  cat::test_spec spec;
  std::mutex mutex;
  std::vector<std::shared_ptr<const cat::engine>> engines;

  std::shared_ptr<const cat::engine> engine_for(const bank::bank_ptr& bank) {
    std::lock_guard lock(mutex);
    for (const auto& e : engines)
      if (&e->bank() == bank.get()) return e;
    engines.push_back(cat::engine::create(bank, spec));
    return engines.back();
  }
};

struct session_handle {
  std::shared_ptr<bank_handle> bank;  // keeps the Python Bank object's bank alive and reachable
  cat::session session;
};

std::shared_ptr<spec_handle> make_spec(cat::test_spec s) {
  cat::validate(s);
  auto h = std::make_shared<spec_handle>();
  h->spec = std::move(s);
  return h;
}

py::object item_or_none(const session_handle& s, std::optional<std::uint32_t> item) {
  if (!item) return py::none();
  return py::str(s.session.get_engine().bank().id(*item));
}

// ---- user rules in Python ----------------------------------------------------------------------
//
// A Python rule subclasses dskill.Selector (scores) or dskill.StoppingRule (should_stop); the
// trampolines below let Python override those methods, and a forwarding rule registered in the
// C++ registry calls them once per step. The engine calls rules without the GIL (sessions and
// simulate release it), so the forwarding rule takes the GIL for the call: Python rules work
// from any thread, simulate included, but run one at a time; results stay independent of the
// number of threads as long as the rule is a function of the state it is given.

/// What a Python rule sees: the provisional estimate, the answered items and categories, and
/// (for a selector) the eligible candidates, all as bank indices.
struct rule_state {
  double theta = 0.0, se = 0.0;
  py::array_t<std::uint32_t> items;
  py::array_t<std::int32_t> categories;
  py::array_t<std::uint32_t> candidates;
};

rule_state make_rule_state(const cat::selection_state& st, std::span<const std::uint32_t> candidates) {
  rule_state r;
  r.theta = st.theta;
  r.se = st.se;
  const auto n = static_cast<py::ssize_t>(st.responses.size());
  r.items = py::array_t<std::uint32_t>(n);
  r.categories = py::array_t<std::int32_t>(n);
  for (py::ssize_t k = 0; k < n; ++k) {
    r.items.mutable_at(k) = st.responses[static_cast<std::size_t>(k)].item;
    r.categories.mutable_at(k) = st.responses[static_cast<std::size_t>(k)].category;
  }
  r.candidates = py::array_t<std::uint32_t>(static_cast<py::ssize_t>(candidates.size()), candidates.data());
  return r;
}

class py_selector_base {
 public:
  virtual ~py_selector_base() = default;
  virtual py::object scores(const rule_state& state) = 0;
};
class py_selector_trampoline : public py_selector_base {
 public:
  py::object scores(const rule_state& state) override { PYBIND11_OVERRIDE_PURE(py::object, py_selector_base, scores, state); }
};

class py_stopping_base {
 public:
  virtual ~py_stopping_base() = default;
  virtual bool should_stop(const rule_state& state) = 0;
};
class py_stopping_trampoline : public py_stopping_base {
 public:
  bool should_stop(const rule_state& state) override { PYBIND11_OVERRIDE_PURE(bool, py_stopping_base, should_stop, state); }
};

/// A strong reference to a Python object that may be copied and dropped without the GIL (the
/// last owner takes the GIL to release it; nothing is released once Python is gone).
using shared_py = std::shared_ptr<py::object>;
shared_py share(py::object o) {
  return shared_py(new py::object(std::move(o)), [](py::object* p) {
    if (Py_IsInitialized()) {
      py::gil_scoped_acquire gil;
      delete p;
    }
  });
}

class forwarding_selector final : public cat::item_selector {
 public:
  explicit forwarding_selector(shared_py obj) : obj_(std::move(obj)) {
    py::gil_scoped_acquire gil;
    impl_ = obj_->cast<py_selector_base*>();
  }
  void evaluate(const cat::step_context& ctx) const override {
    py::gil_scoped_acquire gil;
    const auto result = impl_->scores(make_rule_state(ctx.state, ctx.candidates));
    const auto scores = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(result);
    if (!scores || scores.ndim() != 1 || static_cast<std::size_t>(scores.size()) != ctx.candidates.size())
      throw invalid_argument("Selector.scores must return one number per candidate (" + std::to_string(ctx.candidates.size()) + ")");
    const double* v = scores.data();
    for (std::size_t k = 0; k < ctx.candidates.size(); ++k) {
      const auto i = ctx.candidates[k];
      if (std::isnan(v[k])) throw invalid_argument("Selector.scores gave NaN for item " + std::to_string(i));
      ctx.value[i] = ctx.score[i] = v[k];
    }
  }

 private:
  shared_py obj_;
  py_selector_base* impl_ = nullptr;
};

class forwarding_stopping final : public cat::stopping_rule {
 public:
  explicit forwarding_stopping(shared_py obj) : obj_(std::move(obj)) {
    py::gil_scoped_acquire gil;
    impl_ = obj_->cast<py_stopping_base*>();
  }
  cat::finish_reason check(const cat::stop_context& ctx) const override {
    py::gil_scoped_acquire gil;
    return impl_->should_stop(make_rule_state(ctx.state, {})) ? cat::finish_reason::user_rule : cat::finish_reason::not_finished;
  }

 private:
  shared_py obj_;
  py_stopping_base* impl_ = nullptr;
};

}  // namespace

void bind_cat(py::module_& m) {
  m.attr("HAVE_CAT") = true;  // kept for older callers: the layer is always built

  py::class_<rule_state>(m, "RuleState", "What a Python rule sees at one step (bank indices).")
      .def_readonly("theta", &rule_state::theta, "Provisional theta.")
      .def_readonly("se", &rule_state::se, "Its standard error.")
      .def_readonly("items", &rule_state::items, "Answered items, in order.")
      .def_readonly("categories", &rule_state::categories, "Their categories.")
      .def_readonly("candidates", &rule_state::candidates, "Eligible items (selectors only), increasing.")
      .def_property_readonly("answered", [](const rule_state& s) { return s.items.size(); });
  py::class_<py_selector_base, py_selector_trampoline>(
      m, "Selector",
      "Base class of item selectors written in Python: override scores(state) to return one number "
      "per state.candidates (higher wins), then register_selector(name, instance) and name it in a "
      "spec (selection: {rule: name}). Content balancing and exposure control still apply.")
      .def(py::init<>())
      .def("scores", &py_selector_base::scores, py::arg("state"));
  py::class_<py_stopping_base, py_stopping_trampoline>(
      m, "StoppingRule",
      "Base class of stopping rules written in Python: override should_stop(state) -> bool, then "
      "register_stopping_rule(name, instance) and list it in a spec (stopping: {rules: [name]}). It "
      "joins the spec's other rules under stopping.combine; max_items and min_items still hold.")
      .def(py::init<>())
      .def("should_stop", &py_stopping_base::should_stop, py::arg("state"));
  m.def(
      "register_selector",
      [](const std::string& name, py::object rule) {
        if (!py::isinstance<py_selector_base>(rule)) throw invalid_argument("register_selector needs a dskill.Selector");
        auto obj = share(std::move(rule));
        cat::register_selector(name, [obj](const cat::engine&) -> std::unique_ptr<cat::item_selector> {
          return std::make_unique<forwarding_selector>(obj);
        });
      },
      py::arg("name"), py::arg("rule"), "Registers a Python selector under `name` (names are case-insensitive).");
  m.def(
      "register_stopping_rule",
      [](const std::string& name, py::object rule) {
        if (!py::isinstance<py_stopping_base>(rule)) throw invalid_argument("register_stopping_rule needs a dskill.StoppingRule");
        auto obj = share(std::move(rule));
        cat::register_stopping_rule(name, [obj](const cat::engine&) -> std::unique_ptr<cat::stopping_rule> {
          return std::make_unique<forwarding_stopping>(obj);
        });
      },
      py::arg("name"), py::arg("rule"), "Registers a Python stopping rule under `name`.");
  m.def(
      "unregister_rule",
      [](const std::string& name) {
        auto& reg = cat::registry::global();
        return reg.selectors.remove(name) || reg.stopping.remove(name);
      },
      py::arg("name"), "Removes a user selector or stopping rule (built-ins stay). Engines made already keep theirs.");
  m.def(
      "registered_rules",
      []() {
        auto& reg = cat::registry::global();
        py::dict out;
        out["start"] = reg.start.names();
        out["selection"] = reg.selectors.names();
        out["estimation"] = reg.estimators.names();
        out["stopping"] = reg.stopping.names();
        return out;
      },
      "Registered rule names by kind (built-ins first).");

  py::class_<spec_handle, std::shared_ptr<spec_handle>>(m, "TestSpec",
                                                        "The specification of an adaptive test (start rule, item "
                                                        "selection, exposure control, content balancing, estimator, "
                                                        "stopping rule).")
      .def(py::init([]() { return make_spec({}); }), "The defaults (MFI, EAP, at most 20 items).")
      .def_static("load", [](const std::string& path) { return make_spec(cat::load_test_spec(path)); },
                  py::arg("path"))
      .def_static(
          "from_yaml",
          [](const std::string& text, const std::string& name) { return make_spec(cat::parse_test_spec(text, name)); },
          py::arg("text"), py::arg("name") = "<spec>")
      .def("to_yaml", [](const spec_handle& s) { return cat::to_yaml(s.spec); })
      .def_property_readonly("hash", [](const spec_handle& s) { return cat::spec_hash(s.spec); })
      .def_property_readonly("max_items", [](const spec_handle& s) { return s.spec.stopping.max_items; })
      .def_property_readonly("criterion", [](const spec_handle& s) { return std::string(cat::to_string(s.spec.selection.rule)); })
      .def(py::pickle([](const spec_handle& s) { return py::make_tuple(cat::to_yaml(s.spec)); },
                      [](py::tuple t) { return make_spec(cat::parse_test_spec(t[0].cast<std::string>(), "<pickle>")); }))
      .def("__repr__", [](const spec_handle& s) { return "<dskill.TestSpec " + s.spec.id + ">"; });

  py::class_<session_handle, std::shared_ptr<session_handle>>(m, "Session",
                                                              "One examinee's adaptive test. Not thread-safe itself; "
                                                              "different sessions are.")
      .def(py::init([](std::shared_ptr<bank_handle> bank, std::shared_ptr<spec_handle> spec, std::uint64_t seed) {
             if (!bank) throw invalid_argument("bank is None");
             if (!spec) spec = make_spec({});
             auto eng = spec->engine_for(bank->bank);
             return std::make_shared<session_handle>(session_handle{bank, cat::session(std::move(eng), seed)});
           }),
           py::arg("bank"), py::arg("spec") = py::none(), py::arg("seed") = 0)
      .def(
          "next_item",
          [](session_handle& s) {
            cat::step_result r;
            {
              py::gil_scoped_release nogil;
              r = s.session.next_item();
            }
            return item_or_none(s, r.item);
          },
          "The id of the item to give next, or None when the test is over (see finish_reason).")
      .def(
          "next_index",
          [](session_handle& s) -> py::object {
            cat::step_result r;
            {
              py::gil_scoped_release nogil;
              r = s.session.next_item();
            }
            if (!r.item) return py::none();
            return py::int_(*r.item);
          },
          "As next_item, as the item's index in the bank.")
      .def(
          "administer",
          [](session_handle& s, py::object item, bool override_constraints) {
            if (py::isinstance<py::str>(item)) return s.session.administer(item.cast<std::string>(), override_constraints);
            const auto i = item.cast<long long>();
            const auto n = s.session.get_engine().bank().size();
            if (i < 0 || static_cast<unsigned long long>(i) >= n)
              throw invalid_argument("item index " + std::to_string(i) + " is outside the bank (" + std::to_string(n) +
                                     " items)");
            return s.session.administer(static_cast<std::uint32_t>(i), override_constraints);
          },
          py::arg("item"), py::arg("override_constraints") = false,
          "Offers an item chosen outside the engine (id or index): it becomes the pending item, answered "
          "with record(). Raises StateError when it was answered, another item is pending, the test is "
          "over, or the spec would not give it now (status, enemy, set aside) unless "
          "override_constraints. Returns False when it already was the pending item.")
      .def(
          "record",
          [](session_handle& s, py::object item, int category) {
            if (py::isinstance<py::str>(item)) return s.session.record_response(item.cast<std::string>(), category);
            const auto i = item.cast<long long>();
            const auto n = s.session.get_engine().bank().size();
            if (i < 0 || static_cast<unsigned long long>(i) >= n)
              throw invalid_argument("item index " + std::to_string(i) + " is outside the bank (" + std::to_string(n) +
                                     " items)");
            return s.session.record_response(static_cast<std::uint32_t>(i), category);
          },
          py::arg("item"), py::arg("category"),
          "Records the answer to the offered item (id or index). Returns False when the same answer was "
          "already recorded; raises StateError for an item not offered or a changed answer.")
      .def_property_readonly("theta", [](const session_handle& s) { return s.session.theta(); })
      .def_property_readonly("se", [](const session_handle& s) { return s.session.se(); })
      .def_property_readonly(
          "profile_theta",
          [](const session_handle& s) {
            const auto& t = s.session.profile_theta();
            return py::array_t<double>(static_cast<py::ssize_t>(t.size()), t.data());
          },
          "The estimate as a vector, one value per bank dimension (one for a unidimensional bank).")
      .def_property_readonly(
          "profile_covariance",
          [](const session_handle& s) {
            const auto& c = s.session.profile_covariance();
            const auto n = static_cast<py::ssize_t>(c.rows());
            py::array_t<double> out({n, n});
            auto m = out.mutable_unchecked<2>();
            for (py::ssize_t r = 0; r < n; ++r)
              for (py::ssize_t k = 0; k < n; ++k) m(r, k) = c(r, k);
            return out;
          },
          "The estimate's covariance (dimensions x dimensions).")
      .def_property_readonly(
          "profile_se",
          [](const session_handle& s) {
            const auto se = s.session.profile_se();
            return py::array_t<double>(static_cast<py::ssize_t>(se.size()), se.data());
          },
          "Per-dimension standard errors.")
      .def_property_readonly(
          "area_levels",
          [](const session_handle& s) {
            const auto& eng = s.session.get_engine();
            const auto& dims = eng.bank().info().dimensions;
            const auto stop = eng.stopping_dimensions();
            const auto areas = s.session.classify_areas();
            py::dict out;
            for (std::size_t k = 0; k < stop.size(); ++k) {
              const std::string id = dims.empty() ? std::string("theta") : dims[stop[k]].id;
              out[py::str(id)] = areas[k].decided ? py::object(py::int_(areas[k].level)) : py::object(py::none());
            }
            return out;
          },
          "Per classified dimension (the spec's stopping.areas; id 'theta' for a unidimensional bank): "
          "its level against the spec's cuts (0 = below every cut), or None while undecided.")
      .def_property_readonly("finished", [](const session_handle& s) { return s.session.finished(); })
      .def_property_readonly("finish_reason",
                             [](const session_handle& s) { return std::string(cat::to_string(s.session.reason())); })
      .def_property_readonly("answered", [](const session_handle& s) { return s.session.responses().size(); })
      .def_property_readonly("seed", [](const session_handle& s) { return s.session.seed(); })
      .def_property_readonly("bank", [](const session_handle& s) { return s.bank; })
      .def_property_readonly(
          "history",
          [](const session_handle& s) {
            const auto& b = s.session.get_engine().bank();
            py::list out;
            for (const auto& h : s.session.history()) out.append(py::make_tuple(b.id(h.item), h.category, h.theta, h.se));
            return out;
          },
          "(item id, category, theta, se) after each answer.")
      .def(
          "snapshot",
          [](const session_handle& s, py::object key) {
            const auto bytes = key.is_none() ? s.session.snapshot() : s.session.snapshot(secret_key_of(key));
            return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
          },
          py::arg("key") = py::none(),
          "The session as bytes (versioned envelope with the bank fingerprint and a checksum). With key "
          "(32 bytes, the server's secret) the bytes are sealed: a client can neither read nor change them.")
      .def_static(
          "restore",
          [](std::shared_ptr<bank_handle> bank, py::bytes data, std::shared_ptr<spec_handle> spec, py::object key) {
            if (!bank) throw invalid_argument("bank is None");
            std::string_view v = data;
            const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
            if (!key.is_none()) {
              const auto k = secret_key_of(key);
              auto s = spec ? cat::session::restore(spec->engine_for(bank->bank), bytes, k)
                            : cat::session::restore(bank->bank, bytes, k);
              return std::make_shared<session_handle>(session_handle{bank, std::move(s)});
            }
            auto s = spec ? cat::session::restore(spec->engine_for(bank->bank), bytes)
                          : cat::session::restore(bank->bank, bytes);
            return std::make_shared<session_handle>(session_handle{bank, std::move(s)});
          },
          py::arg("bank"), py::arg("data"), py::arg("spec") = py::none(), py::arg("key") = py::none(),
          "A session from snapshot() bytes (SerializationError if truncated, corrupted or for another bank). "
          "With key, only bytes sealed under that key are accepted.")
      .def(
          "replay",
          [](const session_handle& s, double tolerance) {
            cat::replay_result r;
            {
              py::gil_scoped_release nogil;
              r = cat::replay(s.session.engine_ptr(), s.session.record(), tolerance);
            }
            const auto& b = s.session.get_engine().bank();
            auto number = [](double v) -> py::object { return std::isfinite(v) ? py::object(py::float_(v)) : py::object(py::none()); };
            py::list steps;
            for (const auto& st : r.steps) {
              const bool given = st.answered && st.item == st.recorded_item;
              py::dict d;
              d["step"] = st.number;
              d["origin"] = std::string(cat::to_string(st.origin));
              d["item"] = item_or_none(s, st.item);
              d["answer"] = given ? py::object(py::int_(st.category)) : py::object(py::none());
              d["theta"] = given ? number(st.theta) : py::object(py::none());
              d["se"] = given ? number(st.se) : py::object(py::none());
              d["recorded_item"] = b.id(st.recorded_item);
              d["recorded_theta"] = st.answered ? number(st.recorded_theta) : py::object(py::none());
              d["recorded_se"] = st.answered ? number(st.recorded_se) : py::object(py::none());
              d["match"] = st.matches;
              steps.append(d);
            }
            py::dict out;
            out["matches"] = r.matches();
            out["first_difference"] = r.first_difference ? py::object(py::int_(*r.first_difference + 1)) : py::object(py::none());
            out["difference"] = r.difference;
            out["reason"] = std::string(cat::to_string(r.reason));
            out["recorded_reason"] = std::string(cat::to_string(r.recorded_reason));
            out["steps"] = steps;
            return out;
          },
          py::arg("tolerance") = 1e-9,
          "Runs this session's test again from its record (seed, answers, items given from outside, and the "
          "exposure state each step read) and compares every step: a dict with matches, first_difference "
          "(a step number or None), difference, reason, recorded_reason and steps (dicts: step, origin, item, "
          "answer, theta, se, recorded_item, recorded_theta, recorded_se, match). Thetas and SEs match within "
          "tolerance (relative above 1; 0: bit for bit). Live exposure counts are neither read nor moved. Replay a stored snapshot with Session.restore(bank, data).replay().")
      .def(py::pickle(
          [](const session_handle& s) {
            const auto bytes = s.session.snapshot();
            return py::make_tuple(py::cast(s.bank),
                                  py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
          },
          [](py::tuple t) {
            auto bank = t[0].cast<std::shared_ptr<bank_handle>>();
            std::string_view v = t[1].cast<py::bytes>();
            const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
            return std::make_shared<session_handle>(session_handle{bank, cat::session::restore(bank->bank, bytes)});
          }))
      .def("__repr__", [](const session_handle& s) {
        return "<dskill.Session " + std::to_string(s.session.responses().size()) + " answered, theta " +
               std::to_string(s.session.theta()) + ">";
      });

  m.def(
      "_simulate",
      [](std::shared_ptr<bank_handle> bank, std::shared_ptr<spec_handle> spec, std::size_t examinees,
         std::uint64_t seed, unsigned threads, std::optional<std::vector<double>> true_thetas) {
        if (!bank) throw invalid_argument("bank is None");
        if (!spec) spec = make_spec({});
        cat::simulation_options o;
        o.examinees = examinees;
        o.seed = seed;
        o.threads = threads;
        // A fresh engine: a simulation must not count into live exposure of real sessions.
        auto eng = cat::engine::create(bank->bank, spec->spec);
        if (true_thetas) {
          // Profile banks: the values are the true profiles, row by row (the wrapper flattens them).
          if (eng->profile()) o.true_profiles = std::move(*true_thetas);
          else o.true_thetas = std::move(*true_thetas);
          o.examinees = eng->profile() ? o.true_profiles.size() / eng->bank().dimensions() : o.true_thetas.size();
        }
        cat::simulation_result r;
        {
          py::gil_scoped_release nogil;
          r = cat::simulate(eng, o);
        }
        const auto n = static_cast<py::ssize_t>(r.examinees.size());
        py::array_t<double> tt(n), th(n), se(n);
        py::array_t<std::int32_t> len(n), lvl(n);
        py::list reason, items;
        const auto& b = *bank->bank;
        for (py::ssize_t i = 0; i < n; ++i) {
          const auto& e = r.examinees[static_cast<std::size_t>(i)];
          tt.mutable_at(i) = e.true_theta;
          th.mutable_at(i) = e.theta;
          se.mutable_at(i) = e.se;
          len.mutable_at(i) = static_cast<std::int32_t>(e.items.size());
          lvl.mutable_at(i) = e.level;
          reason.append(std::string(cat::to_string(e.reason)));
          py::list ids;
          for (auto it : e.items) ids.append(b.id(it));
          items.append(ids);
        }
        const auto& s = r.summary;
        py::dict summary;
        summary["examinees"] = s.examinees;
        summary["bias"] = s.bias;
        summary["rmse"] = s.rmse;
        summary["mae"] = s.mae;
        summary["mean_se"] = s.mean_se;
        summary["correlation"] = s.correlation;
        summary["length_mean"] = s.length_mean;
        summary["length_min"] = s.length_min;
        summary["length_max"] = s.length_max;
        summary["exposure_max"] = s.exposure_max;
        summary["exposure_never_used"] = s.exposure_never_used;
        summary["test_overlap"] = s.test_overlap;
        summary["classification_accuracy"] =
            s.classification_accuracy ? py::object(py::float_(*s.classification_accuracy)) : py::none();
        summary["reasons"] = s.reasons;
        py::dict out;
        if (eng->profile()) {
          // Per dimension: the true values, estimates and SEs (examinees x dimensions); per
          // classified dimension the true and classified levels.
          const auto dims = static_cast<py::ssize_t>(eng->bank().dimensions());
          const auto areas = static_cast<py::ssize_t>(eng->stopping_dimensions().size());
          py::array_t<double> tp({n, dims}), pp({n, dims}), ps({n, dims});
          py::array_t<std::int32_t> tl({n, areas}), ll({n, areas});
          auto a = tp.mutable_unchecked<2>(), b2 = pp.mutable_unchecked<2>(), c = ps.mutable_unchecked<2>();
          auto d = tl.mutable_unchecked<2>(), e2 = ll.mutable_unchecked<2>();
          for (py::ssize_t i = 0; i < n; ++i) {
            const auto& e = r.examinees[static_cast<std::size_t>(i)];
            for (py::ssize_t k = 0; k < dims; ++k) {
              const auto kk = static_cast<std::size_t>(k);
              a(i, k) = e.true_profile[kk];
              b2(i, k) = e.profile[kk];
              c(i, k) = e.profile_se[kk];
            }
            for (py::ssize_t k = 0; k < areas; ++k) {
              d(i, k) = e.true_levels[static_cast<std::size_t>(k)];
              e2(i, k) = e.levels[static_cast<std::size_t>(k)];
            }
          }
          out["true_profile"] = tp;
          out["profile"] = pp;
          out["profile_se"] = ps;
          out["true_levels"] = tl;
          out["levels"] = ll;
          py::list per_dim;
          for (const auto& x : s.dimensions) {
            py::dict dd;
            dd["id"] = x.id;
            dd["bias"] = x.bias;
            dd["rmse"] = x.rmse;
            dd["mean_se"] = x.mean_se;
            dd["correlation"] = x.correlation;
            dd["classification_accuracy"] =
                x.classification_accuracy ? py::object(py::float_(*x.classification_accuracy)) : py::none();
            per_dim.append(dd);
          }
          summary["dimensions"] = per_dim;
        }
        out["true_theta"] = tt;
        out["theta"] = th;
        out["se"] = se;
        out["length"] = len;
        out["level"] = lvl;
        out["reason"] = reason;
        out["items"] = items;
        out["summary"] = summary;
        return out;
      },
      py::arg("bank"), py::arg("spec"), py::arg("examinees"), py::arg("seed"), py::arg("threads"),
      py::arg("true_thetas"));
}

}  // namespace dskill::python

