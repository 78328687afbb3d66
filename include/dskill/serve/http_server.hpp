// dskill::serve: the HTTP/1.1 transport of the service, on Boost.Beast (Boost.Asio).
//
// A fixed pool of worker threads runs one io_context; each connection reads requests in turn
// (keep-alive), hands each to service::handle and writes the reply. Bodies over 64 KiB are
// refused (413). The pool size bounds the concurrent requests, not the connections.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "dskill/serve/service.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {

struct http_server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0: any free port (the bound one is passed to on_listening)
  int threads = 0;            ///< worker threads; 0 = the number of cores
  /// Called once the socket listens, with the bound port (to print the page's address).
  std::function<void(std::uint16_t)> on_listening;
  /// Set to true (from a signal handler, another thread) to stop: the server stops accepting,
  /// finishes the requests in flight and returns.
  std::atomic<bool>* stop = nullptr;
};

/// Serves until *options.stop becomes true (or forever without one). Throws io_error when the
/// address cannot be bound.
void run_http_server(const service& svc, const http_server_options& options);

}  // namespace serve
DSKILL_END_NAMESPACE
