// `dskill verify`, `dskill revoke` and `dskill did-web`: checking credentials as a stranger
// would, revoking or suspending them in their status lists, and publishing a did:web issuer.
#include <filesystem>

#include <fmt/format.h>

#include "command.hpp"
#include "dskill/core/seal.hpp"
#include "dskill/core/time.hpp"
#include "dskill/error.hpp"
#include "dskill/io/atomic_file.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/status_list.hpp"

namespace dskill::cli {
namespace {

std::string read_text(const std::string& path, std::string_view what) {
  try {
    return io::read_file_text(path);
  } catch (const io_error&) {
    throw io_error(fmt::format("cannot open {}", what), location{.file = path});
  }
}

std::array<unsigned char, 32> public_key_hex(const std::string& text) {
  try {
    return core::secret_key::from_hex(text).bytes;  // the same 64-hex parser; a public key is not secret
  } catch (const invalid_argument&) {
    throw invalid_argument(fmt::format("--public-key: expected 64 hexadecimal characters, got '{}'", text));
  }
}

// ---- verify ---------------------------------------------------------------------------------

struct verify_args {
  std::vector<std::string> files, did_documents, status_lists, status_dirs;
  std::string public_key, key_file, issuer, at;
  bool require_status = false, quiet = false;
};

int run_verify(const verify_args& a) {
  score::verify_options o;
  for (const auto& f : a.did_documents) o.did_documents.push_back(read_text(f, "DID document"));
  for (const auto& f : a.status_lists) o.status_lists.push_back(read_text(f, "status list"));
  for (const auto& d : a.status_dirs) {
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && it->path().extension() == ".json")
        o.status_lists.push_back(read_text(it->path().string(), "status list"));
    if (ec) throw io_error(fmt::format("cannot read the status list folder: {}", ec.message()), location{.file = d});
  }
  if (!a.public_key.empty()) o.public_key = public_key_hex(a.public_key);
  if (!a.key_file.empty()) o.public_key = score::signing_key::from_file(a.key_file).public_key;
  o.issuer = a.issuer;
  o.now = a.at;
  o.require_status = a.require_status;
  std::size_t valid = 0, invalid = 0;
  for (const auto& file : a.files) {
    const std::string text = read_text(file, "credential file");
    // A .json file holds one credential; anything else (a bundle, .jsonl, .gz) one per line.
    const bool one = file.ends_with(".json");
    std::size_t line = 0, start = 0;
    while (start < text.size()) {
      std::size_t end = one ? text.size() : text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string_view item(text.data() + start, end - start);
      ++line;
      start = end + 1;
      if (item.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
      const auto r = score::verify_credential(item, o);
      const std::string where = one ? file : fmt::format("{}:{}", file, line);
      if (r.valid()) {
        ++valid;
        if (!a.quiet) write_stdout(fmt::format("{}: valid ({}, {})\n", where, r.issuer, r.cryptosuite));
      } else {
        ++invalid;
        write_stdout(fmt::format("{}: INVALID: {}\n", where, r.error));
      }
      for (const auto& w : r.warnings) fmt::print(stderr, "dskill verify: {}: {}\n", where, w);
    }
  }
  fmt::print(stderr, "dskill verify: {} valid, {} invalid\n", valid, invalid);
  return invalid || valid == 0 ? exit_bad_input : exit_ok;
}

const bool verify_registered = register_command(
    {"verify", "Verify credentials: Data Integrity proof (eddsa-rdfc-2022, eddsa-jcs-2022), issuer key, dates, status",
     [](CLI::App& app) -> std::function<int()> {
       auto a = std::make_shared<verify_args>();
       app.add_option("credentials", a->files, "Credential files (.json: one; .jsonl or .gz bundles: one per line)")
           ->required();
       app.add_option("--did-document", a->did_documents, "DID document (did.json) of a did:web issuer; repeatable");
       app.add_option("--status-list", a->status_lists, "Status list credential file; repeatable");
       app.add_option("--status-dir", a->status_dirs, "Folder of status list credentials (a run's DIR/status)");
       app.add_option("--public-key", a->public_key, "Require this Ed25519 public key (64 hex characters)");
       app.add_option("--signing-key", a->key_file, "Require the public key of this seed file");
       app.add_option("--issuer", a->issuer, "Require this issuer DID");
       app.add_option("--at", a->at, "Check validity at this instant (ISO 8601; default now)");
       app.add_flag("--require-status", a->require_status, "Invalid when a status entry's list is not given");
       app.add_flag("--quiet", a->quiet, "Print only invalid credentials");
       return [a] { return run_verify(*a); };
     }});

// ---- revoke ---------------------------------------------------------------------------------

struct revoke_args {
  std::string list, credential, key, issuer_id, proof = "eddsa-rdfc-2022", at;
  std::vector<std::uint64_t> indices;
  bool undo = false;
};

int run_revoke(const revoke_args& a) {
  const auto key = score::signing_key::from_file(a.key);
  const std::string text = read_text(a.list, "status list");
  auto list = score::read_status_list(text);
  // Only the list's own issuer may change it: its current proof must be this key's.
  score::verify_options vo;
  vo.public_key = key.public_key;
  vo.now = a.at;
  const auto vr = score::verify_credential(text, vo);
  if (!vr.valid()) throw invalid_argument(fmt::format("the status list does not verify with this key: {}", vr.error),
                                          location{.file = a.list});
  std::vector<std::uint64_t> indices = a.indices;
  if (!a.credential.empty()) {
    const auto cred = nlohmann::json::parse(read_text(a.credential, "credential"), nullptr, false);
    const auto& cs = cred.is_object() && cred.contains("credentialStatus") ? cred["credentialStatus"] : nlohmann::json();
    const auto entries = cs.is_array() ? cs : nlohmann::json::array({cs});
    bool found = false;
    for (const auto& e : entries)
      if (e.is_object() && e.value("statusListCredential", "") == list.id && e.value("statusPurpose", "") == list.purpose) {
        indices.push_back(std::stoull(e.value("statusListIndex", "0")));
        found = true;
      }
    if (!found)
      throw invalid_argument(fmt::format("the credential has no {} entry in the list {}", list.purpose, list.id),
                             location{.file = a.credential});
  }
  if (indices.empty()) throw invalid_argument("give --index or --credential: which credentials to change");
  // Bitstring Status List: a revocation cannot be reversed; a suspension can.
  if (a.undo && list.purpose == "revocation")
    throw invalid_argument("a revocation is final and cannot be undone; issue with --status-purpose suspension for "
                           "reversible holds", location{.file = a.list});
  for (auto i : indices) list.set(i, !a.undo);
  score::credential_options issuer;
  issuer.key = key;
  issuer.issuer_id = a.issuer_id.empty() ? vr.issuer : a.issuer_id;
  const auto suite = score::parse_proof_suite(a.proof);
  if (!suite) throw invalid_argument(fmt::format("--proof: unknown cryptosuite '{}'", a.proof));
  issuer.suite = *suite;
  const std::string now = a.at.empty() ? core::utc_timestamp() : a.at;
  io::write_file_atomically(a.list, score::status_list_credential(list, issuer, now) + "\n");
  fmt::print(stderr, "dskill revoke: {} {} {} in {} (publish the file again)\n", indices.size(),
             indices.size() == 1 ? "entry" : "entries", a.undo ? "cleared" : "set", a.list);
  return exit_ok;
}

const bool revoke_registered = register_command(
    {"revoke", "Revoke or suspend credentials (or undo it) in their Bitstring Status List, signed again",
     [](CLI::App& app) -> std::function<int()> {
       auto a = std::make_shared<revoke_args>();
       app.add_option("--list", a->list, "Status list credential file (DIR/status/<purpose>/<n>.json)")->required();
       app.add_option("--credential", a->credential, "A credential whose entry in this list to set");
       app.add_option("--index", a->indices, "statusListIndex to set; repeatable");
       app.add_option("--signing-key", a->key, "The issuer's Ed25519 seed file (the list's signer)")->required();
       app.add_option("--issuer-id", a->issuer_id, "Issuer DID (default: the list's)");
       app.add_option("--proof", a->proof, "Cryptosuite of the new proof (default eddsa-rdfc-2022)");
       app.add_option("--at", a->at, "validFrom of the new list (default now)")->group("");
       app.add_flag("--undo", a->undo, "Clear the bits instead: lift a suspension (revocations are final)");
       return [a] { return run_revoke(*a); };
     }});

// ---- did-web --------------------------------------------------------------------------------

struct did_web_args {
  std::string did, out;
  std::vector<std::string> keys, public_keys;
};

int run_did_web(const did_web_args& a) {
  std::vector<std::array<unsigned char, 32>> pks;
  for (const auto& k : a.keys) pks.push_back(score::signing_key::from_file(k).public_key);
  for (const auto& k : a.public_keys) pks.push_back(public_key_hex(k));
  if (pks.empty()) throw invalid_argument("give at least one --signing-key or --public-key");
  const std::string doc = score::did_web_document(a.did, pks) + "\n";
  if (a.out.empty() || a.out == "-") write_stdout(doc);
  else io::write_file_atomically(a.out, doc);
  return exit_ok;
}

const bool did_web_registered = register_command(
    {"did-web", "Write the DID document (did.json) of a did:web issuer: current and retired keys",
     [](CLI::App& app) -> std::function<int()> {
       auto a = std::make_shared<did_web_args>();
       app.add_option("--did", a->did, "The issuer's DID, e.g. did:web:certs.example.vn")->required();
       app.add_option("--signing-key", a->keys, "Seed file of a key (current first, then retired ones); repeatable");
       app.add_option("--public-key", a->public_keys, "Public key (64 hex) of a retired key; repeatable");
       app.add_option("--out", a->out, "Output file (default standard output); publish at https://<host>/.well-known/did.json");
       return [a] { return run_did_web(*a); };
     }});

}  // namespace
}  // namespace dskill::cli
