// `dskill score`: batch scoring of a response file (a thin face over score::run_batch).
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "command.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/core/seal.hpp"
#include "dskill/error.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/score/batch.hpp"
#include "dskill/score/framework_levels.hpp"
#include "dskill/score/matrix.hpp"

namespace dskill::cli {
namespace {

struct score_args {
  std::string bank, responses, format, framework, method = "eap", quadrature, out, out_format, rejects, summary;
  std::string credentials, signing_key, issuer_id, issuer_name = "dskill", identity_type = "identifier";
  std::string salt_secret, issued_at, language = "en", proof = "eddsa-rdfc-2022", valid_until, public_url;
  std::string status_purpose = "revocation";
  std::string person_ids = "auto";
  std::string profile = "auto";
  std::optional<double> prior_mean, prior_sd;  ///< empty: the bank's latent distribution
  unsigned threads = 0;
  std::size_t chunk = 1024;
  std::uint64_t shard_rows = 100000;
  std::uint64_t checkpoint_every = 200000, interrupt_after = 0;
  bool no_resume = false, progress = false, no_progress = false, no_duplicate_check = false, bundle = false;
  bool provenance_columns = false;
};

int run(const score_args& a, const std::string& command_line) {
  estimate::options eo;
  const auto m = estimate::parse_method(a.method);
  if (!m) throw invalid_argument(fmt::format("--method: unknown method '{}' (eap, map, ml or wle)", a.method));
  eo.estimator = *m;
  if (!a.quadrature.empty()) eo.grid = parse_grid(a.quadrature);

  score::batch_options o;
  o.responses = a.responses;
  o.format = io::guess_response_format(a.responses);
  if (!a.format.empty()) {
    const auto f = io::parse_response_format(a.format);
    if (!f) throw invalid_argument(fmt::format("--format: unknown format '{}' (wide, long or jsonl)", a.format));
    o.format = *f;
  }
  o.out = a.out == "-" ? std::string{} : a.out;
  o.out_format = (a.out_format == "jsonl" || (a.out_format.empty() && (o.out.ends_with(".jsonl") || o.out.ends_with(".ndjson"))))
                     ? score::output_format::jsonl
                     : score::output_format::csv;
  if (!a.out_format.empty() && a.out_format != "csv" && a.out_format != "jsonl")
    throw invalid_argument(fmt::format("--out-format: unknown format '{}' (csv or jsonl)", a.out_format));
  o.rejects = a.rejects;
  o.summary = a.summary;
  o.provenance_columns = a.provenance_columns;
  o.credentials_dir = a.credentials;
  o.credentials_bundle = a.bundle;
  o.credentials_shard_rows = a.shard_rows;
  o.credentials.issuer_id = a.issuer_id;
  o.credentials.issuer_name = a.issuer_name;
  o.credentials.identity_type = a.identity_type;
  if (!a.signing_key.empty()) o.credentials.key = score::signing_key::from_file(a.signing_key);
  // Secrets come from files or the environment, and are never written anywhere.
  if (!a.salt_secret.empty()) {
    try {
      o.salt_secret = core::secret_key::from_hex(read_trimmed(a.salt_secret)).bytes;
    } catch (const invalid_argument&) {
      throw invalid_argument("expected 32 bytes as 64 hexadecimal characters", location{.file = a.salt_secret});
    }
  } else if (const char* env = std::getenv("DSKILL_SALT_SECRET"); env && *env) {
    try {
      o.salt_secret = core::secret_key::from_hex(env).bytes;
    } catch (const invalid_argument&) {
      throw invalid_argument("DSKILL_SALT_SECRET: expected 32 bytes as 64 hexadecimal characters");
    }
  }
  const auto suite = score::parse_proof_suite(a.proof);
  if (!suite) throw invalid_argument(fmt::format("--proof: unknown cryptosuite '{}' (eddsa-rdfc-2022 or eddsa-jcs-2022)", a.proof));
  o.credentials.suite = *suite;
  o.credentials.language = a.language;
  o.credentials.valid_until = a.valid_until;
  o.credentials.public_url = a.public_url;
  o.credentials.status_purpose = a.status_purpose;
  if (a.person_ids == "auto") o.person_ids = score::person_id_mode::automatic;
  else if (a.person_ids == "pseudonym") o.person_ids = score::person_id_mode::pseudonym;
  else if (a.person_ids == "clear") o.person_ids = score::person_id_mode::clear;
  else throw invalid_argument(fmt::format("--person-ids: unknown mode '{}' (auto, pseudonym or clear)", a.person_ids));
  o.issued_at = a.issued_at;
  o.threads = a.threads;
  o.chunk_records = a.chunk;
  o.resume = !a.no_resume;
  o.check_duplicates = !a.no_duplicate_check;
  o.checkpoint_rows = a.checkpoint_every;
  o.crash_after_rows = a.interrupt_after;
  o.progress = a.progress ? 1 : a.no_progress ? 0 : -1;
  o.command = command_line;
  if (!o.credentials_dir.empty() && a.framework.empty())
    throw invalid_argument("--credentials needs --framework (its certification rules decide who is certified)");

  framework::framework_ptr fw;
  std::shared_ptr<const score::level_scheme> levels;
  bank::load_options lo;
  if (!a.framework.empty()) {
    fw = framework::load_framework(a.framework);
    levels = score::from_framework(fw, a.language);
    lo.framework = fw.get();
  }
  const auto bank = bank::load_bank(a.bank, lo);
  // The prior is the bank's latent distribution unless given (a PCM bank calibrated on
  // N(0, 1.7) scored with N(0, 1) would be far from mirt's EAPs).
  const auto bank_prior = score::default_options(*bank).prior_;
  eo.prior_.mean = a.prior_mean.value_or(bank_prior.mean);
  eo.prior_.sd = a.prior_sd.value_or(bank_prior.sd);
  // Profile banks are scored on the profile (areas from their dimensions) unless --profile off.
  if (a.profile != "auto" && a.profile != "on" && a.profile != "off")
    throw invalid_argument(fmt::format("--profile: unknown mode '{}' (auto, on or off)", a.profile));
  std::optional<estimate::profile_options> profile;
  if (a.profile == "on" && !bank->multidimensional())
    throw invalid_argument(fmt::format("--profile on: bank '{}' is unidimensional (no dimensions)", bank->info().id));
  if (a.profile != "off" && bank->multidimensional()) {
    if (eo.estimator != estimate::method::map && eo.estimator != estimate::method::eap)
      throw invalid_argument(fmt::format("--method {}: profile banks are scored on the profile by map or eap "
                                         "(--profile off scores each area alone)",
                                         a.method));
    profile = score::default_profile_options(*bank, eo.estimator);
    if (!a.quadrature.empty()) {
      profile->grid_lo = eo.grid.lo;
      profile->grid_hi = eo.grid.hi;
      profile->grid_points = eo.grid.n;
    }
  }
  const score::scorer scorer(bank, eo, levels, profile);
  // Ctrl-C (or SIGTERM) asks the run to stop after the current chunk, checkpointed.
  static std::atomic<bool> stop_requested{false};
  o.stop = &stop_requested;
  struct stop_on_signal {
    using handler = void (*)(int);
    handler old_int, old_term;
    stop_on_signal() {
      old_int = std::signal(SIGINT, [](int) { stop_requested.store(true); });
      old_term = std::signal(SIGTERM, [](int) { stop_requested.store(true); });
    }
    ~stop_on_signal() {
      std::signal(SIGINT, old_int);
      std::signal(SIGTERM, old_term);
    }
  } const on_signal;
  score::batch_summary sum;
  try {
    sum = score::run_batch(scorer, o);
  } catch (const state_error& e) {
    if (!stop_requested.load()) throw;
    fmt::print(stderr, "\ndskill score: {}\n", e.detail());
    return 130;  // 128 + SIGINT, as shells report an interrupted command
  }

  const std::string rejects_where = !o.rejects.empty() ? o.rejects : !o.out.empty() ? o.out + ".rejects.csv" : "stderr";
  fmt::print(stderr, "dskill score: {} rows read, {} persons scored, {} rejected{}{}{} ({:.2f} s)\n", sum.rows_read,
             sum.persons_scored, sum.rows_rejected, sum.rows_rejected ? fmt::format(" (see {})", rejects_where) : "",
             levels ? fmt::format(", {} certified", sum.certified) : "",
             sum.resumed ? fmt::format(", resumed after row {}", sum.resumed_from_row) : "", sum.seconds);
  for (const auto& p : sum.stream_problems) fmt::print(stderr, "dskill: {}: {}\n", o.responses, p);
  return (sum.rows_rejected || !sum.stream_problems.empty()) ? exit_bad_input : exit_ok;
}

const bool registered = register_command(
    {"score", "Score a response file (wide CSV, long CSV or JSON Lines; gzip ok): theta, SE, areas, levels, certificates",
     [](CLI::App& app) -> std::function<int()> {
       auto a = std::make_shared<score_args>();
       app.add_option("--bank", a->bank, "Item bank (YAML)")->required();
       app.add_option("--responses", a->responses, "Response file (- for standard input); .gz is read directly")->required();
       app.add_option("--format", a->format, "wide | long | jsonl (default: from the file name; wide)");
       app.add_option("--framework", a->framework, "Competency framework (YAML): areas, levels, certification");
       app.add_option("--method", a->method, "eap | map | ml | wle (default eap)");
       app.add_option("--prior-mean", a->prior_mean, "Prior mean for EAP/MAP (default: the bank's latent mean, else 0)");
       app.add_option("--prior-sd", a->prior_sd, "Prior SD for EAP/MAP (default: the bank's latent SD, else 1)");
       app.add_option("--quadrature", a->quadrature,
                      "EAP grid LO:HI:N (default -6:6:121; profile banks: per dimension, default mirt's points for "
                      "the dimension count)");
       app.add_option("--profile", a->profile,
                      "Profile banks: auto|on (areas from the multidimensional estimate, MAP or EAP with the bank's "
                      "latent prior) or off (each area scored alone); default auto");
       app.add_option("--threads", a->threads, "Worker threads (default: all cores); results do not depend on it");
       app.add_option("--out", a->out, "Scores file (default: standard output); .jsonl writes JSON Lines");
       app.add_option("--out-format", a->out_format, "csv | jsonl (default: from --out)");
       app.add_flag("--provenance-columns", a->provenance_columns,
                    "End every score row with bank_fingerprint,dskill_version (default: stated once, in the "
                    "--summary file)");
       app.add_option("--rejects", a->rejects, "Rejected rows (CSV: row,line,person_id,reason); default OUT.rejects.csv");
       app.add_option("--summary", a->summary, "Summary JSON (counts that reconcile, classification accuracy); - for standard output");
       app.add_option("--credentials", a->credentials, "Write an Open Badges 3.0 credential per certified person here");
       app.add_flag("--credentials-bundle", a->bundle,
                    "Write the credentials as gzip JSON Lines shards DIR/credentials-NNNNN.jsonl.gz (one per line, "
                    "input order) instead of one file each");
       app.add_option("--credentials-shard-rows", a->shard_rows, "Input rows per bundle shard (default 100000)")
           ->check(CLI::PositiveNumber);
       app.add_option("--signing-key", a->signing_key, "Ed25519 seed (64 hex characters) to sign credentials");
       app.add_option("--issuer-id", a->issuer_id, "Credential issuer id (default: the key's did:key)");
       app.add_option("--issuer-name", a->issuer_name, "Credential issuer name");
       app.add_option("--identity-type", a->identity_type, "Open Badges identityType of person ids (default identifier)");
       app.add_option("--salt-secret", a->salt_secret, "File with the 32-byte identity secret (hex) for salts and "
                                                       "pseudonyms (or DSKILL_SALT_SECRET; default: derived from the "
                                                       "signing key, else random for this run)");
       app.add_option("--person-ids", a->person_ids,
                      "How ids appear in scores, rejects and logs: auto (pseudonym when there is an identity "
                      "secret or signing key, else clear), pseudonym, clear");
       app.add_option("--proof", a->proof, "Cryptosuite: eddsa-rdfc-2022 (default) or eddsa-jcs-2022");
       app.add_option("--valid-until", a->valid_until, "validUntil of credentials (ISO 8601 UTC; default: no expiry)");
       app.add_option("--public-url", a->public_url, "URL where DIR/public is published: status lists (dskill revoke) "
                                                     "and the full achievements, which credentials then refer to");
       app.add_option("--status-purpose", a->status_purpose,
                      "With --public-url: revocation (final, default) or suspension (reversible with revoke --undo)");
       app.add_option("--language", a->language, "Language of names in credentials (default en)");
       app.add_flag("--no-resume", a->no_resume, "Ignore and do not write a checkpoint");
       app.add_flag("--no-duplicate-check", a->no_duplicate_check,
                    "Do not reject repeated person ids (memory then stays flat; for ids unique by construction)");
       app.add_option("--checkpoint-every", a->checkpoint_every, "Rows between checkpoints (default 200000; also every 10 s)");
       app.add_flag("--progress", a->progress, "Show progress on stderr even when it is not a terminal");
       app.add_flag("--no-progress", a->no_progress, "Never show progress");
       app.add_option("--chunk", a->chunk, "Rows per pipeline chunk (default 1024)")->group("");
       app.add_option("--issued-at", a->issued_at, "validFrom of credentials (default now)")->group("");
       app.add_option("--debug-interrupt-after", a->interrupt_after, "Test hook: stop after N rows")->group("");
       return [a, &app] {
         std::string line = "dskill score";
         for (const auto* opt : app.get_options())
           if (opt->count() > 0 && opt->get_name() != "--help") {
             line += " " + opt->get_name();
             for (const auto& r : opt->results()) line += " " + r;
           }
         return run(*a, line);
       };
     }});

}  // namespace
}  // namespace dskill::cli
