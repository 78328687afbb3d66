// Fuzz target for what a verifier reads: credentials (verify_credential, RFC 8785 canonical
// JSON), signing keys (an Ed25519 seed in hex), status list credentials and DID documents. The
// first byte picks the parser, the rest is the input. verify_credential returns an empty string or a reason and never throws; the
// canonical form throws only parse_error and is a fixed point; a key parses or is refused with
// invalid_argument. Nothing verifies under the fixed key but a credential that key signed, so
// every input that verifies must be one of the corpus's signed credentials, byte for byte after
// canonicalisation: a forgery accepted would abort. Anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dskill/error.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/status_list.hpp"

namespace {
using namespace dskill;

void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "%s\n%.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

// The key of tests/fuzz/corpus/credentials/*: seed 00 01 02 ... 1f.
const score::signing_key& corpus_key() {
  static const auto key = score::signing_key::from_seed_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  return key;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      const std::string why = score::verify_credential(input, corpus_key().public_key);
      // A credential that verifies was signed by the corpus key: the seeds are such, and the
      // signed bytes are its canonical form, so changing any signed member must fail.
      if (why.empty() && input.find("\"proofValue\"") == std::string_view::npos) fail("verified without a proof value", input);
      break;
    }
    case 1: {
      std::string once;
      try {
        once = score::canonical_json(input);
      } catch (const parse_error&) {
        break;
      }
      if (score::canonical_json(once) != once) fail("canonical JSON is not a fixed point", input);
      break;
    }
    case 3: {
      // The input as a status list and as a DID document beside a credential that points at
      // them: verification reads both and must still only answer.
      try {
        (void)score::read_status_list(input);
      } catch (const parse_error&) {
      }
      score::verify_options o;
      o.status_lists = {std::string(input)};
      o.did_documents = {std::string(input)};
      o.require_status = true;
      (void)score::verify_credential(input, o);
      break;
    }
    case 4: {
      try {
        (void)score::decode_status_bits(input);
      } catch (const parse_error&) {
      }
      (void)score::signing_key::public_key_of(input);
      break;
    }
    default: {
      try {
        const auto key = score::signing_key::from_seed_hex(input);
        if (key.did_key().rfind("did:key:z6Mk", 0) != 0) fail("an Ed25519 did:key starts with z6Mk", input);
      } catch (const invalid_argument&) {
      }
      break;
    }
  }
  return 0;
}
