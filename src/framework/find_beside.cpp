// framework::find_framework_beside: the bundled layout item_banks/frameworks/ beside a bank.
#include "dskill/framework/framework.hpp"
#include "dskill/io/file_text.hpp"

DSKILL_BEGIN_NAMESPACE
namespace framework {

std::shared_ptr<const framework> find_framework_beside(const std::string& bank_path, const std::string& id,
                                                       const std::string& version) {
  if (id.empty()) return nullptr;
  const auto slash = bank_path.rfind('/');
  const std::string dir = (slash == std::string::npos ? std::string() : bank_path.substr(0, slash + 1)) + "frameworks/";
  for (const auto& name : {id + "-" + version + ".yaml", id + ".yaml"})
    if (io::file_exists(dir + name)) return load_framework(dir + name);
  return nullptr;
}

}  // namespace framework
DSKILL_END_NAMESPACE
