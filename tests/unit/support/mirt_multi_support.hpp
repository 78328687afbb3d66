// mirt's multidimensional estimates in reference/mirt_multi.json as dskill objects: the items of a
// case (slopes a1..aD, intercept d; 2PL) and its latent covariance as an MVN prior. Shared by the
// profile estimation and the profile CAT tests.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dskill/estimate/multidim.hpp"
#include "dskill/irt/multidim.hpp"

namespace dskill_test {

/// mirt's item estimates of a case as a store (2PL links, D = 1).
inline dskill::irt::multidim_store mirt_items(const nlohmann::json& items, std::size_t dims) {
  dskill::irt::multidim_store store(dims);
  for (const auto& item : items) {
    std::vector<double> slopes;
    for (std::size_t d = 0; d < dims; ++d) slopes.push_back(item.at("a" + std::to_string(d + 1)).get<double>());
    store.push_back({{dskill::irt::model::two_pl, 1.0, 0.0, 1.0, {item.at("d").get<double>()}, {}}, slopes});
  }
  return store;
}

/// A zero-mean MVN prior with the given covariance (a JSON list of rows).
inline dskill::estimate::mvn_prior prior_of(const nlohmann::json& cov) {
  using dskill::estimate::profile_matrix;
  using dskill::estimate::profile_vector;
  const auto n = static_cast<Eigen::Index>(cov.size());
  dskill::estimate::mvn_prior p{profile_vector::Zero(n), profile_matrix(n, n)};
  for (Eigen::Index r = 0; r < n; ++r)
    for (Eigen::Index c = 0; c < n; ++c) p.covariance(r, c) = cov.at(r).at(c).get<double>();
  return p;
}

}  // namespace dskill_test
