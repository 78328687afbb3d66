// dskill serve: the assessment service over HTTP, with the page where a person takes the test
// (docs/serve.md). The service itself is dskill::serve; this command only reads options.
#include <csignal>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "command.hpp"
#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/serve/http_server.hpp"
#include "dskill/serve/service.hpp"

namespace dskill::cli {
namespace {

struct serve_args {
  std::string bank, spec, framework, store = "sqlite:dskill-serve.db", address = "127.0.0.1";
  std::string api_keys, key, secret, proof = "eddsa-rdfc-2022", issuer_id, issuer_name = "dskill";
  std::string oidc_issuer, oidc_audience, oidc_jwks;
  int port = 8080, threads = 0, connections = 0;
  double item_time_limit = 0, test_time_limit = 0;
  std::int64_t rapid_ms = 2000;
  bool open = false;
};

std::atomic<bool> stop_requested{false};

int run_serve(const serve_args& a) {
  serve::service_options o;
  o.bank = a.bank;
  o.spec = a.spec;
  o.framework = a.framework;
  o.open = a.open;
  if (!a.secret.empty()) {
    o.secret = core::secret_key::from_hex(read_trimmed(a.secret));
  } else {
    // Without --secret, tokens and stored sessions do not outlive the process: say so.
    o.secret = core::secret_key::generate();
    fmt::print(stderr, "dskill serve: note: no --secret: a fresh one for this run; sessions will not resume after a restart\n");
  }
  if (!a.api_keys.empty()) {
    const auto text = io::read_file_text(a.api_keys);
    std::size_t at = 0;
    while (at < text.size()) {
      auto end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      auto line = text.substr(at, end - at);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
      if (!line.empty() && line[0] != '#') {
        if (line.size() < 16) throw invalid_argument(fmt::format("{}: an API key must have at least 16 characters", a.api_keys));
        o.api_keys.push_back(line);
      }
      at = end + 1;
    }
  }
  if (!a.key.empty()) o.signing_key = score::signing_key::from_file(a.key);
  const auto suite = score::parse_proof_suite(a.proof);
  if (!suite) throw invalid_argument(fmt::format("--proof: unknown cryptosuite '{}' (eddsa-rdfc-2022 or eddsa-jcs-2022)", a.proof));
  o.proof = *suite;
  o.issuer_id = a.issuer_id;
  o.issuer_name = a.issuer_name;
  if (!a.oidc_issuer.empty()) {
    if (a.oidc_audience.empty() || a.oidc_jwks.empty())
      throw invalid_argument("--oidc-issuer needs --oidc-audience and --oidc-jwks");
    o.oidc = serve::oidc_options{.issuer = a.oidc_issuer, .audience = a.oidc_audience, .jwks = a.oidc_jwks};
  }
  o.item_time_limit_s = a.item_time_limit;
  o.test_time_limit_s = a.test_time_limit;
  o.rapid_ms = a.rapid_ms;
  if (a.port < 0 || a.port > 65535) throw invalid_argument("--port must be 0-65535");
  const int threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const serve::service svc(std::move(o), serve::open_store(a.store, a.connections > 0 ? a.connections : threads + 2));
  std::signal(SIGINT, [](int) { stop_requested.store(true); });
  std::signal(SIGTERM, [](int) { stop_requested.store(true); });
  std::signal(SIGPIPE, SIG_IGN);
  serve::http_server_options h;
  h.address = a.address;
  h.port = static_cast<std::uint16_t>(a.port);
  h.threads = threads;
  h.stop = &stop_requested;
  h.on_listening = [&](std::uint16_t port) {
    const std::string host = a.address == "0.0.0.0" ? "127.0.0.1" : a.address;
    fmt::print("dskill serve: listening on http://{}:{}/\n", host, port);
    std::fflush(stdout);
    fmt::print(stderr, "dskill serve: store {}, {} threads{}; the page: http://{}:{}/ (Ctrl-C stops)\n", svc.get_store().kind(),
               threads, svc.options().open ? ", open to anyone (--open)" : "", host, port);
  };
  serve::run_http_server(svc, h);
  fmt::print(stderr, "dskill serve: stopped\n");
  return exit_ok;
}

[[maybe_unused]] const bool registered = register_command({
    "serve",
    "Serve the adaptive test over HTTP/JSON, with a page where a person takes it (docs/serve.md)",
    [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<serve_args>();
      app.add_option("--bank", a->bank, "Item bank (YAML)")->required();
      app.add_option("--spec", a->spec, "Test specification (YAML)")->required();
      app.add_option("--framework", a->framework, "Competency framework (default: the bank's, from frameworks/ beside it)");
      app.add_option("--store", a->store, "sqlite:PATH (default sqlite:dskill-serve.db) or postgresql://...");
      app.add_option("--address", a->address, "Address to listen on (default 127.0.0.1)");
      app.add_option("--port", a->port, "Port (default 8080; 0 = any free port, printed)");
      app.add_option("--threads", a->threads, "Worker threads (default: the number of cores)");
      app.add_option("--connections", a->connections, "Store connections (default: threads + 2)");
      app.add_option("--secret", a->secret, "File with the 32-byte server secret (64 hex): the same for every process on one store");
      app.add_option("--api-keys", a->api_keys, "File with the platform's API keys, one per line");
      app.add_flag("--open", a->open, "Anyone may start a test from the page, with no identity (demos)");
      app.add_option("--key", a->key, "File with the Ed25519 seed (64 hex) that signs certificates");
      app.add_option("--proof", a->proof, "eddsa-rdfc-2022 (default) or eddsa-jcs-2022");
      app.add_option("--issuer", a->issuer_id, "Issuer DID (did:web:...); default: the key's did:key");
      app.add_option("--issuer-name", a->issuer_name, "Issuer name in certificates (default dskill)");
      app.add_option("--oidc-issuer", a->oidc_issuer, "Accept OpenID Connect ID tokens from this issuer");
      app.add_option("--oidc-audience", a->oidc_audience, "The audience (client id) the ID tokens must name");
      app.add_option("--oidc-jwks", a->oidc_jwks, "The issuer's key set: a JWKS file or an http:// URL");
      app.add_option("--item-time-limit", a->item_time_limit, "Seconds per item (default: none)");
      app.add_option("--test-time-limit", a->test_time_limit, "Seconds per test (default: none)");
      app.add_option("--rapid-ms", a->rapid_ms, "Answers faster than this are flagged as rapid guesses (default 2000)");
      app.footer("Prints 'dskill serve: listening on http://HOST:PORT/' once it listens; SIGINT or SIGTERM stop it.\n"
                 "Exit status: 0 stopped, 1 bad input, 2 bad usage.");
      return [a] { return run_serve(*a); };
    },
});

}  // namespace
}  // namespace dskill::cli
