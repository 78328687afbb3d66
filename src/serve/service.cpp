// dskill::serve::service: the endpoints of docs/serve.md over a store (see service.hpp).
#include "dskill/serve/service.hpp"

#include <sodium.h>

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <list>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/multidim.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/score/framework_levels.hpp"
#include "dskill/score/matrix.hpp"
#include "dskill/score/scorer.hpp"
#include "dskill/version.hpp"
#include "web_files.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {
namespace {

using json = nlohmann::json;
constexpr std::string_view snapshot_purpose = "dskill-serve-session";

// ---- errors as replies ----------------------------------------------------------------------
struct http_error {
  int status;
  std::string code, message;
  json extra = json::object();
};

[[noreturn]] void fail(int status, std::string code, std::string message) {
  throw http_error{status, std::move(code), std::move(message)};
}

http_response json_reply(int status, const json& body) {
  http_response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

http_response error_reply(const http_error& e) {
  json body = {{"error", {{"code", e.code}, {"message", e.message}}}};
  for (auto it = e.extra.begin(); it != e.extra.end(); ++it) body["error"][it.key()] = it.value();
  return json_reply(e.status, body);
}

// ---- small helpers -------------------------------------------------------------------------
std::string to_hex(std::span<const unsigned char> b) {
  std::string s(b.size() * 2, '0');
  sodium_bin2hex(s.data(), s.size() + 1, b.data(), b.size());
  return s;
}

std::string random_id() {
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  return to_hex(b);
}

// The person's bearer token for one session: HMAC-SHA-256 of the id under the server secret, so
// that nothing needs storing and no other session can be reached with it.
std::string session_token(const core::secret_key& secret, std::string_view session_id) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret.bytes.data(), secret.bytes.size());
  constexpr std::string_view purpose = "dskill-session-token-v1|";
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(session_id.data()), session_id.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  return "st1." + to_hex(mac);
}

// Equal-time comparison of two secrets of any length: compare their BLAKE2b digests.
bool same_secret(std::string_view a, std::string_view b) {
  std::array<unsigned char, 32> ha{}, hb{};
  crypto_generichash(ha.data(), ha.size(), reinterpret_cast<const unsigned char*>(a.data()), a.size(), nullptr, 0);
  crypto_generichash(hb.data(), hb.size(), reinterpret_cast<const unsigned char*>(b.data()), b.size(), nullptr, 0);
  return sodium_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

std::string_view bearer(std::string_view header) {
  constexpr std::string_view prefix = "Bearer ";
  if (header.size() <= prefix.size()) return {};
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return {};
  auto t = header.substr(prefix.size());
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-')) return false;
  return true;
}

bool valid_session_id(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// The value of `key` in a query string ("lang=vi&x=1"); no percent-decoding is needed for the
// values this service reads (language tags).
std::string_view query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    const auto eq = part.find('=');
    if (part.substr(0, eq) == key) return eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string language_or(std::string_view requested, const std::string& fallback) {
  if (requested == "en" || requested == "vi") return std::string(requested);
  if (requested.empty()) return fallback;
  fail(400, "bad_request", fmt::format("unknown language '{}' (en or vi)", requested));
}

json parse_body(const std::string& body) {
  if (body.empty()) return json::object();
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) fail(400, "bad_request", "the body is not a JSON object");
  return j;
}

// Seconds as JSON: null when there is no limit.
json seconds_or_null(double s) { return s > 0 ? json(s) : json(nullptr); }

// ---- metrics -------------------------------------------------------------------------------
enum class route : std::uint8_t { start, item, answer, result, health, metrics, admin, page, other, count_ };
constexpr const char* route_names[] = {"start", "item", "answer", "result", "health", "metrics", "admin", "page", "other"};
constexpr int status_codes[] = {200, 201, 400, 401, 403, 404, 405, 409, 413, 500, 503};
constexpr std::size_t n_routes = static_cast<std::size_t>(route::count_);
constexpr std::size_t n_codes = std::size(status_codes);
// Request duration buckets (seconds), Prometheus histogram upper bounds.
constexpr double duration_buckets[] = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1.0};
constexpr std::size_t n_buckets = std::size(duration_buckets);

struct counters {
  std::array<std::array<std::atomic<std::uint64_t>, n_codes + 1>, n_routes> requests{};
  std::array<std::array<std::atomic<std::uint64_t>, n_buckets + 1>, n_routes> duration{};
  std::array<std::atomic<std::uint64_t>, n_routes> duration_us_sum{};
  std::atomic<std::uint64_t> sessions_started{0}, sessions_finished{0}, answers{0}, duplicates{0}, rapid{0},
      timed_out{0}, credentials{0}, cache_hits{0}, cache_misses{0};
};

// ---- the session cache ---------------------------------------------------------------------
// Restored sessions by id, with the store version they belong to: a request whose row has that
// version starts from a copy of the cached session instead of opening and replaying the
// snapshot. The store stays the truth: another process that changed the row changed its
// version. Least recently used entries go first.
class session_cache {
 public:
  explicit session_cache(std::size_t capacity) : capacity_(capacity) {}
  std::optional<cat::session> get(const std::string& id, std::int64_t version) {
    std::lock_guard lock(mutex_);
    const auto it = map_.find(id);
    if (it == map_.end() || it->second->version != version) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->session;
  }
  void put(const std::string& id, std::int64_t version, const cat::session& s) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    if (const auto it = map_.find(id); it != map_.end()) {
      it->second->version = version;
      it->second->session = s;
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    order_.push_front(entry{id, version, s});
    map_.emplace(id, order_.begin());
    while (map_.size() > capacity_) {
      map_.erase(order_.back().id);
      order_.pop_back();
    }
  }
  void drop(const std::string& id) {
    std::lock_guard lock(mutex_);
    if (const auto it = map_.find(id); it != map_.end()) {
      order_.erase(it->second);
      map_.erase(it);
    }
  }

 private:
  struct entry {
    std::string id;
    std::int64_t version;
    cat::session session;
  };
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<entry> order_;
  std::unordered_map<std::string, std::list<entry>::iterator> map_;
};

}  // namespace

// ---- the service ---------------------------------------------------------------------------
struct service::impl {
  service_options o;
  std::unique_ptr<store> st;
  bank::bank_ptr bank;
  framework::framework_ptr fw;
  std::shared_ptr<const cat::engine> eng;
  std::unique_ptr<oidc_verifier> oidc;
  struct language_parts {
    std::shared_ptr<const score::level_scheme> levels;
    std::unique_ptr<score::scorer> scorer;
    std::optional<score::credential_context> credentials;
  };
  std::map<std::string, language_parts, std::less<>> by_language;  // "en", "vi"
  mutable counters stats;
  mutable session_cache cache;
  // Progressive-restricted exposure from the store's shared counts, refreshed at most once a
  // second (the counts move slowly against a test's length).
  mutable std::mutex exposure_mutex;
  mutable std::shared_ptr<const std::vector<std::uint32_t>> over_exposed;
  mutable std::int64_t over_exposed_at = 0;

  explicit impl(service_options opts, std::unique_ptr<store> s) : o(std::move(opts)), st(std::move(s)), cache(o.session_cache) {
    if (sodium_init() < 0) throw error(errc::internal, "libsodium could not be initialised");
    if (!o.now_ms)
      o.now_ms = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
      };
    if (o.spec.empty()) throw invalid_argument("the service needs a test specification (--spec)");
    const auto first = bank::load_bank(o.bank);
    fw = o.framework.empty() ? framework::find_framework_beside(o.bank, first->info().framework_id, first->info().framework_version)
                             : framework::load_framework(o.framework);
    if (!fw) throw invalid_argument("the service needs the bank's competency framework (--framework): its levels and certificates");
    bank::load_options lo;
    lo.framework = fw.get();
    bank = bank::load_bank(o.bank, lo);
    auto spec = cat::load_test_spec(o.spec);
    if (bank->multidimensional() && spec.stopping.area_cuts.empty()) spec.stopping.area_cuts = cat::area_cuts_from(*fw, *bank);
    eng = cat::engine::create(bank, spec);
    if (o.oidc) oidc = std::make_unique<oidc_verifier>(*o.oidc);
    auto eo = score::default_options(*bank);
    eo.estimator = estimate::method::eap;
    std::optional<estimate::profile_options> profile;
    if (bank->multidimensional()) profile = score::default_profile_options(*bank, estimate::method::map);
    for (const char* lang : {"en", "vi"}) {
      auto& part = by_language[lang];
      part.levels = score::from_framework(fw, lang);
      part.scorer = std::make_unique<score::scorer>(bank, eo, part.levels, profile);
      if (o.signing_key) {
        score::credential_context ctx;
        ctx.options.key = o.signing_key;
        ctx.options.suite = o.proof;
        ctx.options.issuer_name = o.issuer_name;
        ctx.options.issuer_id = o.issuer_id;
        ctx.options.language = lang;
        ctx.levels = part.levels;
        ctx.bank_id = bank->info().id;
        ctx.bank_fingerprint = bank->fingerprint();
        ctx.salt_secret = o.secret.bytes;
        ctx.issued_at = "2000-01-01T00:00:00Z";  // replaced per credential (the plan does not depend on it)
        part.credentials = std::move(ctx);
      }
    }
    st->migrate();
  }

  // ---- authorisation ----
  bool is_platform(std::string_view token) const {
    if (token.empty()) return false;
    bool found = false;
    for (const auto& k : o.api_keys) found |= same_secret(token, k);  // every key compared: no early exit
    return found;
  }
  // The caller may act on session `id`: the platform, or the holder of that session's token.
  void authorise_session(const http_request& rq, std::string_view id) const {
    const auto token = bearer(rq.authorization);
    if (token.empty()) fail(401, "unauthorized", "send the session token (or an API key) as 'Authorization: Bearer ...'");
    if (is_platform(token)) return;
    if (!same_secret(token, session_token(o.secret, id)))
      fail(token.starts_with("st1.") ? 403 : 401, token.starts_with("st1.") ? "forbidden" : "unauthorized",
           token.starts_with("st1.") ? "this token opens another session" : "unknown token");
  }
  void authorise_platform(const http_request& rq) const {
    const auto token = bearer(rq.authorization);
    if (token.empty()) fail(401, "unauthorized", "send an API key as 'Authorization: Bearer KEY'");
    if (!is_platform(token)) fail(403, "forbidden", "this endpoint needs a platform API key");
  }

  // ---- sessions ----
  cat::session open_session(const session_row& row) const {
    if (auto cached = cache.get(row.id, row.version)) {
      stats.cache_hits.fetch_add(1, std::memory_order_relaxed);
      return std::move(*cached);
    }
    stats.cache_misses.fetch_add(1, std::memory_order_relaxed);
    return cat::session::restore(eng, row.snapshot, o.secret);
  }

  std::shared_ptr<const std::vector<std::uint32_t>> exposure_input(std::int64_t now) const {
    if (eng->spec().exposure.restricted_max <= 0) return nullptr;
    std::lock_guard lock(exposure_mutex);
    if (!over_exposed || now - over_exposed_at >= 1000) {
      std::vector<std::uint64_t> administered(bank->size(), 0);
      for (const auto& c : st->exposure(bank->fingerprint()))
        if (const auto i = bank->find(c.item_id)) administered[*i] = static_cast<std::uint64_t>(c.administered);
      auto out = std::make_shared<std::vector<std::uint32_t>>();
      eng->over_exposed_items(administered, static_cast<std::uint64_t>(st->session_count(bank->fingerprint())), *out);
      over_exposed = std::move(out);
      over_exposed_at = now;
    }
    return over_exposed;
  }

  // The item reply ("finished": false with the item, or "finished": true). Offers the next
  // item when none is pending: row.offered_ms is set and its exposure counted.
  json step(cat::session& s, session_row& row, transaction& tx, const std::string& lang, std::int64_t now, bool& changed,
            const std::vector<std::uint32_t>* exposure) const {
    const int max_items = eng->spec().stopping.max_items;
    if (row.state == "active" && row.deadline_ms > 0 && now > row.deadline_ms) {
      row.state = "expired";
      changed = true;
    }
    if (row.state != "active")
      return {{"finished", true}, {"answered", s.responses().size()}, {"max_items", max_items}};
    const bool had_pending = s.pending().has_value();
    if (exposure) s.read_exposure_from(*exposure);
    cat::step_result st;
    try {
      st = s.next_item();
    } catch (const no_items_available&) {
      st.item.reset();
    }
    if (!st.item) {
      row.state = "finished";
      row.offered_ms = 0;
      changed = true;
      stats.sessions_finished.fetch_add(1, std::memory_order_relaxed);
      return {{"finished", true}, {"answered", s.responses().size()}, {"max_items", max_items}};
    }
    if (!had_pending || row.offered_ms == 0) {
      row.offered_ms = now;
      tx.count_exposure(bank->fingerprint(), bank->item(*st.item).id);
      changed = true;
    }
    const auto& item = bank->item(*st.item);
    const auto* content = item.content_for(lang);
    json j;
    j["finished"] = false;
    j["position"] = s.responses().size() + 1;
    j["answered"] = s.responses().size();
    j["max_items"] = max_items;
    j["test_remaining_s"] = row.deadline_ms > 0 ? json(std::max<double>(0, (row.deadline_ms - now) / 1000.0)) : json(nullptr);
    json it;
    const bool choice = content && !content->options.empty() && item.key.has_value();
    it["kind"] = choice ? "choice" : "scale";
    it["language"] = content ? lang : std::string{};
    it["stem"] = content ? content->stem : std::string{};
    json options = json::array();
    if (choice) {
      for (const auto& opt : content->options) options.push_back(opt);
    } else {
      const int k = item.params.categories();
      for (int c = 0; c < k; ++c)
        options.push_back(content && static_cast<std::size_t>(c) < content->scoring.size() ? content->scoring[static_cast<std::size_t>(c)]
                                                                                           : std::to_string(c));
    }
    it["options"] = std::move(options);
    json media = json::array();
    for (const auto& m : item.media) media.push_back({{"type", m.type}, {"src", m.uri}, {"alt", std::string(m.alt.get(lang))}});
    it["media"] = std::move(media);
    it["time_limit_s"] = seconds_or_null(o.item_time_limit_s);
    it["remaining_s"] = o.item_time_limit_s > 0 ? json(std::max(0.0, o.item_time_limit_s - (now - row.offered_ms) / 1000.0)) : json(nullptr);
    j["item"] = std::move(it);
    return j;
  }

  void save(cat::session& s, session_row& row, transaction& tx) const {
    row.snapshot = s.snapshot(o.secret);
    tx.update_session(row);
  }

  // ---- endpoints ----
  http_response start(const http_request& rq) const {
    const json body = parse_body(rq.body);
    const auto token = bearer(rq.authorization);
    const bool platform = is_platform(token);
    if (!token.empty() && !platform) fail(401, "unauthorized", "unknown API key");
    const std::string lang = language_or(body.value("language", std::string{}), "en");
    std::string person;
    if (body.contains("id_token")) {
      if (!oidc) fail(400, "bad_request", "this server accepts no ID tokens (started without --oidc-issuer)");
      if (!body["id_token"].is_string()) fail(400, "bad_request", "id_token must be a string");
      id_token_claims claims;
      try {
        claims = oidc->verify(body["id_token"].get<std::string>(), o.now_ms() / 1000);
      } catch (const invalid_argument& e) {
        fail(401, "unauthorized", std::string(e.detail()));
      }
      // Only a keyed pseudonym of the pairwise subject is kept (score::person_pseudonym).
      person = score::person_pseudonym(o.secret.bytes, claims.issuer + " " + claims.subject);
    } else if (body.contains("person_id")) {
      if (!platform) fail(401, "unauthorized", "person_id is for the platform: send its API key, or an id_token");
      if (!body["person_id"].is_string() || body["person_id"].get<std::string>().empty() ||
          body["person_id"].get<std::string>().size() > 255)
        fail(400, "bad_request", "person_id must be a non-empty string of at most 255 bytes");
      person = score::person_pseudonym(o.secret.bytes, body["person_id"].get<std::string>());
    } else if (!platform && !o.open) {
      fail(401, "unauthorized", "sign in first: this server needs an ID token or a platform's API key to start a test");
    }
    std::uint64_t seed = 0;
    if (body.contains("seed")) {
      if (!platform) fail(403, "forbidden", "only the platform may choose a session's seed");
      if (!body["seed"].is_number_unsigned()) fail(400, "bad_request", "seed must be an unsigned integer");
      seed = body["seed"].get<std::uint64_t>();
    } else {
      randombytes_buf(&seed, sizeof seed);
    }
    session_row row;
    row.id = random_id();
    if (person.empty()) person = score::person_pseudonym(o.secret.bytes, "anonymous " + row.id);
    row.person = person;
    row.bank_fingerprint = bank->fingerprint();
    row.language = lang;
    row.created_ms = o.now_ms();
    row.deadline_ms = o.test_time_limit_s > 0 ? row.created_ms + static_cast<std::int64_t>(o.test_time_limit_s * 1000) : 0;
    cat::session s(eng, seed);
    row.snapshot = s.snapshot(o.secret);
    st->create_session(row);
    cache.put(row.id, row.version, s);
    stats.sessions_started.fetch_add(1, std::memory_order_relaxed);
    return json_reply(201, {{"session_id", row.id},
                            {"session_token", session_token(o.secret, row.id)},
                            {"language", lang},
                            {"max_items", eng->spec().stopping.max_items},
                            {"test_time_limit_s", seconds_or_null(o.test_time_limit_s)},
                            {"item_time_limit_s", seconds_or_null(o.item_time_limit_s)}});
  }

  http_response item(const http_request& rq, const std::string& id, std::string_view query) const {
    authorise_session(rq, id);
    json reply;
    std::optional<cat::session> done;
    std::int64_t version = 0;
    const auto exposure = exposure_input(o.now_ms());  // outside the transaction: its own connection
    st->transact(id, [&](transaction& tx) {
      auto row = tx.session();
      if (!row) fail(404, "not_found", "no session with this id");
      const std::string lang = language_or(query_value(query, "lang"), row->language);
      auto s = open_session(*row);
      bool changed = false;
      reply = step(s, *row, tx, lang, o.now_ms(), changed, exposure.get());
      if (changed) save(s, *row, tx);
      version = row->version;
      done = std::move(s);
    });
    cache.put(id, version, *done);
    return json_reply(200, reply);
  }

  http_response answer(const http_request& rq, const std::string& id, std::string_view query) const {
    authorise_session(rq, id);
    const json body = parse_body(rq.body);
    if (!body.contains("request_id") || !body["request_id"].is_string() || !valid_request_id(body["request_id"].get<std::string>()))
      fail(400, "bad_request", "request_id must be 1-100 characters from A-Z a-z 0-9 . _ : -");
    const std::string request_id = body["request_id"].get<std::string>();
    if (!body.contains("position") || !body["position"].is_number_integer()) fail(400, "bad_request", "position must be an integer");
    const auto position = body["position"].get<std::int64_t>();
    const bool has_choice = body.contains("choice"), has_category = body.contains("category");
    if (has_choice == has_category) fail(400, "bad_answer", "give exactly one of choice (an option's index) and category");
    const json& value = has_choice ? body["choice"] : body["category"];
    if (!value.is_number_integer()) fail(400, "bad_answer", fmt::format("{} must be an integer", has_choice ? "choice" : "category"));
    const auto given = value.get<std::int64_t>();
    std::int64_t client_ms = -1;
    if (body.contains("client_response_ms")) {
      if (!body["client_response_ms"].is_number() || body["client_response_ms"].get<double>() < 0)
        fail(400, "bad_request", "client_response_ms must be a number of milliseconds >= 0");
      client_ms = static_cast<std::int64_t>(body["client_response_ms"].get<double>());
    }
    json reply;
    bool duplicate = false;
    std::optional<cat::session> done;
    std::int64_t version = 0;
    const auto exposure = exposure_input(o.now_ms());
    st->transact(id, [&](transaction& tx) {
      auto row = tx.session();
      if (!row) fail(404, "not_found", "no session with this id");
      if (auto previous = tx.reply_for(request_id)) {
        reply = json::parse(*previous);
        reply["duplicate"] = true;
        duplicate = true;
        return;
      }
      const std::int64_t now = o.now_ms();
      const std::string lang = language_or(query_value(query, "lang"), row->language);
      auto s = open_session(*row);
      bool changed = false;
      if (row->state == "active" && row->deadline_ms > 0 && now > row->deadline_ms) {
        row->state = "expired";
        save(s, *row, tx);
        version = row->version;
        done = std::move(s);
        reply = json{{"error", "finished"}};
        return;
      }
      if (row->state != "active") fail(409, "finished", "the test is over");
      const auto pending = s.pending();
      const auto current = static_cast<std::int64_t>(s.responses().size() + 1);
      if (!pending || position != current || row->offered_ms == 0) {
        http_error e{409, "stale_position",
                     pending ? fmt::format("the item to answer now is number {}", current) : "no item is pending: get the item first"};
        e.extra["current"] = current;
        throw e;
      }
      const auto& it = bank->item(*pending);
      const auto* content = it.content_for(lang);
      const bool choice = content && !content->options.empty() && it.key.has_value();
      int category = 0;
      if (choice) {
        if (!has_choice) fail(400, "bad_answer", "this is a choice item: answer with choice (the option's index)");
        if (given < 0 || given >= static_cast<std::int64_t>(content->options.size()))
          fail(400, "bad_answer", fmt::format("choice must be 0-{}", content->options.size() - 1));
        category = given == *it.key ? 1 : 0;
      } else {
        if (!has_category) fail(400, "bad_answer", "this is a scale item: answer with category");
        if (given < 0 || given >= it.params.categories())
          fail(400, "bad_answer", fmt::format("category must be 0-{}", it.params.categories() - 1));
        category = static_cast<int>(given);
      }
      answer_row a;
      a.session_id = id;
      a.request_id = request_id;
      a.position = static_cast<int>(position);
      a.item_id = it.id;
      a.offered_ms = row->offered_ms;
      a.answered_ms = now;
      a.response_ms = now - row->offered_ms;
      a.client_response_ms = client_ms;
      a.timed_out = o.item_time_limit_s > 0 && a.response_ms > static_cast<std::int64_t>((o.item_time_limit_s + o.time_grace_s) * 1000);
      if (a.timed_out) category = 0;  // no answer in time scores as none
      a.category = category;
      a.rapid = !a.timed_out && a.response_ms < o.rapid_ms;
      s.record_response(*pending, category);
      row->offered_ms = 0;
      json next = step(s, *row, tx, lang, now, changed, exposure.get());
      reply = {{"accepted", true}, {"duplicate", false}, {"position", position}, {"timed_out", a.timed_out},
               {"rapid", a.rapid},  {"finished", next["finished"]}, {"next", std::move(next)}};
      a.reply = reply.dump();
      tx.add_answer(a);
      save(s, *row, tx);
      version = row->version;
      done = std::move(s);
      stats.answers.fetch_add(1, std::memory_order_relaxed);
      if (a.rapid) stats.rapid.fetch_add(1, std::memory_order_relaxed);
      if (a.timed_out) stats.timed_out.fetch_add(1, std::memory_order_relaxed);
    });
    if (duplicate) {
      stats.duplicates.fetch_add(1, std::memory_order_relaxed);
      return json_reply(200, reply);
    }
    if (done) cache.put(id, version, *done);
    if (reply.contains("error")) fail(409, "finished", "the test's time is up");
    return json_reply(200, reply);
  }

  http_response result(const http_request& rq, const std::string& id, std::string_view query) const {
    authorise_session(rq, id);
    const auto row = st->load_session(id);
    if (!row) fail(404, "not_found", "no session with this id");
    const std::string lang = language_or(query_value(query, "lang"), row->language);
    auto s = open_session(*row);
    const auto answers = st->answers(id);
    int rapid = 0, timed_out = 0;
    for (const auto& a : answers) rapid += a.rapid, timed_out += a.timed_out;
    const bool finished = row->state != "active";
    json j = {{"finished", finished}, {"answered", s.responses().size()}, {"rapid_guesses", rapid}, {"timed_out", timed_out}};
    if (!finished) return json_reply(200, j);
    const auto& part = by_language.find(lang)->second;
    thread_local score::scorer::workspace ws;
    score::person_result r;
    part.scorer->score(s.responses(), r, ws);
    const auto& L = *part.levels;
    auto level_name = [&](int level) -> std::string {
      for (const auto& lv : L.levels)
        if (lv.number == level) return lv.name;
      return std::to_string(level);
    };
    j["overall"] = {{"level", r.level}, {"name", level_name(r.level)}, {"description", framework::plain_level_words(r.level, lang)}};
    json areas = json::array();
    for (std::size_t a = 0; a < L.areas.size() && a < r.areas.size(); ++a) {
      const auto& ar = r.areas[a];
      json x = {{"id", L.areas[a].id}, {"name", L.areas[a].name}, {"answered", ar.n_answered}};
      if (ar.level > 0) {
        x["level"] = ar.level;
        x["name_of_level"] = level_name(ar.level);
        x["description"] = framework::plain_level_words(ar.level, lang);
        x["probability"] = ar.p_assigned;
      } else {
        x["level"] = nullptr;
      }
      areas.push_back(std::move(x));
    }
    j["areas"] = std::move(areas);
    j["certified"] = r.certified();
    j["certificate"] = r.certified() ? json{{"id", L.rules[*r.rule].id}, {"name", L.rules[*r.rule].name}} : json(nullptr);
    j["credential"] = nullptr;
    if (r.certified() && part.credentials) {
      auto ctx = *part.credentials;
      // validFrom: when the test ended (its last answer), so the credential is the same on
      // every request.
      const std::int64_t at_ms = answers.empty() ? row->created_ms : answers.back().answered_ms;
      const auto secs = static_cast<std::time_t>(at_ms / 1000);
      std::tm tm{};
      gmtime_r(&secs, &tm);
      ctx.issued_at = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                  tm.tm_min, tm.tm_sec);
      const auto c = score::make_credential(ctx, row->person, r);
      j["credential"] = json::parse(c.json);
      stats.credentials.fetch_add(1, std::memory_order_relaxed);
    }
    return json_reply(200, j);
  }

  http_response admin_exposure(const http_request& rq) const {
    authorise_platform(rq);
    const auto counts = st->exposure(bank->fingerprint());
    const auto sessions = st->session_count(bank->fingerprint());
    json items = json::array();
    for (const auto& c : counts)
      items.push_back({{"id", c.item_id}, {"administered", c.administered},
                       {"rate", sessions > 0 ? static_cast<double>(c.administered) / static_cast<double>(sessions) : 0.0}});
    return json_reply(200, {{"bank_fingerprint", bank->fingerprint()}, {"sessions", sessions}, {"items", std::move(items)}});
  }

  http_response admin_versions(const http_request& rq) const {
    authorise_platform(rq);
    const auto& info = bank->info();
    return json_reply(200, {{"dskill", std::string(version())},
                            {"bank", {{"id", info.id}, {"version", info.version}, {"fingerprint", bank->fingerprint()}}},
                            {"spec", {{"hash", eng->spec_hash()}}},
                            {"framework", {{"id", fw->id()}, {"version", fw->version()}}},
                            {"store", std::string(st->kind())}});
  }

  http_response page(std::string_view path) const {
    if (path == "/") path = "/index.html";
    for (std::size_t i = 0; i < detail::web_file_count; ++i) {
      const auto& f = detail::web_files[i];
      if (f.path != path) continue;
      http_response r;
      r.body = std::string(f.text);
      const auto dot = path.rfind('.');
      const auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot);
      r.content_type = ext == ".html" ? "text/html; charset=utf-8"
                       : ext == ".js"   ? "text/javascript; charset=utf-8"
                       : ext == ".css"  ? "text/css; charset=utf-8"
                       : ext == ".yaml" ? "application/yaml; charset=utf-8"
                       : ext == ".svg"  ? "image/svg+xml"
                       : ext == ".png"  ? "image/png"
                                        : "application/octet-stream";
      // The page runs with no third-party origin at all.
      r.headers.emplace_back("Content-Security-Policy",
                             "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
      r.headers.emplace_back("X-Content-Type-Options", "nosniff");
      r.headers.emplace_back("Cache-Control", "no-cache");
      return r;
    }
    fail(404, "not_found", fmt::format("no page at {}", path));
  }

  http_response dispatch(const http_request& rq, route& which) const {
    std::string_view target = rq.target;
    const auto q = target.find('?');
    const std::string_view path = target.substr(0, q);
    const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    auto method_is = [&](std::string_view m) {
      if (rq.method != m) fail(405, "method_not_allowed", fmt::format("{} {}: use {}", rq.method, path, m));
    };
    constexpr std::string_view sessions = "/v1/sessions";
    if (path == sessions) {
      which = route::start;
      method_is("POST");
      return start(rq);
    }
    if (path.starts_with("/v1/sessions/")) {
      auto rest = path.substr(sessions.size() + 1);
      const auto slash = rest.find('/');
      const std::string id(rest.substr(0, slash));
      const auto action = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
      if (!valid_session_id(id)) fail(404, "not_found", "no session with this id");
      if (action == "item") {
        which = route::item;
        method_is("GET");
        return item(rq, id, query);
      }
      if (action == "answers") {
        which = route::answer;
        method_is("POST");
        return answer(rq, id, query);
      }
      if (action == "result") {
        which = route::result;
        method_is("GET");
        return result(rq, id, query);
      }
      fail(404, "not_found", fmt::format("no endpoint {}", path));
    }
    if (path == "/healthz") {
      which = route::health;
      (void)st->answer_count();  // the store answers
      return json_reply(200, {{"status", "ok"}, {"store", std::string(st->kind())}});
    }
    if (path == "/metrics") {
      which = route::metrics;
      http_response r;
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      r.body = metrics_text();
      return r;
    }
    if (path == "/v1/admin/exposure") {
      which = route::admin;
      method_is("GET");
      return admin_exposure(rq);
    }
    if (path == "/v1/admin/versions") {
      which = route::admin;
      method_is("GET");
      return admin_versions(rq);
    }
    which = route::page;
    if (rq.method != "GET" && rq.method != "HEAD") fail(405, "method_not_allowed", "pages are read with GET");
    return page(path);
  }

  http_response handle(const http_request& rq) const {
    const auto t0 = std::chrono::steady_clock::now();
    route which = route::other;
    http_response r;
    try {
      r = dispatch(rq, which);
    } catch (const http_error& e) {
      r = error_reply(e);
    } catch (const store_error& e) {
      r = error_reply({503, "store_unavailable", std::string(e.detail())});
    } catch (const serialization_error& e) {
      r = error_reply({500, "internal", fmt::format("the stored session cannot be opened: {}", e.detail())});
    } catch (const std::exception& e) {
      r = error_reply({500, "internal", e.what()});
    }
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
    const auto ri = static_cast<std::size_t>(which);
    std::size_t ci = n_codes;
    for (std::size_t k = 0; k < n_codes; ++k)
      if (status_codes[k] == r.status) ci = k;
    stats.requests[ri][ci].fetch_add(1, std::memory_order_relaxed);
    std::size_t b = 0;
    while (b < n_buckets && static_cast<double>(us) / 1e6 > duration_buckets[b]) ++b;
    stats.duration[ri][b].fetch_add(1, std::memory_order_relaxed);
    stats.duration_us_sum[ri].fetch_add(static_cast<std::uint64_t>(us), std::memory_order_relaxed);
    return r;
  }

  std::string metrics_text() const {
    std::string out;
    auto counter = [&](const char* name, const char* help, const std::atomic<std::uint64_t>& v) {
      out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, v.load(std::memory_order_relaxed));
    };
    out += "# HELP dskill_http_requests_total HTTP requests by route and status.\n# TYPE dskill_http_requests_total counter\n";
    for (std::size_t r = 0; r < n_routes; ++r)
      for (std::size_t c = 0; c <= n_codes; ++c)
        if (const auto v = stats.requests[r][c].load(std::memory_order_relaxed))
          out += fmt::format("dskill_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n", route_names[r],
                             c < n_codes ? std::to_string(status_codes[c]) : std::string("other"), v);
    out += "# HELP dskill_http_request_duration_seconds Time to handle a request.\n"
           "# TYPE dskill_http_request_duration_seconds histogram\n";
    for (std::size_t r = 0; r < n_routes; ++r) {
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b <= n_buckets; ++b) {
        cumulative += stats.duration[r][b].load(std::memory_order_relaxed);
        out += fmt::format("dskill_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route_names[r],
                           b < n_buckets ? fmt::format("{}", duration_buckets[b]) : std::string("+Inf"), cumulative);
      }
      out += fmt::format("dskill_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route_names[r],
                         static_cast<double>(stats.duration_us_sum[r].load(std::memory_order_relaxed)) / 1e6);
      out += fmt::format("dskill_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route_names[r], cumulative);
    }
    counter("dskill_sessions_started_total", "Sessions started by this process.", stats.sessions_started);
    counter("dskill_sessions_finished_total", "Sessions this process saw finish.", stats.sessions_finished);
    counter("dskill_answers_total", "Answers accepted by this process.", stats.answers);
    counter("dskill_answer_duplicates_total", "Retried answers answered from the store (not counted again).", stats.duplicates);
    counter("dskill_answers_rapid_total", "Answers faster than the rapid-guessing threshold.", stats.rapid);
    counter("dskill_answers_timed_out_total", "Answers after the item's time limit.", stats.timed_out);
    counter("dskill_credentials_issued_total", "Credentials signed for result requests.", stats.credentials);
    counter("dskill_session_cache_hits_total", "Requests that started from a cached session.", stats.cache_hits);
    counter("dskill_session_cache_misses_total", "Requests that opened the stored snapshot.", stats.cache_misses);
    return out;
  }
};

service::service(service_options o, std::unique_ptr<store> st) : impl_(std::make_unique<impl>(std::move(o), std::move(st))) {}
service::~service() = default;
http_response service::handle(const http_request& request) const { return impl_->handle(request); }
std::string service::metrics() const { return impl_->metrics_text(); }
store& service::get_store() const noexcept { return *impl_->st; }
const service_options& service::options() const noexcept { return impl_->o; }

}  // namespace serve
DSKILL_END_NAMESPACE
