#include "dskill/score/batch.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <sodium.h>

#include "dskill/error.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/version.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

// ---- duplicate check: open addressing over 64-bit SipHash keys -----------------------------
class person_set {
 public:
  person_set() {
    randombytes_buf(key_, sizeof key_);  // per run; only equality matters
    slots_.assign(1 << 16, slot{});
  }
  /// Inserts id at row; returns the earlier row if the id was there already.
  std::optional<std::uint64_t> insert(std::string_view id, std::uint64_t row) {
    std::uint64_t h = 0;
    crypto_shorthash(reinterpret_cast<unsigned char*>(&h), reinterpret_cast<const unsigned char*>(id.data()), id.size(), key_);
    if (h == 0) h = 1;  // 0 marks an empty slot
    if ((used_ + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == 0) {
        slots_[i] = {h, row};
        ++used_;
        return std::nullopt;
      }
      if (slots_[i].key == h) return slots_[i].row;
    }
  }

 private:
  struct slot {
    std::uint64_t key = 0, row = 0;
  };
  void grow() {
    std::vector<slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const auto& s : old) {
      if (s.key == 0) continue;
      std::size_t i = s.key & mask;
      while (slots_[i].key != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  unsigned char key_[crypto_shorthash_KEYBYTES];
  std::vector<slot> slots_;
  std::size_t used_ = 0;
};

// ---- output formatting --------------------------------------------------------------------
// Fixed-point with six decimals, as "{:.6f}" prints it but without the general float path
// (it was a sixth of a scoring run's time). Rounds half away from zero; |x| < 1e12 here.
void put_fixed6(std::string& out, double x) {
  if (!(std::fabs(x) < 1e12)) {
    fmt::format_to(std::back_inserter(out), "{:.6f}", x);
    return;
  }
  long long v = std::llround(x * 1e6);
  if (v < 0) {
    out += '-';
    v = -v;
  }
  char buf[32];
  int n = 0;
  long long frac = v % 1000000;
  long long whole = v / 1000000;
  for (int i = 0; i < 6; ++i) {  // digits are collected backwards, then reversed
    buf[n++] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  buf[n++] = '.';
  do {
    buf[n++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole);
  while (n) out += buf[--n];
}

void put_number(std::string& out, double x) {
  if (std::isnan(x)) return;  // empty CSV cell
  if (std::isinf(x)) {
    out += x > 0 ? "inf" : "-inf";
    return;
  }
  put_fixed6(out, x);
}

void put_json_number(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  put_fixed6(out, x);
}

void put_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        else
          out += c;
    }
  }
  out += '"';
}

void put_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos)
    out += s;
  else
    out += io::csv_escape(s);
}

// A stable key for a reject reason, for the summary's counts by kind.
std::string_view reject_kind(std::string_view reason) noexcept {
  auto has = [&](std::string_view part) { return reason.find(part) != std::string_view::npos; };
  if (reason.starts_with("file ends mid-")) return "truncated_row";
  if (reason.starts_with("wrong encoding")) return "wrong_encoding";
  if (reason.starts_with("duplicate person")) return "duplicate_person";
  if (reason.starts_with("ragged row")) return "ragged_row";
  if (reason.starts_with("non-numeric")) return "non_numeric_response";
  if (has("out of range")) return "out_of_range_response";
  if (has("unknown item id")) return "unknown_item";
  if (has("answered twice")) return "item_answered_twice";
  if (has("person_id")) return "bad_person_id";  // empty, missing or not a string
  if (reason.starts_with("malformed") || has("must be") || reason.starts_with("missing")) return "malformed_record";
  return "other";
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string hex(std::span<const unsigned char> b) {
  std::string out;
  for (unsigned char c : b) fmt::format_to(std::back_inserter(out), "{:02x}", c);
  return out;
}

// ---- the run ------------------------------------------------------------------------------
struct chunk {
  io::record_chunk raw;
  std::vector<io::session_record> recs;
  std::vector<person_result> results;
  std::vector<std::string> credential_ids;  // per record; empty = none
  std::string bundle;                       // credentials as JSON Lines (bundle mode)
  std::string out;
  std::uint64_t bytes_consumed = 0;
};

struct worker {
  std::vector<std::string> fields;
  scorer::workspace ws;
};

json stats_json(const classification_stats& s) {
  json counts = json::object();
  for (std::size_t l = 0; l < s.level_counts.size(); ++l)
    if (s.level_counts[l]) counts[l == 0 ? "unclassified" : std::to_string(l)] = s.level_counts[l];
  return {{"n", s.n}, {"accuracy", s.accuracy()}, {"consistency", s.consistency()}, {"level_counts", counts}};
}

json stats_state(const classification_stats& s) {
  return {{"n", s.n}, {"accuracy_sum", s.accuracy_sum}, {"consistency_sum", s.consistency_sum}, {"level_counts", s.level_counts}};
}
void restore_stats(classification_stats& s, const json& j) {
  s.n = j.at("n").get<std::uint64_t>();
  s.accuracy_sum = j.at("accuracy_sum").get<double>();
  s.consistency_sum = j.at("consistency_sum").get<double>();
  s.level_counts = j.at("level_counts").get<std::vector<std::uint64_t>>();
}

std::string command_fingerprint(const scorer& s, const batch_options& o, const std::string& rejects_path) {
  const auto& e = s.options();
  std::string c = "dskill-score-checkpoint-v1\n";
  c += s.bank().fingerprint() + "\n";
  if (const auto& L = s.levels()) {
    c += L->framework_id + "|" + L->framework_version + "|";
    for (double x : L->overall_cuts) c += fmt::format("{:.17g},", x);
    for (const auto& a : L->areas) {
      c += a.id + ":";
      for (double x : a.cuts) c += fmt::format("{:.17g},", x);
    }
    for (const auto& r : L->rules) c += r.id + ";";
  }
  std::error_code ec;
  const auto abs_in = fs::absolute(o.responses, ec).string();
  c += fmt::format("\n{}|{}|{}\n", abs_in, fs::file_size(o.responses, ec), io::to_string(o.format));
  c += fmt::format("{}|{}|{:.17g}|{:.17g}|{:.17g}:{:.17g}:{}|{}|{:.17g}|{:.17g}|{}|{}|{:.17g}|{}\n",
                   estimate::to_string(e.estimator), static_cast<int>(e.prior_.kind), e.prior_.mean, e.prior_.sd,
                   e.grid.lo, e.grid.hi, e.grid.n, static_cast<int>(e.rule), e.lower_bound, e.upper_bound,
                   static_cast<int>(e.se_information), static_cast<int>(e.wle), e.tolerance, e.max_iterations);
  for (double w : e.prior_.weights) c += fmt::format("{:.17g},", w);
  c += fmt::format("\n{}|{}|{}|{}|{}|{}\n", fs::absolute(o.out, ec).string(), static_cast<int>(o.out_format), rejects_path,
                   o.credentials_dir, o.credentials.issuer_id, o.credentials.issuer_name);
  if (o.credentials.key) c += o.credentials.key->did_key();
  c += o.check_duplicates ? "|dup" : "|nodup";
  c += o.credentials_bundle ? "|bundle" : "|files";
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(c.data()), c.size());
  return "sha256:" + hex(h);
}

void write_file_atomically(const std::string& path, std::string_view text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw io_error(fmt::format("cannot write: {}", std::strerror(errno)), location{.file = tmp});
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      ::close(fd);
      throw io_error(fmt::format("cannot write: {}", std::strerror(errno)), location{.file = tmp});
    }
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw io_error(fmt::format("cannot rename into place: {}", std::strerror(errno)), location{.file = path});
}

class output_file {
 public:
  output_file() = default;
  output_file(const output_file&) = delete;
  ~output_file() {
    if (f_ && owned_) std::fclose(f_);
  }
  void open_std(std::FILE* f) {
    f_ = f;
    owned_ = false;
  }
  // Fresh file, or an existing one cut back to `size` bytes (resume).
  void open(const std::string& path, std::optional<std::uint64_t> size) {
    path_ = path;
    if (size) {
      f_ = std::fopen(path.c_str(), "r+b");
      if (!f_) throw io_error(fmt::format("cannot reopen to resume: {}", std::strerror(errno)), location{.file = path});
      if (::ftruncate(fileno(f_), static_cast<off_t>(*size)) != 0 || std::fseek(f_, 0, SEEK_END) != 0)
        throw io_error(fmt::format("cannot truncate to resume: {}", std::strerror(errno)), location{.file = path});
      bytes_ = *size;
    } else {
      f_ = std::fopen(path.c_str(), "wb");
      if (!f_) throw io_error(fmt::format("cannot create: {}", std::strerror(errno)), location{.file = path});
    }
    owned_ = true;
    buffer_.resize(1 << 20);
    std::setvbuf(f_, buffer_.data(), _IOFBF, buffer_.size());
  }
  void write(std::string_view s) {
    if (s.empty()) return;
    if (std::fwrite(s.data(), 1, s.size(), f_) != s.size())
      throw io_error(fmt::format("write failed: {}", std::strerror(errno)), location{.file = path_});
    bytes_ += s.size();
  }
  void sync() {
    if (std::fflush(f_) != 0) throw io_error(fmt::format("write failed: {}", std::strerror(errno)), location{.file = path_});
    if (owned_) ::fdatasync(fileno(f_));
  }
  void close() {
    if (!f_) return;
    if (std::fflush(f_) != 0) throw io_error(fmt::format("write failed: {}", std::strerror(errno)), location{.file = path_});
    if (owned_ && std::fclose(f_) != 0) throw io_error(fmt::format("close failed: {}", std::strerror(errno)), location{.file = path_});
    f_ = nullptr;
  }
  std::uint64_t bytes() const noexcept { return bytes_; }
  bool is_file() const noexcept { return owned_; }

 private:
  std::FILE* f_ = nullptr;
  bool owned_ = false;
  std::string path_;
  std::vector<char> buffer_;
  std::uint64_t bytes_ = 0;
};

}  // namespace

std::string csv_header(const scorer& s, bool with_credentials) {
  std::string h = "person_id,theta,se,n_answered,raw_score,max_score";
  if (const auto& L = s.levels()) {
    for (const auto& a : L->areas) {
      h += ",theta_";
      h += a.id;
      h += ",se_";
      h += a.id;
      h += ",level_";
      h += a.id;
    }
    h += ",level,certified,certified_by";
    if (with_credentials) h += ",credential";
  }
  h += ",status,bank_fingerprint,dskill_version\n";
  return h;
}

batch_summary run_batch(const scorer& s, const batch_options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (sodium_init() < 0) throw error(errc::internal, "libsodium failed to initialise");
  const auto& bank = s.bank();
  const auto& L = s.levels();
  const bool want_credentials = !o.credentials_dir.empty();
  if (want_credentials && !L) throw invalid_argument("--credentials needs --framework (certification rules)");

  // Open the input first: whole-file problems stop the run before any output is touched.
  io::record_source source(o.responses, o.format, bank);
  const io::record_parser parser(source.layout(), s.bank_ptr());

  std::string rejects_path = o.rejects;
  if (rejects_path.empty() && !o.out.empty()) rejects_path = o.out + ".rejects.csv";
  const bool checkpointing = o.resume && !o.out.empty();
  const std::string ckpt_path = o.out + ".checkpoint.json";
  const std::string fingerprint = command_fingerprint(s, o, rejects_path);

  batch_summary sum;
  sum.areas.resize(L ? L->areas.size() : 0);
  std::string issued_at = o.issued_at.empty() ? now_utc() : o.issued_at;
  std::array<unsigned char, 32> secret{};
  if (o.salt_secret) secret = *o.salt_secret;
  else randombytes_buf(secret.data(), secret.size());

  // Resume from a checkpoint of the same command.
  std::uint64_t skip = 0;
  std::optional<std::uint64_t> out_size, rej_size, bundle_size;
  if (checkpointing && fs::exists(ckpt_path)) {
    json ck;
    try {
      std::ifstream in(ckpt_path);
      ck = json::parse(in);
    } catch (const std::exception& e) {
      throw state_error(fmt::format("{}: unreadable checkpoint ({}); remove it to start over", ckpt_path, e.what()));
    }
    if (ck.value("command_fingerprint", "") != fingerprint)
      throw state_error(fmt::format("{}: the checkpoint belongs to a different command (bank, framework, input file or "
                                    "options differ); rerun the original command to resume, or remove it to start over",
                                    ckpt_path));
    try {
      skip = ck.at("rows_done").get<std::uint64_t>();
      out_size = ck.at("out_bytes").get<std::uint64_t>();
      if (ck.contains("rejects_bytes") && !ck["rejects_bytes"].is_null()) rej_size = ck["rejects_bytes"].get<std::uint64_t>();
      if (ck.contains("bundle_bytes") && !ck["bundle_bytes"].is_null()) bundle_size = ck["bundle_bytes"].get<std::uint64_t>();
      sum.persons_scored = ck.at("persons_scored").get<std::uint64_t>();
      sum.rows_rejected = ck.at("rows_rejected").get<std::uint64_t>();
      sum.certified = ck.at("certified").get<std::uint64_t>();
      sum.credentials_issued = ck.at("credentials_issued").get<std::uint64_t>();
      sum.rejects_by_kind = ck.at("rejects_by_kind").get<std::map<std::string, std::uint64_t>>();
      restore_stats(sum.overall, ck.at("overall"));
      for (std::size_t a = 0; a < sum.areas.size(); ++a) restore_stats(sum.areas[a], ck.at("areas").at(a));
      issued_at = ck.at("issued_at").get<std::string>();
      const auto sec = ck.at("salt_secret").get<std::string>();
      std::size_t len = 0;
      if (sodium_hex2bin(secret.data(), secret.size(), sec.data(), sec.size(), nullptr, &len, nullptr) != 0 || len != 32)
        throw state_error("bad salt_secret");
    } catch (const std::exception& e) {
      throw state_error(fmt::format("{}: damaged checkpoint ({}); remove it to start over", ckpt_path, e.what()));
    }
    sum.resumed_from_row = skip;
  }

  output_file out, rej, bundle;
  if (o.out.empty()) out.open_std(stdout);
  else out.open(o.out, out_size);
  const bool rejects_to_stderr = rejects_path.empty();
  if (!rejects_to_stderr) rej.open(rejects_path, rej_size);
  if (!out_size) {
    if (o.out_format == output_format::csv) out.write(csv_header(s, want_credentials));
    if (!rejects_to_stderr) rej.write("row,line,person_id,reason\n");
  }
  if (want_credentials) {
    std::error_code ec;
    fs::create_directories(o.credentials_dir, ec);
    if (ec) throw io_error(fmt::format("cannot create the credentials directory: {}", ec.message()), location{.file = o.credentials_dir});
    if (o.credentials_bundle) bundle.open((fs::path(o.credentials_dir) / "credentials.jsonl").string(), out_size ? bundle_size : std::nullopt);
  }
  const bool bundling = want_credentials && o.credentials_bundle;

  credential_context cctx;
  if (want_credentials) {
    cctx.options = o.credentials;
    cctx.levels = L;
    cctx.bank_id = bank.info().id;
    cctx.bank_fingerprint = bank.fingerprint();
    cctx.issued_at = issued_at;
    cctx.salt_secret = secret;
    cctx.theta_min = s.theta_min();
    cctx.theta_max = s.theta_max();
    prepare_credentials(cctx);
  }

  const std::string& fp = bank.fingerprint();
  const std::string_view ver = dskill::version();
  const std::size_t n_areas = L ? L->areas.size() : 0;

  // Format one scored record.
  auto format_record = [&](const io::session_record& rec, const person_result& r, const std::string& cred, std::string& buf) {
    const char* st = estimate::to_string(r.overall.state).data();
    if (o.out_format == output_format::csv) {
      put_csv_field(buf, rec.person_id);
      buf += ',';
      put_number(buf, r.overall.theta);
      buf += ',';
      put_number(buf, r.overall.se);
      fmt::format_to(std::back_inserter(buf), ",{},{:g},{:g}", r.n_answered, r.raw_score, r.max_score);
      if (L) {
        for (std::size_t a = 0; a < n_areas; ++a) {
          const auto& ar = r.areas[a];
          buf += ',';
          if (ar.n_answered) put_number(buf, ar.est.theta);
          buf += ',';
          if (ar.n_answered) put_number(buf, ar.est.se);
          buf += ',';
          if (ar.level) fmt::format_to(std::back_inserter(buf), "{}", ar.level);
        }
        buf += ',';
        if (r.level) fmt::format_to(std::back_inserter(buf), "{}", r.level);
        buf += r.certified() ? ",true," : ",false,";
        if (r.rule) put_csv_field(buf, L->rules[*r.rule].id);
        if (want_credentials) {
          buf += ',';
          buf += cred;
        }
      }
      fmt::format_to(std::back_inserter(buf), ",{},{},{}\n", st, fp, ver);
    } else {
      fmt::format_to(std::back_inserter(buf), "{{\"row\":{},\"person_id\":", rec.row);
      put_json_string(buf, rec.person_id);
      buf += ",\"theta\":";
      put_json_number(buf, r.overall.theta);
      buf += ",\"se\":";
      put_json_number(buf, r.overall.se);
      fmt::format_to(std::back_inserter(buf), ",\"n_answered\":{},\"raw_score\":{:g},\"max_score\":{:g},\"status\":\"{}\"",
                     r.n_answered, r.raw_score, r.max_score, st);
      if (L) {
        buf += ",\"areas\":{";
        for (std::size_t a = 0; a < n_areas; ++a) {
          const auto& ar = r.areas[a];
          if (a) buf += ',';
          put_json_string(buf, L->areas[a].id);
          buf += ":{\"theta\":";
          put_json_number(buf, ar.n_answered ? ar.est.theta : NAN);
          buf += ",\"se\":";
          put_json_number(buf, ar.n_answered ? ar.est.se : NAN);
          if (ar.level) fmt::format_to(std::back_inserter(buf), ",\"level\":{}", ar.level);
          else buf += ",\"level\":null";
          fmt::format_to(std::back_inserter(buf), ",\"n_answered\":{}}}", ar.n_answered);
        }
        buf += '}';
        if (r.level) fmt::format_to(std::back_inserter(buf), ",\"level\":{}", r.level);
        else buf += ",\"level\":null";
        buf += r.certified() ? ",\"certified\":true,\"certified_by\":" : ",\"certified\":false,\"certified_by\":null";
        if (r.rule) put_json_string(buf, L->rules[*r.rule].id);
        if (want_credentials) {
          buf += ",\"credential\":";
          if (cred.empty()) buf += "null";
          else put_json_string(buf, cred);
        }
      }
      fmt::format_to(std::back_inserter(buf), ",\"bank_fingerprint\":\"{}\",\"dskill_version\":\"{}\"}}\n", fp, ver);
    }
  };

  person_set seen;
  tbb::enumerable_thread_specific<worker> workers;
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<chunk>> pool;
  auto get_chunk = [&]() {
    std::lock_guard lock(pool_mutex);
    if (pool.empty()) return std::make_unique<chunk>();
    auto c = std::move(pool.back());
    pool.pop_back();
    return c;
  };
  auto put_chunk = [&](chunk* c) {
    std::lock_guard lock(pool_mutex);
    pool.emplace_back(c);
  };

  std::uint64_t rows_done = skip;
  std::uint64_t rows_at_checkpoint = skip;
  auto last_checkpoint = std::chrono::steady_clock::now();
  auto last_progress = last_checkpoint;
  const bool progress = o.progress > 0 || (o.progress < 0 && ::isatty(STDERR_FILENO) && !o.out.empty());
  std::uint64_t progress_bytes = 0;
  std::string rejects_buf;

  auto write_checkpoint = [&]() {
    out.sync();
    if (!rejects_to_stderr) rej.sync();
    if (bundling) bundle.sync();
    json ck = {{"dskill_version", std::string(ver)},
               {"command_fingerprint", fingerprint},
               {"rows_done", rows_done},
               {"out_bytes", out.bytes()},
               {"rejects_bytes", rejects_to_stderr ? json(nullptr) : json(rej.bytes())},
               {"bundle_bytes", bundling ? json(bundle.bytes()) : json(nullptr)},
               {"persons_scored", sum.persons_scored},
               {"rows_rejected", sum.rows_rejected},
               {"certified", sum.certified},
               {"credentials_issued", sum.credentials_issued},
               {"rejects_by_kind", sum.rejects_by_kind},
               {"overall", stats_state(sum.overall)},
               {"areas", json::array()},
               {"issued_at", issued_at},
               {"salt_secret", hex(secret)}};
    for (const auto& a : sum.areas) ck["areas"].push_back(stats_state(a));
    write_file_atomically(ckpt_path, ck.dump(1));
    rows_at_checkpoint = rows_done;
    last_checkpoint = std::chrono::steady_clock::now();
  };

  auto report_progress = [&](bool final) {
    const auto now = std::chrono::steady_clock::now();
    const double el = std::chrono::duration<double>(now - t0).count();
    const double rate = el > 0 ? static_cast<double>(rows_done - skip) / el : 0.0;
    const double frac = source.file_size() ? static_cast<double>(progress_bytes) / static_cast<double>(source.file_size()) : 0.0;
    std::string eta = "--:--";
    if (frac > 0.001 && frac < 1.0) {
      const auto left = static_cast<long>(el * (1.0 - frac) / frac);
      eta = fmt::format("{}:{:02}:{:02}", left / 3600, (left / 60) % 60, left % 60);
    }
    fmt::print(stderr, "\rdskill score: {} rows ({} rejected)  {:.0f} rows/s  {:.0f}%  time left {}   {}", rows_done,
               sum.rows_rejected, rate, frac * 100.0, final ? "0:00:00" : eta, final ? "\n" : "");
    std::fflush(stderr);
    last_progress = now;
  };

  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  // Lift TBB's default worker limit (cores - 1) when more threads are asked for, so that the
  // arena gets them (and TBB does not warn); results do not depend on the count anyway.
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            std::max<std::size_t>(threads, tbb::global_control::active_value(
                                                               tbb::global_control::max_allowed_parallelism)));
  tbb::task_arena arena(static_cast<int>(threads));
  std::exception_ptr failure;
  arena.execute([&] {
    tbb::parallel_pipeline(
        threads * 4,
        tbb::make_filter<void, chunk*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> chunk* {
                                         auto c = get_chunk();
                                         if (!source.next_chunk(c->raw, o.chunk_records)) {
                                           put_chunk(c.release());
                                           fc.stop();
                                           return nullptr;
                                         }
                                         if (progress) c->bytes_consumed = source.bytes_consumed();
                                         return c.release();
                                       }) &
            tbb::make_filter<chunk*, chunk*>(tbb::filter_mode::parallel,
                                             [&](chunk* c) {
                                               auto& w = workers.local();
                                               c->recs.resize(c->raw.size());
                                               for (std::size_t i = 0; i < c->raw.size(); ++i)
                                                 parser.parse(c->raw[i], c->recs[i], w.fields);
                                               return c;
                                             }) &
            tbb::make_filter<chunk*, chunk*>(tbb::filter_mode::serial_in_order,
                                             [&](chunk* c) {
                                               for (auto& r : c->recs) {
                                                 if (r.person_id.empty() || !o.check_duplicates) continue;
                                                 if (const auto first = seen.insert(r.person_id, r.row); first && r.ok())
                                                   r.error = fmt::format(
                                                       "duplicate person: '{}' already appeared at row {}{}", r.person_id,
                                                       *first,
                                                       o.format == io::response_format::long_csv
                                                           ? " (long files must keep each person's lines together)"
                                                           : "");
                                               }
                                               return c;
                                             }) &
            tbb::make_filter<chunk*, chunk*>(tbb::filter_mode::parallel,
                                             [&](chunk* c) {
                                               auto& w = workers.local();
                                               c->out.clear();
                                               c->results.resize(c->recs.size());
                                               c->credential_ids.assign(c->recs.size(), std::string{});
                                               c->bundle.clear();
                                               for (std::size_t i = 0; i < c->recs.size(); ++i) {
                                                 const auto& rec = c->recs[i];
                                                 if (rec.row <= skip || !rec.ok()) continue;
                                                 auto& r = c->results[i];
                                                 s.score(rec.responses, r, w.ws);
                                                 if (want_credentials && r.certified()) {
                                                   auto cred = make_credential(cctx, rec.person_id, r);
                                                   if (bundling) {
                                                     c->bundle += cred.json;
                                                     c->bundle += '\n';
                                                     c->credential_ids[i] = cred.id;
                                                     format_record(rec, r, c->credential_ids[i], c->out);
                                                     continue;
                                                   }
                                                   const std::string name = cred.id.substr(9) + ".json";
                                                   {
                                                     const std::string path = (fs::path(o.credentials_dir) / name).string();
                                                     const std::string tmp = path + ".tmp";
                                                     std::ofstream f(tmp, std::ios::binary);
                                                     f << cred.json << '\n';
                                                     f.close();
                                                     if (!f || std::rename(tmp.c_str(), path.c_str()) != 0)
                                                       throw io_error("cannot write credential", location{.file = path});
                                                   }
                                                   c->credential_ids[i] = name;
                                                 }
                                                 format_record(rec, r, c->credential_ids[i], c->out);
                                               }
                                               return c;
                                             }) &
            tbb::make_filter<chunk*, void>(tbb::filter_mode::serial_in_order, [&](chunk* c) {
              std::unique_ptr<chunk> hold(c);
              if (failure) return;
              try {
                rejects_buf.clear();
                for (std::size_t i = 0; i < c->recs.size(); ++i) {
                  const auto& rec = c->recs[i];
                  if (rec.row <= skip) continue;
                  if (!rec.ok()) {
                    ++sum.rows_rejected;
                    ++sum.rejects_by_kind[std::string(reject_kind(rec.error))];
                    if (rejects_to_stderr) {
                      fmt::print(stderr, "dskill: {}:{}: row {}: person '{}': {}\n", o.responses, rec.line, rec.row,
                                 rec.person_id, rec.error);
                    } else {
                      fmt::format_to(std::back_inserter(rejects_buf), "{},{},", rec.row, rec.line);
                      put_csv_field(rejects_buf, rec.person_id);
                      rejects_buf += ',';
                      put_csv_field(rejects_buf, rec.error);
                      rejects_buf += '\n';
                    }
                    continue;
                  }
                  const auto& r = c->results[i];
                  ++sum.persons_scored;
                  if (L) {
                    sum.overall.add(r.level, r.p_assigned, r.p_squared);
                    for (std::size_t a = 0; a < n_areas; ++a)
                      sum.areas[a].add(r.areas[a].level, r.areas[a].p_assigned, r.areas[a].p_squared);
                    if (r.certified()) ++sum.certified;
                    if (!c->credential_ids[i].empty()) ++sum.credentials_issued;
                  }
                }
                if (!c->recs.empty()) rows_done = std::max(rows_done, c->recs.back().row);
                out.write(c->out);
                if (bundling) bundle.write(c->bundle);
                if (!rejects_to_stderr) rej.write(rejects_buf);
                progress_bytes = c->bytes_consumed;
                if (o.crash_after_rows && rows_done >= o.crash_after_rows)
                  throw error(errc::internal, fmt::format("simulated interruption after {} rows (test hook)", rows_done));
                if (checkpointing && rows_done > skip &&
                    (rows_done - rows_at_checkpoint >= o.checkpoint_rows ||
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint).count() >=
                         o.checkpoint_seconds))
                  write_checkpoint();
                if (progress && std::chrono::duration<double>(std::chrono::steady_clock::now() - last_progress).count() >= 0.5)
                  report_progress(false);
              } catch (...) {
                failure = std::current_exception();
              }
              c->raw.clear();
              put_chunk(hold.release());
            }));
  });
  if (failure) std::rethrow_exception(failure);

  sum.rows_read = source.records();
  sum.blank_lines = source.blank_lines();
  sum.lines_read = source.lines();
  if (!source.stream_problem().empty()) sum.stream_problems.push_back(source.stream_problem());
  out.close();
  if (!rejects_to_stderr) rej.close();
  if (bundling) bundle.close();
  if (progress) report_progress(true);
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Summary.
  json j = {{"dskill_version", std::string(ver)},
            {"bank", {{"id", bank.info().id}, {"fingerprint", fp}, {"items", bank.size()}}},
            {"framework", L ? json{{"id", L->framework_id}, {"version", L->framework_version}} : json(nullptr)},
            {"responses", o.responses},
            {"format", std::string(io::to_string(o.format))},
            {"row_definition",
             o.format == io::response_format::wide    ? "one data line after the header"
             : o.format == io::response_format::jsonl ? "one non-blank line (one JSON object)"
                                                      : "one block of consecutive lines with the same person_id"},
            {"method", std::string(estimate::to_string(s.options().estimator))},
            {"rows_read", sum.rows_read},
            {"persons_scored", sum.persons_scored},
            {"rows_rejected", sum.rows_rejected},
            {"reconciles", sum.reconciles()},
            {"rejects_by_kind", sum.rejects_by_kind},
            {"blank_lines_skipped", sum.blank_lines},
            {"lines_read", sum.lines_read},
            {"stream_problems", sum.stream_problems},
            {"resumed_from_row", sum.resumed_from_row},
            {"outputs",
             {{"scores", o.out.empty() ? "-" : o.out},
              {"rejects", rejects_to_stderr ? "-" : rejects_path},
              {"credentials", o.credentials_dir.empty() ? json(nullptr)
                              : bundling ? json((fs::path(o.credentials_dir) / "credentials.jsonl").string())
                                         : json(o.credentials_dir)}}},
            {"threads", threads},
            {"elapsed_seconds", sum.seconds},
            {"command", o.command}};
  if (L) {
    json areas = json::object();
    for (std::size_t a = 0; a < n_areas; ++a) areas[L->areas[a].id] = stats_json(sum.areas[a]);
    j["certified"] = sum.certified;
    j["credentials_issued"] = sum.credentials_issued;
    j["classification"] = {{"method", "Rudner (2001, 2005): true theta ~ N(theta-hat, SE^2); accuracy = mean P(assigned "
                                      "level), consistency = mean sum_k P(level k)^2"},
                           {"overall", stats_json(sum.overall)},
                           {"areas", areas}};
  }
  sum.summary_json = j.dump(2);
  if (!o.summary.empty()) write_file_atomically(o.summary, sum.summary_json + "\n");
  if (checkpointing) {
    std::error_code ec;
    fs::remove(ckpt_path, ec);
  }
  return sum;
}

}  // namespace score
DSKILL_END_NAMESPACE
