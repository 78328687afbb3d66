// dskill::serve: the assessment service, independent of the HTTP transport.
//
// A `service` turns one HTTP request (method, target, the Authorization header and a JSON body)
// into one response; http_server.hpp carries them over Boost.Beast. Keeping the two apart lets
// the unit tests drive every endpoint without a socket, and keeps the rules in one place:
//  - state lives in the store (store.hpp): a request may reach any server process;
//  - a session is restored from its sealed snapshot (or a cached copy of the same version),
//    changed, and written back in one store transaction;
//  - the person's page holds only a session token (HMAC of the session id under the server
//    secret), which opens that one session; the platform holds API keys.
// The endpoints, their bodies and errors are described in docs/openapi.yaml.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dskill/core/seal.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/serve/oidc.hpp"
#include "dskill/serve/store.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {

struct service_options {
  std::string bank;       ///< item bank (YAML)
  std::string spec;       ///< test specification (YAML); empty: take's defaults
  std::string framework;  ///< competency framework; empty: the bank's, from frameworks/ beside it
  core::secret_key secret;  ///< seals snapshots, derives session tokens and person pseudonyms
  /// API keys of the platform (Authorization: Bearer KEY); compared in constant time.
  std::vector<std::string> api_keys;
  /// Anyone may start a session from the page with no identity (demos, the quick start).
  bool open = false;
  std::optional<oidc_options> oidc;  ///< accept ID tokens from this issuer
  /// Certificates: signed when a key is given (eddsa-rdfc-2022 by default).
  std::optional<score::signing_key> signing_key;
  score::proof_suite proof = score::proof_suite::eddsa_rdfc_2022;
  std::string issuer_name = "dskill";
  std::string issuer_id;   ///< a did:web; empty: the key's did:key
  double item_time_limit_s = 0;   ///< per item; 0 = none
  double test_time_limit_s = 0;   ///< per test; 0 = none
  /// Slack on the item limit for the network (an answer this late still counts as in time).
  double time_grace_s = 2;
  /// Answers given faster than this (server-measured) are flagged as rapid guesses
  /// (Wise & Kong 2005: a fixed threshold; 2 s by default).
  std::int64_t rapid_ms = 2000;
  std::size_t session_cache = 100000;  ///< restored sessions kept in memory (per process)
  /// Milliseconds since the epoch; tests replace the clock.
  std::function<std::int64_t()> now_ms;
};

struct http_request {
  std::string method;         ///< "GET", "POST", ...
  std::string target;         ///< path and query: "/v1/sessions/abc/item?lang=vi"
  std::string authorization;  ///< the Authorization header, as sent
  std::string body;
};

struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers
};

class service {
 public:
  /// Loads the bank, specification and framework, migrates the store. Throws on bad input.
  service(service_options o, std::unique_ptr<store> st);
  ~service();
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  /// Handles one request. Never throws: failures become JSON errors
  /// {"error": {"code": ..., "message": ...}} with a 4xx or 5xx status.
  http_response handle(const http_request& request) const;

  /// The Prometheus text exposition of the counters (also served at /metrics).
  std::string metrics() const;
  store& get_store() const noexcept;
  const service_options& options() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace serve
DSKILL_END_NAMESPACE
