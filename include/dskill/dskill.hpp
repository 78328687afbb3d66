// dskill: umbrella header (everything public). Never included by dskill's own headers; include
// the layer headers you need to keep compile times down.
#pragma once
#include "dskill/config.hpp"
#include "dskill/error.hpp"
#include "dskill/fwd.hpp"
#include "dskill/version.hpp"

#include "dskill/core/diagnostic.hpp"
#include "dskill/core/localized.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/core/response.hpp"
#include "dskill/core/rng.hpp"

#include "dskill/irt/kernels.hpp"
#include "dskill/irt/model.hpp"

#include "dskill/estimate/estimate.hpp"

#include "dskill/bank/item_bank.hpp"
#include "dskill/bank/latent.hpp"
#include "dskill/bank/yaml.hpp"
#include "dskill/framework/framework.hpp"

#include "dskill/io/csv.hpp"
#include "dskill/io/output_file.hpp"
#include "dskill/io/reject_code.hpp"
#include "dskill/io/response_matrix.hpp"
#include "dskill/io/response_reader.hpp"

#include "dskill/ld/ld.hpp"

#include "dskill/cat/engine.hpp"
#include "dskill/cat/rng.hpp"
#include "dskill/cat/record.hpp"
#include "dskill/cat/registry.hpp"
#include "dskill/cat/replay.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/simulate.hpp"
#include "dskill/cat/spec.hpp"

#include "dskill/calibrate/bank_output.hpp"
#include "dskill/calibrate/calibrate.hpp"
#include "dskill/calibrate/dif.hpp"
#include "dskill/calibrate/fit.hpp"
#include "dskill/calibrate/linking.hpp"
#include "dskill/calibrate/simulate.hpp"

#include "dskill/score/batch.hpp"
#include "dskill/score/credential.hpp"
#include "dskill/score/framework_levels.hpp"
#include "dskill/score/levels.hpp"
#include "dskill/score/matrix.hpp"
#include "dskill/score/scorer.hpp"

#include "dskill/report/html.hpp"
#include "dskill/report/report.hpp"
#include "dskill/report/svg.hpp"
