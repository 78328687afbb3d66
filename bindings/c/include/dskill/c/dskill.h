/* dskill C API: item banks, frameworks, adaptive test sessions and batch scoring through a C ABI.
 *
 * Conventions (as libgit2 and zstd):
 *   - Objects are opaque handles created through an `out` pointer and released with the
 *     matching dsk_*_free, which accepts NULL.
 *   - Every fallible call returns an int status: DSK_OK (0) or a negative DSK_E* code, the
 *     negated value of dskill::errc. The message of the last failure on the calling thread is
 *     dsk_last_error_message(); it carries the same text (and input location) as the C++ error.
 *   - No C++ exception ever crosses this boundary.
 *   - Strings returned as `const char*` are borrowed from their handle (valid until it is freed);
 *     variable-size byte output uses the buffer convention of snprintf: pass (buf, cap) and get
 *     the size needed in *out_len; with buf NULL and cap 0 the call only reports the size.
 *   - Option structs start with a `version` field; initialise them with the *_INIT macros.
 *   - Batch arrays belong to the caller: responses are int8 categories, -1 = not administered.
 *
 * Handles are immutable after creation (banks, frameworks, test specifications) and can be shared
 * by any number of threads; a session is used by one thread at a time.
 *
 * Installed as <dskill/c/dskill.h>; link with -ldskill_c (libdskill_c.so embeds the engine).
 */
#ifndef DSKILL_C_DSKILL_H
#define DSKILL_C_DSKILL_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(DSK_BUILDING_LIBRARY)
#    define DSK_API __declspec(dllexport)
#  else
#    define DSK_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define DSK_API __attribute__((visibility("default")))
#else
#  define DSK_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define DSK_NODISCARD __attribute__((warn_unused_result))
#else
#  define DSK_NODISCARD
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version ------------------------------------------------------------------------------ */

#define DSK_VERSION_MAJOR 0
#define DSK_VERSION_MINOR 1
#define DSK_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH of the header you compile against. */
#define DSK_VERSION_NUMBER (DSK_VERSION_MAJOR * 10000 + DSK_VERSION_MINOR * 100 + DSK_VERSION_PATCH)

/** Version of the library at run time, as DSK_VERSION_NUMBER. */
DSK_API unsigned dsk_version_number(void);
/** Version of the library at run time ("0.1.0"). Static storage. */
DSK_API const char* dsk_version_string(void);

/* ---- status codes: the negated dskill::errc values; never renumbered ----------------------- */

#define DSK_OK 0
#define DSK_EINVALID (-1)        /**< an argument outside its documented domain (NULL handle, bad option) */
#define DSK_EPARSE (-2)          /**< a file or string is not well-formed */
#define DSK_EBANK (-3)           /**< an item bank is well-formed but invalid */
#define DSK_EFRAMEWORK (-4)      /**< a competency framework is invalid */
#define DSK_ENOITEMS (-5)        /**< a CAT step found no eligible item */
#define DSK_ESERIALIZATION (-6)  /**< a snapshot is truncated, corrupted or for another bank */
#define DSK_EIO (-7)             /**< a file could not be opened, read or written */
#define DSK_ESTATE (-8)          /**< a call not valid in the object's state (e.g. answering an item not offered) */
#define DSK_ENOTSUP (-9)         /**< a valid request this build or model cannot serve */
#define DSK_ENOMEM (-98)         /**< out of memory (C API only) */
#define DSK_EINTERNAL (-99)      /**< a bug: please report it */

/** Message of the last failed call on this thread ("" if none). Never NULL; valid until the
 *  next failing call on the same thread. */
DSK_API const char* dsk_last_error_message(void);
/** Status of the last failed call on this thread (DSK_OK if none). */
DSK_API int dsk_last_error_code(void);
/** Clears this thread's last error. */
DSK_API void dsk_clear_error(void);
/** Short name of a status ("bank_error", "ok", ...). Static storage; "unknown" for other values. */
DSK_API const char* dsk_status_name(int status);

/* ---- opaque handles -------------------------------------------------------------------------- */

typedef struct dsk_bank dsk_bank;                /**< an immutable item bank */
typedef struct dsk_framework dsk_framework;      /**< an immutable competency framework */
typedef struct dsk_test_spec dsk_test_spec;      /**< an adaptive test specification */
typedef struct dsk_session dsk_session;          /**< one examinee's adaptive test */
typedef struct dsk_diagnostics dsk_diagnostics;  /**< a list of validation problems */

/* ---- frameworks ---------------------------------------------------------------------------- */

/** Reads and checks a framework YAML file. DSK_EIO, DSK_EPARSE or DSK_EFRAMEWORK on failure. */
DSK_API DSK_NODISCARD int dsk_framework_load(dsk_framework** out, const char* path);
/** As dsk_framework_load from YAML text of `len` bytes; `name` (may be NULL) names it in messages. */
DSK_API DSK_NODISCARD int dsk_framework_parse(dsk_framework** out, const char* yaml, size_t len, const char* name);
DSK_API void dsk_framework_free(dsk_framework* framework);
/** Framework id and version (borrowed). NULL for a NULL handle. */
DSK_API const char* dsk_framework_id(const dsk_framework* framework);
DSK_API const char* dsk_framework_version(const dsk_framework* framework);
DSK_API size_t dsk_framework_area_count(const dsk_framework* framework);
DSK_API size_t dsk_framework_competence_count(const dsk_framework* framework);

/* ---- item banks ---------------------------------------------------------------------------- */

/** Reads and checks a bank YAML file; `framework` (may be NULL) adds the framework checks.
 *  DSK_EIO, DSK_EPARSE or DSK_EBANK on failure (message: first problem, with file:line:column). */
DSK_API DSK_NODISCARD int dsk_bank_load(dsk_bank** out, const char* path, const dsk_framework* framework);
/** As dsk_bank_load from YAML text of `len` bytes; `name` (may be NULL) names it in messages. */
DSK_API DSK_NODISCARD int dsk_bank_parse(dsk_bank** out, const char* yaml, size_t len, const char* name,
                                         const dsk_framework* framework);
DSK_API void dsk_bank_free(dsk_bank* bank);
/** Number of items (0 for NULL). */
DSK_API size_t dsk_bank_size(const dsk_bank* bank);
/** Bank id, and content fingerprint "sha256:<hex>" (borrowed; NULL for a NULL handle). */
DSK_API const char* dsk_bank_id(const dsk_bank* bank);
DSK_API const char* dsk_bank_fingerprint(const dsk_bank* bank);
/** Id of the item at `index` (borrowed), or NULL when out of range. */
DSK_API const char* dsk_bank_item_id(const dsk_bank* bank, size_t index);
/** Index of the item with this id. DSK_EINVALID when there is none. */
DSK_API DSK_NODISCARD int dsk_bank_find(const dsk_bank* bank, const char* item_id, size_t* out_index);
/** Number of response categories of an item (2 for dichotomous), 0 when out of range. */
DSK_API int dsk_bank_item_categories(const dsk_bank* bank, size_t index);
/** The bank as schema v1 YAML text, snprintf convention: *out_len = bytes needed (without the
 *  terminating NUL); the text and a NUL are written when cap > *out_len, else DSK_EINVALID
 *  (unless buf is NULL and cap is 0: a size query, DSK_OK). */
DSK_API DSK_NODISCARD int dsk_bank_to_yaml(const dsk_bank* bank, char* buf, size_t cap, size_t* out_len);

/* ---- validation ---------------------------------------------------------------------------- */

#define DSK_SEVERITY_ERROR 0
#define DSK_SEVERITY_WARNING 1
#define DSK_SEVERITY_NOTE 2

/** One problem; strings are borrowed from the dsk_diagnostics handle ("" when unknown). */
typedef struct dsk_diagnostic {
  int severity;          /**< DSK_SEVERITY_* */
  const char* code;      /**< stable kebab-case code ("unknown-key", "duplicate-id", ...) */
  const char* message;
  const char* file;
  int line;              /**< 1-based; 0 = unknown */
  int column;            /**< 1-based; 0 = unknown */
  const char* item_id;
  const char* text;      /**< "file:line:col: error: item 'q7': message" */
} dsk_diagnostic;

/** Checks a bank file and collects every problem (up to 100). Bad input is not a failure: the
 *  call returns DSK_OK with the problems in *out (an unreadable file is a diagnostic too). */
DSK_API DSK_NODISCARD int dsk_validate_bank_file(dsk_diagnostics** out, const char* path,
                                                 const dsk_framework* framework);
/** Checks a framework file the same way. */
DSK_API DSK_NODISCARD int dsk_validate_framework_file(dsk_diagnostics** out, const char* path);
DSK_API void dsk_diagnostics_free(dsk_diagnostics* diagnostics);
/** Number of diagnostics, and of those with severity error (0 for NULL). */
DSK_API size_t dsk_diagnostics_count(const dsk_diagnostics* diagnostics);
DSK_API size_t dsk_diagnostics_error_count(const dsk_diagnostics* diagnostics);
/** Diagnostic `index` into *out. DSK_EINVALID when out of range. */
DSK_API DSK_NODISCARD int dsk_diagnostics_get(const dsk_diagnostics* diagnostics, size_t index, dsk_diagnostic* out);

/* ---- estimation and batch scoring ---------------------------------------------------------- */

#define DSK_METHOD_EAP 0  /**< expected a posteriori on a grid (posterior SD as SE) */
#define DSK_METHOD_MAP 1  /**< maximum a posteriori with a normal prior */
#define DSK_METHOD_ML 2   /**< maximum likelihood (bounded; extreme patterns get the bound) */
#define DSK_METHOD_WLE 3  /**< weighted likelihood (Warm, or the Jeffreys mode) */

#define DSK_SE_EXPECTED 0  /**< SE from Fisher (expected) information (catR) */
#define DSK_SE_OBSERVED 1  /**< SE from observed information (mirt) */

#define DSK_WLE_WARM 0
#define DSK_WLE_JEFFREYS 1

/** Estimate statuses (dsk_estimate.status, batch status_out). */
#define DSK_EST_OK 0
#define DSK_EST_NO_RESPONSES 1
#define DSK_EST_AT_UPPER_BOUND 2
#define DSK_EST_AT_LOWER_BOUND 3
#define DSK_EST_MAX_ITERATIONS 4

#define DSK_SCORE_OPTIONS_VERSION 1u
/** Estimator options. Initialise with DSK_SCORE_OPTIONS_INIT (mirt's defaults: EAP on 121
 *  points over [-6, 6], the bank's latent distribution as the prior; ML/MAP/WLE search
 *  [-4, 4]). prior_sd 0 (the INIT value) means the prior of the bank: N(mean, sd) of the
 *  distribution it was calibrated on when it records one (a PCM/Rasch bank's latent SD), else
 *  N(0, 1); any other prior_sd sets the prior N(prior_mean, prior_sd) explicitly. */
typedef struct dsk_score_options {
  uint32_t version;      /**< DSK_SCORE_OPTIONS_VERSION */
  int method;            /**< DSK_METHOD_* */
  double prior_mean;     /**< normal prior of EAP and MAP (used when prior_sd != 0) */
  double prior_sd;       /**< 0 = the bank's latent distribution */
  double grid_lo;        /**< EAP grid */
  double grid_hi;
  int grid_points;
  double lower_bound;    /**< search range of ML, MAP, WLE */
  double upper_bound;
  int se_information;    /**< DSK_SE_* */
  int wle_variant;       /**< DSK_WLE_* */
  unsigned threads;      /**< batch threads; 0 = every hardware thread */
} dsk_score_options;
#define DSK_SCORE_OPTIONS_INIT \
  { DSK_SCORE_OPTIONS_VERSION, DSK_METHOD_EAP, 0.0, 0.0, -6.0, 6.0, 121, -4.0, 4.0, DSK_SE_EXPECTED, DSK_WLE_WARM, 0u }

/** Scores a persons x columns matrix of int8 categories (-1 = not administered) in place of the
 *  caller's arrays: row p starts at responses + p * row_stride (row_stride >= n_columns, in
 *  elements). Column j is bank item columns[j], or item j when `columns` is NULL (the matrix
 *  must then have exactly one column per bank item: DSK_EINVALID otherwise). theta_out and
 *  se_out (n_persons each) are required; status_out (DSK_EST_*) may be NULL. `options` may be
 *  NULL for the defaults. A category outside an item's range fails the whole call with
 *  DSK_EINVALID naming the row and item, before anything is written. Runs on options->threads
 *  threads; the results do not depend on the thread count. */
DSK_API DSK_NODISCARD int dsk_score_batch(const dsk_bank* bank, const int8_t* responses, size_t n_persons,
                                          size_t n_columns, size_t row_stride, const uint32_t* columns,
                                          double* theta_out, double* se_out, int32_t* status_out,
                                          const dsk_score_options* options);

/** Estimates one pattern given as parallel arrays of item indices and categories. */
DSK_API DSK_NODISCARD int dsk_estimate(const dsk_bank* bank, const uint32_t* items, const int32_t* categories,
                                       size_t n, const dsk_score_options* options, double* theta_out,
                                       double* se_out, int32_t* status_out);

/* ---- adaptive tests ------------------------------------------------------------------------ */

/** A specification from a YAML file, from YAML text, or the defaults (MFI, EAP, 20 items).
 *  Sessions created from one specification and one bank share an engine (precomputed tables
 *  and live exposure counts). */
DSK_API DSK_NODISCARD int dsk_test_spec_load(dsk_test_spec** out, const char* path);
DSK_API DSK_NODISCARD int dsk_test_spec_parse(dsk_test_spec** out, const char* yaml, size_t len, const char* name);
DSK_API DSK_NODISCARD int dsk_test_spec_default(dsk_test_spec** out);
DSK_API void dsk_test_spec_free(dsk_test_spec* spec);

/** Why a test ended (dsk_session_finish_reason). */
#define DSK_FINISH_NOT_FINISHED 0
#define DSK_FINISH_MAX_ITEMS 1
#define DSK_FINISH_SE_REACHED 2
#define DSK_FINISH_INFORMATION_EXHAUSTED 3
#define DSK_FINISH_CLASSIFIED 4
#define DSK_FINISH_RULES_MET 5
#define DSK_FINISH_BANK_EXHAUSTED 6
#define DSK_FINISH_USER_RULE 7 /**< a stopping rule registered by the user (C++ or Python) */

/** A new session over `bank` under `spec`; `seed` drives its random choices. */
DSK_API DSK_NODISCARD int dsk_session_new(dsk_session** out, const dsk_bank* bank, const dsk_test_spec* spec,
                                          uint64_t seed);
DSK_API void dsk_session_free(dsk_session* session);
/** The item to give next (bank index) in *out_item, or -1 when the test is over (then see
 *  dsk_session_finish_reason). Asking again before the answer gives the same item. */
DSK_API DSK_NODISCARD int dsk_session_next_item(dsk_session* session, int64_t* out_item);
/** Records the answer (category 0..K-1) to the offered item. *out_counted (may be NULL) is 0 when
 *  the same answer was already recorded. DSK_ESTATE for an item that was not offered or a
 *  different answer to an answered item; DSK_EINVALID for a category out of range. */
DSK_API DSK_NODISCARD int dsk_session_record_response(dsk_session* session, int64_t item, int category,
                                                      int* out_counted);
/** As dsk_session_record_response, by item id. */
DSK_API DSK_NODISCARD int dsk_session_record_response_id(dsk_session* session, const char* item_id, int category,
                                                         int* out_counted);
/** Offers an item chosen outside the engine (bank index, or id): it becomes the pending item, as
 *  if dsk_session_next_item had returned it, and is answered with dsk_session_record_response;
 *  snapshots keep it. *out_new (may be NULL) is 0 when it was already the pending item.
 *  DSK_EINVALID for an item outside the bank; DSK_ESTATE when it was answered, another item is
 *  pending, the test is over, or the specification would not give it now (status, an enemy of
 *  an answered item, set aside by Sympson-Hetter) and override_constraints is 0. */
DSK_API DSK_NODISCARD int dsk_session_administer(dsk_session* session, int64_t item, int override_constraints,
                                                 int* out_new);
DSK_API DSK_NODISCARD int dsk_session_administer_id(dsk_session* session, const char* item_id,
                                                    int override_constraints, int* out_new);
/** Current estimate and SE (either pointer may be NULL). */
DSK_API DSK_NODISCARD int dsk_session_estimate(const dsk_session* session, double* theta_out, double* se_out);
/** Profile (multidimensional) banks: the number of latent dimensions the estimate has (1 for a
 *  unidimensional bank; 0 for NULL). */
DSK_API size_t dsk_session_dimensions(const dsk_session* session);
/** The estimate now as a profile: `dims` (= dsk_session_dimensions, else DSK_EINVALID) values of
 *  theta in bank dimension order, the dims x dims covariance (row-major) and the per-dimension
 *  SEs; any output may be NULL. A unidimensional session gives theta, SE^2 and SE. */
DSK_API DSK_NODISCARD int dsk_session_profile(const dsk_session* session, size_t dims, double* theta_out, double* cov_out,
                                              double* se_out);
/** The number of dimensions the stopping rule and the classification read (the test
 *  specification's stopping.areas; 0 for NULL). */
DSK_API size_t dsk_session_area_count(const dsk_session* session);
/** Per such dimension (n = dsk_session_area_count, else DSK_EINVALID): its bank dimension index,
 *  its level (0 = below every cut of the dimension, counting up; -1 when undecided) and whether
 *  it is decided (1/0), against the specification's cuts (stopping.cuts or
 *  stopping.classification.area_cuts); any output may be NULL. */
DSK_API DSK_NODISCARD int dsk_session_area_levels(const dsk_session* session, size_t n, uint32_t* dimension_out,
                                                  int32_t* level_out, int32_t* decided_out);
/** Number of answered items, and DSK_FINISH_* (both 0 for NULL). */
DSK_API size_t dsk_session_answered(const dsk_session* session);
DSK_API int dsk_session_finish_reason(const dsk_session* session);
/** The session as bytes (versioned envelope with the bank fingerprint and a checksum), in the
 *  buffer convention. UNKEYED: the answers are readable and a client can change them and
 *  recompute the checksum; for local use only (dsk_session_snapshot_sealed otherwise). Restore
 *  recomputes every estimate from the answers. Buffer convention: *out_len = bytes needed; copied when cap >= *out_len, else DSK_EINVALID
 *  (buf NULL and cap 0: a size query, DSK_OK). */
DSK_API DSK_NODISCARD int dsk_session_snapshot(const dsk_session* session, unsigned char* buf, size_t cap,
                                               size_t* out_len);
/** A session from a snapshot. With `spec` (may be NULL) it joins that specification's engine,
 *  whose specification must equal the snapshot's. DSK_ESERIALIZATION for a truncated,
 *  corrupted or foreign-bank snapshot (nothing is created). */
DSK_API DSK_NODISCARD int dsk_session_restore(dsk_session** out, const dsk_bank* bank, const dsk_test_spec* spec,
                                              const unsigned char* bytes, size_t len);
/** As dsk_session_snapshot, sealed under a 32-byte server secret (XChaCha20-Poly1305): a client
 *  holding the bytes can neither read the answers nor change them. Use it whenever a snapshot
 *  leaves the server. */
DSK_API DSK_NODISCARD int dsk_session_snapshot_sealed(const dsk_session* session, const unsigned char key[32],
                                                      unsigned char* buf, size_t cap, size_t* out_len);
/** As dsk_session_restore, of a sealed snapshot only: unsealed or changed bytes, or bytes sealed
 *  with another key, give DSK_ESERIALIZATION (nothing is created). */
DSK_API DSK_NODISCARD int dsk_session_restore_sealed(dsk_session** out, const dsk_bank* bank, const dsk_test_spec* spec,
                                                     const unsigned char key[32], const unsigned char* bytes, size_t len);

/* ---- credentials ---------------------------------------------------------------------------- */

#define DSK_VERIFY_OPTIONS_VERSION 1u
/** What credential verification may use besides the credential (no network is ever used).
 *  Initialise with DSK_VERIFY_OPTIONS_INIT. */
typedef struct dsk_verify_options {
  uint32_t version;                  /**< DSK_VERIFY_OPTIONS_VERSION */
  const char* const* did_documents;  /**< DID documents (JSON texts) of did:web issuers */
  size_t n_did_documents;
  const char* const* status_lists;   /**< BitstringStatusListCredentials (JSON texts) */
  size_t n_status_lists;
  const unsigned char* public_key;   /**< 32 bytes: require this Ed25519 key; NULL: any key of the issuer */
  const char* issuer;                /**< require this issuer DID; NULL: any */
  const char* now;                   /**< ISO 8601 instant to check the dates at; NULL: the clock */
  int require_status;                /**< non-zero: invalid when a status entry's list is not given */
} dsk_verify_options;
#define DSK_VERIFY_OPTIONS_INIT { DSK_VERIFY_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 }

/** Verifies a verifiable credential (JSON text of `len` bytes): its Data Integrity proof
 *  (eddsa-rdfc-2022 or eddsa-jcs-2022) by a key of its issuer (did:key, or did:web with its DID
 *  document), validFrom/validUntil, and its Bitstring Status List entries against the lists
 *  given. DSK_OK whenever the check ran: *valid_out is 1 or 0, and the reason it is not valid
 *  ("" when valid) goes to `reason` in the buffer convention (NUL-terminated; *reason_len
 *  counts the NUL; reason NULL and cap 0 only ask the size). `options` may be NULL. */
DSK_API DSK_NODISCARD int dsk_verify_credential(const char* json, size_t len, const dsk_verify_options* options,
                                                int* valid_out, char* reason, size_t cap, size_t* reason_len);

#ifdef __cplusplus
}
#endif
#endif /* DSKILL_C_DSKILL_H */
