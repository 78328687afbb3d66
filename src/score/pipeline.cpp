// run_batch: the oneTBB pipeline that wires the reader, the duplicate check, the scorer, the
// writers and the checkpoint together (see batch.hpp for what a run guarantees).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <sodium.h>

#include "checkpoint.hpp"
#include "dskill/core/time.hpp"
#include "dskill/error.hpp"
#include "dskill/io/atomic_file.hpp"
#include "dskill/io/file_text.hpp"
#include "dskill/io/gzip.hpp"
#include "dskill/io/output_file.hpp"
#include "dskill/score/batch.hpp"
#include "dskill/score/status_list.hpp"
#include "person_set.hpp"
#include "progress.hpp"
#include "writers.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

namespace {

using detail::seconds_since;

// A batch of records on its way through the pipeline, with everything made from them.
struct chunk {
  io::record_chunk raw;
  std::vector<io::session_record> recs;
  std::vector<person_result> results;
  std::vector<std::string> credential_ids;  // per record; empty = none
  // Bundle mode: the chunk's credentials per shard, as JSON Lines and as one gzip member.
  struct bundle_part {
    std::uint64_t shard = 0;
    std::string lines, gz;
  };
  std::vector<bundle_part> bundle;
  std::size_t bundle_parts = 0;             // parts in use (the vector keeps its buffers)
  std::string out;                          // the scores lines
  std::uint64_t bytes_consumed = 0;         // of the input, when the chunk was read
};

// Per-thread scratch of the parallel stages.
struct worker {
  std::vector<std::string> fields;
  scorer::workspace ws;
};

// Chunks are recycled, so that their buffers stay warm.
class chunk_pool {
 public:
  std::unique_ptr<chunk> get() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return std::make_unique<chunk>();
    auto c = std::move(free_.back());
    free_.pop_back();
    return c;
  }
  void put(chunk* c) {
    std::lock_guard lock(mutex_);
    free_.emplace_back(c);
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<chunk>> free_;
};

// One run: its input, outputs and running counts; the pipeline's stages are its methods.
class batch_run {
 public:
  batch_run(const scorer& s, const batch_options& o);
  batch_summary run();

 private:
  void resume_or_start();
  void open_outputs();
  bool read(chunk& c);
  void parse(chunk& c, worker& w) const;
  void check_duplicates(chunk& c);
  void score(chunk& c, worker& w) const;
  void write(chunk& c);
  void checkpoint_if_due();
  void write_public_files() const;
  std::string* bundle_lines(chunk& c, std::uint64_t row) const;
  void write_checkpoint();
  void finish(unsigned threads);

  const scorer& s_;
  const batch_options& o_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  bool want_credentials_;
  io::record_source source_;
  io::record_parser parser_;
  std::string rejects_path_, ckpt_path_, fingerprint_;
  bool checkpointing_;
  batch_summary sum_;
  detail::checkpoint state_;  // rows_done, sizes, issued_at and identity key id of this run
  std::array<unsigned char, 32> identity_secret_{};
  bool pseudonymise_ = false;  // person ids written as keyed pseudonyms
  std::optional<detail::checkpoint> resumed_;
  std::uint64_t skip_ = 0, rows_at_checkpoint_ = 0, progress_bytes_ = 0;
  std::chrono::steady_clock::time_point last_checkpoint_ = t0_;
  io::output_file out_, rej_, bundle_;
  credential_context cctx_;
  std::optional<detail::credential_writer> creds_;
  detail::record_writer records_;
  detail::person_set seen_;
  std::string rejects_buf_;
  bool progress_;
  std::optional<detail::progress_clock> clock_;
};

bool credentials_wanted(const scorer& s, const batch_options& o) {
  if (sodium_init() < 0) throw error(errc::internal, "libsodium failed to initialise");
  const bool want = !o.credentials_dir.empty();
  if (want && !s.levels()) throw invalid_argument("--credentials needs --framework (certification rules)");
  if (o.credentials.status_purpose != "revocation" && o.credentials.status_purpose != "suspension")
    throw invalid_argument(fmt::format("status purpose '{}': revocation or suspension", o.credentials.status_purpose));
  if (want && !o.credentials.public_url.empty() && !o.credentials.key)
    throw invalid_argument("--public-url needs --signing-key: the status lists it publishes are signed credentials too");
  return want;
}

// Every output's folder is made and checked before the first row, not when the run ends hours later.
void check_outputs(const batch_options& o, bool credentials) {
  if (o.summary == "-" && o.out.empty())
    throw invalid_argument("the scores and the summary cannot both go to standard output: give --out or a --summary file");
  io::check_writable_location(o.out, "the scores");
  io::check_writable_location(o.rejects, "the rejected rows");
  io::check_writable_location(o.summary, "the summary");
  if (credentials) io::check_writable_location((std::filesystem::path(o.credentials_dir) / "x").string(), "the credentials");
}

// Opening the input first: whole-file problems stop the run before any output is touched.
batch_run::batch_run(const scorer& s, const batch_options& o)
    : s_(s),
      o_(o),
      want_credentials_(credentials_wanted(s, o)),
      source_(o.responses, o.format, s.bank()),
      parser_(source_.layout(), s.bank_ptr()),
      rejects_path_(o.rejects.empty() && !o.out.empty() ? o.out + ".rejects.csv" : o.rejects),
      ckpt_path_(o.out + ".checkpoint.json"),
      fingerprint_(detail::command_fingerprint(s, o, rejects_path_)),
      checkpointing_(o.resume && !o.out.empty()),
      records_(s, o.out_format, want_credentials_, o.provenance_columns),
      progress_(o.progress > 0 || (o.progress < 0 && ::isatty(STDERR_FILENO) && !o.out.empty())) {
  sum_.areas.resize(s.levels() ? s.levels()->areas.size() : 0);
}

void batch_run::resume_or_start() {
  if (checkpointing_ && io::path_exists(ckpt_path_)) {
    resumed_ = detail::read_checkpoint(ckpt_path_, fingerprint_, sum_);
    state_ = *resumed_;
    skip_ = state_.rows_done;
  } else {
    state_.issued_at = o_.issued_at.empty() ? core::utc_timestamp() : o_.issued_at;
  }
  // The identity secret is given, or derived from the signing key, or random for this run
  // alone; it is never written, only its id (a resumed run must find the same secret).
  if (o_.salt_secret) identity_secret_ = *o_.salt_secret;
  else if (o_.credentials.key) identity_secret_ = identity_secret_from_key(*o_.credentials.key);
  else randombytes_buf(identity_secret_.data(), identity_secret_.size());
  const std::string key_id = identity_key_id(identity_secret_);
  if (resumed_ && want_credentials_ && resumed_->identity_key_id != key_id)
    throw state_error(fmt::format("{}: the interrupted run used another identity secret ({}); resume with its "
                                  "--salt-secret (a random one is never kept), or remove the checkpoint to start over",
                                  ckpt_path_, resumed_->identity_key_id));
  state_.identity_key_id = key_id;
  pseudonymise_ = o_.person_ids == person_id_mode::pseudonym ||
                  (o_.person_ids == person_id_mode::automatic && (o_.salt_secret || o_.credentials.key));
  sum_.pseudonymised = pseudonymise_;
  sum_.identity_key_id = key_id;
  rows_at_checkpoint_ = skip_;
  if (progress_) clock_.emplace(t0_, skip_, source_.file_size());
}

void batch_run::open_outputs() {
  const auto resume = [&](std::optional<std::uint64_t> n) { return resumed_ ? n : std::nullopt; };
  if (o_.out.empty()) out_.open_stdout();
  else out_.open(o_.out, resume(state_.out_bytes));
  if (!rejects_path_.empty()) rej_.open(rejects_path_, resume(state_.rejects_bytes));
  if (!resumed_) {
    if (o_.out_format == output_format::csv) out_.write(csv_header(s_, want_credentials_, o_.provenance_columns));
    if (!rejects_path_.empty()) rej_.write(detail::rejects_header);
  }
  // A run killed while writing the summary or a credential leaves its temporary file.
  if (!o_.summary.empty() && o_.summary != "-") io::remove_stale_temporaries(io::folder_of(o_.summary));
  if (!want_credentials_) return;
  io::remove_stale_temporaries(o_.credentials_dir);
  cctx_.options = o_.credentials;
  cctx_.levels = s_.levels();
  cctx_.bank_id = s_.bank().info().id;
  cctx_.bank_fingerprint = s_.bank().fingerprint();
  cctx_.issued_at = state_.issued_at;
  cctx_.salt_secret = identity_secret_;
  creds_.emplace(cctx_, o_.credentials_dir, o_.credentials_bundle);
  if (creds_->bundle()) {
    if (o_.credentials_shard_rows == 0) throw invalid_argument("credentials_shard_rows must be at least 1");
    // Shards past the checkpoint's (or, on a fresh run, any shard) are from a run that did not
    // finish: what they held is written again.
    for (const auto& path : creds_->shard_paths())
      if (!resumed_ || path > creds_->shard_path(state_.bundle_shard)) io::remove_file(path);
    if (resumed_ && state_.bundle_bytes.value_or(0) > 0)
      bundle_.open(creds_->shard_path(state_.bundle_shard), state_.bundle_bytes);
    else if (resumed_)
      io::remove_file(creds_->shard_path(state_.bundle_shard));
  }
  prepare_credentials(cctx_);
}

bool batch_run::read(chunk& c) {
  if (!source_.next_chunk(c.raw, o_.chunk_records)) return false;
  if (progress_) c.bytes_consumed = source_.bytes_consumed();
  return true;
}

void batch_run::parse(chunk& c, worker& w) const {
  c.recs.resize(c.raw.size());
  for (std::size_t i = 0; i < c.raw.size(); ++i) parser_.parse(c.raw[i], c.recs[i], w.fields);
}

// In input order, over every record (those a resumed run skips too, to rebuild the set).
void batch_run::check_duplicates(chunk& c) {
  if (!o_.check_duplicates) return;
  for (auto& r : c.recs) {
    if (r.person_id.empty()) continue;
    if (const auto first = seen_.insert(r.person_id, r.row); first && r.ok())
      r.reject(io::reject_code::duplicate_person,
               fmt::format("duplicate person: this person_id already appeared at row {}{}",
                           *first > detail::person_set::max_row ? fmt::format("past {}", detail::person_set::max_row)
                                                                : std::to_string(*first),
                           o_.format == io::response_format::long_csv
                               ? " (long files must keep each person's lines together)"
                               : ""));
  }
}

void batch_run::score(chunk& c, worker& w) const {
  c.out.clear();
  c.results.resize(c.recs.size());
  c.credential_ids.assign(c.recs.size(), std::string{});
  c.bundle_parts = 0;
  for (std::size_t i = 0; i < c.recs.size(); ++i) {
    auto& rec = c.recs[i];
    if (rec.row <= skip_) continue;
    if (!rec.ok()) {
      if (pseudonymise_ && !rec.person_id.empty()) rec.person_id = person_pseudonym(identity_secret_, rec.person_id);
      continue;
    }
    auto& r = c.results[i];
    s_.score(rec.responses, r, w.ws);
    if (creds_ && r.certified()) c.credential_ids[i] = creds_->issue(rec.person_id, r, rec.row - 1, bundle_lines(c, rec.row));
    // From here on the person is known only by the pseudonym (scores, rejects, logs).
    if (pseudonymise_) rec.person_id = person_pseudonym(identity_secret_, rec.person_id);
    records_.append(rec, r, c.credential_ids[i], c.out);
  }
  // Compressed here, in the parallel stage: the writer only appends members.
  for (std::size_t p = 0; p < c.bundle_parts; ++p) {
    c.bundle[p].gz.clear();
    io::append_gzip(c.bundle[p].gz, c.bundle[p].lines);
  }
}

// Where a credential of this row goes in bundle mode (the chunk's part for its shard); null in
// files mode.
std::string* batch_run::bundle_lines(chunk& c, std::uint64_t row) const {
  if (!creds_->bundle()) return nullptr;
  const std::uint64_t shard = (row - 1) / o_.credentials_shard_rows;
  if (c.bundle_parts == 0 || c.bundle[c.bundle_parts - 1].shard != shard) {
    if (c.bundle.size() == c.bundle_parts) c.bundle.emplace_back();
    auto& part = c.bundle[c.bundle_parts++];
    part.shard = shard;
    part.lines.clear();
  }
  return &c.bundle[c.bundle_parts - 1].lines;
}

// Serial, in input order: counts, rejects, the outputs, checkpoints and progress.
void batch_run::write(chunk& c) {
  rejects_buf_.clear();
  const level_scheme* L = s_.levels().get();
  for (std::size_t i = 0; i < c.recs.size(); ++i) {
    const auto& rec = c.recs[i];
    if (rec.row <= skip_) continue;
    if (rec.ok()) {
      detail::tally(sum_, L, c.results[i], !c.credential_ids[i].empty());
      continue;
    }
    ++sum_.rows_rejected;
    ++sum_.rejects_by_kind[std::string(io::to_string(rec.code))];
    if (rejects_path_.empty()) detail::print_reject(o_.responses, rec);
    else detail::append_reject(rec, rejects_buf_);
  }
  if (!c.recs.empty()) state_.rows_done = std::max(state_.rows_done, c.recs.back().row);
  out_.write(c.out);
  for (std::size_t p = 0; p < c.bundle_parts; ++p) {
    const auto& part = c.bundle[p];
    if (part.lines.empty()) continue;
    if (!bundle_.is_open() || part.shard != state_.bundle_shard) {
      bundle_.close();
      state_.bundle_shard = part.shard;
      bundle_.open(creds_->shard_path(part.shard));
    }
    bundle_.write(part.gz);
  }
  if (rej_.is_open()) rej_.write(rejects_buf_);
  progress_bytes_ = c.bytes_consumed;
  if (o_.crash_after_rows && state_.rows_done >= o_.crash_after_rows)
    throw error(errc::internal, fmt::format("simulated interruption after {} rows (test hook)", state_.rows_done));
  checkpoint_if_due();
  if (clock_ && clock_->due()) clock_->report(state_.rows_done, sum_.rows_rejected, progress_bytes_, false);
  if (o_.stop && o_.stop->load(std::memory_order_relaxed)) {
    if (checkpointing_) write_checkpoint();
    if (clock_) clock_->report(state_.rows_done, sum_.rows_rejected, progress_bytes_, true);
    throw state_error(checkpointing_
                          ? fmt::format("interrupted after {} rows; the checkpoint is saved: run the same command again to "
                                        "resume",
                                        state_.rows_done)
                          : fmt::format("interrupted after {} rows; nothing can be resumed without --out (scores on "
                                        "standard output are not checkpointed)",
                                        state_.rows_done));
  }
}

void batch_run::checkpoint_if_due() {
  const auto done = state_.rows_done;
  if (checkpointing_ && done > skip_ &&
      (done - rows_at_checkpoint_ >= o_.checkpoint_rows || seconds_since(last_checkpoint_) >= o_.checkpoint_seconds))
    write_checkpoint();
}

void batch_run::write_checkpoint() {
  out_.sync();
  if (rej_.is_open()) rej_.sync();
  if (bundle_.is_open()) bundle_.sync();
  state_.out_bytes = out_.bytes();
  state_.rejects_bytes = rej_.is_open() ? std::optional(rej_.bytes()) : std::nullopt;
  state_.bundle_bytes = creds_ && creds_->bundle() ? std::optional(bundle_.is_open() ? bundle_.bytes() : 0) : std::nullopt;
  detail::write_checkpoint(ckpt_path_, fingerprint_, state_, sum_);
  rows_at_checkpoint_ = state_.rows_done;
  last_checkpoint_ = std::chrono::steady_clock::now();
}

// What DIR/public holds for the public URL: each rule's full achievement, and every status
// list an entry of this run can point at, all bits 0 (`dskill revoke` changes them later; a
// rerun writes the same bytes). Rows are the input's, so the lists cover rows_read.
void batch_run::write_public_files() const {
  const auto pub = std::filesystem::path(o_.credentials_dir) / "public";
  io::create_directories((pub / "achievements").string(), "the public achievements directory");
  for (std::size_t r = 0; r < s_.levels()->rules.size(); ++r)
    io::write_file_atomically((pub / "achievements" / (s_.levels()->rules[r].id + ".json")).string(),
                              published_achievement(cctx_, r) + "\n");
  const std::uint64_t rows = std::max<std::uint64_t>(source_.records(), 1);
  const std::string& purpose = o_.credentials.status_purpose;
  const auto dir = pub / "status" / purpose;
  io::create_directories(dir.string(), "the status lists directory");
  for (std::uint64_t n = 0; n * status_list_bits < rows; ++n) {
    const auto pos = status_position_of(o_.credentials.public_url, purpose, n * status_list_bits);
    io::write_file_atomically((dir / fmt::format("{}.json", n)).string(),
                              status_list_credential(make_status_list(pos.list_id, purpose), cctx_.options,
                                                     state_.issued_at) + "\n");
  }
}

void batch_run::finish(unsigned threads) {
  sum_.rows_read = source_.records();
  sum_.blank_lines = source_.blank_lines();
  sum_.lines_read = source_.lines();
  if (!source_.stream_problem().empty()) sum_.stream_problems.push_back(source_.stream_problem());
  out_.close();
  rej_.close();
  bundle_.close();
  if (want_credentials_ && !o_.credentials.public_url.empty()) write_public_files();
  if (clock_) clock_->report(state_.rows_done, sum_.rows_rejected, progress_bytes_, true);
  sum_.seconds = seconds_since(t0_);
  sum_.summary_json = detail::summary_json(s_, o_, sum_, rejects_path_, threads);
  if (o_.summary == "-") io::write_file_text("/dev/stdout", sum_.summary_json + "\n");
  else if (!o_.summary.empty()) io::write_file_atomically(o_.summary, sum_.summary_json + "\n");
  if (checkpointing_) io::remove_file(ckpt_path_);
}

batch_summary batch_run::run() {
  check_outputs(o_, want_credentials_);
  resume_or_start();
  open_outputs();
  // A checkpoint before the first row: a run killed at any moment can be resumed, and a rerun
  // issues credentials under the same run secret (same names and bytes, no orphans).
  if (checkpointing_ && !resumed_) write_checkpoint();
  const unsigned threads = o_.threads ? o_.threads : std::max(1u, std::thread::hardware_concurrency());
  // Lift TBB's default worker limit (cores - 1) when more threads are asked for, so that the
  // arena gets them (and TBB does not warn); results do not depend on the count anyway.
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            std::max<std::size_t>(threads, tbb::global_control::active_value(
                                                               tbb::global_control::max_allowed_parallelism)));
  tbb::task_arena arena(static_cast<int>(threads));
  tbb::enumerable_thread_specific<worker> workers;
  chunk_pool pool;
  std::exception_ptr failure;
  const auto parallel = tbb::filter_mode::parallel;
  const auto in_order = tbb::filter_mode::serial_in_order;
  arena.execute([&] {
    tbb::parallel_pipeline(
        threads * 4,
        tbb::make_filter<void, chunk*>(in_order,
                                       [&](tbb::flow_control& fc) -> chunk* {
                                         auto c = pool.get();
                                         if (read(*c)) return c.release();
                                         pool.put(c.release());
                                         fc.stop();
                                         return nullptr;
                                       }) &
            tbb::make_filter<chunk*, chunk*>(parallel,
                                             [&](chunk* c) {
                                               parse(*c, workers.local());
                                               return c;
                                             }) &
            tbb::make_filter<chunk*, chunk*>(in_order,
                                             [&](chunk* c) {
                                               check_duplicates(*c);
                                               return c;
                                             }) &
            tbb::make_filter<chunk*, chunk*>(parallel,
                                             [&](chunk* c) {
                                               score(*c, workers.local());
                                               return c;
                                             }) &
            tbb::make_filter<chunk*, void>(in_order, [&](chunk* c) {
              std::unique_ptr<chunk> hold(c);
              if (failure) return;  // the run has failed: drain the pipeline
              try {
                write(*c);
              } catch (...) {
                failure = std::current_exception();
              }
              c->raw.clear();
              pool.put(hold.release());
            }));
  });
  if (failure) std::rethrow_exception(failure);
  finish(threads);
  return std::move(sum_);
}

}  // namespace

std::string csv_header(const scorer& s, bool with_credentials, bool provenance_columns) {
  std::string h = "person_id,theta,se,n_answered,raw_score,max_score";
  if (s.profiled())
    for (const auto& d : s.bank().info().dimensions) h += ",theta_" + d.id + ",se_" + d.id;
  if (const auto& L = s.levels()) {
    for (std::size_t i = 0; i < L->areas.size(); ++i) {
      const auto& a = L->areas[i];
      const bool on_profile = s.profiled() && s.area_dimension()[i] != static_cast<std::size_t>(-1);
      if (!on_profile) {
        h += ",theta_";
        h += a.id;
        h += ",se_";
        h += a.id;
      }
      h += ",level_";
      h += a.id;
      if (s.profiled()) h += ",p_level_" + a.id;
    }
    h += ",level,certified,certified_by";
    if (L->has_min_probability()) {
      for (const auto& a : L->areas) h += ",certified_level_" + a.id;
      h += ",certified_level";
    }
    if (with_credentials) h += ",credential";
  }
  h += provenance_columns ? ",status,bank_fingerprint,dskill_version\n" : ",status\n";
  return h;
}

batch_summary run_batch(const scorer& s, const batch_options& opts) { return batch_run(s, opts).run(); }

}  // namespace score
DSKILL_END_NAMESPACE
