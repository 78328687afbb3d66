// dskill::serve: OpenID Connect ID tokens (include/dskill/serve/oidc.hpp; ARCHITECTURE.md, ID
// tokens). The JWS signature of RS256 and ES256 tokens is checked by libjwt against the key as
// PEM; libjwt 1.10 has no EdDSA, so Ed25519 signatures are checked with libsodium. Everything
// libjwt would decide from the token itself (which algorithm, which key) is decided here first,
// from a strict parse of the header: libjwt only ever gets the one key and the one algorithm
// that the key set allows, and its answer is taken only when it agrees on the algorithm.
#include "dskill/serve/oidc.hpp"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "dskill/error.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/json_limits.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {
namespace {

using json = nlohmann::json;

constexpr std::size_t max_token_bytes = 16 * 1024;
constexpr std::size_t max_jwks_bytes = 1024 * 1024;
constexpr std::size_t max_keys = 100;
constexpr std::size_t max_subject_bytes = 255;
constexpr std::int64_t refetch_interval_s = 60;
constexpr std::int64_t max_leeway_s = 3600;
constexpr auto fetch_timeout = std::chrono::seconds(5);
// NumericDate bounds: 1970 to the end of year 9999 (what gmtime and every issuer can write).
constexpr std::int64_t max_date_s = 253402300799;
constexpr int min_rsa_bits = 2048, max_rsa_bits = 8192;

// ---- small helpers -----------------------------------------------------------------------------

// A value from the token or the key set, quoted for a message: printable ASCII kept, any other
// byte as \xNN, cut at 80 bytes. The token itself is never quoted, only single short members.
std::string shown(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < 80; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'')
      out += static_cast<char>(c);
    else
      out += fmt::format("\\x{:02x}", c);
  }
  if (s.size() > 80) out += "...";
  return out + "'";
}

std::string utc(std::int64_t t) {
  t = std::clamp<std::int64_t>(t, 0, max_date_s);
  const auto tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// a + b without overflow (the caller's clock and the leeway are trusted but unchecked).
std::int64_t add_sat(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  return r;
}

// Strict base64url without padding (RFC 7515 section 2): only A-Z a-z 0-9 - _, no '=', no
// white space, and the unused low bits of the last character zero (libsodium checks them), so
// each byte string has exactly one encoding.
std::optional<std::string> base64url_decode(std::string_view in) {
  std::string out(in.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(), in.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != in.data() + in.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

// A JSON object with no member name twice at any level (RFC 8725 section 3.10 / RFC 7515
// section 5.2: a duplicate is refused rather than read the way another parser might not), at
// most 16 levels deep. nullopt when it is not one.
std::optional<json> parse_object(std::string_view text) {
  if (io::json_too_deep_at(text, 16) != 0) return std::nullopt;
  std::vector<std::set<std::string>> names;
  bool duplicate = false;
  const json::parser_callback_t check = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      names.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!names.empty()) names.pop_back();
    } else if (event == json::parse_event_t::key && !names.empty() && parsed.is_string()) {
      if (!names.back().insert(parsed.get<std::string>()).second) duplicate = true;
    }
    return true;
  };
  json value = json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/false);
  if (duplicate || value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

// ---- keys --------------------------------------------------------------------------------------

enum class jws_alg { rs256, es256, eddsa };

std::string_view alg_name(jws_alg a) {
  switch (a) {
    case jws_alg::rs256: return "RS256";
    case jws_alg::es256: return "ES256";
    case jws_alg::eddsa: return "EdDSA";
  }
  return "?";
}
std::string_view kty_of(jws_alg a) {
  switch (a) {
    case jws_alg::rs256: return "RSA";
    case jws_alg::es256: return "EC";
    case jws_alg::eddsa: return "OKP";
  }
  return "?";
}

struct verify_key {
  std::string kid;  ///< empty when the JWK names none
  jws_alg alg = jws_alg::rs256;
  std::string pem;                          ///< RS256, ES256: SubjectPublicKeyInfo PEM for libjwt
  std::array<unsigned char, 32> ed25519{};  ///< EdDSA: the raw public key for libsodium
};

struct key_set {
  std::vector<verify_key> keys;
};

struct pkey_free {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

// Why a JWK cannot be used, thrown inside the key set reader and turned into a "skipped" note.
struct unusable {
  std::string why;
};

std::string b64_member(const json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) throw unusable{fmt::format("has no \"{}\"", name)};
  auto bytes = base64url_decode(it->get_ref<const std::string&>());
  if (!bytes || bytes->empty()) throw unusable{fmt::format("\"{}\" is not base64url", name)};
  return std::move(*bytes);
}

pkey_ptr pkey_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  const bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
                  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (!ok) {
    EVP_PKEY_free(pkey);
    return nullptr;
  }
  // The public key's own checks (a point on the curve; an odd RSA exponent above 1).
  pkey_ptr result(pkey);
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  const bool valid = check && EVP_PKEY_public_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  return valid ? std::move(result) : nullptr;
}

std::string pem_of(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio) throw unusable{"cannot be converted to PEM"};
  std::string pem;
  if (PEM_write_bio_PUBKEY(bio, pkey) == 1) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    if (n > 0) pem.assign(data, static_cast<std::size_t>(n));
  }
  BIO_free(bio);
  if (pem.empty()) throw unusable{"cannot be converted to PEM"};
  return pem;
}

std::string rsa_pem(const json& jwk) {
  const std::string n = b64_member(jwk, "n"), e = b64_member(jwk, "e");
  if (e.size() > 8) throw unusable{"has an RSA exponent over 64 bits"};
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  pkey_ptr pkey;
  if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1)
    pkey = pkey_from_params("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  if (!pkey) throw unusable{"is not a valid RSA public key"};
  const int bits = EVP_PKEY_get_bits(pkey.get());
  if (bits < min_rsa_bits || bits > max_rsa_bits)
    throw unusable{fmt::format("has a {}-bit RSA modulus (2048 to 8192 accepted)", bits)};
  return pem_of(pkey.get());
}

std::string ec_pem(const json& jwk) {
  const auto crv = jwk.find("crv");
  if (crv == jwk.end() || *crv != "P-256") throw unusable{"is not on curve P-256"};
  const std::string x = b64_member(jwk, "x"), y = b64_member(jwk, "y");
  if (x.size() != 32 || y.size() != 32) throw unusable{"has P-256 coordinates that are not 32 bytes"};
  std::string point = "\x04" + x + y;  // uncompressed SEC1 point
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  pkey_ptr pkey;
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1)
    pkey = pkey_from_params("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  if (!pkey) throw unusable{"is not a valid P-256 public key"};
  return pem_of(pkey.get());
}

std::array<unsigned char, 32> ed25519_key(const json& jwk) {
  const auto crv = jwk.find("crv");
  if (crv == jwk.end() || *crv != "Ed25519") throw unusable{"is not an Ed25519 key (OKP keys: Ed25519 only)"};
  const std::string x = b64_member(jwk, "x");
  if (x.size() != crypto_sign_PUBLICKEYBYTES) throw unusable{"has an Ed25519 key that is not 32 bytes"};
  std::array<unsigned char, 32> key{};
  std::copy(x.begin(), x.end(), key.begin());
  return key;
}

verify_key read_jwk(const json& jwk) {
  if (!jwk.is_object()) throw unusable{"is not a JSON object"};
  const auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) throw unusable{"has no \"kty\""};
  const auto use = jwk.find("use");
  if (use == jwk.end()) throw unusable{"has no \"use\":\"sig\""};
  if (*use != "sig") throw unusable{fmt::format("is for \"use\" {}, not \"sig\"", use->is_string() ? shown(use->get<std::string>()) : "?")};
  if (const auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    if (!ops->is_array() || std::find(ops->begin(), ops->end(), json("verify")) == ops->end())
      throw unusable{"has \"key_ops\" without \"verify\""};
  }
  if (jwk.contains("d") || jwk.contains("k")) throw unusable{"holds private or secret key material"};
  verify_key key;
  if (const auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string() || kid->get_ref<const std::string&>().empty()) throw unusable{"has a \"kid\" that is not a non-empty string"};
    key.kid = kid->get<std::string>();
  }
  const std::string& type = kty->get_ref<const std::string&>();
  if (type == "RSA")
    key.alg = jws_alg::rs256;
  else if (type == "EC")
    key.alg = jws_alg::es256;
  else if (type == "OKP")
    key.alg = jws_alg::eddsa;
  else
    throw unusable{fmt::format("has kty {} (RSA, EC and OKP are supported)", shown(type))};
  if (const auto alg = jwk.find("alg"); alg != jwk.end() && *alg != alg_name(key.alg))
    throw unusable{fmt::format("is for alg {} (a {} key is used for {} only)", alg->is_string() ? shown(alg->get<std::string>()) : "?",
                               type, alg_name(key.alg))};
  switch (key.alg) {
    case jws_alg::rs256: key.pem = rsa_pem(jwk); break;
    case jws_alg::es256: key.pem = ec_pem(jwk); break;
    case jws_alg::eddsa: key.ed25519 = ed25519_key(jwk); break;
  }
  return key;
}

// The usable keys of a JWKS text; invalid_argument when it is no key set or has no usable key
// (the message says why each key was left out).
key_set read_key_set(std::string_view text, const std::string& source) {
  const auto doc = parse_object(text);
  if (!doc) throw invalid_argument(fmt::format("JWKS {} is not a JSON object (with no member twice)", source));
  const auto keys = doc->find("keys");
  if (keys == doc->end() || !keys->is_array())
    throw invalid_argument(fmt::format("JWKS {} is not a JSON Web Key Set: it has no \"keys\" array", source));
  if (keys->size() > max_keys) throw invalid_argument(fmt::format("JWKS {} has {} keys (at most {})", source, keys->size(), max_keys));
  key_set set;
  std::vector<std::string> skipped;
  std::size_t index = 0;
  for (const json& jwk : *keys) {
    ++index;
    try {
      set.keys.push_back(read_jwk(jwk));
    } catch (const unusable& u) {
      const auto kid = jwk.is_object() ? jwk.find("kid") : jwk.end();
      const std::string name = jwk.is_object() && kid != jwk.end() && kid->is_string() ? fmt::format("key {}", shown(kid->get<std::string>()))
                                                                                      : fmt::format("key #{}", index);
      skipped.push_back(name + " " + u.why);
    }
  }
  if (set.keys.empty()) {
    std::string why;
    for (const auto& s : skipped) why += (why.empty() ? "" : "; ") + s;
    throw invalid_argument(fmt::format("JWKS {} has no usable signing key{}", source, why.empty() ? std::string(" (\"keys\" is empty)") : " (" + why + ")"));
  }
  return set;
}

// ---- fetching ----------------------------------------------------------------------------------

struct http_url {
  std::string host, port, target;
};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char p, char c) { return std::tolower(static_cast<unsigned char>(c)) == p; });
}

http_url parse_http_url(const std::string& url) {
  const std::string_view rest = std::string_view(url).substr(7);  // after "http://"
  const std::size_t slash = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  target = target.substr(0, target.find('#'));
  if (target.empty() || target[0] == '?') target = "/";
  const auto bad = [&](std::string_view why) { return invalid_argument(fmt::format("JWKS URL {}: {}", url, why)); };
  if (authority.find('@') != std::string_view::npos) throw bad("user names and passwords are not supported");
  http_url u;
  std::string_view host = authority, port;
  if (!host.empty() && host[0] == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) throw bad("unclosed '[' in the host");
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port.empty() && port[0] != ':') throw bad("junk after the IPv6 address");
    if (!port.empty()) port.remove_prefix(1);
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) throw bad("no host");
  if (port.empty()) port = "80";
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      std::atoi(std::string(port).c_str()) < 1 || std::atoi(std::string(port).c_str()) > 65535)
    throw bad("the port is not a number from 1 to 65535");
  for (const char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) throw bad("white space or control characters in the path");
  u.host = std::string(host);
  u.port = std::string(port);
  u.target = std::string(target);
  return u;
}

// One GET, synchronous to the caller: the whole exchange (resolve, connect, request, reply) has
// 5 s and the body 1 MiB. Throws io_error naming the URL.
std::string http_get(const http_url& u, const std::string& url) {
  namespace net = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = net::ip::tcp;
  using error_code = beast::error_code;

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::empty_body> request{http::verb::get, u.target, 11};
  const bool v6 = u.host.find(':') != std::string::npos;
  request.set(http::field::host, (v6 ? "[" + u.host + "]" : u.host) + (u.port == "80" ? "" : ":" + u.port));
  request.set(http::field::user_agent, "dskill-serve");
  request.set(http::field::accept, "application/jwk-set+json, application/json");
  request.set(http::field::connection, "close");
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_jwks_bytes);
  parser.header_limit(16 * 1024);

  const auto deadline = std::chrono::steady_clock::now() + fetch_timeout;
  error_code failure;
  std::string stage = "connect to";
  bool done = false;
  const auto finish = [&](error_code ec, std::string_view where) {
    failure = ec;
    stage = where;
    done = true;
  };
  resolver.async_resolve(u.host, u.port, [&](error_code ec, const tcp::resolver::results_type& results) {
    if (ec) return finish(ec, "resolve the host of");
    stream.expires_at(deadline);
    stream.async_connect(results, [&](error_code ec2, const tcp::endpoint&) {
      if (ec2) return finish(ec2, "connect to");
      stream.expires_at(deadline);
      http::async_write(stream, request, [&](error_code ec3, std::size_t) {
        if (ec3) return finish(ec3, "send the request to");
        stream.expires_at(deadline);
        http::async_read(stream, buffer, parser, [&](error_code ec4, std::size_t) { finish(ec4, "read the reply of"); });
      });
    });
  });
  ioc.run_until(deadline + std::chrono::milliseconds(100));
  if (!done) {  // only the resolver has no timer of its own
    resolver.cancel();
    error_code ignored;
    stream.socket().close(ignored);
    ioc.restart();
    ioc.run();
    failure = beast::error::timeout;
    stage = "resolve the host of";
  }
  if (failure == http::error::body_limit || (!failure && parser.get().body().size() > max_jwks_bytes))
    throw io_error(fmt::format("JWKS {}: the reply is larger than {} bytes", url, max_jwks_bytes));
  if (failure == beast::error::timeout)
    throw io_error(fmt::format("JWKS {}: no answer within {} s (while trying to {} it)", url, fetch_timeout.count(), stage));
  if (failure) throw io_error(fmt::format("JWKS {}: cannot {} it: {}", url, stage, failure.message()));
  const auto& response = parser.get();
  if (response.result() != http::status::ok)
    throw io_error(fmt::format("JWKS {}: answered {} {} (200 expected; redirects are not followed)", url, response.result_int(),
                               std::string(response.reason())));
  return response.body();
}

// ---- tokens ------------------------------------------------------------------------------------

struct jwt_free_t {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};

// libjwt: jwt_decode verifies the signature with the key as PEM for the algorithm of the header
// (which we have already matched to the key); its answer counts only when it read the same alg.
bool libjwt_verifies(const std::string& token, const verify_key& key) {
  jwt_t* decoded = nullptr;
  const int rc = jwt_decode(&decoded, token.c_str(), reinterpret_cast<const unsigned char*>(key.pem.data()), static_cast<int>(key.pem.size()));
  const std::unique_ptr<jwt_t, jwt_free_t> guard(decoded);
  if (rc != 0 || !decoded) return false;
  const jwt_alg_t expected = key.alg == jws_alg::rs256 ? JWT_ALG_RS256 : JWT_ALG_ES256;
  return jwt_get_alg(decoded) == expected;
}

bool signature_verifies(const std::string& token, std::string_view signing_input, const std::string& signature, const verify_key& key) {
  if (key.alg == jws_alg::eddsa)
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(),
                                       key.ed25519.data()) == 0;
  return libjwt_verifies(token, key);
}

// A NumericDate claim (RFC 7519 section 2): seconds since the epoch, an integer or not; nullopt
// when absent.
std::optional<std::int64_t> numeric_date(const json& claims, const char* name, const char* what) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  const auto bad = [&] { return invalid_argument(fmt::format("ID token {} ({}) is not a date in seconds since 1970", what, name)); };
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(max_date_s)) throw bad();
    return static_cast<std::int64_t>(v);
  }
  if (it->is_number_integer()) {
    const auto v = it->get<std::int64_t>();
    if (v < 0 || v > max_date_s) throw bad();
    return v;
  }
  if (it->is_number_float()) {
    const double v = it->get<double>();
    if (!(v >= 0 && v <= static_cast<double>(max_date_s))) throw bad();
    return static_cast<std::int64_t>(v);  // floor: v >= 0
  }
  throw bad();
}

std::string string_claim(const json& claims, const char* name, const char* what) {
  const auto it = claims.find(name);
  if (it == claims.end()) throw invalid_argument(fmt::format("ID token has no {} ({})", what, name));
  if (!it->is_string()) throw invalid_argument(fmt::format("ID token {} ({}) is not a string", what, name));
  return it->get<std::string>();
}

}  // namespace

// ---- the verifier ------------------------------------------------------------------------------

struct oidc_verifier::impl {
  oidc_options options;
  std::optional<http_url> url;  ///< when options.jwks is an http:// URL; a file otherwise

  mutable std::mutex keys_mutex;
  mutable std::shared_ptr<const key_set> keys;  ///< guarded by keys_mutex; swapped whole on a refetch

  mutable std::mutex refetch_mutex;
  /// When the set was last loaded, on the clock verify() is given (the wall clock at start).
  mutable std::int64_t loaded_s = 0;  ///< guarded by refetch_mutex

  std::shared_ptr<const key_set> current() const {
    const std::lock_guard lock(keys_mutex);
    return keys;
  }

  key_set load() const {
    std::string text;
    if (url) {
      text = http_get(*url, options.jwks);
    } else {
      text = io::read_file_text(options.jwks);
      if (text.size() > max_jwks_bytes) throw io_error(fmt::format("JWKS {} is larger than {} bytes", options.jwks, max_jwks_bytes));
    }
    return read_key_set(text, options.jwks);
  }

  // Loads the set again unless that was done less than a minute ago (by this thread or another:
  // the others wait here and then find the fresh set). Never throws: on failure the old set
  // stays and `note` says why.
  std::shared_ptr<const key_set> refetch(std::int64_t now_s, std::string& note) const {
    const std::lock_guard lock(refetch_mutex);
    // The distance either way: a clock set back does not stop refetches for good.
    if (std::llabs(now_s - loaded_s) < refetch_interval_s) {
      note = "; the key set was loaded less than a minute ago";
      return current();
    }
    loaded_s = now_s;
    try {
      auto fresh = std::make_shared<const key_set>(load());
      const std::lock_guard keys_lock(keys_mutex);
      keys = fresh;
      return fresh;
    } catch (const error& e) {
      note = fmt::format("; loading the key set again failed: {}", e.detail());
      return current();
    }
  }
};

oidc_verifier::oidc_verifier(oidc_options o) : impl_(std::make_unique<impl>()) {
  if (o.issuer.empty()) throw invalid_argument("OIDC issuer is empty");
  if (o.audience.empty()) throw invalid_argument("OIDC audience (the client id) is empty");
  if (o.jwks.empty()) throw invalid_argument("OIDC key set (JWKS file or http:// URL) is empty");
  if (o.leeway_s < 0 || o.leeway_s > max_leeway_s)
    throw invalid_argument(fmt::format("OIDC leeway {} s is not between 0 and {} s", o.leeway_s, max_leeway_s));
  if (sodium_init() < 0) throw io_error("libsodium cannot be initialised");
  if (starts_with_ci(o.jwks, "https://"))
    throw invalid_argument(fmt::format(
        "JWKS {}: https:// is not supported in this build (no TLS client); give an http:// URL (a local proxy that "
        "fetches the issuer's key set) or a file kept up to date",
        o.jwks));
  if (starts_with_ci(o.jwks, "http://")) {
    o.jwks.replace(0, 7, "http://");
    impl_->url = parse_http_url(o.jwks);
  } else if (const auto scheme = o.jwks.find("://"); scheme != std::string::npos && o.jwks.find('/') > scheme) {
    throw invalid_argument(fmt::format("JWKS {}: only http:// URLs and files are supported", o.jwks));
  }
  impl_->options = std::move(o);
  impl_->keys = std::make_shared<const key_set>(impl_->load());
  impl_->loaded_s = static_cast<std::int64_t>(std::time(nullptr));
}

oidc_verifier::~oidc_verifier() = default;

const oidc_options& oidc_verifier::options() const noexcept { return impl_->options; }

std::vector<std::string> oidc_verifier::key_ids() const {
  std::vector<std::string> ids;
  for (const auto& k : impl_->current()->keys)
    if (!k.kid.empty()) ids.push_back(k.kid);
  return ids;
}

id_token_claims oidc_verifier::verify(std::string_view token, std::int64_t now_s) const {
  const oidc_options& o = impl_->options;
  // ---- shape: header.payload.signature, each strict base64url
  if (token.empty()) throw invalid_argument("ID token is empty");
  if (token.size() > max_token_bytes) throw invalid_argument(fmt::format("ID token is longer than {} KiB", max_token_bytes / 1024));
  const auto dots = std::count(token.begin(), token.end(), '.');
  if (dots == 4) throw invalid_argument("ID token is encrypted (JWE); only signed ID tokens (compact JWS) are accepted");
  if (dots != 2) throw invalid_argument(fmt::format("ID token has {} parts, not 3 (header.payload.signature)", dots + 1));
  const std::size_t dot1 = token.find('.'), dot2 = token.find('.', dot1 + 1);
  const std::string_view header_b64 = token.substr(0, dot1), payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1),
                         signature_b64 = token.substr(dot2 + 1);
  const auto header_text = base64url_decode(header_b64);
  if (!header_text) throw invalid_argument("ID token header is not base64url");
  const auto payload_text = base64url_decode(payload_b64);
  if (!payload_text) throw invalid_argument("ID token payload is not base64url");
  const auto signature = base64url_decode(signature_b64);
  if (!signature) throw invalid_argument("ID token signature is not base64url");

  // ---- header: the algorithm and the key
  const auto header = parse_object(*header_text);
  if (!header) throw invalid_argument("ID token header is not a JSON object (with no member twice)");
  const auto alg_it = header->find("alg");
  if (alg_it == header->end() || !alg_it->is_string()) throw invalid_argument("ID token header has no \"alg\"");
  const std::string& alg_text = alg_it->get_ref<const std::string&>();
  jws_alg alg{};
  if (alg_text == "RS256") {
    alg = jws_alg::rs256;
  } else if (alg_text == "ES256") {
    alg = jws_alg::es256;
  } else if (alg_text == "EdDSA") {
    alg = jws_alg::eddsa;
  } else if (starts_with_ci(alg_text, "none")) {
    throw invalid_argument("ID token alg 'none' is refused: the token is not signed");
  } else if (starts_with_ci(alg_text, "hs")) {
    throw invalid_argument(fmt::format("ID token alg {} is refused: an HMAC needs a shared secret, and an issuer's keys are public",
                                       shown(alg_text)));
  } else {
    throw invalid_argument(fmt::format("ID token alg {} is not supported (RS256, ES256, EdDSA)", shown(alg_text)));
  }
  if (header->contains("crit")) throw invalid_argument("ID token header has \"crit\" extensions, which are not understood");
  if (const auto typ = header->find("typ"); typ != header->end()) {
    // libjwt refuses any other typ; say so here, in plain words.
    if (!typ->is_string() || !(starts_with_ci(typ->get_ref<const std::string&>(), "jwt") && typ->get_ref<const std::string&>().size() == 3))
      throw invalid_argument(fmt::format("ID token typ {} is not JWT", typ->is_string() ? shown(typ->get<std::string>()) : "(not a string)"));
  }
  std::optional<std::string> kid;
  if (const auto k = header->find("kid"); k != header->end()) {
    if (!k->is_string()) throw invalid_argument("ID token key id (kid) is not a string");
    kid = k->get<std::string>();
  }
  if (signature->empty()) throw invalid_argument("ID token has no signature");
  if (alg == jws_alg::es256 && signature->size() != 64)
    throw invalid_argument(fmt::format("ID token ES256 signature is {} bytes, not 64 (R || S)", signature->size()));
  if (alg == jws_alg::eddsa && signature->size() != crypto_sign_BYTES)
    throw invalid_argument(fmt::format("ID token EdDSA signature is {} bytes, not 64", signature->size()));

  // The payload is parsed before the signature is checked only to refuse early what libjwt
  // would also refuse; nothing in it is used until the signature verifies.
  const auto claims = parse_object(*payload_text);
  if (!claims) throw invalid_argument("ID token payload is not a JSON object (with no member twice)");

  // ---- the keys that may have signed it: the kid's (of the header's kty), or every key of the
  // alg when the token names none. An unknown kid loads the set again (at most once a minute).
  const auto candidates = [&](const key_set& set) {
    std::vector<const verify_key*> out;
    for (const auto& k : set.keys)
      if ((!kid || k.kid == *kid) && k.alg == alg) out.push_back(&k);
    return out;
  };
  const auto kid_known = [&](const key_set& set) {
    return std::any_of(set.keys.begin(), set.keys.end(), [&](const verify_key& k) { return k.kid == *kid; });
  };
  auto set = impl_->current();
  auto keys = candidates(*set);
  std::string note;
  if (keys.empty() && (!kid || !kid_known(*set))) {
    set = impl_->refetch(now_s, note);
    keys = candidates(*set);
  }
  if (keys.empty()) {
    if (!kid) throw invalid_argument(fmt::format("ID token names no key id and the key set has no {} key{}", alg_name(alg), note));
    if (!kid_known(*set)) throw invalid_argument(fmt::format("ID token signed by unknown key id {}{}", shown(*kid), note));
    const auto k = std::find_if(set->keys.begin(), set->keys.end(), [&](const verify_key& x) { return x.kid == *kid; });
    throw invalid_argument(fmt::format("ID token alg {} does not match key {} ({} for {})", alg_name(alg), shown(*kid), kty_of(k->alg),
                                       alg_name(k->alg)));
  }
  const std::string token_text(token);
  const std::string_view signing_input = token.substr(0, dot2);
  if (!std::any_of(keys.begin(), keys.end(), [&](const verify_key* k) { return signature_verifies(token_text, signing_input, *signature, *k); }))
    throw invalid_argument(kid ? fmt::format("ID token signature does not verify with key {} ({})", shown(*kid), alg_name(alg))
                               : fmt::format("ID token signature does not verify with any {} key of the set", alg_name(alg)));

  // ---- claims (OpenID Connect Core 1.0, section 3.1.3.7)
  id_token_claims out;
  out.issuer = string_claim(*claims, "iss", "issuer");
  if (out.issuer != o.issuer) throw invalid_argument(fmt::format("ID token issuer {} is not {}", shown(out.issuer), shown(o.issuer)));
  const auto aud = claims->find("aud");
  if (aud == claims->end()) throw invalid_argument("ID token has no audience (aud)");
  if (aud->is_string()) {
    if (*aud != o.audience)
      throw invalid_argument(fmt::format("ID token audience {} is not {}", shown(aud->get<std::string>()), shown(o.audience)));
  } else if (aud->is_array() && !aud->empty() && std::all_of(aud->begin(), aud->end(), [](const json& a) { return a.is_string(); })) {
    if (std::find(aud->begin(), aud->end(), json(o.audience)) == aud->end()) {
      std::string list;
      for (std::size_t i = 0; i < aud->size() && i < 5; ++i) list += (i ? ", " : "") + shown((*aud)[i].get<std::string>());
      if (aud->size() > 5) list += ", ...";
      throw invalid_argument(fmt::format("ID token audience [{}] does not include {}", list, shown(o.audience)));
    }
  } else {
    throw invalid_argument("ID token audience (aud) is not a string or a non-empty array of strings");
  }
  // azp, when present, is the party the token was issued to: it must be us.
  if (const auto azp = claims->find("azp"); azp != claims->end()) {
    if (!azp->is_string() || *azp != o.audience)
      throw invalid_argument(fmt::format("ID token authorized party (azp) {} is not {}", azp->is_string() ? shown(azp->get<std::string>()) : "(not a string)",
                                         shown(o.audience)));
  }
  const auto exp = numeric_date(*claims, "exp", "expiry");
  if (!exp) throw invalid_argument("ID token has no expiry (exp)");
  const auto iat = numeric_date(*claims, "iat", "issue time");
  if (!iat) throw invalid_argument("ID token has no issue time (iat)");
  const auto nbf = numeric_date(*claims, "nbf", "start of validity");
  const std::int64_t earliest = add_sat(now_s, -o.leeway_s), latest = add_sat(now_s, o.leeway_s);
  if (*exp <= earliest)
    throw invalid_argument(fmt::format("ID token expired at {} (now {}, leeway {} s)", utc(*exp), utc(now_s), o.leeway_s));
  if (nbf && *nbf > latest)
    throw invalid_argument(fmt::format("ID token is not valid before {} (now {}, leeway {} s)", utc(*nbf), utc(now_s), o.leeway_s));
  if (*iat > latest)
    throw invalid_argument(fmt::format("ID token was issued in the future, at {} (now {}, leeway {} s)", utc(*iat), utc(now_s), o.leeway_s));
  out.subject = string_claim(*claims, "sub", "subject");
  if (out.subject.empty()) throw invalid_argument("ID token has no subject (sub is empty)");
  if (out.subject.size() > max_subject_bytes)
    throw invalid_argument(fmt::format("ID token subject (sub) is {} bytes, longer than {}", out.subject.size(), max_subject_bytes));
  out.audience = o.audience;
  out.expires = *exp;
  out.issued_at = *iat;
  return out;
}

}  // namespace serve
DSKILL_END_NAMESPACE
