// Fuzz target for the OIDC ID token verifier (serve::oidc_verifier). The first byte picks the
// input: an ID token checked against a fixed key set (one Ed25519 key from the seed 00 01 ...
// 1f, one P-256 key), or a JSON Web Key Set to load. A token is accepted or refused with
// invalid_argument; a key set loads or is refused with invalid_argument. Anything else (another
// exception, a crash, a sanitizer report) is a bug. Nothing can be forged without the seed, so
// an accepted token must carry a valid Ed25519 signature by that key: checked again here.
#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <unistd.h>

#include "dskill/error.hpp"
#include "dskill/serve/oidc.hpp"

namespace {
using namespace dskill;

std::string b64url(const unsigned char* p, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);
  return out;
}

std::string temp_path(const char* name) { return std::string("/tmp/dskill_fuzz_id_token_") + std::to_string(getpid()) + name; }

std::array<unsigned char, 32> public_key;

const serve::oidc_verifier& verifier() {
  static const auto v = [] {
    if (sodium_init() < 0) std::abort();
    unsigned char seed[32], secret[64];
    for (int i = 0; i < 32; ++i) seed[i] = static_cast<unsigned char>(i);
    crypto_sign_seed_keypair(public_key.data(), secret, seed);
    const std::string path = temp_path("_keys.json");
    std::ofstream(path) << R"({"keys":[{"kty":"OKP","crv":"Ed25519","use":"sig","kid":"fuzz","x":")" << b64url(public_key.data(), 32)
                        << R"("},{"kty":"EC","crv":"P-256","use":"sig","kid":"ec","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}]})";
    auto made = std::make_unique<serve::oidc_verifier>(serve::oidc_options{"https://issuer.example", "client", path});
    std::remove(path.c_str());
    return made;
  }();
  return *v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    try {
      (void)verifier().verify(input, 1796300000);
    } catch (const invalid_argument&) {
      return 0;
    }
    // Accepted: the signature must be the seed key's over header.payload.
    const auto dot = input.rfind('.');
    unsigned char sig[64];
    std::size_t len = 0;
    if (dot == std::string_view::npos ||
        sodium_base642bin(sig, sizeof sig, input.data() + dot + 1, input.size() - dot - 1, nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != 64 ||
        crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(input.data()), dot, public_key.data()) != 0) {
      std::fprintf(stderr, "accepted a token the fixed key did not sign\n");
      std::abort();
    }
  } else {
    const std::string path = temp_path("_input.json");
    std::ofstream(path, std::ios::binary) << input;
    try {
      serve::oidc_verifier v(serve::oidc_options{"https://issuer.example", "client", path});
      if (v.key_ids().size() > 100) std::abort();
    } catch (const invalid_argument&) {
    } catch (const io_error&) {
    }
    std::remove(path.c_str());
  }
  return 0;
}
