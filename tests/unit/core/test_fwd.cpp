// dskill/fwd.hpp must agree with the defining headers: redeclaring a type with the other
// class-key or an alias with another type would not compile here.
#include "dskill/fwd.hpp"
#include "dskill/dskill.hpp"

#include <type_traits>

#include <doctest/doctest.h>

TEST_CASE("fwd.hpp: aliases name the defining headers' types") {
  CHECK(std::is_same_v<dskill::estimate::response, dskill::response>);
  CHECK(std::is_same_v<dskill::bank::bank_ptr, std::shared_ptr<const dskill::bank::item_bank>>);
  CHECK(std::is_same_v<dskill::framework::framework_ptr, std::shared_ptr<const dskill::framework::framework>>);
}
