// The C API: a thin face over the C++ library. Every entry point is noexcept and wraps its body
// in DSK_C_TRY / DSK_C_CATCH, which turns any exception into a negative status and the
// thread-local last-error message (the C++ message, location included).
#include "dskill/c/dskill.h"

#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/error.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/matrix.hpp"
#include "dskill/version.hpp"


static_assert(DSK_VERSION_MAJOR == DSKILL_VERSION_MAJOR && DSK_VERSION_MINOR == DSKILL_VERSION_MINOR &&
                  DSK_VERSION_PATCH == DSKILL_VERSION_PATCH,
              "dskill.h and dskill/version.hpp disagree on the version");

namespace dsk = dskill;

// ---- handles -----------------------------------------------------------------------------------

struct dsk_bank {
  dsk::bank::bank_ptr bank;
};
struct dsk_framework {
  dsk::framework::framework_ptr framework;
};
struct dsk_diagnostics {
  std::vector<dsk::diagnostic> items;
  std::vector<std::string> texts;
};
struct dsk_test_spec {
  dsk::cat::test_spec spec;
  // One engine per bank, shared by every session of this specification over that bank (its
  // tables and live exposure counts). Keyed by the bank object, which the engine keeps alive.
  mutable std::mutex mutex;
  mutable std::vector<std::shared_ptr<const dsk::cat::engine>> engines;

  std::shared_ptr<const dsk::cat::engine> engine_for(const dsk::bank::bank_ptr& bank) const {
    std::lock_guard lock(mutex);
    for (const auto& e : engines)
      if (&e->bank() == bank.get()) return e;
    engines.push_back(dsk::cat::engine::create(bank, spec));
    return engines.back();
  }
};
struct dsk_session {
  dsk::cat::session session;
};

// ---- errors ------------------------------------------------------------------------------------

namespace {

struct last_error {
  int code = DSK_OK;
  std::string message;
};
thread_local last_error tl_error;

int set_error(int code, const char* message) noexcept {
  tl_error.code = code;
  try {
    tl_error.message = message;
  } catch (...) {
    tl_error.message.clear();  // out of memory for the message itself: keep the code
  }
  return code;
}

template <class T>
T& need(T* p, const char* what) {
  if (p == nullptr) throw dsk::invalid_argument(std::string(what) + " is NULL");
  return *p;
}

}  // namespace

#define DSK_C_TRY try {
#define DSK_C_CATCH                                                            \
  }                                                                            \
  catch (const dsk::error& e) {                                                \
    return set_error(-static_cast<int>(e.code()), e.what());                   \
  }                                                                            \
  catch (const std::bad_alloc&) {                                              \
    return set_error(DSK_ENOMEM, "[dskill.out_of_memory.E098] out of memory"); \
  }                                                                            \
  catch (const std::exception& e) {                                            \
    std::string m = "[dskill.internal.E099] ";                                 \
    m += e.what();                                                             \
    return set_error(DSK_EINTERNAL, m.c_str());                                \
  }                                                                            \
  catch (...) {                                                                \
    return set_error(DSK_EINTERNAL, "[dskill.internal.E099] unknown exception"); \
  }                                                                            \
  return DSK_OK;

namespace {

std::string name_or(const char* name, const char* fallback) { return name ? name : fallback; }

std::string_view text_of(const char* p, std::size_t len) {
  if (p == nullptr && len > 0) throw dsk::invalid_argument("text is NULL");
  return p ? std::string_view(p, len) : std::string_view();
}

/// Copies `data` into (buf, cap) under the buffer convention of the header.
int copy_out(const void* data, std::size_t size, void* buf, std::size_t cap, std::size_t* out_len, bool nul) {
  if (out_len) *out_len = size;
  if (buf == nullptr && cap == 0) return DSK_OK;
  if (buf == nullptr) throw dsk::invalid_argument("buffer is NULL");
  const std::size_t need_bytes = size + (nul ? 1 : 0);
  if (cap < need_bytes)
    throw dsk::invalid_argument(std::string("buffer too small: ") + std::to_string(need_bytes) +
                           " bytes needed, " + std::to_string(cap) + " given");
  if (size) std::memcpy(buf, data, size);
  if (nul) static_cast<char*>(buf)[size] = '\0';
  return DSK_OK;
}

/// The options of a call: the bank's defaults (its calibrated latent distribution as the
/// prior) unless `o` says otherwise; prior_sd 0 (DSK_SCORE_OPTIONS_INIT) keeps the bank's prior.
dsk::estimate::options to_options(const dsk::bank::item_bank& bank, const dsk_score_options* o) {
  dsk::estimate::options opts = dsk::score::default_options(bank);
  if (o == nullptr) return opts;
  if (o->version == 0 || o->version > DSK_SCORE_OPTIONS_VERSION)
    throw dsk::invalid_argument(std::string("dsk_score_options.version is ") + std::to_string(o->version) +
                           "; this library knows versions 1.." + std::to_string(DSK_SCORE_OPTIONS_VERSION) +
                           " (initialise with DSK_SCORE_OPTIONS_INIT)");
  switch (o->method) {
    case DSK_METHOD_EAP: opts.estimator = dsk::estimate::method::eap; break;
    case DSK_METHOD_MAP: opts.estimator = dsk::estimate::method::map; break;
    case DSK_METHOD_ML: opts.estimator = dsk::estimate::method::ml; break;
    case DSK_METHOD_WLE: opts.estimator = dsk::estimate::method::wle; break;
    default: throw dsk::invalid_argument(std::string("unknown method ") + std::to_string(o->method));
  }
  if (o->prior_sd != 0.0) {
    opts.prior_.mean = o->prior_mean;
    opts.prior_.sd = o->prior_sd;
  }
  opts.grid = {o->grid_lo, o->grid_hi, o->grid_points};
  opts.lower_bound = o->lower_bound;
  opts.upper_bound = o->upper_bound;
  if (o->se_information != DSK_SE_EXPECTED && o->se_information != DSK_SE_OBSERVED)
    throw dsk::invalid_argument(std::string("unknown se_information ") + std::to_string(o->se_information));
  opts.se_information = o->se_information == DSK_SE_OBSERVED ? dsk::estimate::information_kind::observed
                                                              : dsk::estimate::information_kind::expected;
  if (o->wle_variant != DSK_WLE_WARM && o->wle_variant != DSK_WLE_JEFFREYS)
    throw dsk::invalid_argument(std::string("unknown wle_variant ") + std::to_string(o->wle_variant));
  opts.wle = o->wle_variant == DSK_WLE_JEFFREYS ? dsk::estimate::wle_variant::jeffreys : dsk::estimate::wle_variant::warm;
  dsk::estimate::validate(opts);
  return opts;
}

int make_diagnostics(dsk_diagnostics** out, std::vector<dsk::diagnostic> d) {
  auto h = std::make_unique<dsk_diagnostics>();
  h->items = std::move(d);
  h->texts.reserve(h->items.size());
  for (const auto& x : h->items) h->texts.push_back(x.to_string());
  *out = h.release();
  return DSK_OK;
}

}  // namespace

namespace {
// A C key (32 bytes) as the library's secret_key.
dsk::core::secret_key key_from(const unsigned char* key) {
  if (key == nullptr) throw dsk::invalid_argument("key is NULL");
  dsk::core::secret_key k;
  std::memcpy(k.bytes.data(), key, k.bytes.size());
  return k;
}
}  // namespace

extern "C" {

// ---- version and errors ------------------------------------------------------------------------

unsigned dsk_version_number(void) { return DSK_VERSION_NUMBER; }
const char* dsk_version_string(void) { return DSKILL_VERSION_STRING; }
const char* dsk_last_error_message(void) { return tl_error.message.c_str(); }
int dsk_last_error_code(void) { return tl_error.code; }
void dsk_clear_error(void) {
  tl_error.code = DSK_OK;
  tl_error.message.clear();
}

const char* dsk_status_name(int status) {
  switch (status) {
    case DSK_OK: return "ok";
    case DSK_ENOMEM: return "out_of_memory";
    default: break;
  }
  if (status < 0 && status >= -99) {
    const auto name = dsk::to_string(static_cast<dsk::errc>(-status));
    return name.data();  // to_string returns literals (NUL-terminated)
  }
  return "unknown";
}

// ---- frameworks ----------------------------------------------------------------------------------

int dsk_framework_load(dsk_framework** out, const char* path) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  auto fw = dsk::framework::load_framework(std::string(&need(path, "path")));
  *out = new dsk_framework{std::move(fw)};
  DSK_C_CATCH
}

int dsk_framework_parse(dsk_framework** out, const char* yaml, size_t len, const char* name) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  auto fw = dsk::framework::load_framework_from_string(text_of(yaml, len), name_or(name, "<string>"));
  *out = new dsk_framework{std::move(fw)};
  DSK_C_CATCH
}

void dsk_framework_free(dsk_framework* framework) { delete framework; }
const char* dsk_framework_id(const dsk_framework* f) { return f ? f->framework->id().c_str() : nullptr; }
const char* dsk_framework_version(const dsk_framework* f) { return f ? f->framework->version().c_str() : nullptr; }
size_t dsk_framework_area_count(const dsk_framework* f) { return f ? f->framework->areas().size() : 0; }
size_t dsk_framework_competence_count(const dsk_framework* f) { return f ? f->framework->competences().size() : 0; }

// ---- banks -------------------------------------------------------------------------------------

int dsk_bank_load(dsk_bank** out, const char* path, const dsk_framework* framework) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  dsk::bank::load_options opts;
  opts.framework = framework ? framework->framework.get() : nullptr;
  auto b = dsk::bank::load_bank(std::string(&need(path, "path")), opts);
  *out = new dsk_bank{std::move(b)};
  DSK_C_CATCH
}

int dsk_bank_parse(dsk_bank** out, const char* yaml, size_t len, const char* name, const dsk_framework* framework) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  dsk::bank::load_options opts;
  opts.framework = framework ? framework->framework.get() : nullptr;
  auto b = dsk::bank::load_bank_from_string(text_of(yaml, len), opts, name_or(name, "<string>"));
  *out = new dsk_bank{std::move(b)};
  DSK_C_CATCH
}

void dsk_bank_free(dsk_bank* bank) { delete bank; }
size_t dsk_bank_size(const dsk_bank* b) { return b ? b->bank->size() : 0; }
const char* dsk_bank_id(const dsk_bank* b) { return b ? b->bank->info().id.c_str() : nullptr; }
const char* dsk_bank_fingerprint(const dsk_bank* b) { return b ? b->bank->fingerprint().c_str() : nullptr; }
const char* dsk_bank_item_id(const dsk_bank* b, size_t index) {
  return b && index < b->bank->size() ? b->bank->id(index).c_str() : nullptr;
}
int dsk_bank_item_categories(const dsk_bank* b, size_t index) {
  return b && index < b->bank->size() ? b->bank->params(index).categories() : 0;
}

int dsk_bank_find(const dsk_bank* bank, const char* item_id, size_t* out_index) {
  DSK_C_TRY
  const auto& b = need(bank, "bank");
  const auto idx = b.bank->find(&need(item_id, "item_id"));
  if (!idx) throw dsk::invalid_argument(std::string("the bank has no item '") + item_id + "'");
  need(out_index, "out_index") = *idx;
  DSK_C_CATCH
}

int dsk_bank_to_yaml(const dsk_bank* bank, char* buf, size_t cap, size_t* out_len) {
  DSK_C_TRY
  const std::string text = dsk::bank::to_yaml(*need(bank, "bank").bank);
  return copy_out(text.data(), text.size(), buf, cap, out_len, true);
  DSK_C_CATCH
}

// ---- validation ----------------------------------------------------------------------------------

int dsk_validate_bank_file(dsk_diagnostics** out, const char* path, const dsk_framework* framework) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  return make_diagnostics(out, dsk::bank::validate_bank_file(std::string(&need(path, "path")),
                                                             framework ? framework->framework.get() : nullptr));
  DSK_C_CATCH
}

int dsk_validate_framework_file(dsk_diagnostics** out, const char* path) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  return make_diagnostics(out, dsk::framework::validate_framework_file(std::string(&need(path, "path"))));
  DSK_C_CATCH
}

void dsk_diagnostics_free(dsk_diagnostics* d) { delete d; }
size_t dsk_diagnostics_count(const dsk_diagnostics* d) { return d ? d->items.size() : 0; }
size_t dsk_diagnostics_error_count(const dsk_diagnostics* d) {
  size_t n = 0;
  if (d)
    for (const auto& x : d->items) n += x.level == dsk::severity::error;
  return n;
}

int dsk_diagnostics_get(const dsk_diagnostics* diagnostics, size_t index, dsk_diagnostic* out) {
  DSK_C_TRY
  const auto& d = need(diagnostics, "diagnostics");
  auto& o = need(out, "out");
  if (index >= d.items.size())
    throw dsk::invalid_argument("diagnostic index " + std::to_string(index) + " is outside 0.." +
                                std::to_string(d.items.size()) + " (exclusive)");
  const auto& x = d.items[index];
  o.severity = x.level == dsk::severity::error ? DSK_SEVERITY_ERROR
               : x.level == dsk::severity::warning ? DSK_SEVERITY_WARNING
                                                   : DSK_SEVERITY_NOTE;
  o.code = x.code.c_str();
  o.message = x.message.c_str();
  o.file = x.where.file.c_str();
  o.line = x.where.line;
  o.column = x.where.column;
  o.item_id = x.where.item_id.c_str();
  o.text = d.texts[index].c_str();
  DSK_C_CATCH
}

// ---- scoring -----------------------------------------------------------------------------------

int dsk_score_batch(const dsk_bank* bank, const int8_t* responses, size_t n_persons, size_t n_columns,
                    size_t row_stride, const uint32_t* columns, double* theta_out, double* se_out,
                    int32_t* status_out, const dsk_score_options* options) {
  DSK_C_TRY
  const auto& b = need(bank, "bank");
  const dsk::score::scorer scorer(b.bank, to_options(*b.bank, options));
  dsk::score::score_matrix(scorer, {responses, n_persons, n_columns, row_stride, columns}, {theta_out, se_out, status_out},
                           options ? options->threads : 0u);
  DSK_C_CATCH
}

int dsk_estimate(const dsk_bank* bank, const uint32_t* items, const int32_t* categories, size_t n,
                 const dsk_score_options* options, double* theta_out, double* se_out, int32_t* status_out) {
  DSK_C_TRY
  const auto& b = need(bank, "bank");
  if (n > 0) {
    need(items, "items");
    need(categories, "categories");
  }
  const auto opts = to_options(*b.bank, options);
  std::vector<dsk::estimate::response> pattern(n);
  for (size_t i = 0; i < n; ++i) pattern[i] = {items[i], categories[i]};
  dsk::estimate::validate_responses(*b.bank, pattern);
  const auto r = dsk::estimate::estimate_theta(*b.bank, pattern, opts);
  if (theta_out) *theta_out = r.theta;
  if (se_out) *se_out = r.se;
  if (status_out) *status_out = static_cast<int32_t>(r.state);
  DSK_C_CATCH
}

// ---- adaptive tests ------------------------------------------------------------------------------

int dsk_test_spec_load(dsk_test_spec** out, const char* path) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  auto h = std::make_unique<dsk_test_spec>();
  h->spec = dsk::cat::load_test_spec(std::string(&need(path, "path")));
  dsk::cat::validate(h->spec);
  *out = h.release();
  DSK_C_CATCH
}

int dsk_test_spec_parse(dsk_test_spec** out, const char* yaml, size_t len, const char* name) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  auto h = std::make_unique<dsk_test_spec>();
  h->spec = dsk::cat::parse_test_spec(text_of(yaml, len), name_or(name, "<spec>"));
  dsk::cat::validate(h->spec);
  *out = h.release();
  DSK_C_CATCH
}

int dsk_test_spec_default(dsk_test_spec** out) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  *out = new dsk_test_spec();
  DSK_C_CATCH
}

void dsk_test_spec_free(dsk_test_spec* spec) { delete spec; }

int dsk_session_new(dsk_session** out, const dsk_bank* bank, const dsk_test_spec* spec, uint64_t seed) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  auto eng = need(spec, "spec").engine_for(need(bank, "bank").bank);
  *out = new dsk_session{dsk::cat::session(std::move(eng), seed)};
  DSK_C_CATCH
}

void dsk_session_free(dsk_session* session) { delete session; }

int dsk_session_next_item(dsk_session* session, int64_t* out_item) {
  DSK_C_TRY
  auto& s = need(session, "session");
  auto& o = need(out_item, "out_item");
  const auto step = s.session.next_item();
  o = step.item ? static_cast<int64_t>(*step.item) : -1;
  DSK_C_CATCH
}

int dsk_session_record_response(dsk_session* session, int64_t item, int category, int* out_counted) {
  DSK_C_TRY
  auto& s = need(session, "session");
  if (item < 0 || static_cast<uint64_t>(item) >= s.session.get_engine().bank().size())
    throw dsk::invalid_argument("item index " + std::to_string(item) + " is outside the bank (" +
                                std::to_string(s.session.get_engine().bank().size()) + " items)");
  const bool counted = s.session.record_response(static_cast<std::uint32_t>(item), category);
  if (out_counted) *out_counted = counted ? 1 : 0;
  DSK_C_CATCH
}

int dsk_session_record_response_id(dsk_session* session, const char* item_id, int category, int* out_counted) {
  DSK_C_TRY
  auto& s = need(session, "session");
  const bool counted = s.session.record_response(std::string_view(&need(item_id, "item_id")), category);
  if (out_counted) *out_counted = counted ? 1 : 0;
  DSK_C_CATCH
}

int dsk_session_administer(dsk_session* session, int64_t item, int override_constraints, int* out_new) {
  DSK_C_TRY
  auto& s = need(session, "session");
  if (item < 0 || static_cast<uint64_t>(item) >= s.session.get_engine().bank().size())
    throw dsk::invalid_argument("item index " + std::to_string(item) + " is outside the bank (" +
                                std::to_string(s.session.get_engine().bank().size()) + " items)");
  const bool fresh = s.session.administer(static_cast<std::uint32_t>(item), override_constraints != 0);
  if (out_new) *out_new = fresh ? 1 : 0;
  DSK_C_CATCH
}

int dsk_session_administer_id(dsk_session* session, const char* item_id, int override_constraints, int* out_new) {
  DSK_C_TRY
  auto& s = need(session, "session");
  const bool fresh = s.session.administer(std::string_view(&need(item_id, "item_id")), override_constraints != 0);
  if (out_new) *out_new = fresh ? 1 : 0;
  DSK_C_CATCH
}

int dsk_session_estimate(const dsk_session* session, double* theta_out, double* se_out) {
  DSK_C_TRY
  const auto& s = need(session, "session");
  if (theta_out) *theta_out = s.session.theta();
  if (se_out) *se_out = s.session.se();
  DSK_C_CATCH
}

size_t dsk_session_dimensions(const dsk_session* s) { return s ? static_cast<size_t>(s->session.profile_theta().size()) : 0; }

int dsk_session_profile(const dsk_session* session, size_t dims, double* theta_out, double* cov_out, double* se_out) {
  DSK_C_TRY
  const auto& s = need(session, "session").session;
  const auto n = static_cast<size_t>(s.profile_theta().size());
  if (dims != n) throw dsk::invalid_argument("the session's profile has " + std::to_string(n) + " dimensions, not " + std::to_string(dims));
  const auto& cov = s.profile_covariance();
  for (size_t r = 0; r < n; ++r) {
    const auto ri = static_cast<Eigen::Index>(r);
    if (theta_out) theta_out[r] = s.profile_theta()[ri];
    if (se_out) se_out[r] = std::sqrt(cov(ri, ri));
    if (cov_out)
      for (size_t c = 0; c < n; ++c) cov_out[r * n + c] = cov(ri, static_cast<Eigen::Index>(c));
  }
  DSK_C_CATCH
}

size_t dsk_session_area_count(const dsk_session* s) { return s ? s->session.get_engine().stopping_dimensions().size() : 0; }

int dsk_session_area_levels(const dsk_session* session, size_t n, uint32_t* dimension_out, int32_t* level_out,
                            int32_t* decided_out) {
  DSK_C_TRY
  const auto& s = need(session, "session").session;
  const auto dims = s.get_engine().stopping_dimensions();
  if (n != dims.size()) throw dsk::invalid_argument("the session classifies " + std::to_string(dims.size()) + " areas, not " + std::to_string(n));
  const auto areas = s.classify_areas();
  for (size_t k = 0; k < n; ++k) {
    if (dimension_out) dimension_out[k] = dims[k];
    if (level_out) level_out[k] = areas[k].level;
    if (decided_out) decided_out[k] = areas[k].decided ? 1 : 0;
  }
  DSK_C_CATCH
}

size_t dsk_session_answered(const dsk_session* s) { return s ? s->session.responses().size() : 0; }
int dsk_session_finish_reason(const dsk_session* s) { return s ? static_cast<int>(s->session.reason()) : 0; }

int dsk_session_snapshot(const dsk_session* session, unsigned char* buf, size_t cap, size_t* out_len) {
  DSK_C_TRY
  const auto bytes = need(session, "session").session.snapshot();
  return copy_out(bytes.data(), bytes.size(), buf, cap, out_len, false);
  DSK_C_CATCH
}

int dsk_session_restore(dsk_session** out, const dsk_bank* bank, const dsk_test_spec* spec, const unsigned char* bytes,
                        size_t len) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  const auto& b = need(bank, "bank");
  if (bytes == nullptr && len > 0) need(bytes, "bytes");
  const std::span<const std::uint8_t> data(bytes, len);
  auto s = spec ? dsk::cat::session::restore(spec->engine_for(b.bank), data) : dsk::cat::session::restore(b.bank, data);
  *out = new dsk_session{std::move(s)};
  DSK_C_CATCH
}

int dsk_session_snapshot_sealed(const dsk_session* session, const unsigned char key[32], unsigned char* buf, size_t cap,
                                size_t* out_len) {
  DSK_C_TRY
  const auto bytes = need(session, "session").session.snapshot(key_from(key));
  return copy_out(bytes.data(), bytes.size(), buf, cap, out_len, false);
  DSK_C_CATCH
}

int dsk_session_restore_sealed(dsk_session** out, const dsk_bank* bank, const dsk_test_spec* spec,
                               const unsigned char key[32], const unsigned char* bytes, size_t len) {
  DSK_C_TRY
  need(out, "out") = nullptr;
  const auto& b = need(bank, "bank");
  const auto k = key_from(key);
  if (bytes == nullptr && len > 0) need(bytes, "bytes");
  const std::span<const std::uint8_t> data(bytes, len);
  auto s = spec ? dsk::cat::session::restore(spec->engine_for(b.bank), data, k) : dsk::cat::session::restore(b.bank, data, k);
  *out = new dsk_session{std::move(s)};
  DSK_C_CATCH
}

int dsk_verify_credential(const char* json, size_t len, const dsk_verify_options* options, int* valid_out, char* reason,
                          size_t cap, size_t* reason_len) {
  DSK_C_TRY
  need(valid_out, "valid_out") = 0;
  if (json == nullptr && len > 0) need(json, "json");
  dsk::score::verify_options o;
  if (options) {
    if (options->version != DSK_VERIFY_OPTIONS_VERSION)
      throw dsk::invalid_argument("dsk_verify_options: unknown version (initialise with DSK_VERIFY_OPTIONS_INIT)");
    auto texts = [](const char* const* list, size_t n, const char* what) {
      std::vector<std::string> out;
      if (n > 0 && list == nullptr) throw dsk::invalid_argument(std::string(what) + " is NULL with a non-zero count");
      for (size_t i = 0; i < n; ++i) out.emplace_back(list[i] ? list[i] : "");
      return out;
    };
    o.did_documents = texts(options->did_documents, options->n_did_documents, "did_documents");
    o.status_lists = texts(options->status_lists, options->n_status_lists, "status_lists");
    if (options->public_key) {
      std::array<unsigned char, 32> pk{};
      std::memcpy(pk.data(), options->public_key, pk.size());
      o.public_key = pk;
    }
    if (options->issuer) o.issuer = options->issuer;
    if (options->now) o.now = options->now;
    o.require_status = options->require_status != 0;
  }
  const auto r = dsk::score::verify_credential(std::string_view(json ? json : "", len), o);
  *valid_out = r.valid() ? 1 : 0;
  if (reason_len) *reason_len = r.error.size() + 1;
  if (reason && cap > 0) {
    if (cap < r.error.size() + 1) throw dsk::invalid_argument("reason buffer too small (see *reason_len)");
    std::memcpy(reason, r.error.c_str(), r.error.size() + 1);
  }
  DSK_C_CATCH
}

}  // extern "C"
