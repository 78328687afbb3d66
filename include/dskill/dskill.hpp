// dskill: umbrella header. Never included by dskill's own headers.
#pragma once
#include "dskill/bank/item_bank.hpp"
#include "dskill/config.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/error.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/kernels.hpp"
#include "dskill/irt/model.hpp"
#include "dskill/version.hpp"
