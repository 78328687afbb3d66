// framework::plain_level_words: each proficiency level in plain words, English and Vietnamese.
#include "dskill/framework/framework.hpp"

DSKILL_BEGIN_NAMESPACE
namespace framework {
namespace {
// index = level - 1
constexpr const char* level_words_en[] = {
    "You can do simple tasks with help from someone",
    "You can do simple tasks on your own, asking for help where needed",
    "You can do well-defined, everyday tasks and solve straightforward problems on your own",
    "You can do everyday tasks and solve well-defined problems independently, as your own needs require",
    "You can do a range of tasks and solve problems, and guide others in doing them",
    "You can choose the best way to do complex tasks and adapt what you do to help others",
    "You can solve complex problems with few known solutions and help others in your field",
    "You can solve very complex problems with many factors and propose new ideas in your field",
};
constexpr const char* level_words_vi[] = {
    "Bạn làm được những việc đơn giản khi có người hướng dẫn",
    "Bạn tự làm được những việc đơn giản, khi cần thì nhờ người khác giúp",
    "Bạn tự làm được những việc quen thuộc, rõ ràng và giải quyết được những vấn đề đơn giản",
    "Bạn chủ động làm được những việc thường ngày và giải quyết được những vấn đề rõ ràng theo nhu cầu của mình",
    "Bạn làm được nhiều loại việc, giải quyết được vấn đề và hướng dẫn được người khác",
    "Bạn chọn được cách tốt nhất để làm những việc phức tạp và điều chỉnh để giúp được người khác",
    "Bạn giải quyết được những vấn đề phức tạp, ít cách giải quen thuộc, và hỗ trợ được người cùng lĩnh vực",
    "Bạn giải quyết được những vấn đề rất phức tạp, nhiều yếu tố, và đề xuất được ý tưởng mới trong lĩnh vực của mình",
};
}  // namespace

std::string_view plain_level_words(int level, std::string_view language) noexcept {
  if (level < 1 || level > 8) return {};
  return (language == "vi" ? level_words_vi : level_words_en)[level - 1];
}

}  // namespace framework
DSKILL_END_NAMESPACE
