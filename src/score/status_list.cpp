#include "dskill/score/status_list.hpp"
#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <sodium.h>
#include <zlib.h>

#include "data_integrity.hpp"
#include "dskill/error.hpp"
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
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw error(errc::internal, "zlib: deflateInit2 failed");
  std::vector<unsigned char> gz(deflateBound(&z, static_cast<uLong>(bits.size())) + 32);
  z.next_in = const_cast<Bytef*>(bits.data());
  z.avail_in = static_cast<uInt>(bits.size());
  z.next_out = gz.data();
  z.avail_out = static_cast<uInt>(gz.size());
  const int rc = deflate(&z, Z_FINISH);
  const std::size_t n = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw error(errc::internal, "zlib: deflate failed");
  std::string b64(sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(b64.data(), b64.size(), gz.data(), n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  b64.resize(std::strlen(b64.c_str()));
  return "u" + b64;
}

std::vector<std::uint8_t> decode_status_bits(std::string_view encoded) {
  if (encoded.empty() || encoded[0] != 'u') throw parse_error("encodedList must be multibase base64url (start with 'u')");
  encoded.remove_prefix(1);
  std::vector<unsigned char> gz(encoded.size());
  std::size_t n = 0;
  if (sodium_base642bin(gz.data(), gz.size(), encoded.data(), encoded.size(), nullptr, &n, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    throw parse_error("encodedList is not base64url without padding");
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw error(errc::internal, "zlib: inflateInit2 failed");
  std::vector<std::uint8_t> out;
  std::array<unsigned char, 16384> buf{};
  z.next_in = gz.data();
  z.avail_in = static_cast<uInt>(n);
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = buf.data();
    z.avail_out = buf.size();
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw parse_error("encodedList is not a GZIP stream");
    }
    out.insert(out.end(), buf.data(), buf.data() + (buf.size() - z.avail_out));
    if (out.size() > max_list_bytes) {
      inflateEnd(&z);
      throw parse_error("encodedList expands to more than 16 MB");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      throw parse_error("encodedList: the GZIP stream is cut short");
    }
  }
  inflateEnd(&z);
  return out;
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
