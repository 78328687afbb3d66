#include "dskill/bank/item_bank.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dskill/core/hash.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace bank {

std::string_view to_string(dimension_role r) noexcept {
  switch (r) {
    case dimension_role::area: return "area";
    case dimension_role::general: return "general";
    case dimension_role::specific: return "specific";
  }
  return "?";
}

std::string_view to_string(item_status s) noexcept {
  switch (s) {
    case item_status::operational: return "operational";
    case item_status::pretest: return "pretest";
    case item_status::retired: return "retired";
  }
  return "?";
}

namespace {
// Parameters enter the fingerprint at 12 significant digits, so that a bank written in
// difficulty form and read back (b = -d/a and back) keeps its fingerprint despite last-bit
// rounding differences.
void append_number(std::string& out, double x) { fmt::format_to(std::back_inserter(out), "{:.12g},", x == 0.0 ? 0.0 : x); }

std::string compute_fingerprint(const bank_info& info, const std::vector<bank_item>& items) {
  std::string canon = "dskill-bank-fingerprint-v1\n";
  append_number(canon, info.scaling);
  canon += '\n';
  for (const auto& it : items) {
    canon += it.id;
    canon += '\t';
    canon += irt::to_string(it.params.kind);
    canon += '\t';
    append_number(canon, it.params.slope);
    append_number(canon, it.params.lower);
    append_number(canon, it.params.upper);
    canon += '|';
    for (double d : it.params.intercepts) append_number(canon, d);
    canon += '|';
    for (double s : it.params.scores) append_number(canon, s);
    if (!info.dimensions.empty()) {
      canon += '|';
      for (double a : it.slopes) append_number(canon, a);
    }
    canon += '\n';
  }
  // Profile banks add their latent structure; unidimensional banks keep the fingerprints they had.
  if (!info.dimensions.empty()) {
    canon += "dimensions\n";
    for (const auto& d : info.dimensions) {
      canon += d.id;
      canon += '\t';
      canon += d.area;
      canon += '\t';
      canon += to_string(d.role);
      canon += '\n';
    }
    for (double m : info.latent_mean) append_number(canon, m);
    canon += '|';
    for (double c : info.latent_covariance) append_number(canon, c);
    canon += '\n';
  }
  return core::sha256_hex(canon);
}
}  // namespace

namespace {
// Checks the latent structure of a profile bank; fills a missing mean with zeros.
void check_latent(bank_info& info) {
  const std::size_t dims = info.dimensions.size();
  if (dims == 0) {
    if (!info.latent_mean.empty() || !info.latent_covariance.empty())
      throw bank_error("a latent mean or covariance needs the bank's dimensions");
    return;
  }
  if (dims > irt::max_dimensions)
    throw bank_error(fmt::format("{} dimensions: a bank may have at most {}", dims, irt::max_dimensions));
  for (std::size_t d = 0; d < dims; ++d) {
    if (info.dimensions[d].id.empty()) throw bank_error(fmt::format("dimension {} has an empty id", d + 1));
    for (std::size_t e = 0; e < d; ++e)
      if (info.dimensions[e].id == info.dimensions[d].id)
        throw bank_error(fmt::format("dimension '{}' is listed twice", info.dimensions[d].id));
  }
  if (info.latent_mean.empty()) info.latent_mean.assign(dims, 0.0);
  if (info.latent_covariance.empty()) {
    info.latent_covariance.assign(dims * dims, 0.0);
    for (std::size_t d = 0; d < dims; ++d) info.latent_covariance[d * dims + d] = 1.0;
  }
  if (info.latent_mean.size() != dims)
    throw bank_error(fmt::format("the latent mean has {} entries for {} dimensions", info.latent_mean.size(), dims));
  if (info.latent_covariance.size() != dims * dims)
    throw bank_error(fmt::format("the latent covariance has {} entries; {} dimensions need {} x {}",
                                 info.latent_covariance.size(), dims, dims, dims));
  if (auto problem = irt::check_covariance(info.latent_covariance, dims); !problem.empty())
    throw bank_error("latent covariance: " + problem);
}
}  // namespace

item_bank::item_bank(bank_info info, std::vector<bank_item> items)
    : info_(std::move(info)), items_(std::move(items)), multidim_(info_.dimensions.empty() ? 1 : info_.dimensions.size()) {
  if (!(info_.scaling > 0) || !std::isfinite(info_.scaling))
    throw bank_error(fmt::format("scaling constant D must be a finite number > 0, got {}", info_.scaling));
  check_latent(info_);
  const std::size_t n = items_.size();
  // Sessions, tables and response records index items with 32 bits.
  if (n > std::numeric_limits<std::uint32_t>::max())
    throw bank_error(fmt::format("{} items: a bank holds at most {}", n, std::numeric_limits<std::uint32_t>::max()));
  index_.reserve(n);
  slope_.resize(n);
  intercept_.resize(n);
  lower_.resize(n);
  upper_.resize(n);
  difficulty_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = items_[i];
    if (it.id.empty()) throw bank_error(fmt::format("item {} has an empty id", i + 1));
    if (!index_.emplace(it.id, i).second)
      throw bank_error("duplicate item id", location{.item_id = it.id});
    if (auto problem = irt::check_params(it.params); !problem.empty())
      throw bank_error(problem, location{.item_id = it.id});
    const auto& p = it.params;
    if (multidimensional()) {
      if (it.slopes.size() != info_.dimensions.size())
        throw bank_error(fmt::format("the item has {} slopes; the bank has {} dimensions", it.slopes.size(),
                                     info_.dimensions.size()),
                         location{.item_id = it.id});
      if (auto problem = irt::check_slopes(it.slopes); !problem.empty())
        throw bank_error(problem, location{.item_id = it.id});
      multidim_.push_back({p, it.slopes});
    } else {
      if (!it.slopes.empty())
        throw bank_error("the item has slopes per dimension, but the bank states no dimensions", location{.item_id = it.id});
      multidim_.push_back({p, {p.slope}});
    }
    table_.push_back(p);
    slope_[i] = p.slope;
    max_categories_ = std::max(max_categories_, p.categories());
    if (irt::is_dichotomous(p.kind)) {
      intercept_[i] = p.intercepts[0];
      lower_[i] = p.lower;
      upper_[i] = p.upper;
      difficulty_[i] = -p.intercepts[0] / p.slope;
    } else {
      all_dichotomous_ = false;
      polytomous_.push_back(static_cast<std::uint32_t>(i));
      intercept_[i] = std::numeric_limits<double>::quiet_NaN();
      lower_[i] = 0.0;
      upper_[i] = 1.0;
      // Location of a polytomous item: the theta where the expected score is half the maximum
      // is costly; the mean threshold/step is the convention catR's bOpt uses for polytomous.
      double sum = 0.0;
      if (p.kind == irt::model::grm) {
        for (double d : p.intercepts) sum += -d / p.slope;
      } else if (p.kind != irt::model::nominal) {
        double prev = 0.0;
        for (double d : p.intercepts) {
          sum += -(d - prev) / p.slope;
          prev = d;
        }
      }
      difficulty_[i] = sum / static_cast<double>(p.intercepts.size());
    }
  }
  fingerprint_ = compute_fingerprint(info_, items_);
}

const item_content* bank_item::content_for(std::string_view language) const noexcept {
  for (const auto& [lang, c] : content)
    if (lang == language) return &c;
  for (const auto& [lang, c] : content)
    if (lang == "en") return &c;
  return content.empty() ? nullptr : &content.front().second;
}

std::optional<std::size_t> item_bank::find_dimension(std::string_view id) const noexcept {
  for (std::size_t d = 0; d < info_.dimensions.size(); ++d)
    if (info_.dimensions[d].id == id) return d;
  return std::nullopt;
}

std::optional<std::size_t> item_bank::find(std::string_view id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

// The dichotomous sweep is the hot path of item selection: compiled for AVX2+FMA as well as the
// baseline, chosen at load time by the CPU (GCC/Clang function multi-versioning).
DSKILL_CPU_DISPATCH
static void dichotomous_information_sweep(const double* DSKILL_RESTRICT a, const double* DSKILL_RESTRICT d,
                                          const double* DSKILL_RESTRICT c, const double* DSKILL_RESTRICT u,
                                          double* DSKILL_RESTRICT o, std::size_t n, double theta) noexcept {
  for (std::size_t i = 0; i < n; ++i) o[i] = irt::dichotomous_information(a[i], d[i], c[i], u[i], theta);
}

void item_bank::information_at(double theta, std::span<double> out) const noexcept {
  dichotomous_information_sweep(slope_.data(), intercept_.data(), lower_.data(), upper_.data(), out.data(),
                                items_.size(), theta);
  for (auto i : polytomous_) out[i] = irt::information(items_[i].params, theta);
}

}  // namespace bank
DSKILL_END_NAMESPACE
