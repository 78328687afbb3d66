// dskill: forward declarations of the main public types, for headers that only pass them by
// reference or pointer (include the defining header to use one).
#pragma once
#include <cstdint>
#include <memory>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE

// core
class error;
struct location;
struct response;
struct grid_spec;
struct prior;
struct quadrature;
struct localized_text;
struct diagnostic;
namespace core {
class rng;
}  // namespace core

namespace irt {
enum class model : std::uint8_t;
struct item_params;
struct difficulty_form;
template <class Real>
struct basic_item_ref;
template <class Real>
struct basic_item_table;
template <class Real>
class basic_item_store;
using item_ref = basic_item_ref<double>;
using item_table = basic_item_table<double>;
using item_store = basic_item_store<double>;
}  // namespace irt

namespace estimate {
using response = dskill::response;
struct options;
template <class Real>
struct basic_result;
template <class Real>
class basic_eap_scorer;
using result = basic_result<double>;
using eap_scorer = basic_eap_scorer<double>;
}  // namespace estimate

namespace bank {
struct bank_item;
struct bank_info;
class item_bank;
using bank_ptr = std::shared_ptr<const item_bank>;
}  // namespace bank

namespace framework {
class framework;
using framework_ptr = std::shared_ptr<const framework>;
}  // namespace framework

namespace cat {
struct test_spec;
class engine;
class session;
using core::rng;
}  // namespace cat

namespace score {
class scorer;
struct person_result;
struct batch_options;
}  // namespace score

namespace calibrate {
struct options;
struct problem;
struct result;
}  // namespace calibrate

DSKILL_END_NAMESPACE
