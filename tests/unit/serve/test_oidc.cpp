// serve::oidc_verifier: keys made here with OpenSSL, tokens signed here with OpenSSL (not with
// libjwt, which verifies them), the key set in a temporary file or served over http:// by a
// small Asio server on the loopback.
#include <doctest/doctest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <utility>  // before Boost 1.74 asio.hpp, whose awaitable.hpp uses std::exchange

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include <boost/asio.hpp>

#include "dskill/error.hpp"
#include "dskill/serve/oidc.hpp"

namespace {
using namespace dskill;

std::string b64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::string bn_param(EVP_PKEY* k, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(k, name, &bn) == 1);
  std::string out(static_cast<std::size_t>(pad ? pad : BN_num_bytes(bn)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

struct test_key {
  EVP_PKEY* pkey = nullptr;
  std::string alg, kid;
  explicit test_key(std::string a, std::string k) : alg(std::move(a)), kid(std::move(k)) {
    if (alg == "RS256") pkey = EVP_RSA_gen(2048);
    else if (alg == "ES256") pkey = EVP_EC_gen("P-256");
    else pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    REQUIRE(pkey);
  }
  ~test_key() { EVP_PKEY_free(pkey); }
  test_key(const test_key&) = delete;
  test_key& operator=(const test_key&) = delete;

  std::string jwk(const std::string& extra = R"("use":"sig")") const {
    std::string j = "{\"kid\":\"" + kid + "\"," + extra;
    if (alg == "RS256")
      j += R"(,"kty":"RSA","n":")" + b64url(bn_param(pkey, OSSL_PKEY_PARAM_RSA_N)) + R"(","e":")" + b64url(bn_param(pkey, OSSL_PKEY_PARAM_RSA_E)) + "\"";
    else if (alg == "ES256")
      j += R"(,"kty":"EC","crv":"P-256","x":")" + b64url(bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32)) + R"(","y":")" +
           b64url(bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32)) + "\"";
    else {
      unsigned char raw[32];
      std::size_t len = sizeof raw;
      REQUIRE(EVP_PKEY_get_raw_public_key(pkey, raw, &len) == 1);
      j += R"(,"kty":"OKP","crv":"Ed25519","x":")" + b64url(std::string(reinterpret_cast<char*>(raw), len)) + "\"";
    }
    return j + "}";
  }
  std::string public_pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, pkey);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return pem;
  }
  std::string sign(std::string_view input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    REQUIRE(EVP_DigestSignInit(ctx, nullptr, alg == "EdDSA" ? nullptr : EVP_sha256(), nullptr, pkey) == 1);
    std::size_t len = 0;
    REQUIRE(EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    std::string sig(len, '\0');
    REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, reinterpret_cast<const unsigned char*>(input.data()),
                           input.size()) == 1);
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (alg != "ES256") return sig;
    // DER ECDSA-Sig-Value to the JWS form R || S (RFC 7518 section 3.4).
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    REQUIRE(es);
    std::string rs(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(rs.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(rs.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return rs;
  }
  std::string token(const std::string& payload, std::string header = "") const {
    if (header.empty()) header = R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + kid + "\"}";
    const std::string input = b64url(header) + "." + b64url(payload);
    return input + "." + b64url(sign(input));
  }
};

constexpr std::int64_t now = 1796300000;  // 2026-12-03
const std::string issuer = "https://sso.example.vn", audience = "dskill-client";

std::string claims(std::int64_t exp = now + 600, std::int64_t iat = now - 10, std::string extra = "", std::string aud = "\"dskill-client\"",
                   std::string iss = issuer, std::string sub = "\"pairwise-123\"") {
  std::string p = "{\"iss\":\"" + iss + "\",\"aud\":" + aud + ",\"exp\":" + std::to_string(exp) + ",\"iat\":" + std::to_string(iat);
  if (!sub.empty()) p += ",\"sub\":" + sub;
  return p + extra + "}";
}

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    path = std::filesystem::temp_directory_path() / ("dskill_oidc_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = (path / name).string();
    std::ofstream(p) << text;
    return p;
  }
};

std::string jwks(std::initializer_list<std::string> keys) {
  std::string s = "{\"keys\":[";
  bool first = true;
  for (const auto& k : keys) {
    s += (first ? "" : ",") + k;
    first = false;
  }
  return s + "]}";
}

std::string reason(const serve::oidc_verifier& v, const std::string& token) {
  try {
    (void)v.verify(token, now);
  } catch (const invalid_argument& e) {
    return e.what();
  }
  return "accepted";
}

struct fixture {
  test_key rsa{"RS256", "rsa-1"}, ec{"ES256", "ec-1"}, ed{"EdDSA", "ed-1"};
  temp_dir dir;
  serve::oidc_verifier verifier{serve::oidc_options{issuer, audience, dir.write("jwks.json", jwks({rsa.jwk(), ec.jwk(), ed.jwk()}))}};
};

// A one-thread HTTP server on 127.0.0.1 answering every GET with `body` (which the test may
// change), counting the requests.
struct jwks_server {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::mutex mutex;
  std::string body;
  int status = 200;
  std::atomic<int> requests{0};
  std::thread thread;
  explicit jwks_server(std::string b) : body(std::move(b)) {
    accept();
    thread = std::thread([this] { ioc.run(); });
  }
  ~jwks_server() {
    ioc.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/jwks.json"; }
  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
      if (ec) return;
      boost::asio::streambuf request;
      boost::system::error_code rec;
      boost::asio::read_until(socket, request, "\r\n\r\n", rec);
      ++requests;
      std::string reply;
      {
        const std::lock_guard lock(mutex);
        reply = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\nConnection: close\r\n\r\n" + body;
      }
      boost::asio::write(socket, boost::asio::buffer(reply), rec);
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, rec);
      accept();
    });
  }
  void set(std::string b) {
    const std::lock_guard lock(mutex);
    body = std::move(b);
  }
};
}  // namespace

TEST_CASE("oidc: valid RS256, ES256 and EdDSA tokens give their claims") {
  fixture f;
  for (const test_key* k : {&f.rsa, &f.ec, &f.ed}) {
    CAPTURE(k->alg);
    const auto c = f.verifier.verify(k->token(claims()), now);
    CHECK(c.issuer == issuer);
    CHECK(c.subject == "pairwise-123");
    CHECK(c.audience == audience);
    CHECK(c.expires == now + 600);
    CHECK(c.issued_at == now - 10);
  }
  // aud as an array holding ours (and azp ours); leeway on exp
  CHECK(reason(f.verifier, f.rsa.token(claims(now + 600, now, R"(,"azp":"dskill-client")", R"(["other","dskill-client"])"))) == "accepted");
  CHECK(reason(f.verifier, f.rsa.token(claims(now - 30))) == "accepted");
  // no kid: every key of the alg is tried
  CHECK(reason(f.verifier, f.ec.token(claims(), R"({"alg":"ES256"})")) == "accepted");
  auto ids = f.verifier.key_ids();
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::string>{"ec-1", "ed-1", "rsa-1"});
}

TEST_CASE("oidc: claims that do not hold are refused with the reason") {
  fixture f;
  const auto& k = f.rsa;
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, "", "\"dskill-client\"", "https://evil.example"))).find("ID token issuer 'https://evil.example' is not 'https://sso.example.vn'") !=
        std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, "", "\"x\""))).find("ID token audience 'x' is not 'dskill-client'") != std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, "", R"(["x","y"])"))).find("ID token audience ['x', 'y'] does not include 'dskill-client'") !=
        std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, R"(,"azp":"x")"))).find("authorized party (azp) 'x'") != std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now - 61))).find("ID token expired at 2026-12-03") != std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, ",\"nbf\":" + std::to_string(now + 120)))).find("ID token is not valid before") !=
        std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now + 120))).find("ID token was issued in the future") != std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, "", "\"dskill-client\"", issuer, ""))).find("ID token has no subject") != std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, "", "\"dskill-client\"", issuer, "\"\""))).find("no subject") != std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, "", "\"dskill-client\"", issuer, "\"" + std::string(256, 's') + "\""))).find("longer than 255") !=
        std::string::npos);
  CHECK(reason(f.verifier, k.token(R"({"iss":"https://sso.example.vn","aud":"dskill-client","sub":"a","iat":1})")).find("no expiry (exp)") != std::string::npos);
  CHECK(reason(f.verifier, k.token(claims(now + 600, now, R"(,"sub":"b")"))).find("not a JSON object") != std::string::npos);  // sub twice
}

TEST_CASE("oidc: forged, confused and malformed tokens are refused") {
  fixture f;
  const std::string good = f.rsa.token(claims());
  const auto dot1 = good.find('.'), dot2 = good.rfind('.');
  // unknown kid (the file is read again, and still has no such key)
  CHECK(reason(f.verifier, f.rsa.token(claims(), R"({"alg":"RS256","kid":"nope"})")).find("ID token signed by unknown key id 'nope'") != std::string::npos);
  // tampered payload: another subject under the old signature
  const std::string forged = good.substr(0, dot1) + "." + b64url(claims(now + 600, now - 10, "", "\"dskill-client\"", issuer, "\"admin\"")) + good.substr(dot2);
  CHECK(reason(f.verifier, forged).find("ID token signature does not verify with key 'rsa-1'") != std::string::npos);
  std::string flipped = good;
  flipped[dot2 + 5] = flipped[dot2 + 5] == 'A' ? 'B' : 'A';
  CHECK(reason(f.verifier, flipped).find("does not verify") != std::string::npos);
  std::string ec_flipped = f.ec.token(claims());
  ec_flipped[ec_flipped.rfind('.') + 3] = ec_flipped[ec_flipped.rfind('.') + 3] == 'A' ? 'B' : 'A';
  CHECK(reason(f.verifier, ec_flipped).find("does not verify") != std::string::npos);
  // alg none, with and without a signature
  const std::string none_input = b64url(R"({"alg":"none","kid":"rsa-1"})") + "." + b64url(claims());
  CHECK(reason(f.verifier, none_input + ".").find("alg 'none' is refused") != std::string::npos);
  CHECK(reason(f.verifier, none_input + "." + b64url("x")).find("alg 'none' is refused") != std::string::npos);
  // HS256 with the RSA key's public PEM as the HMAC secret (the key confusion attack)
  {
    const std::string pem = f.rsa.public_pem();
    const std::string input = b64url(R"({"alg":"HS256","typ":"JWT","kid":"rsa-1"})") + "." + b64url(claims());
    unsigned char mac[32];
    std::size_t len = 0;
    REQUIRE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, pem.data(), pem.size(), reinterpret_cast<const unsigned char*>(input.data()),
                      input.size(), mac, sizeof mac, &len) != nullptr);
    CHECK(reason(f.verifier, input + "." + b64url(std::string(reinterpret_cast<char*>(mac), len))).find("alg 'HS256' is refused") != std::string::npos);
  }
  // alg of one key type under another's kid
  CHECK(reason(f.verifier, f.rsa.token(claims(), R"({"alg":"RS256","kid":"ec-1"})")).find("ID token alg RS256 does not match key 'ec-1' (EC for ES256)") !=
        std::string::npos);
  CHECK(reason(f.verifier, f.rsa.token(claims(), R"({"alg":"PS256","kid":"rsa-1"})")).find("not supported") != std::string::npos);
  CHECK(reason(f.verifier, f.rsa.token(claims(), R"({"alg":"RS256","kid":"rsa-1","crit":["b64"]})")).find("crit") != std::string::npos);
  // shape
  CHECK(reason(f.verifier, "").find("ID token is empty") != std::string::npos);
  CHECK(reason(f.verifier, std::string(16 * 1024 + 1, 'a')).find("longer than 16 KiB") != std::string::npos);
  CHECK(reason(f.verifier, "a.b.c.d").find("4 parts") != std::string::npos);
  CHECK(reason(f.verifier, "a.b.c.d.e").find("encrypted (JWE)") != std::string::npos);
  CHECK(reason(f.verifier, good.substr(0, dot2)).find("2 parts") != std::string::npos);
  CHECK(reason(f.verifier, good.substr(0, dot2 + 1)).find("no signature") != std::string::npos);
  CHECK(reason(f.verifier, "e+J." + good.substr(dot1 + 1)).find("header is not base64url") != std::string::npos);
  CHECK(reason(f.verifier, good.substr(0, dot1) + ".eyJ=" + good.substr(dot2)).find("payload is not base64url") != std::string::npos);
  CHECK(reason(f.verifier, good + "=").find("signature is not base64url") != std::string::npos);
  CHECK(reason(f.verifier, good.substr(0, good.size() - 3)).find("ID token signature ") != std::string::npos);  // not base64url or not verifying
  // the reason never holds the token
  CHECK(reason(f.verifier, forged).find(forged.substr(0, dot1)) == std::string::npos);
  // random bytes and random base64url parts: refused, never a crash
  std::mt19937 rng(7);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
  for (int i = 0; i < 2000; ++i) {
    std::string t(rng() % 300, '\0');
    for (char& c : t) c = i % 2 ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()];
    if (i % 3 == 0) t = good.substr(0, rng() % good.size()) + t;
    CHECK_THROWS_AS((void)f.verifier.verify(t, now), invalid_argument);
  }
}

TEST_CASE("oidc: key sets: unusable keys are skipped, none usable is an error, https is refused") {
  test_key rsa{"RS256", "rsa-1"}, ec{"ES256", "ec-1"};
  temp_dir dir;
  const auto make = [&](const std::string& text) { return serve::oidc_verifier(serve::oidc_options{issuer, audience, dir.write("k.json", text)}); };
  // an encryption key and a key with no "use" are left out
  {
    serve::oidc_verifier v{serve::oidc_options{issuer, audience, dir.write("a.json", jwks({rsa.jwk(R"("use":"enc")"), ec.jwk(R"("alg":"ES256")"), ec.jwk()}))}};
    CHECK(v.key_ids() == std::vector<std::string>{"ec-1"});
  }
  try {
    (void)make(jwks({rsa.jwk(R"("use":"enc")"), ec.jwk(R"("alg":"ES256")")}));
    FAIL("no usable key accepted");
  } catch (const invalid_argument& e) {
    CHECK(std::string(e.what()).find("has no usable signing key (key 'rsa-1' is for \"use\" 'enc'") != std::string::npos);
    CHECK(std::string(e.what()).find("key 'ec-1' has no \"use\":\"sig\"") != std::string::npos);
  }
  CHECK_THROWS_AS((void)make(R"({"keys":[{"kty":"oct","use":"sig","k":"c2VjcmV0"}]})"), invalid_argument);
  CHECK_THROWS_AS((void)make(R"({"keys":[{"kty":"EC","use":"sig","crv":"P-256","x":"AAAA","y":"AAAA"}]})"), invalid_argument);
  CHECK_THROWS_AS((void)make(R"([1,2])"), invalid_argument);
  CHECK_THROWS_AS((void)make("not json"), invalid_argument);
  CHECK_THROWS_AS(serve::oidc_verifier(serve::oidc_options{issuer, audience, (dir.path / "missing.json").string()}), io_error);
  try {
    serve::oidc_verifier v(serve::oidc_options{issuer, audience, "https://sso.example.vn/jwks"});
    FAIL("https accepted");
  } catch (const invalid_argument& e) {
    CHECK(std::string(e.what()).find("https:// is not supported in this build") != std::string::npos);
  }
  CHECK_THROWS_AS(serve::oidc_verifier(serve::oidc_options{"", audience, "x"}), invalid_argument);
  CHECK_THROWS_AS(serve::oidc_verifier(serve::oidc_options{issuer, "", "x"}), invalid_argument);
}

TEST_CASE("oidc: the key set over http://, refetched for a new kid at most once a minute") {
  test_key old_key{"RS256", "2026-11"}, new_key{"ES256", "2026-12"};
  jwks_server server(jwks({old_key.jwk()}));
  serve::oidc_verifier v{serve::oidc_options{issuer, audience, server.url()}};
  CHECK(server.requests == 1);
  CHECK(v.key_ids() == std::vector<std::string>{"2026-11"});
  const std::int64_t t = std::time(nullptr);  // the first load counts at the wall clock
  CHECK(v.verify(old_key.token(claims(t + 600, t)), t).subject == "pairwise-123");
  // the issuer rotates: within the minute the new kid is unknown and nothing is fetched
  server.set(jwks({old_key.jwk(), new_key.jwk()}));
  const std::string fresh = new_key.token(claims(t + 600, t));
  try {
    (void)v.verify(fresh, t + 10);
    FAIL("unknown kid accepted");
  } catch (const invalid_argument& e) {
    CHECK(std::string(e.what()).find("unknown key id '2026-12'; the key set was loaded less than a minute ago") != std::string::npos);
  }
  CHECK(server.requests == 1);
  // a minute later the set is fetched again and the new key verifies
  CHECK(v.verify(fresh, t + 70).subject == "pairwise-123");
  CHECK(server.requests == 2);
  CHECK(v.key_ids().size() == 2);
  // an unknown kid right after: refused without a fetch
  CHECK(reason(v, new_key.token(claims(), R"({"alg":"ES256","kid":"zzz"})")).find("unknown key id 'zzz'") != std::string::npos);
  // a failing refetch keeps the old set
  server.set("garbage");
  try {
    (void)v.verify(new_key.token(claims(t + 600, t), R"({"alg":"ES256","kid":"zzz"})"), t + 200);
    FAIL("unknown kid accepted");
  } catch (const invalid_argument& e) {
    CHECK(std::string(e.what()).find("loading the key set again failed") != std::string::npos);
  }
  CHECK(v.verify(fresh, t + 200).subject == "pairwise-123");
  // errors at start: not 200, too large
  {
    const std::lock_guard lock(server.mutex);
    server.status = 404;
  }
  CHECK_THROWS_AS(serve::oidc_verifier(serve::oidc_options{issuer, audience, server.url()}), io_error);
  {
    const std::lock_guard lock(server.mutex);
    server.status = 200;
    server.body = std::string(1024 * 1024 + 10, ' ');
  }
  CHECK_THROWS_AS(serve::oidc_verifier(serve::oidc_options{issuer, audience, server.url()}), io_error);
}

TEST_CASE("oidc: a key set server that never answers times out in 5 s; verify is safe from many threads") {
  {
    // Listening but never accepting: the kernel completes the connection, nothing replies.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor silent{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
    const std::string url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/";
    const auto start = std::chrono::steady_clock::now();
    try {
      serve::oidc_verifier v(serve::oidc_options{issuer, audience, url});
      FAIL("a silent server gave a key set");
    } catch (const io_error& e) {
      CHECK(std::string(e.what()).find("no answer within 5 s") != std::string::npos);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(s > 4.5);
    CHECK(s < 8);
  }
  test_key a{"RS256", "a"}, b{"EdDSA", "b"};
  jwks_server server(jwks({a.jwk()}));
  serve::oidc_verifier v{serve::oidc_options{issuer, audience, server.url()}};
  server.set(jwks({a.jwk(), b.jwk()}));
  const std::int64_t t = std::time(nullptr) + 120;  // past the throttle: the first unknown kid reloads
  const std::string ta = a.token(claims(t + 600, t)), tb = b.token(claims(t + 600, t));
  std::atomic<int> accepted{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int j = 0; j < 50; ++j) {
        try {
          (void)v.verify((i + j) % 2 ? ta : tb, t);
          ++accepted;
        } catch (const invalid_argument&) {
          ++refused;
        }
      }
    });
  for (auto& th : threads) th.join();
  CHECK(accepted == 200);
  CHECK(refused == 0);
  CHECK(server.requests == 2);  // the start, and one reload for kid 'b' however many threads asked
}
