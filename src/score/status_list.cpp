#include "dskill/score/status_list.hpp"
#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <sodium.h>

#include "data_integrity.hpp"
#include "dskill/error.hpp"
#include "dskill/io/gzip.hpp"
#include "dskill/io/json_limits.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

using detail::json;

namespace {
// A hostile list cannot make us inflate more than this (16 MB: 134 million entries).
constexpr std::size_t max_list_bytes = std::size_t{16} << 20;
}  // namespace

status_position status_position_of(std::string_view public_url, std::string_view purpose, std::uint64_t row) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return {fmt::format("{}/status/{}/{}.json", base, purpose, row / status_list_bits), row % status_list_bits};
}

bool status_list::get(std::uint64_t index) const {
  if (index >= size()) throw invalid_argument(fmt::format("status index {} is outside the list ({} entries)", index, size()));
  return (bits[index / 8] >> (7 - index % 8)) & 1;
}

void status_list::set(std::uint64_t index, bool value) {
  if (index >= size()) throw invalid_argument(fmt::format("status index {} is outside the list ({} entries)", index, size()));
  const auto mask = static_cast<std::uint8_t>(1u << (7 - index % 8));
  bits[index / 8] = static_cast<std::uint8_t>(value ? (bits[index / 8] | mask) : (bits[index / 8] & ~mask));
}

status_list make_status_list(std::string id, std::string purpose) {
  return {std::move(id), std::move(purpose), std::vector<std::uint8_t>(status_list_bits / 8, 0)};
}

std::string encode_status_bits(const std::vector<std::uint8_t>& bits) {
  std::string gz;
  io::append_gzip(gz, std::string_view(reinterpret_cast<const char*>(bits.data()), bits.size()), 9);
  std::string b64(sodium_base64_encoded_len(gz.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(gz.data()), gz.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  b64.resize(std::strlen(b64.c_str()));
  return "u" + b64;
}

std::vector<std::uint8_t> decode_status_bits(std::string_view encoded) {
  if (encoded.empty() || encoded[0] != 'u') throw parse_error("encodedList must be multibase base64url (start with 'u')");
  encoded.remove_prefix(1);
  std::string gz(encoded.size(), '\0');
  std::size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(gz.data()), gz.size(), encoded.data(), encoded.size(), nullptr, &n,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    throw parse_error("encodedList is not base64url without padding");
  gz.resize(n);
  std::string bits;
  try {
    bits = io::gunzip(gz, max_list_bytes);
  } catch (const parse_error& e) {
    throw parse_error(fmt::format("encodedList: {}", e.detail()));
  }
  return {bits.begin(), bits.end()};
}

std::string status_list_credential(const status_list& list, const credential_options& issuer, std::string_view valid_from) {
  if (!issuer.key) throw invalid_argument("a status list credential needs a signing key");
  const std::string issuer_id = issuer.issuer_id.empty() ? issuer.key->did_key() : issuer.issuer_id;
  const json doc = {{"@context", json::array({"https://www.w3.org/ns/credentials/v2"})},
                    {"id", list.id},
                    {"type", json::array({"VerifiableCredential", "BitstringStatusListCredential"})},
                    {"issuer", issuer_id},
                    {"validFrom", std::string(valid_from)},
                    {"credentialSubject",
                     {{"id", list.id + "#list"},
                      {"type", "BitstringStatusList"},
                      {"statusPurpose", list.purpose},
                      {"encodedList", encode_status_bits(list.bits)}}}};
  return add_proof(detail::jcs(doc), *issuer.key,
                   {.suite = issuer.suite,
                    .created = std::string(valid_from),
                    .verification_method = issuer_id + "#" + issuer.key->multikey()});
}

status_list read_status_list(std::string_view json_text) {
  if (io::json_too_deep_at(json_text)) throw parse_error("status list: JSON nested too deep");
  const json doc = json::parse(json_text, nullptr, false);
  if (!doc.is_object()) throw parse_error("status list: not a JSON object");
  const json& types = doc.contains("type") ? doc["type"] : json();
  const bool typed = types.is_array() && std::find(types.begin(), types.end(), "BitstringStatusListCredential") != types.end();
  if (!typed) throw parse_error("not a BitstringStatusListCredential");
  if (!doc.contains("id") || !doc["id"].is_string()) throw parse_error("status list: no id");
  const json& s = doc.contains("credentialSubject") ? doc["credentialSubject"] : json();
  if (!s.is_object() || s.value("type", "") != "BitstringStatusList" || !s.contains("encodedList") ||
      !s["encodedList"].is_string() || !s.contains("statusPurpose") || !s["statusPurpose"].is_string())
    throw parse_error("status list: credentialSubject is not a BitstringStatusList with statusPurpose and encodedList");
  return {doc["id"].get<std::string>(), s["statusPurpose"].get<std::string>(),
          decode_status_bits(s["encodedList"].get<std::string>())};
}

}  // namespace score
DSKILL_END_NAMESPACE
