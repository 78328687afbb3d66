// dskill::serve::run_http_server: HTTP/1.1 on Boost.Beast (see http_server.hpp).
//
// Why Beast: it comes with Boost (already a dependency), parses HTTP/1.1 strictly with limits on
// header and body sizes, and leaves threading to us: one io_context run by a fixed pool of
// threads, each connection on its own strand, so a connection's requests are handled in order
// and different connections in parallel. Handlers block on the store; the pool size bounds
// that, not the number of open connections.
#include "dskill/serve/http_server.hpp"

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t body_limit = 64 * 1024;
constexpr auto idle_timeout = std::chrono::seconds(60);

class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(tcp::socket&& socket, const service& svc) : stream_(std::move(socket)), svc_(svc) {}
  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&connection::read, shared_from_this()));
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(idle_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return close();
    if (ec == http::error::body_limit) return reply_error(413, "too_large", "the request body is over 64 KiB");
    if (ec) return close();  // timeouts, resets, malformed requests: nothing to answer
    const auto& req = parser_->get();
    http_request rq;
    rq.method = std::string(req.method_string());
    rq.target = std::string(req.target());
    if (const auto it = req.find(http::field::authorization); it != req.end()) rq.authorization = std::string(it->value());
    rq.body = req.body();
    const auto r = svc_.handle(rq);
    send(r, req.version(), req.keep_alive(), rq.method == "HEAD");
  }

  void reply_error(int status, std::string_view code, std::string_view message) {
    http_response r;
    r.status = status;
    r.body = fmt::format(R"({{"error":{{"code":"{}","message":"{}"}}}})", code, message);
    send(r, 11, false, false);
  }

  void send(const http_response& r, unsigned version, bool keep_alive, bool head) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res->set(http::field::server, "dskill");
    res->set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    if (!head) res->body() = r.body;
    res->keep_alive(keep_alive);
    res->prepare_payload();
    if (head) res->content_length(r.body.size());
    response_ = res;
    http::async_write(stream_, *res, beast::bind_front_handler(&connection::on_write, shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec || !keep_alive) return close();
    read();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;
  const service& svc_;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& ioc, tcp::endpoint endpoint, const service& svc) : ioc_(ioc), acceptor_(asio::make_strand(ioc)), svc_(svc) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw io_error(fmt::format("cannot listen on {}:{}: {}", endpoint.address().to_string(), endpoint.port(), ec.message()));
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }
  void stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<connection>(std::move(socket), svc_)->start();
    }
    accept();
  }
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  const service& svc_;
};

}  // namespace

void run_http_server(const service& svc, const http_server_options& options) {
  const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  asio::io_context ioc(threads);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) throw invalid_argument(fmt::format("--address: '{}' is not an IP address", options.address));
  auto l = std::make_shared<listener>(ioc, tcp::endpoint(address, options.port), svc);
  l->accept();
  if (options.on_listening) options.on_listening(l->port());
  // The stop flag is polled: a signal handler may only set an atomic.
  asio::steady_timer poll(ioc);
  std::function<void(beast::error_code)> check = [&](beast::error_code) {
    if (options.stop && options.stop->load()) {
      l->stop();
      // Requests in flight finish; idle keep-alive connections are cut after a short grace.
      auto grace = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(500));
      grace->async_wait([&ioc, grace](beast::error_code) { ioc.stop(); });
      return;
    }
    poll.expires_after(std::chrono::milliseconds(100));
    poll.async_wait(check);
  };
  if (options.stop) check({});
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads - 1));
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
}

}  // namespace serve
DSKILL_END_NAMESPACE
