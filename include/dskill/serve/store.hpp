// dskill::serve: where the assessment service keeps its state.
//
// Everything a server process knows about a session lives in a store, so that any process can
// answer any request and a restarted process loses nothing that was acknowledged:
//  - sessions: one row each, with the session's snapshot (cat::session::snapshot, sealed under
//    the server secret) and a version that grows by one with every change;
//  - answers: one row per accepted answer, unique on (session, request id), with the reply that
//    was sent, so a retried request gets the same reply and is never counted twice;
//  - exposure: how often each item of a bank was given, shared by every process.
// Two implementations behind this one interface: SQLite (WAL; embedded, the default) and
// PostgreSQL (several server processes). Both pass the same tests (tests/unit/serve).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {

/// A session as stored.
struct session_row {
  std::string id;             ///< random, 32 hex characters
  std::string person;         ///< the person's pseudonym (never a clear id)
  std::string bank_fingerprint;
  std::string language;       ///< "en" or "vi"
  std::int64_t created_ms = 0;     ///< Unix time, milliseconds
  std::int64_t deadline_ms = 0;    ///< the test's time limit; 0 = none
  std::int64_t offered_ms = 0;     ///< when the pending item was first offered; 0 = none pending
  std::int64_t version = 0;        ///< 1 when created, +1 with every update
  std::string state = "active";    ///< "active", "finished" or "expired"
  std::vector<std::uint8_t> snapshot;  ///< the sealed session snapshot
};

/// An accepted answer as stored.
struct answer_row {
  std::string session_id;
  std::string request_id;   ///< the client's idempotency key
  int position = 0;         ///< 1 for the first item of the session
  std::string item_id;
  int category = 0;         ///< the score given (0 when the item's time ran out)
  std::int64_t offered_ms = 0, answered_ms = 0;
  std::int64_t response_ms = 0;        ///< server-measured: answered - offered
  std::int64_t client_response_ms = -1;  ///< as the client reported it; -1 = not reported
  bool rapid = false;       ///< faster than the rapid-guessing threshold
  bool timed_out = false;   ///< arrived after the item's time limit
  std::string reply;        ///< the JSON reply sent for it (what a retry gets back)
};

/// One item's exposure count.
struct exposure_count {
  std::string item_id;
  std::int64_t administered = 0;
};

/// Thrown when a store cannot be reached or a statement fails (io_error's code), with the
/// store's own message.
class store_error : public io_error {
 public:
  explicit store_error(std::string_view message) : io_error(message) {}
};

/// The operations of one transaction on one session, valid only inside store::transact.
class transaction {
 public:
  virtual ~transaction() = default;
  /// The session row (locked for this transaction), or nothing when there is none.
  virtual std::optional<session_row> session() = 0;
  /// The reply stored for this session's answer with `request_id`, if it was accepted.
  virtual std::optional<std::string> reply_for(std::string_view request_id) = 0;
  /// Replaces the session row (its id is the transaction's); sets row.version to the old + 1.
  virtual void update_session(session_row& row) = 0;
  /// Adds an answer; a second answer with the same (session, request id) throws store_error.
  virtual void add_answer(const answer_row& a) = 0;
  /// Counts one more administration of `item_id` in the bank `bank_fingerprint`.
  virtual void count_exposure(std::string_view bank_fingerprint, std::string_view item_id) = 0;
};

/// The store interface. Implementations are thread-safe: any number of server threads call
/// them at once (each call takes its own connection).
class store {
 public:
  virtual ~store() = default;
  /// "sqlite" or "postgresql".
  virtual std::string_view kind() const noexcept = 0;
  /// Creates the tables when missing (idempotent; every process calls it at start).
  virtual void migrate() = 0;
  /// Inserts a new session (row.version is set to 1). Throws store_error on a duplicate id.
  virtual void create_session(session_row& row) = 0;
  /// The session row, without locking it.
  virtual std::optional<session_row> load_session(std::string_view id) = 0;
  /// Runs `work` in one transaction with the session `session_id` locked against every other
  /// transaction on it (in any process): committed when `work` returns, rolled back when it
  /// throws (the exception goes on to the caller).
  virtual void transact(std::string_view session_id, const std::function<void(transaction&)>& work) = 0;
  /// The answers of a session in position order.
  virtual std::vector<answer_row> answers(std::string_view session_id) = 0;
  /// Every item's exposure count in a bank (items never given are absent).
  virtual std::vector<exposure_count> exposure(std::string_view bank_fingerprint) = 0;
  /// Sessions of a bank, all states (the exposure rates' denominator).
  virtual std::int64_t session_count(std::string_view bank_fingerprint) = 0;
  /// Answers stored in all (metrics).
  virtual std::int64_t answer_count() = 0;
};

/// Opens a store from its address: "sqlite:PATH" (a file, created when missing; WAL journal)
/// or "postgresql://..." / "postgres://..." (a libpq connection URI). `connections` is the
/// number of connections a pool keeps (at least the number of server threads). Throws
/// invalid_argument for an address of another kind, store_error when it cannot be opened.
std::unique_ptr<store> open_store(std::string_view address, int connections = 4);

/// The SQLite store (one connection per concurrent caller; WAL, synchronous=NORMAL: a
/// committed transaction survives the process being killed).
std::unique_ptr<store> open_sqlite_store(const std::string& path, int connections);
/// The PostgreSQL store (a pool of libpq connections; SELECT ... FOR UPDATE locks a session).
std::unique_ptr<store> open_postgres_store(const std::string& uri, int connections);

}  // namespace serve
DSKILL_END_NAMESPACE
