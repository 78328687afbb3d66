// Internal to dskill::score: W3C Data Integrity with the EdDSA cryptosuites (vc-di-eddsa):
// canonical forms, the hash data, signing and checking one proof. Shared by credentials and
// status list credentials.
//
// hashData = SHA-256(canonical proof configuration) || SHA-256(canonical unsecured document),
// signed with Ed25519. The proof configuration is the proof without proofValue, with the
// document's @context. eddsa-rdfc-2022 canonicalises with RDFC-1.0 over the JSON-LD (ld layer,
// shipped contexts only); eddsa-jcs-2022 with RFC 8785, and its written proof carries the
// @context too ("Create Proof", step 2), which verification puts back on the document.
#pragma once
#include <array>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "dskill/score/credential.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

using json = nlohmann::json;
using digest = std::array<unsigned char, 32>;

std::string to_hex(std::span<const unsigned char> bytes);
digest sha256(std::string_view text);
/// RFC 8785 of a document whose numbers are all integers (throws parse_error otherwise).
std::string jcs(const json& j);
/// Base58btc decoding; nothing when a character is outside the alphabet or the text is longer than max_chars.
std::optional<std::vector<unsigned char>> base58_decode(std::string_view text, std::size_t max_chars);

/// SHA-256 of the canonical form of a JSON-LD document under a suite (JCS: its canonical text;
/// RDFC: the canonical N-Quads of the JSON-LD).
digest canonical_hash(proof_suite suite, const json& doc);
/// The same for a document given as its JCS text already (the credential fast path).
digest canonical_hash_of_jcs_text(proof_suite suite, std::string_view jcs_text);

/// The proof object (without proofValue) for these options.
json proof_skeleton(const signing_key& key, const proof_options& o);
/// The proof configuration hashed for a skeleton: with the document's @context.
digest proof_config_hash(proof_suite suite, json skeleton, const json& context);
/// The proofValue: "z" + base58btc of the Ed25519 signature of config_hash || document_hash.
std::string proof_value(const signing_key& key, const digest& config_hash, const digest& document_hash);
/// The written proof without its value: the skeleton (and @context for JCS), as canonical JSON
/// cut where proofValue's text goes: proof = first + proof_value + second.
std::pair<std::string, std::string> proof_text_around_value(json skeleton, const json& context);
/// Signs hashData and returns the finished proof (skeleton + proofValue, and @context for JCS).
json finish_proof(const signing_key& key, json skeleton, const json& context, const digest& config_hash,
                  const digest& document_hash);

/// Checks one proof of a secured document (`unsecured`: the document without "proof"). Returns
/// an empty string when the signature holds under `public_key`, else the reason.
std::string check_proof(const json& unsecured, const json& proof, const std::array<unsigned char, 32>& public_key);

}  // namespace score::detail
DSKILL_END_NAMESPACE
