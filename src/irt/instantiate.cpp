// The one instantiation unit of irt (fmt's pattern): the kernels for item_params and for items
// read from double and float tables. Users' translation units see `extern template` for these.
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace irt {

DSKILL_IRT_KERNELS_FOR(, item_params)
DSKILL_IRT_KERNELS_FOR(, basic_item_ref<double>)
DSKILL_IRT_KERNELS_FOR(, basic_item_ref<float>)
template struct basic_item_ref<double>;
template struct basic_item_ref<float>;
template class basic_item_store<double>;
template class basic_item_store<float>;

}  // namespace irt
DSKILL_END_NAMESPACE
