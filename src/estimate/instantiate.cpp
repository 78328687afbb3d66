// The one instantiation unit of estimate (fmt's pattern): ML, MAP, WLE, EAP and eap_scorer for
// double and float tables. Users' translation units see `extern template` for these.
#include "dskill/estimate/estimate-inl.hpp"

DSKILL_BEGIN_NAMESPACE
namespace estimate {

DSKILL_ESTIMATE_FOR(, double)
DSKILL_ESTIMATE_FOR(, float)

}  // namespace estimate
DSKILL_END_NAMESPACE
