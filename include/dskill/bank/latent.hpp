// dskill::bank: the latent (ability) distribution a bank was calibrated on.
//
// dskill calibrate records it in the bank's `calibration` metadata: `latent` lists each
// group's {mean, sd} (group 0 is the reference), and 1PL/PCM calibrations under the Rasch
// convention (slopes fixed at 1, latent SD free) also record `rasch_latent_sd`. Scoring with a
// N(0, 1) prior a bank calibrated on N(0, 1.7) puts EAPs far from mirt's (which uses the
// fitted distribution), so score:: takes its default prior from here.
#pragma once
#include <optional>

#include "dskill/bank/item_bank.hpp"

DSKILL_BEGIN_NAMESPACE
namespace bank {

struct latent_normal {
  double mean = 0.0;
  double sd = 1.0;
};

/// The reference group's distribution from `calibration.latent[0]`, else N(0,
/// `calibration.rasch_latent_sd`); empty when the bank records neither (or not as finite
/// numbers with sd > 0). Never throws on odd metadata: it is free text to the bank reader.
std::optional<latent_normal> latent_distribution(const bank_info& info);

}  // namespace bank
DSKILL_END_NAMESPACE
