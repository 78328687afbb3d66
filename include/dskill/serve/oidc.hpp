// dskill::serve: OpenID Connect ID tokens from the platform's login (for Vietnam, VNeID).
//
// The service never sees a password: the platform logs the person in and hands the page an ID
// token (a JWS, RFC 7515/7519) from its issuer. The service checks it against the issuer's
// JSON Web Key Set (RFC 7517) and keeps only a pseudonym of the pairwise subject
// (score::person_pseudonym of "iss sub"), never the token or the subject itself.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace serve {

struct oidc_options {
  std::string issuer;     ///< the expected "iss", exactly (e.g. "https://sso.example.vn")
  std::string audience;   ///< the expected "aud" (the platform's client id)
  /// Where the keys are: a file holding a JWKS (JSON), or an http:// URL serving one (fetched at
  /// start and again, at most once a minute, when a token names a key id not in the set).
  std::string jwks;
  std::int64_t leeway_s = 60;  ///< clock skew allowed on exp, nbf and iat
};

/// The claims the service uses from a verified token.
struct id_token_claims {
  std::string issuer, subject, audience;
  std::int64_t expires = 0, issued_at = 0;
};

/// Verifies ID tokens. Thread-safe.
class oidc_verifier {
 public:
  /// Loads the key set; throws invalid_argument (bad options or key set) or io_error (cannot
  /// read or fetch it).
  explicit oidc_verifier(oidc_options o);
  ~oidc_verifier();
  oidc_verifier(const oidc_verifier&) = delete;
  oidc_verifier& operator=(const oidc_verifier&) = delete;

  /// The claims of a valid token: compact JWS with alg RS256, ES256 or EdDSA (never "none" or an
  /// HMAC alg), signed by a key of the set whose kid (when the token names one) and kty match;
  /// iss equal to the issuer; aud equal to (or, as an array, containing) the audience;
  /// exp > now - leeway, nbf and iat <= now + leeway; sub non-empty. Throws invalid_argument
  /// with the reason otherwise (the message names what failed, never the token).
  id_token_claims verify(std::string_view token, std::int64_t now_s) const;

  const oidc_options& options() const noexcept;
  /// The key ids of the set now loaded.
  std::vector<std::string> key_ids() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace serve
DSKILL_END_NAMESPACE
