// Verification of dskill's (and anyone's) eddsa Data Integrity credentials: proofs, issuer
// keys (did:key, did:web from a local DID document), validity dates and Bitstring Status List
// entries. No network: DID documents and status lists come from the caller.
#include <ctime>

#include <fmt/format.h>
#include <sodium.h>

#include "data_integrity.hpp"
#include "dskill/error.hpp"
#include "dskill/io/json_limits.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/status_list.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

using detail::json;

namespace {

// Seconds since the epoch of an XML Schema dateTime with a time zone ("2026-12-01T08:00:00Z",
// fractions and +hh:mm offsets allowed); nothing when malformed.
std::optional<std::int64_t> parse_instant(std::string_view s) {
  auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  const auto Y = digits(0, 4), M = digits(5, 2), D = digits(8, 2), h = digits(11, 2), m = digits(14, 2), sec = digits(17, 2);
  if (!Y || !M || !D || !h || !m || !sec || *M < 1 || *M > 12 || *D < 1 || *D > 31 || *h > 23 || *m > 59 || *sec > 60)
    return std::nullopt;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  int offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const auto oh = digits(i + 1, 2), om = digits(i + 4, 2);
    if (!oh || !om || i + 3 >= s.size() || s[i + 3] != ':') return std::nullopt;
    offset = (s[i] == '-' ? -1 : 1) * (*oh * 3600 + *om * 60);
    i += 6;
  } else {
    return std::nullopt;  // a validity date needs a time zone
  }
  if (i != s.size()) return std::nullopt;
  std::tm t{};
  t.tm_year = *Y - 1900;
  t.tm_mon = *M - 1;
  t.tm_mday = *D;
  t.tm_hour = *h;
  t.tm_min = *m;
  t.tm_sec = *sec;
  return static_cast<std::int64_t>(timegm(&t)) - offset;
}

std::string issuer_id_of(const json& doc) {
  if (!doc.contains("issuer")) return {};
  const json& i = doc["issuer"];
  if (i.is_string()) return i.get<std::string>();
  if (i.is_object() && i.contains("id") && i["id"].is_string()) return i["id"].get<std::string>();
  return {};
}

// The public key of a verification method of `issuer`, or the reason there is none.
std::string resolve_key(const std::string& issuer, const std::string& vm, const verify_options& o,
                        std::array<unsigned char, 32>& key) {
  if (!vm.starts_with(issuer + "#")) return fmt::format("verificationMethod '{}' is not a key of the issuer '{}'", vm, issuer);
  const std::string fragment = vm.substr(issuer.size() + 1);
  if (issuer.starts_with("did:key:")) {
    if (fragment != issuer.substr(8)) return "a did:key verification method must be the DID's own key";
    const auto pk = signing_key::public_key_of(fragment);
    if (!pk) return "the did:key is not an Ed25519 Multikey";
    key = *pk;
    return {};
  }
  if (!issuer.starts_with("did:web:")) return fmt::format("the issuer '{}' is not a DID (did:key or did:web)", issuer);
  for (const auto& text : o.did_documents) {
    if (io::json_too_deep_at(text)) continue;
    const json d = json::parse(text, nullptr, false);
    if (!d.is_object() || d.value("id", "") != issuer) continue;
    auto is_vm = [&](const json& id) {
      return id.is_string() && (id.get<std::string>() == vm || id.get<std::string>() == "#" + fragment);
    };
    bool asserting = false;
    if (d.contains("assertionMethod") && d["assertionMethod"].is_array())
      for (const auto& a : d["assertionMethod"])
        if (is_vm(a) || (a.is_object() && a.contains("id") && is_vm(a["id"]))) asserting = true;
    if (!asserting) return fmt::format("the DID document of {} does not list {} for assertionMethod (retired key?)", issuer, vm);
    const json* methods = d.contains("verificationMethod") && d["verificationMethod"].is_array() ? &d["verificationMethod"] : nullptr;
    json embedded = json::array();
    if (d.contains("assertionMethod") && d["assertionMethod"].is_array())
      for (const auto& a : d["assertionMethod"])
        if (a.is_object()) embedded.push_back(a);
    for (const json* list : std::initializer_list<const json*>{methods, &embedded}) {
      if (!list) continue;
      for (const auto& m : *list)
        if (m.is_object() && m.contains("id") && is_vm(m["id"])) {
          const auto pk = signing_key::public_key_of(m.value("publicKeyMultibase", ""));
          if (!pk) return fmt::format("{} has no Ed25519 publicKeyMultibase", vm);
          key = *pk;
          return {};
        }
    }
    return fmt::format("the DID document of {} has no verification method {}", issuer, vm);
  }
  // No document, but the caller pinned this very key (the issuer checking its own list, say).
  if (o.public_key) {
    signing_key pinned;
    pinned.public_key = *o.public_key;
    if (fragment == pinned.multikey()) {
      key = *o.public_key;
      return {};
    }
  }
  return fmt::format("no DID document for {} (give it with --did-document; dskill does no network)", issuer);
}

std::string check_dates(const json& doc, std::int64_t now) {
  for (const char* field : {"validFrom", "validUntil"}) {
    if (!doc.contains(field)) continue;
    if (!doc[field].is_string()) return fmt::format("{} is not a date-time", field);
    const auto t = parse_instant(doc[field].get<std::string>());
    if (!t) return fmt::format("{} '{}' is not a date-time with a time zone", field, doc[field].get<std::string>());
    if (std::string_view(field) == "validFrom" && now < *t) return fmt::format("not yet valid (validFrom {})", doc[field].get<std::string>());
    if (std::string_view(field) == "validUntil" && now > *t) return fmt::format("expired (validUntil {})", doc[field].get<std::string>());
  }
  return {};
}

verify_result verify_parsed(const json& doc_in, const verify_options& o, int depth);

std::string check_status(const json& doc, const std::string& issuer, const verify_options& o, verify_result& res, int depth) {
  if (!doc.contains("credentialStatus")) return {};
  const json& cs = doc["credentialStatus"];
  const json entries = cs.is_array() ? cs : json::array({cs});
  for (const auto& e : entries) {
    if (!e.is_object()) return "a credentialStatus entry is not an object";
    if (e.value("type", "") != "BitstringStatusListEntry") {
      res.warnings.push_back(fmt::format("status of type '{}' not checked", e.value("type", "")));
      continue;
    }
    const std::string purpose = e.value("statusPurpose", ""), list_id = e.value("statusListCredential", "");
    const std::string index_text = e.value("statusListIndex", "");
    std::uint64_t index = 0;
    if (index_text.empty() || index_text.size() > 12 || index_text.find_first_not_of("0123456789") != std::string::npos)
      return fmt::format("statusListIndex '{}' is not a number", index_text);
    index = std::stoull(index_text);
    const std::string* found = nullptr;
    std::optional<status_list> list;
    for (const auto& text : o.status_lists) {
      try {
        auto l = read_status_list(text);
        if (l.id == list_id) {
          found = &text;
          list = std::move(l);
          break;
        }
      } catch (const dskill::error&) {
      }
    }
    if (!found) {
      const std::string msg = fmt::format("{} status not checked: no status list {} given", purpose, list_id);
      if (o.require_status) return msg;
      res.warnings.push_back(msg);
      continue;
    }
    verify_options lo;
    lo.did_documents = o.did_documents;
    lo.public_key = o.public_key;
    lo.issuer = issuer;
    lo.now = o.now;
    const auto lr = verify_parsed(json::parse(*found), lo, depth + 1);
    if (!lr.valid()) return fmt::format("the status list {} does not verify: {}", list_id, lr.error);
    if (list->purpose != purpose) return fmt::format("the status list {} is for {}, not {}", list_id, list->purpose, purpose);
    if (index >= list->size()) return fmt::format("statusListIndex {} is outside the status list ({} entries)", index, list->size());
    if (list->get(index)) return fmt::format("{} (status list {}, index {})", purpose == "revocation" ? "revoked" : purpose == "suspension" ? "suspended" : purpose, list_id, index);
  }
  return {};
}

verify_result verify_parsed(const json& doc_in, const verify_options& o, int depth) {
  verify_result res;
  if (depth > 1) {
    res.error = "a status list points at another status list";
    return res;
  }
  if (!doc_in.is_object()) {
    res.error = "not a credential (not a JSON object)";
    return res;
  }
  json doc = doc_in;
  const json& ctx = doc.contains("@context") ? doc["@context"] : json();
  if (!ctx.is_array() || ctx.empty() || ctx[0] != "https://www.w3.org/ns/credentials/v2") {
    res.error = "not a Verifiable Credential 2.0 (@context must start with https://www.w3.org/ns/credentials/v2)";
    return res;
  }
  res.issuer = issuer_id_of(doc);
  if (res.issuer.empty()) {
    res.error = "no issuer";
    return res;
  }
  if (!o.issuer.empty() && res.issuer != o.issuer) {
    res.error = fmt::format("issued by {}, not by {}", res.issuer, o.issuer);
    return res;
  }
  if (!doc.contains("proof")) {
    res.error = "no proof (the credential is not signed)";
    return res;
  }
  const json proofs = doc["proof"].is_array() ? doc["proof"] : json::array({doc["proof"]});
  doc.erase("proof");
  if (proofs.empty()) {
    res.error = "no proof (the credential is not signed)";
    return res;
  }
  for (const auto& p : proofs) {
    if (!p.is_object() || !p.contains("verificationMethod") || !p["verificationMethod"].is_string()) {
      res.error = "a proof has no verificationMethod";
      return res;
    }
    res.verification_method = p["verificationMethod"].get<std::string>();
    res.cryptosuite = p.value("cryptosuite", "");
    std::array<unsigned char, 32> key{};
    if (auto why = resolve_key(res.issuer, res.verification_method, o, key); !why.empty()) {
      res.error = why;
      return res;
    }
    if (o.public_key && key != *o.public_key) {
      res.error = "verificationMethod is not the expected key";
      return res;
    }
    if (auto why = detail::check_proof(doc, p, key); !why.empty()) {
      res.error = why;
      return res;
    }
  }
  const std::int64_t now = o.now.empty() ? static_cast<std::int64_t>(std::time(nullptr)) : parse_instant(o.now).value_or(-1);
  if (now < 0) {
    res.error = fmt::format("'{}' is not a date-time with a time zone", o.now);
    return res;
  }
  if (auto why = check_dates(doc, now); !why.empty()) {
    res.error = why;
    return res;
  }
  if (auto why = check_status(doc, res.issuer, o, res, depth); !why.empty()) res.error = why;
  return res;
}

}  // namespace

verify_result verify_credential(std::string_view json_text, const verify_options& o) {
  if (sodium_init() < 0) return {.error = "libsodium failed to initialise"};
  if (const auto at = io::json_too_deep_at(json_text))
    return {.error = fmt::format("not a credential: JSON nested deeper than {} levels at byte {}", io::max_json_depth, at)};
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return {.error = "not JSON"};
  try {
    return verify_parsed(doc, o, 0);
  } catch (const std::exception& e) {  // a member of the wrong type, say "type": 1
    return {.error = fmt::format("malformed credential: {}", e.what())};
  }
}

std::string verify_credential(std::string_view json_text, const std::array<unsigned char, 32>& public_key) {
  verify_options o;
  o.public_key = public_key;
  return verify_credential(json_text, o).error;
}

}  // namespace score
DSKILL_END_NAMESPACE
