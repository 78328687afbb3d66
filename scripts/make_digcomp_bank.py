#!/usr/bin/python3
"""Generate item_banks/digcomp-core.yaml: the bundled DigComp 2.2 item bank of dskill.

All items are original, written for this project in English and Vietnamese. The item
content is kept here as data; the committed YAML is what ships.

    /usr/bin/python3 scripts/make_digcomp_bank.py            # write the bank (generating parameters)
    /usr/bin/python3 scripts/make_digcomp_bank.py --params P  # take item parameters from a YAML
                                                              # bank P (e.g. re-estimated by dskill calibrate)
    /usr/bin/python3 scripts/make_digcomp_bank.py --check     # check the written bank (Python checks
                                                              # of SCHEMA.md, until `dskill validate` lands)

Parameters: generating parameters of the simulated pilot (see item_banks/README.md and
scripts/simulate_pilot.py). They are drawn with a fixed seed from distributions tied to each
item's intended DigComp level and the framework cut scores.
"""
import argparse
import os
import sys

import numpy as np
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANK = os.path.join(ROOT, "item_banks", "digcomp-core.yaml")
FRAMEWORK = os.path.join(ROOT, "item_banks", "frameworks", "digcomp-2.2.yaml")
SEED = 20251129

ITEMS = []  # filled by mc() and pc() below, in writing order


def mc(comp, level, tags, en, en_opts, vi, vi_opts, label=None, enemy=None, vn=None, model=None):
    """A 4-option multiple-choice item. The RIGHT option is written FIRST; the generator
    moves it to a balanced key position (0-3)."""
    assert len(en_opts) == len(vi_opts) == 4, (comp, en)
    ITEMS.append(dict(kind="mc", comp=comp, level=level, tags=tags.split(), en=en, vi=vi,
                      en_opts=en_opts, vi_opts=vi_opts, label=label, enemy=enemy, vn=vn,
                      model=model))


def pc(comp, level, tags, en, vi, sc_en, sc_vi, model="gpcm", label=None, enemy=None, vn=None):
    """A polytomous (partial-credit) task; categories 0..K-1 described per language."""
    assert len(sc_en) == len(sc_vi) and 3 <= len(sc_en) <= 4, (comp, en)
    ITEMS.append(dict(kind="pc", comp=comp, level=level, tags=tags.split(), en=en, vi=vi,
                      sc_en=sc_en, sc_vi=sc_vi, label=label, enemy=enemy, vn=vn, model=model))


# ----------------------------------------------------------------------------------------
# Area 1: Information and data literacy
# ----------------------------------------------------------------------------------------
mc("1.1", 1, "search web-basics",
   "Which of these is a web search engine?",
   ["Google Search", "Microsoft Excel", "The phone's calculator", "A PDF reader"],
   "Công cụ nào dưới đây là công cụ tìm kiếm trên web?",
   ["Google Search", "Microsoft Excel", "Máy tính bỏ túi trên điện thoại", "Phần mềm đọc PDF"])
mc("1.1", 2, "search keywords",
   "You want the opening hours of the post office in your ward. What is the most useful thing to type into a search engine?",
   ["post office [ward name] opening hours", "post", "www", "opening"],
   "Bạn muốn biết giờ mở cửa của bưu điện ở phường mình. Gõ nội dung nào vào công cụ tìm kiếm là hữu ích nhất?",
   ["bưu điện [tên phường] giờ mở cửa", "bưu", "www", "mở cửa"])
mc("1.1", 3, "search filtering",
   "A search for 'cheap flights Hanoi Da Nang' returns thousands of results. Which change narrows them down most usefully?",
   ["Add the travel date and use the site's date and price filters",
    "Run exactly the same search again",
    "Add polite words such as 'please help me'",
    "Only open the adverts at the top of the page"],
   "Tìm kiếm 'vé máy bay giá rẻ Hà Nội Đà Nẵng' cho ra hàng nghìn kết quả. Cách nào thu hẹp kết quả hữu ích nhất?",
   ["Thêm ngày đi và dùng bộ lọc ngày, giá của trang web",
    "Tìm lại đúng cụm từ đó một lần nữa",
    "Thêm những từ lịch sự như 'giúp tôi với'",
    "Chỉ mở các quảng cáo ở đầu trang"])
mc("1.1", 3, "search advertising",
   "The first search results are labelled 'Sponsored'. What does this mean?",
   ["They are paid advertisements and not necessarily the best answers",
    "They have been checked for accuracy by the search engine",
    "They were chosen by a government agency",
    "They are always the most recent pages"],
   "Các kết quả tìm kiếm đầu tiên có nhãn 'Được tài trợ'. Điều này có nghĩa là gì?",
   ["Đó là quảng cáo trả tiền, không nhất thiết là câu trả lời tốt nhất",
    "Công cụ tìm kiếm đã kiểm tra độ chính xác của chúng",
    "Một cơ quan nhà nước đã chọn chúng",
    "Đó luôn là những trang mới nhất"])
mc("1.1", 4, "search operators",
   "You want pages that contain the exact phrase: renew citizen ID card. How do you search?",
   ["Put the phrase in quotation marks: \"renew citizen ID card\"",
    "Type the phrase in capital letters",
    "Add a question mark at the end of the phrase",
    "Put the phrase in round brackets"],
   "Bạn muốn tìm các trang có đúng cụm từ: cấp đổi thẻ căn cước. Bạn tìm kiếm thế nào?",
   ["Đặt cụm từ trong dấu ngoặc kép: \"cấp đổi thẻ căn cước\"",
    "Gõ cụm từ bằng chữ in hoa",
    "Thêm dấu chấm hỏi ở cuối cụm từ",
    "Đặt cụm từ trong dấu ngoặc đơn"])
pc("1.1", 4, "search public-services task",
   "Task (practice search engine): find the official fee for a first passport application and the page that states it.",
   "Nhiệm vụ (trên công cụ tìm kiếm mô phỏng): tìm lệ phí chính thức khi làm hộ chiếu lần đầu và trang web công bố mức phí đó.",
   ["No relevant result found",
    "Found a fee, but on an unofficial page (forum, news or agency advert)",
    "Found the fee on an official government page and noted the page"],
   ["Không tìm được kết quả liên quan",
    "Tìm được mức phí nhưng trên trang không chính thức (diễn đàn, báo, quảng cáo dịch vụ)",
    "Tìm được mức phí trên trang chính thức của cơ quan nhà nước và ghi lại trang đó"],
   model="gpcm")
mc("1.1", 5, "search operators",
   "You want results about the citizen ID card only from Vietnamese government websites (ending in .gov.vn). Which query does that?",
   ["citizen ID card site:gov.vn", "citizen ID card -gov.vn", "citizen ID card \"gov.vn\"", "citizen ID card gov.vn only"],
   "Bạn chỉ muốn kết quả về thẻ căn cước từ các trang web của cơ quan nhà nước Việt Nam (có đuôi .gov.vn). Truy vấn nào làm được điều đó?",
   ["thẻ căn cước site:gov.vn", "thẻ căn cước -gov.vn", "thẻ căn cước \"gov.vn\"", "thẻ căn cước chỉ gov.vn"])
mc("1.1", 6, "search statistics",
   "For a report you need the latest official figure for internet use in Vietnam. Which strategy is the most efficient and reliable?",
   ["Search the official statistics agency's site, filter by the latest year and open the source table",
    "Use the first number shown in the search engine's answer box",
    "Ask in a social media group and take the most-liked answer",
    "Use the number an AI chatbot gives without opening any source"],
   "Bạn cần số liệu chính thức mới nhất về tỷ lệ sử dụng Internet ở Việt Nam cho một báo cáo. Cách nào hiệu quả và đáng tin cậy nhất?",
   ["Tìm trên trang của cơ quan thống kê chính thức, lọc theo năm gần nhất và mở bảng số liệu gốc",
    "Dùng con số đầu tiên hiện trong ô trả lời của công cụ tìm kiếm",
    "Hỏi trong một nhóm mạng xã hội và lấy câu trả lời nhiều lượt thích nhất",
    "Dùng con số do chatbot AI đưa ra mà không mở nguồn nào"])

mc("1.2", 1, "misinformation health",
   "A message says: 'Share now! Drinking hot water every 15 minutes kills the virus.' What should you do first?",
   ["Not share it, and check with a reliable source such as the Ministry of Health",
    "Share it with your family to warn them",
    "Forward it to all your groups quickly",
    "Believe it because many people have shared it"],
   "Một tin nhắn viết: 'Chia sẻ ngay! Uống nước nóng mỗi 15 phút sẽ diệt được virus.' Bạn nên làm gì trước tiên?",
   ["Không chia sẻ, và kiểm tra lại với nguồn đáng tin cậy như Bộ Y tế",
    "Chia sẻ cho gia đình để cảnh báo họ",
    "Chuyển tiếp nhanh vào tất cả các nhóm",
    "Tin ngay vì nhiều người đã chia sẻ"])
mc("1.2", 2, "misinformation news",
   "Which sign suggests that a news web page may be unreliable?",
   ["A shocking headline, no author and no date",
    "It names the author and the publication date",
    "It links to the original sources",
    "It has a page where it publishes corrections"],
   "Dấu hiệu nào cho thấy một trang tin tức có thể không đáng tin cậy?",
   ["Tiêu đề giật gân, không có tác giả và không có ngày đăng",
    "Có ghi tên tác giả và ngày đăng",
    "Có liên kết tới nguồn gốc thông tin",
    "Có trang đăng các đính chính"])
mc("1.2", 3, "ai hallucination",
   "People say that AI chatbots can 'hallucinate'. What does this mean?",
   ["The chatbot gives invented or false information that sounds convincing",
    "The chatbot stops answering when it is overloaded",
    "The chatbot shows pictures instead of text",
    "The chatbot repeats your question back to you"],
   "Người ta nói chatbot AI có thể bị 'ảo giác'. Điều này nghĩa là gì?",
   ["Chatbot đưa ra thông tin bịa đặt hoặc sai nhưng nghe rất thuyết phục",
    "Chatbot ngừng trả lời khi bị quá tải",
    "Chatbot hiển thị hình ảnh thay cho văn bản",
    "Chatbot lặp lại câu hỏi của bạn"],
   label="hallucination", enemy="ai-citation", vn=["6.1", "6.3"])
mc("1.2", 3, "misinformation images",
   "A photo of a flooded street goes viral as 'today's flood'. How can you check whether it is actually an old photo?",
   ["Do a reverse image search to find where and when it appeared first",
    "Zoom in to see whether the water looks real",
    "Count how many people have liked it",
    "Check whether the photo is in colour"],
   "Một bức ảnh đường ngập nước lan truyền với chú thích 'trận lụt hôm nay'. Làm sao kiểm tra xem đó có phải ảnh cũ không?",
   ["Tìm kiếm ngược bằng hình ảnh để xem ảnh xuất hiện lần đầu ở đâu, khi nào",
    "Phóng to để xem nước trông có thật không",
    "Đếm số lượt thích của bức ảnh",
    "Xem bức ảnh có màu hay không"])
mc("1.2", 4, "ai sources",
   "An AI chatbot answers your question and cites a study, with authors and a journal name. What is the best next step?",
   ["Look the study up in the journal or a library database to confirm it exists and says this",
    "Trust it, because the citation is detailed",
    "Ask the chatbot whether it is sure, and accept its reply",
    "Cite it in your work, since chatbots never invent references"],
   "Chatbot AI trả lời câu hỏi của bạn và dẫn một nghiên cứu, có tên tác giả và tên tạp chí. Bước tiếp theo tốt nhất là gì?",
   ["Tra cứu nghiên cứu đó trên tạp chí hoặc cơ sở dữ liệu thư viện để xác nhận nó có thật và nói đúng như vậy",
    "Tin ngay vì trích dẫn rất chi tiết",
    "Hỏi lại chatbot xem có chắc không và chấp nhận câu trả lời",
    "Trích dẫn vào bài của mình vì chatbot không bao giờ bịa tài liệu"],
   label="ai-citation", enemy="hallucination", vn=["6.3"])
mc("1.2", 5, "data charts",
   "A chart on social media shows this year's bar twice as tall as last year's, but the vertical axis starts at 95 instead of 0. What is the problem?",
   ["The cut-off axis makes a small difference look large",
    "Nothing: bar charts may start at any value without effect",
    "The chart must be wrong because it has only two bars",
    "The colours of the bars are misleading"],
   "Một biểu đồ trên mạng xã hội có cột năm nay cao gấp đôi cột năm ngoái, nhưng trục đứng bắt đầu từ 95 thay vì 0. Vấn đề là gì?",
   ["Trục bị cắt làm một chênh lệch nhỏ trông như rất lớn",
    "Không có gì: biểu đồ cột bắt đầu từ giá trị nào cũng không ảnh hưởng",
    "Biểu đồ chắc chắn sai vì chỉ có hai cột",
    "Màu của các cột gây hiểu nhầm"])
pc("1.2", 5, "evaluation sources task",
   "Task: three web pages give advice about the same medicine (a hospital page, a seller's page, an anonymous blog). Rank them by reliability and give your reasons.",
   "Nhiệm vụ: ba trang web đưa lời khuyên về cùng một loại thuốc (trang của bệnh viện, trang của người bán, một blog ẩn danh). Hãy xếp hạng độ tin cậy và nêu lý do.",
   ["Ranking wrong",
    "Ranking right, without valid reasons",
    "Ranking right, with one valid reason",
    "Ranking right, with reasons about authorship and expertise, purpose (selling) and evidence or date"],
   ["Xếp hạng sai",
    "Xếp hạng đúng nhưng không có lý do xác đáng",
    "Xếp hạng đúng, có một lý do xác đáng",
    "Xếp hạng đúng, có lý do về tác giả và chuyên môn, mục đích (bán hàng) và bằng chứng hoặc ngày cập nhật"],
   model="gpcm")
mc("1.2", 6, "data statistics",
   "Two reputable sources give different unemployment rates for the same year. What is the most likely explanation and the best response?",
   ["They use different definitions or periods; read their method notes and state which one you use",
    "One of them must be lying; use the higher figure",
    "Average the two figures without checking",
    "Ignore both and look for a figure on social media"],
   "Hai nguồn uy tín đưa ra tỷ lệ thất nghiệp khác nhau cho cùng một năm. Lời giải thích hợp lý nhất và cách xử lý tốt nhất là gì?",
   ["Hai nguồn dùng định nghĩa hoặc kỳ số liệu khác nhau; đọc phần giải thích phương pháp và nói rõ mình dùng số nào",
    "Một trong hai nguồn chắc chắn nói dối; dùng con số cao hơn",
    "Lấy trung bình hai con số mà không cần kiểm tra",
    "Bỏ qua cả hai và tìm con số trên mạng xã hội"])

mc("1.3", 1, "files downloads",
   "On a computer, where does a file you download from the web usually go?",
   ["The Downloads folder", "The Recycle Bin", "The printer", "The desktop wallpaper"],
   "Trên máy tính, tệp bạn tải từ web về thường được lưu ở đâu?",
   ["Thư mục Downloads (Tải xuống)", "Thùng rác", "Máy in", "Hình nền màn hình"])
mc("1.3", 2, "files naming",
   "You scan the form for renewing your ID card. Which file name will be easiest to find later?",
   ["2025-03-14_ID-renewal-form_Nguyen-Van-A.pdf", "scan001.pdf", "New document (3).pdf", "aaaa.pdf"],
   "Bạn quét tờ khai cấp đổi thẻ căn cước. Tên tệp nào sau này dễ tìm nhất?",
   ["2025-03-14_to-khai-cap-doi-can-cuoc_Nguyen-Van-A.pdf", "scan001.pdf", "Tai lieu moi (3).pdf", "aaaa.pdf"])
mc("1.3", 3, "cloud storage",
   "You save your photos in cloud storage such as Google Drive or OneDrive. Which statement is true?",
   ["You can open them from another device after signing in to your account",
    "They are deleted from the cloud if your phone is lost",
    "Anyone on the internet can see them",
    "They do not count towards any storage limit"],
   "Bạn lưu ảnh lên dịch vụ lưu trữ đám mây như Google Drive hoặc OneDrive. Nhận định nào đúng?",
   ["Bạn có thể mở ảnh từ thiết bị khác sau khi đăng nhập tài khoản của mình",
    "Ảnh trên đám mây sẽ bị xóa nếu bạn làm mất điện thoại",
    "Bất kỳ ai trên Internet cũng xem được ảnh",
    "Ảnh không bị tính vào dung lượng lưu trữ"])
mc("1.3", 3, "spreadsheets formulas",
   "In a spreadsheet, cells B2 to B31 hold your daily spending for March. Which formula gives the total?",
   ["=SUM(B2:B31)", "=B2+B31", "=COUNT(B2:B31)", "=AVERAGE(B2:B31)"],
   "Trong bảng tính, các ô từ B2 đến B31 ghi chi tiêu hằng ngày của tháng Ba. Công thức nào cho ra tổng chi tiêu?",
   ["=SUM(B2:B31)", "=B2+B31", "=COUNT(B2:B31)", "=AVERAGE(B2:B31)"],
   label="sum", enemy="sumif")
mc("1.3", 4, "backup",
   "Which plan best protects your family photos from being lost?",
   ["Keep them on the phone, on an external drive at home and in cloud storage",
    "Keep them only on the phone",
    "Keep two copies in the same folder on the phone",
    "Email a few of them to yourself once"],
   "Phương án nào bảo vệ ảnh gia đình khỏi bị mất tốt nhất?",
   ["Lưu trên điện thoại, trên một ổ cứng rời ở nhà và trên đám mây",
    "Chỉ lưu trên điện thoại",
    "Lưu hai bản trong cùng một thư mục trên điện thoại",
    "Gửi email vài tấm cho chính mình một lần"])
pc("1.3", 4, "files folders task",
   "Task: twelve downloaded files (bills, school papers, photos) are mixed together. Organise them into folders with clear names.",
   "Nhiệm vụ: mười hai tệp tải về (hóa đơn, giấy tờ học tập, ảnh) đang để lẫn lộn. Hãy sắp xếp chúng vào các thư mục có tên rõ ràng.",
   ["Files left mixed or moved at random",
    "Folders created, but names unclear or several files misplaced",
    "Clear folders by type, all files in the right place"],
   ["Các tệp vẫn lẫn lộn hoặc bị chuyển tùy tiện",
    "Đã tạo thư mục nhưng tên chưa rõ ràng hoặc nhiều tệp đặt sai chỗ",
    "Thư mục theo loại, tên rõ ràng, mọi tệp đặt đúng chỗ"],
   model="pcm")
mc("1.3", 5, "spreadsheets formulas",
   "Column A holds the category of each expense and column B the amount (rows 2 to 100). Which formula gives the total spent on 'Electricity'?",
   ["=SUMIF(A2:A100,\"Electricity\",B2:B100)", "=SUM(B2:B100)",
    "=COUNTIF(A2:A100,\"Electricity\")", "=IF(A2=\"Electricity\",B2)"],
   "Cột A ghi loại chi tiêu, cột B ghi số tiền (từ dòng 2 đến 100). Công thức nào cho ra tổng tiền đã chi cho 'Điện'?",
   ["=SUMIF(A2:A100,\"Điện\",B2:B100)", "=SUM(B2:B100)",
    "=COUNTIF(A2:A100,\"Điện\")", "=IF(A2=\"Điện\",B2)"],
   label="sumif", enemy="sum")
mc("1.3", 6, "spreadsheets data-quality",
   "You merge two customer lists in a spreadsheet. Some people now appear twice, with slightly different spellings. What is the best approach?",
   ["Tidy the fields (spaces, capitals), match on a unique key such as the phone number, and review before deleting",
    "Delete every row whose name appears more than once",
    "Sort by name and delete every second row",
    "Keep everything; duplicates do no harm"],
   "Bạn gộp hai danh sách khách hàng trong bảng tính. Một số người bị lặp hai lần, tên viết hơi khác nhau. Cách xử lý tốt nhất là gì?",
   ["Chuẩn hóa dữ liệu (khoảng trắng, chữ hoa), đối chiếu theo một khóa duy nhất như số điện thoại, và rà soát trước khi xóa",
    "Xóa mọi dòng có tên xuất hiện nhiều hơn một lần",
    "Sắp xếp theo tên rồi xóa cách một dòng",
    "Giữ nguyên tất cả; dữ liệu trùng không gây hại gì"])

# ----------------------------------------------------------------------------------------
# Area 2: Communication and collaboration
# ----------------------------------------------------------------------------------------
mc("2.1", 1, "video-call messaging",
   "You want to make a video call to a relative on a chat app such as Zalo. What do you need?",
   ["The app on both phones, an internet connection and the relative in your contacts",
    "A printer connected to the phone",
    "A bank account linked to the app",
    "A landline telephone"],
   "Bạn muốn gọi video cho người thân qua ứng dụng trò chuyện như Zalo. Bạn cần những gì?",
   ["Ứng dụng trên cả hai điện thoại, kết nối Internet và người thân có trong danh bạ",
    "Một máy in kết nối với điện thoại",
    "Một tài khoản ngân hàng liên kết với ứng dụng",
    "Một máy điện thoại bàn"])
mc("2.1", 2, "messaging",
   "In a chat app, your message shows the mark 'Seen'. What does this usually mean?",
   ["The other person has opened the message",
    "The other person has replied",
    "The message could not be sent",
    "The message was deleted"],
   "Trong ứng dụng trò chuyện, tin nhắn của bạn hiện trạng thái 'Đã xem'. Điều này thường có nghĩa là gì?",
   ["Người nhận đã mở tin nhắn",
    "Người nhận đã trả lời",
    "Tin nhắn không gửi được",
    "Tin nhắn đã bị xóa"])
pc("2.1", 3, "video-call meetings task",
   "Task (practice meeting app): join a scheduled online meeting from its link, check that your microphone works, then use 'raise hand' to ask to speak.",
   "Nhiệm vụ (trên ứng dụng họp mô phỏng): tham gia cuộc họp trực tuyến đã lên lịch qua đường liên kết, kiểm tra micro hoạt động, rồi dùng chức năng 'giơ tay' để xin phát biểu.",
   ["Could not join the meeting",
    "Joined the meeting only",
    "Joined and checked the microphone",
    "Joined, checked the microphone and raised a hand"],
   ["Không vào được cuộc họp",
    "Chỉ vào được cuộc họp",
    "Vào được cuộc họp và kiểm tra micro",
    "Vào được cuộc họp, kiểm tra micro và giơ tay xin phát biểu"],
   model="gpcm")
mc("2.1", 3, "email",
   "You email the same notice to 20 parents who do not know each other. How do you avoid showing everyone's address to everybody?",
   ["Put the addresses in the BCC field",
    "Put the addresses in the CC field",
    "Send it with high priority",
    "Add the addresses to the subject line"],
   "Bạn gửi cùng một thông báo qua email cho 20 phụ huynh không quen biết nhau. Làm sao để không lộ địa chỉ email của mọi người cho nhau?",
   ["Điền các địa chỉ vào ô BCC",
    "Điền các địa chỉ vào ô CC",
    "Gửi với mức ưu tiên cao",
    "Ghi các địa chỉ vào dòng tiêu đề"])
mc("2.1", 4, "email channels",
   "You need to send a signed contract to a company. Which channel is the most appropriate?",
   ["An email to the company's official address with the contract as a PDF attachment",
    "A photo of the contract posted in a comment on the company's social media page",
    "A voice message describing the contract",
    "A message in a large public chat group"],
   "Bạn cần gửi một hợp đồng đã ký cho một công ty. Kênh nào phù hợp nhất?",
   ["Email tới địa chỉ chính thức của công ty, kèm hợp đồng dạng tệp PDF",
    "Đăng ảnh hợp đồng vào phần bình luận trên trang mạng xã hội của công ty",
    "Gửi tin nhắn thoại mô tả hợp đồng",
    "Gửi tin nhắn vào một nhóm trò chuyện công khai đông người"])
mc("2.1", 5, "meetings moderation",
   "You host an online meeting of 30 people and one participant starts sharing offensive content on screen. What do you do?",
   ["Use the host controls: stop their sharing, remove or mute them, and limit screen sharing to the host",
    "Ask everyone to switch off their internet",
    "Ignore it and continue talking",
    "End the meeting and never use online meetings again"],
   "Bạn chủ trì một cuộc họp trực tuyến 30 người và một người bắt đầu chia sẻ màn hình có nội dung phản cảm. Bạn làm gì?",
   ["Dùng quyền chủ trì: dừng chia sẻ của họ, mời ra hoặc tắt tiếng, và chỉ cho phép chủ trì chia sẻ màn hình",
    "Yêu cầu mọi người tắt Internet",
    "Bỏ qua và tiếp tục nói",
    "Kết thúc cuộc họp và không bao giờ họp trực tuyến nữa"])
mc("2.1", 6, "meetings accessibility",
   "One participant in your online meetings is hard of hearing. What helps them most?",
   ["Turn on live captions and share a written summary after the meeting",
    "Speak louder into the microphone",
    "Ask everyone to turn off their cameras",
    "Send the recording without captions a week later"],
   "Một người tham dự các cuộc họp trực tuyến của bạn bị khiếm thính. Cách nào giúp họ nhiều nhất?",
   ["Bật phụ đề trực tiếp và gửi bản tóm tắt bằng văn bản sau cuộc họp",
    "Nói to hơn vào micro",
    "Yêu cầu mọi người tắt camera",
    "Một tuần sau gửi bản ghi hình không có phụ đề"])

mc("2.2", 1, "sharing photos",
   "How can you send a photo from your phone to a friend?",
   ["Open the photo, tap Share and choose a chat app and your friend",
    "Print the photo",
    "Delete the photo",
    "Take a screenshot of the home screen"],
   "Làm thế nào để gửi một bức ảnh từ điện thoại cho bạn bè?",
   ["Mở ảnh, chạm Chia sẻ rồi chọn ứng dụng trò chuyện và người bạn",
    "In bức ảnh ra giấy",
    "Xóa bức ảnh",
    "Chụp màn hình trang chủ"])
mc("2.2", 2, "sharing permissions cloud",
   "You share a cloud document. Which permission lets others read it but not change it?",
   ["Viewer", "Editor", "Owner", "Anyone can edit"],
   "Bạn chia sẻ một tài liệu trên đám mây. Quyền nào cho phép người khác đọc nhưng không sửa được?",
   ["Người xem", "Người chỉnh sửa", "Chủ sở hữu", "Bất kỳ ai cũng có thể chỉnh sửa"])
mc("2.2", 3, "sharing cloud large-files",
   "Emailing a 2 GB video to a colleague fails. What is the best way to send it?",
   ["Upload it to cloud storage and send a sharing link",
    "Send it again several times",
    "Cut it into 100 small emails",
    "Post it publicly on social media and ask them to find it"],
   "Gửi một video dung lượng 2 GB qua email cho đồng nghiệp bị lỗi. Cách gửi tốt nhất là gì?",
   ["Tải video lên dịch vụ lưu trữ đám mây và gửi đường liên kết chia sẻ",
    "Gửi lại nhiều lần",
    "Cắt ra thành 100 email nhỏ",
    "Đăng công khai lên mạng xã hội rồi bảo họ tự tìm"])
mc("2.2", 4, "sharing permissions",
   "You share a folder with the setting 'Anyone with the link can view'. Which statement is true?",
   ["Anyone who gets the link, even forwarded by someone else, can open it",
    "Only people in your phone contacts can open it",
    "Only you can open it",
    "The link stops working automatically after one hour"],
   "Bạn chia sẻ một thư mục với cài đặt 'Bất kỳ ai có đường liên kết đều có thể xem'. Nhận định nào đúng?",
   ["Bất kỳ ai có đường liên kết, kể cả do người khác chuyển tiếp, đều mở được",
    "Chỉ những người trong danh bạ điện thoại của bạn mới mở được",
    "Chỉ bạn mới mở được",
    "Đường liên kết tự hết hiệu lực sau một giờ"])
mc("2.2", 5, "sharing personal-data",
   "At work you must pass a file containing citizens' personal data to a colleague. What is the best way?",
   ["Share it with the colleague's named work account only, restrict access, and remove access when the task is done",
    "Post the link in the office's public chat group",
    "Set the file to 'Anyone with the link can edit'",
    "Send it to the colleague's personal social media inbox"],
   "Trong công việc, bạn phải chuyển cho đồng nghiệp một tệp chứa dữ liệu cá nhân của người dân. Cách tốt nhất là gì?",
   ["Chỉ chia sẻ cho tài khoản công việc đích danh của đồng nghiệp, giới hạn quyền, và thu hồi quyền khi xong việc",
    "Đăng đường liên kết lên nhóm trò chuyện chung của cơ quan",
    "Đặt tệp ở chế độ 'Bất kỳ ai có đường liên kết đều có thể chỉnh sửa'",
    "Gửi vào hộp thư mạng xã hội cá nhân của đồng nghiệp"])
mc("2.2", 6, "open-data sharing",
   "Your organisation will publish a dataset for anyone to reuse. What makes it most reusable?",
   ["An open format such as CSV, a clear licence and a description of every column",
    "A scanned PDF of a printed table",
    "A spreadsheet full of merged cells and colours, with no licence",
    "Sending the file only to people who ask by phone"],
   "Đơn vị của bạn sẽ công bố một bộ dữ liệu để mọi người tái sử dụng. Điều gì giúp bộ dữ liệu dễ tái sử dụng nhất?",
   ["Định dạng mở như CSV, giấy phép rõ ràng và mô tả cho từng cột",
    "Bản PDF quét từ một bảng in trên giấy",
    "Bảng tính đầy ô gộp và tô màu, không có giấy phép",
    "Chỉ gửi tệp cho ai gọi điện xin"])

mc("2.3", 1, "vneid e-government",
   "What is VNeID?",
   ["Vietnam's national electronic identification app",
    "A social network for sharing videos",
    "A mobile game",
    "A private bank's payment app"],
   "VNeID là gì?",
   ["Ứng dụng định danh điện tử quốc gia của Việt Nam",
    "Một mạng xã hội chia sẻ video",
    "Một trò chơi trên điện thoại",
    "Ứng dụng thanh toán của một ngân hàng tư nhân"],
   label="vneid-what", enemy="vneid-login")
mc("2.3", 2, "vneid public-services",
   "To use the National Public Service Portal, which account can you sign in with?",
   ["Your VNeID electronic identification account",
    "Your social media password",
    "Your phone's screen-lock PIN",
    "A friend's email account"],
   "Để sử dụng Cổng Dịch vụ công quốc gia, bạn có thể đăng nhập bằng tài khoản nào?",
   ["Tài khoản định danh điện tử VNeID của bạn",
    "Mật khẩu mạng xã hội của bạn",
    "Mã PIN mở khóa màn hình điện thoại",
    "Tài khoản email của một người bạn"],
   label="vneid-login", enemy="vneid-what")
mc("2.3", 3, "public-services",
   "You have submitted an application on the public service portal. How do you follow its progress?",
   ["Look it up on the portal with the application code you received",
    "Call a phone number sent to you in an unknown SMS",
    "Submit the same application again every day",
    "Wait; there is no way to check"],
   "Bạn đã nộp hồ sơ trên cổng dịch vụ công. Làm thế nào để theo dõi tiến độ xử lý?",
   ["Tra cứu trên cổng bằng mã hồ sơ bạn đã nhận",
    "Gọi vào số điện thoại trong một tin nhắn lạ",
    "Nộp lại đúng hồ sơ đó mỗi ngày",
    "Cứ chờ; không có cách nào kiểm tra"])
pc("2.3", 3, "public-services task",
   "Task (practice public service portal): find the status of the fictional application 'H12.345' and say what the next step is.",
   "Nhiệm vụ (trên cổng dịch vụ công mô phỏng): tìm trạng thái của hồ sơ giả định 'H12.345' và cho biết bước tiếp theo là gì.",
   ["Could not find the look-up function",
    "Found the application, but misread its status or next step",
    "Found the application and stated its status and next step correctly"],
   ["Không tìm thấy chức năng tra cứu",
    "Tìm được hồ sơ nhưng đọc sai trạng thái hoặc bước tiếp theo",
    "Tìm được hồ sơ và nêu đúng trạng thái, bước tiếp theo"],
   model="gpcm")
mc("2.3", 4, "vneid",
   "Compared with a level-1 account, what is true of a level-2 VNeID electronic identification account?",
   ["It is verified in person by the police and can stand in for the physical ID card in many procedures",
    "It is free, whereas a level-1 account must be paid for",
    "It works without any internet connection",
    "It lets other people sign in on your behalf"],
   "So với tài khoản mức 1, tài khoản định danh điện tử VNeID mức 2 có đặc điểm nào?",
   ["Được cơ quan công an xác thực trực tiếp và có thể thay thẻ căn cước bản giấy trong nhiều thủ tục",
    "Miễn phí, còn tài khoản mức 1 phải trả tiền",
    "Hoạt động mà không cần Internet",
    "Cho phép người khác đăng nhập thay bạn"])
mc("2.3", 5, "e-participation",
   "A ministry publishes a draft regulation online for public comment. How can you take part most effectively?",
   ["Read the draft on the official portal and send specific comments through its feedback form before the deadline",
    "Post angry comments on unrelated pages",
    "Share rumours about the draft in chat groups",
    "Wait until the regulation is in force and then complain"],
   "Một bộ đăng dự thảo văn bản quy phạm trên mạng để lấy ý kiến nhân dân. Làm thế nào để tham gia hiệu quả nhất?",
   ["Đọc dự thảo trên cổng thông tin chính thức và gửi góp ý cụ thể qua mục góp ý trước hạn",
    "Đăng bình luận bức xúc ở những trang không liên quan",
    "Chia sẻ tin đồn về dự thảo trong các nhóm trò chuyện",
    "Chờ văn bản có hiệu lực rồi mới phàn nàn"])
mc("2.3", 6, "e-government inclusion",
   "A commune wants many more residents, including older people, to use online public services. Which plan is most likely to work?",
   ["Train community digital technology teams to help residents in person, simplify the steps, and track how many complete them",
    "Send one SMS with the portal's address to everyone",
    "Close the service counter so that people must go online",
    "Put a poster about the portal on the commune office door"],
   "Một xã muốn nhiều người dân hơn, kể cả người cao tuổi, sử dụng dịch vụ công trực tuyến. Kế hoạch nào có khả năng thành công cao nhất?",
   ["Tập huấn tổ công nghệ số cộng đồng để hướng dẫn trực tiếp người dân, đơn giản hóa các bước và theo dõi số người hoàn thành",
    "Gửi một tin nhắn có địa chỉ cổng dịch vụ công cho mọi người",
    "Đóng quầy tiếp nhận để buộc người dân làm trực tuyến",
    "Dán một tấm áp phích về cổng dịch vụ công ở cửa trụ sở xã"])

mc("2.4", 1, "collaboration documents",
   "Which tool lets several people edit the same document at the same time?",
   ["An online document editor such as Google Docs or Microsoft 365",
    "A printed copy of the document",
    "Notepad on a single computer",
    "A PDF attached to an email"],
   "Công cụ nào cho phép nhiều người cùng chỉnh sửa một tài liệu cùng lúc?",
   ["Trình soạn thảo trực tuyến như Google Docs hoặc Microsoft 365",
    "Một bản in của tài liệu",
    "Notepad trên một máy tính",
    "Tệp PDF đính kèm email"])
mc("2.4", 2, "collaboration calendar",
   "Why is a shared online calendar useful for a team?",
   ["Everyone can see meeting times and who is available",
    "It makes meetings shorter automatically",
    "It replaces the need for any messages",
    "It stores the team's passwords"],
   "Vì sao lịch trực tuyến dùng chung lại hữu ích cho một nhóm?",
   ["Mọi người đều thấy thời gian họp và ai đang rảnh",
    "Nó tự động làm cuộc họp ngắn hơn",
    "Nó thay thế hoàn toàn việc nhắn tin",
    "Nó lưu mật khẩu của cả nhóm"])
mc("2.4", 3, "collaboration documents",
   "In a shared online document, how can you propose a change without overwriting a colleague's text?",
   ["Use comments or suggestion mode",
    "Delete their text and type yours",
    "Download a copy and edit it without telling anyone",
    "Write your change in capital letters in the middle of their text"],
   "Trong tài liệu trực tuyến dùng chung, làm sao đề xuất thay đổi mà không ghi đè lên nội dung của đồng nghiệp?",
   ["Dùng bình luận hoặc chế độ đề xuất chỉnh sửa",
    "Xóa nội dung của họ rồi gõ nội dung của mình",
    "Tải một bản về sửa mà không báo ai",
    "Viết phần sửa bằng chữ in hoa chen vào giữa đoạn của họ"])
mc("2.4", 4, "collaboration version-history",
   "What does version history in a shared document let you do?",
   ["See who changed what and restore an earlier version",
    "Stop other people from opening the document",
    "Translate the document automatically",
    "Make the file smaller"],
   "Lịch sử phiên bản trong tài liệu dùng chung cho phép bạn làm gì?",
   ["Xem ai đã sửa gì và khôi phục một phiên bản trước đó",
    "Ngăn người khác mở tài liệu",
    "Tự động dịch tài liệu",
    "Làm tệp nhỏ hơn"])
pc("2.4", 4, "collaboration task",
   "Task (practice office suite): in a shared document, reply to a colleague's comment, add one suggested edit, and restore the paragraph they deleted by mistake.",
   "Nhiệm vụ (trên bộ ứng dụng văn phòng mô phỏng): trong tài liệu dùng chung, trả lời bình luận của đồng nghiệp, thêm một đề xuất chỉnh sửa, và khôi phục đoạn văn họ lỡ xóa.",
   ["None of the three steps done",
    "One step done",
    "Two steps done",
    "All three steps done"],
   ["Không làm được bước nào",
    "Làm được một bước",
    "Làm được hai bước",
    "Làm được cả ba bước"],
   model="pcm")
mc("2.4", 5, "collaboration forms",
   "Volunteers in several provinces must collect registrations from 500 people. Which set-up works best?",
   ["An online form that feeds a shared spreadsheet, with editing limited to the organisers",
    "Each volunteer keeps a paper list and reads it out by phone at the end",
    "Everyone edits one document with no structure",
    "Participants send their details in a public social media post"],
   "Tình nguyện viên ở nhiều tỉnh cần thu thập thông tin đăng ký của 500 người. Cách tổ chức nào tốt nhất?",
   ["Một biểu mẫu trực tuyến đổ dữ liệu vào bảng tính dùng chung, chỉ người tổ chức được sửa",
    "Mỗi tình nguyện viên giữ danh sách giấy rồi đọc qua điện thoại vào cuối đợt",
    "Mọi người cùng sửa một tài liệu không có cấu trúc",
    "Người đăng ký gửi thông tin trong một bài đăng công khai trên mạng xã hội"])
mc("2.4", 6, "collaboration team-work",
   "Two members of your team keep overwriting each other's sections of a shared report. What is the best fix?",
   ["Agree who owns each section, use suggestion mode for others' sections, and keep a short change log",
    "Let the fastest typist win",
    "Switch to emailing copies back and forth",
    "Lock the document so nobody can edit"],
   "Hai thành viên trong nhóm liên tục ghi đè lên phần viết của nhau trong báo cáo dùng chung. Cách khắc phục tốt nhất là gì?",
   ["Thống nhất ai phụ trách phần nào, dùng chế độ đề xuất khi sửa phần của người khác và ghi nhật ký thay đổi ngắn",
    "Ai gõ nhanh hơn thì giữ bản của người đó",
    "Chuyển sang gửi qua lại các bản sao bằng email",
    "Khóa tài liệu để không ai sửa được"])

mc("2.5", 1, "netiquette",
   "Writing a whole message in CAPITAL LETTERS is usually read as:",
   ["Shouting", "Being polite", "Being formal", "Writing in a hurry by mistake, always"],
   "Viết cả tin nhắn bằng CHỮ IN HOA thường bị hiểu là:",
   ["Đang quát tháo", "Lịch sự", "Trang trọng", "Luôn luôn chỉ là gõ vội nhầm"])
mc("2.5", 2, "netiquette group-chat",
   "Which behaviour is appropriate in a parents' group chat for a school class?",
   ["Keep messages on topic and deal with private matters in private messages",
    "Post advertisements for your shop every day",
    "Forward every joke you receive",
    "Discuss one child's problems in detail in front of everyone"],
   "Hành vi nào phù hợp trong nhóm trò chuyện phụ huynh của một lớp học?",
   ["Nhắn đúng chủ đề và trao đổi việc riêng bằng tin nhắn riêng",
    "Đăng quảng cáo cửa hàng của mình mỗi ngày",
    "Chuyển tiếp mọi câu chuyện cười nhận được",
    "Bàn chi tiết chuyện của một học sinh trước mọi người"])
mc("2.5", 3, "netiquette photos consent",
   "You want to post a group photo of your friends. What should you do first?",
   ["Ask them whether they agree to the photo being posted",
    "Post it and remove it only if someone complains",
    "Tag everyone so they get notified",
    "Add a filter so they are harder to recognise"],
   "Bạn muốn đăng một bức ảnh chụp chung với bạn bè. Bạn nên làm gì trước?",
   ["Hỏi xem họ có đồng ý cho đăng ảnh không",
    "Cứ đăng, ai phàn nàn thì gỡ",
    "Gắn thẻ mọi người để họ nhận thông báo",
    "Thêm bộ lọc để khó nhận ra họ"])
mc("2.5", 3, "netiquette disagreement",
   "You disagree with a comment in a public online discussion. What is the best response?",
   ["Reply politely, give your reasons and, if possible, a source",
    "Insult the person so that others see you are right",
    "Share their profile so others can attack them",
    "Reply with many angry emojis"],
   "Bạn không đồng ý với một bình luận trong một cuộc thảo luận công khai trên mạng. Cách phản hồi tốt nhất là gì?",
   ["Trả lời lịch sự, nêu lý do và nếu có thể thì dẫn nguồn",
    "Lăng mạ người đó để mọi người thấy mình đúng",
    "Chia sẻ trang cá nhân của họ để người khác tấn công",
    "Trả lời bằng thật nhiều biểu tượng giận dữ"])
mc("2.5", 4, "cyberbullying",
   "In a group chat, several members keep mocking one person. What is the best thing to do?",
   ["Do not join in, support the person privately, and report it to the group admin or the platform",
    "Join in so that you are not the next target",
    "Leave the group without saying anything",
    "Screenshot the jokes and share them more widely"],
   "Trong một nhóm trò chuyện, vài thành viên liên tục chế giễu một người. Việc nên làm nhất là gì?",
   ["Không hùa theo, động viên người đó qua tin nhắn riêng và báo cho quản trị nhóm hoặc nền tảng",
    "Hùa theo để mình không trở thành mục tiêu tiếp theo",
    "Lặng lẽ rời nhóm",
    "Chụp màn hình các câu đùa rồi chia sẻ rộng hơn"])
mc("2.5", 5, "netiquette international",
   "You work with an international team through chat. Which practice best avoids misunderstandings?",
   ["Write clearly, avoid slang and sarcasm, and state times with the time zone",
    "Use many local abbreviations to save time",
    "Reply only in voice messages",
    "Assume that silence means agreement"],
   "Bạn làm việc với một nhóm quốc tế qua ứng dụng trò chuyện. Cách nào tránh hiểu lầm tốt nhất?",
   ["Viết rõ ràng, tránh tiếng lóng và lối nói mỉa, ghi giờ kèm múi giờ",
    "Dùng nhiều từ viết tắt địa phương cho nhanh",
    "Chỉ trả lời bằng tin nhắn thoại",
    "Coi im lặng là đồng ý"])
mc("2.5", 6, "moderation community",
   "You administer a community page with 5,000 members where hateful comments are increasing. What is the best approach?",
   ["Publish clear rules, moderate consistently, explain removals and report illegal content to the platform",
    "Delete the page",
    "Remove only comments from people you dislike",
    "Turn off all comments forever without explanation"],
   "Bạn quản trị một trang cộng đồng 5.000 thành viên và các bình luận thù ghét ngày càng nhiều. Cách làm tốt nhất là gì?",
   ["Công bố nội quy rõ ràng, kiểm duyệt nhất quán, giải thích khi gỡ bài và báo cáo nội dung vi phạm pháp luật cho nền tảng",
    "Xóa trang",
    "Chỉ gỡ bình luận của những người mình không thích",
    "Tắt bình luận vĩnh viễn mà không giải thích"])

mc("2.6", 1, "digital-identity accounts",
   "What is a 'username'?",
   ["The name you use to sign in to an account or to be seen online",
    "The password of your email",
    "The serial number of your phone",
    "Your home address"],
   "'Tên người dùng' (username) là gì?",
   ["Tên bạn dùng để đăng nhập tài khoản hoặc hiển thị trên mạng",
    "Mật khẩu email của bạn",
    "Số sê-ri của điện thoại",
    "Địa chỉ nhà của bạn"])
mc("2.6", 2, "digital-footprint",
   "What is your 'digital footprint'?",
   ["The trail of data you leave online: posts, searches, likes, accounts",
    "The size of your phone's storage",
    "The number of devices you own",
    "Your fingerprint used to unlock a phone"],
   "'Dấu chân số' của bạn là gì?",
   ["Dấu vết dữ liệu bạn để lại trên mạng: bài đăng, lượt tìm kiếm, lượt thích, tài khoản",
    "Dung lượng bộ nhớ điện thoại",
    "Số thiết bị bạn sở hữu",
    "Dấu vân tay dùng để mở khóa điện thoại"])
mc("2.6", 3, "impersonation scams",
   "Someone creates a fake social media account with your name and photos and asks your friends for money. What should you do?",
   ["Report the fake profile to the platform and warn your friends from your real account",
    "Send money to your friends to make up for it",
    "Create another fake account to argue with it",
    "Do nothing; it will disappear by itself"],
   "Ai đó lập tài khoản mạng xã hội giả mạo với tên và ảnh của bạn để vay tiền bạn bè của bạn. Bạn nên làm gì?",
   ["Báo cáo tài khoản giả mạo với nền tảng và cảnh báo bạn bè từ tài khoản thật của mình",
    "Chuyển tiền cho bạn bè để bù lại",
    "Lập thêm một tài khoản giả để cãi nhau với nó",
    "Không làm gì, nó sẽ tự biến mất"])
mc("2.6", 4, "digital-footprint reputation",
   "An employer may search your name online before a job interview. What helps most?",
   ["Review your public posts and privacy settings, and keep an up-to-date professional profile",
    "Delete all your accounts the day before",
    "Change your name on every account to a nickname",
    "Nothing; employers never look"],
   "Nhà tuyển dụng có thể tìm tên bạn trên mạng trước buổi phỏng vấn. Việc gì giúp ích nhất?",
   ["Rà soát các bài đăng công khai và cài đặt quyền riêng tư, giữ một hồ sơ nghề nghiệp cập nhật",
    "Xóa hết mọi tài khoản vào hôm trước",
    "Đổi tên trên mọi tài khoản thành biệt danh",
    "Không cần làm gì; nhà tuyển dụng không bao giờ tìm"])
mc("2.6", 5, "single-sign-on accounts",
   "A new app offers 'Sign in with Google' or 'Sign in with Facebook'. Which statement about this is correct?",
   ["The app may receive some of your profile data, and if that main account is taken over the linked apps are exposed too",
    "The app can never see any of your data",
    "It makes your main account's password public",
    "You no longer need to protect your main account"],
   "Một ứng dụng mới cho phép 'Đăng nhập bằng Google' hoặc 'Đăng nhập bằng Facebook'. Nhận định nào đúng?",
   ["Ứng dụng có thể nhận một phần dữ liệu hồ sơ của bạn, và nếu tài khoản chính bị chiếm thì các ứng dụng liên kết cũng bị ảnh hưởng",
    "Ứng dụng không bao giờ thấy được dữ liệu nào của bạn",
    "Việc này làm lộ công khai mật khẩu tài khoản chính",
    "Bạn không còn cần bảo vệ tài khoản chính nữa"])
mc("2.6", 6, "digital-identity management",
   "You want to keep your personal and professional identities online apart. What is the best approach?",
   ["Use separate accounts and email addresses, set audiences for each, and review them regularly",
    "Use one public account for everything",
    "Use a fake identity at work",
    "Share your passwords with your colleagues so they can post for you"],
   "Bạn muốn tách biệt danh tính cá nhân và danh tính nghề nghiệp trên mạng. Cách làm tốt nhất là gì?",
   ["Dùng tài khoản và địa chỉ email riêng, đặt đối tượng xem cho từng tài khoản và rà soát định kỳ",
    "Dùng một tài khoản công khai cho mọi việc",
    "Dùng danh tính giả ở nơi làm việc",
    "Chia sẻ mật khẩu cho đồng nghiệp để họ đăng bài giúp"])

# ----------------------------------------------------------------------------------------
# Area 3: Digital content creation
# ----------------------------------------------------------------------------------------
mc("3.1", 1, "documents",
   "Which kind of program do you use to write a letter on a computer?",
   ["A word processor such as Word, Google Docs or LibreOffice Writer",
    "A web browser's history page",
    "The calculator",
    "A photo viewer"],
   "Bạn dùng loại phần mềm nào để soạn một lá thư trên máy tính?",
   ["Phần mềm soạn thảo văn bản như Word, Google Docs hoặc LibreOffice Writer",
    "Trang lịch sử của trình duyệt web",
    "Máy tính bỏ túi",
    "Phần mềm xem ảnh"])
mc("3.1", 2, "documents formatting",
   "How can you make the title of a document stand out?",
   ["Apply a heading style, or make it bold and larger",
    "Type it three times",
    "Put it at the very end of the document",
    "Write it in the file name only"],
   "Làm thế nào để tiêu đề của văn bản nổi bật?",
   ["Áp dụng kiểu đề mục (Heading), hoặc in đậm và tăng cỡ chữ",
    "Gõ tiêu đề ba lần",
    "Đặt tiêu đề ở cuối văn bản",
    "Chỉ ghi tiêu đề trong tên tệp"])
pc("3.1", 3, "documents formatting task",
   "Task (practice word processor): format a notice for residents: a title in heading style, the meeting date in bold, and the agenda as a bulleted list.",
   "Nhiệm vụ (trên phần mềm soạn thảo mô phỏng): định dạng một thông báo gửi cư dân: tiêu đề theo kiểu đề mục, ngày họp in đậm và nội dung họp dạng danh sách gạch đầu dòng.",
   ["No formatting applied",
    "One of the three elements formatted",
    "Two of the three elements formatted",
    "All three elements formatted correctly"],
   ["Chưa định dạng được gì",
    "Định dạng đúng một trong ba yêu cầu",
    "Định dạng đúng hai trong ba yêu cầu",
    "Định dạng đúng cả ba yêu cầu"],
   model="pcm")
mc("3.1", 3, "documents formats",
   "In which format should you send your finished CV so that it looks the same on any device?",
   ["PDF", "An editable text file (.txt)", "A photo of the screen", "A link to your browser history"],
   "Bạn nên gửi bản CV hoàn chỉnh ở định dạng nào để hiển thị giống nhau trên mọi thiết bị?",
   ["PDF", "Tệp văn bản thô (.txt)", "Ảnh chụp màn hình", "Đường liên kết tới lịch sử trình duyệt"])
mc("3.1", 4, "documents accessibility",
   "Why add 'alt text' (alternative text) to images in a document or web page?",
   ["So that people using screen readers can understand the images",
    "To make the images load faster",
    "To protect the images from copying",
    "To increase the image resolution"],
   "Vì sao cần thêm 'văn bản thay thế' (alt text) cho hình ảnh trong tài liệu hoặc trang web?",
   ["Để người dùng trình đọc màn hình hiểu được nội dung hình ảnh",
    "Để hình ảnh tải nhanh hơn",
    "Để chống sao chép hình ảnh",
    "Để tăng độ phân giải hình ảnh"])
mc("3.1", 5, "presentations design",
   "You prepare slides for a talk to older residents in a community hall. Which design works best?",
   ["Large fonts, strong contrast, one idea per slide and little text",
    "Small fonts so that more text fits on each slide",
    "Light grey text on a white background",
    "Many animations on every line"],
   "Bạn chuẩn bị bài trình chiếu cho buổi nói chuyện với người cao tuổi tại nhà văn hóa. Cách thiết kế nào tốt nhất?",
   ["Chữ to, độ tương phản cao, mỗi trang một ý và ít chữ",
    "Chữ nhỏ để mỗi trang chứa được nhiều nội dung",
    "Chữ màu xám nhạt trên nền trắng",
    "Thật nhiều hiệu ứng chuyển động cho từng dòng"])
mc("3.1", 6, "accessibility forms",
   "Your office publishes an online form that all citizens, including blind users, must be able to fill in. Which practice matters most?",
   ["Give every field a label, use a logical heading order, allow keyboard-only use, and test with a screen reader",
    "Put the form inside an image so that it looks identical everywhere",
    "Use colour alone to mark required fields",
    "Add a CAPTCHA with distorted text and no alternative"],
   "Cơ quan bạn đăng một biểu mẫu trực tuyến mà mọi người dân, kể cả người khiếm thị, đều phải điền được. Điều gì quan trọng nhất?",
   ["Mỗi ô nhập có nhãn, đề mục theo thứ tự hợp lý, thao tác được hoàn toàn bằng bàn phím, và thử bằng trình đọc màn hình",
    "Đưa biểu mẫu vào một hình ảnh để hiển thị giống nhau ở mọi nơi",
    "Chỉ dùng màu sắc để đánh dấu ô bắt buộc",
    "Thêm mã CAPTCHA chữ méo mà không có cách thay thế"])

mc("3.2", 1, "documents images",
   "How do you put a photo into a document in a word processor?",
   ["Use Insert, then Picture, and choose the photo",
    "Print the photo and tape it to the screen",
    "Rename the document to the photo's name",
    "Email the photo to the document"],
   "Làm thế nào để chèn một bức ảnh vào văn bản trong phần mềm soạn thảo?",
   ["Chọn Chèn (Insert), rồi Ảnh (Picture), và chọn bức ảnh",
    "In ảnh ra rồi dán lên màn hình",
    "Đổi tên văn bản thành tên bức ảnh",
    "Gửi email bức ảnh cho văn bản"])
mc("3.2", 2, "templates documents",
   "You start your CV from a template. What must you do before sending it?",
   ["Replace all the sample text with your own details and adapt it to the job",
    "Keep the sample name so it looks professional",
    "Only change the colour",
    "Send it unchanged; employers expect templates"],
   "Bạn làm CV từ một mẫu có sẵn. Bạn phải làm gì trước khi gửi đi?",
   ["Thay toàn bộ nội dung mẫu bằng thông tin của mình và điều chỉnh cho phù hợp công việc",
    "Giữ nguyên tên mẫu cho chuyên nghiệp",
    "Chỉ đổi màu sắc",
    "Gửi nguyên như vậy; nhà tuyển dụng đã quen với mẫu"])
mc("3.2", 3, "spreadsheets web-data",
   "You copy a table from a web page into a spreadsheet. What should you do next?",
   ["Check that the columns and numbers came across correctly, and paste as values if formatting is messy",
    "Nothing; copied tables are always perfect",
    "Retype every number by hand",
    "Delete the column headers"],
   "Bạn sao chép một bảng từ trang web vào bảng tính. Bạn nên làm gì tiếp theo?",
   ["Kiểm tra các cột và số liệu đã chuyển sang đúng chưa, và dán dạng giá trị nếu định dạng bị lộn xộn",
    "Không cần làm gì; bảng sao chép luôn hoàn hảo",
    "Gõ lại từng con số bằng tay",
    "Xóa các tiêu đề cột"])
mc("3.2", 4, "ai summaries",
   "You use an AI tool to summarise a long report for your team. What is the responsible way to do it?",
   ["Check the summary against the original report and tell the team that AI helped produce it",
    "Send the summary as it is; AI summaries are always accurate",
    "Paste the summary under your name with no check",
    "Delete the original report to avoid confusion"],
   "Bạn dùng công cụ AI để tóm tắt một báo cáo dài cho nhóm. Cách làm có trách nhiệm là gì?",
   ["Đối chiếu bản tóm tắt với báo cáo gốc và cho nhóm biết có sự hỗ trợ của AI",
    "Gửi nguyên bản tóm tắt; tóm tắt của AI luôn chính xác",
    "Dán bản tóm tắt dưới tên mình mà không kiểm tra",
    "Xóa báo cáo gốc để tránh nhầm lẫn"],
   vn=["6.2", "6.3"])
mc("3.2", 5, "spreadsheets charts documents",
   "You want a chart from a spreadsheet in your report to update when the data change. What do you do?",
   ["Insert the chart as a linked object rather than a picture",
    "Take a screenshot of the chart and paste it",
    "Redraw the chart by hand in the report",
    "Describe the chart in words only"],
   "Bạn muốn biểu đồ lấy từ bảng tính trong báo cáo tự cập nhật khi dữ liệu thay đổi. Bạn làm thế nào?",
   ["Chèn biểu đồ dưới dạng đối tượng có liên kết thay vì dạng ảnh",
    "Chụp màn hình biểu đồ rồi dán vào",
    "Tự vẽ lại biểu đồ trong báo cáo",
    "Chỉ mô tả biểu đồ bằng lời"])
mc("3.2", 6, "remix licences open-data",
   "You build an infographic from an open government dataset and a photo licensed CC BY. What must you do?",
   ["Credit both sources, say what you changed, and check that their licences allow your use",
    "Nothing, because both are free to download",
    "Credit only the photo",
    "Add your own copyright notice and remove the others"],
   "Bạn làm một đồ họa thông tin từ bộ dữ liệu mở của nhà nước và một bức ảnh có giấy phép CC BY. Bạn phải làm gì?",
   ["Ghi nguồn cả hai, nêu rõ những gì đã thay đổi, và kiểm tra giấy phép cho phép cách dùng của bạn",
    "Không cần gì, vì cả hai đều tải về miễn phí",
    "Chỉ ghi nguồn bức ảnh",
    "Thêm thông báo bản quyền của mình và xóa các ghi chú khác"])

mc("3.3", 1, "copyright",
   "Can you use any image you find on the internet on a poster for your shop?",
   ["No: images are usually protected by copyright unless their licence allows it",
    "Yes: everything on the internet is free to use",
    "Yes, as long as you make the image smaller",
    "Yes, if you found it through a search engine"],
   "Bạn có được dùng bất kỳ hình ảnh nào tìm thấy trên mạng để làm áp phích cho cửa hàng không?",
   ["Không: hình ảnh thường được bảo hộ quyền tác giả, trừ khi giấy phép cho phép",
    "Có: mọi thứ trên Internet đều được dùng tự do",
    "Có, miễn là thu nhỏ hình ảnh",
    "Có, nếu tìm thấy qua công cụ tìm kiếm"])
mc("3.3", 2, "copyright",
   "What does the symbol © next to a photo mean?",
   ["The photo is protected by copyright",
    "The photo is free for any use",
    "The photo was taken by a camera",
    "The photo is a certified original by the government"],
   "Ký hiệu © bên cạnh một bức ảnh có nghĩa là gì?",
   ["Bức ảnh được bảo hộ quyền tác giả",
    "Bức ảnh được dùng tự do cho mọi mục đích",
    "Bức ảnh được chụp bằng máy ảnh",
    "Bức ảnh là bản gốc được nhà nước chứng nhận"])
mc("3.3", 3, "creative-commons licences",
   "A photo is published under the Creative Commons licence CC BY. What must you do to use it on your website?",
   ["Give credit to the author (attribution)",
    "Pay the author a fee each month",
    "Ask the government for permission",
    "Nothing at all"],
   "Một bức ảnh được công bố theo giấy phép Creative Commons CC BY. Bạn phải làm gì để dùng ảnh trên trang web của mình?",
   ["Ghi công tác giả (ghi nguồn)",
    "Trả phí cho tác giả hằng tháng",
    "Xin phép cơ quan nhà nước",
    "Không cần làm gì"],
   label="cc-by", enemy="cc-by-nc")
mc("3.3", 4, "creative-commons licences",
   "What does the licence CC BY-NC allow?",
   ["Reuse with credit to the author, but not for commercial purposes",
    "Any use, including selling, without credit",
    "Only viewing, never copying",
    "Commercial use only"],
   "Giấy phép CC BY-NC cho phép điều gì?",
   ["Tái sử dụng có ghi công tác giả, nhưng không vì mục đích thương mại",
    "Mọi cách dùng, kể cả bán, mà không cần ghi công",
    "Chỉ được xem, không được sao chép",
    "Chỉ được dùng cho mục đích thương mại"],
   label="cc-by-nc", enemy="cc-by")
pc("3.3", 4, "creative-commons licences task",
   "Task: four images carry the licences CC0, CC BY, CC BY-NC and 'All rights reserved'. Choose those you may use on a flyer for your shop and write the credit line needed.",
   "Nhiệm vụ: bốn hình ảnh có giấy phép lần lượt là CC0, CC BY, CC BY-NC và 'Bảo lưu mọi quyền'. Hãy chọn những ảnh được dùng cho tờ rơi quảng cáo cửa hàng và viết dòng ghi nguồn cần thiết.",
   ["Wrong choice of images",
    "Partly right choice (one error)",
    "Right choice (CC0 and CC BY), credit line missing or incomplete",
    "Right choice with a correct credit line for the CC BY image"],
   ["Chọn sai các ảnh",
    "Chọn đúng một phần (sai một ảnh)",
    "Chọn đúng (CC0 và CC BY) nhưng thiếu hoặc chưa đủ dòng ghi nguồn",
    "Chọn đúng và ghi nguồn đúng cho ảnh CC BY"],
   model="gpcm")
mc("3.3", 5, "creative-commons licences",
   "You make a video that adapts a song licensed CC BY-SA. Which licence must your video use?",
   ["The same licence, CC BY-SA, or a compatible one",
    "Any licence you like",
    "All rights reserved",
    "No licence: adapted works are public domain"],
   "Bạn làm một video phóng tác từ một bài hát có giấy phép CC BY-SA. Video của bạn phải dùng giấy phép nào?",
   ["Cùng giấy phép CC BY-SA hoặc giấy phép tương thích",
    "Giấy phép nào tùy ý",
    "Bảo lưu mọi quyền",
    "Không cần giấy phép: tác phẩm phóng tác thuộc phạm vi công cộng"])
mc("3.3", 6, "public-domain licences",
   "An image is marked CC0 (public domain dedication). Which statement is correct?",
   ["You may use it without conditions, but should check that the uploader really had the right to release it",
    "You must pay a small fee to the platform",
    "You may use it only for non-commercial purposes",
    "You must keep it unchanged"],
   "Một hình ảnh được gắn CC0 (tuyên bố dành cho phạm vi công cộng). Nhận định nào đúng?",
   ["Bạn được dùng mà không kèm điều kiện, nhưng nên kiểm tra người đăng có thực sự có quyền công bố như vậy",
    "Bạn phải trả một khoản phí nhỏ cho nền tảng",
    "Bạn chỉ được dùng cho mục đích phi thương mại",
    "Bạn phải giữ nguyên không được chỉnh sửa"])

mc("3.4", 1, "programming",
   "What is a computer program?",
   ["A set of instructions that a computer follows",
    "The screen of a computer",
    "A television schedule",
    "A type of cable"],
   "Chương trình máy tính là gì?",
   ["Một tập hợp các lệnh mà máy tính thực hiện",
    "Màn hình của máy tính",
    "Lịch phát sóng truyền hình",
    "Một loại dây cáp"])
mc("3.4", 2, "programming loops",
   "In a block-based language such as Scratch, what does the block 'repeat 10' do?",
   ["Runs the blocks inside it 10 times",
    "Waits 10 seconds",
    "Moves the character 10 steps once",
    "Stops the program after 10 blocks"],
   "Trong ngôn ngữ lập trình kéo thả như Scratch, khối lệnh 'lặp lại 10 lần' làm gì?",
   ["Thực hiện các khối lệnh bên trong nó 10 lần",
    "Chờ 10 giây",
    "Di chuyển nhân vật 10 bước một lần",
    "Dừng chương trình sau 10 khối lệnh"])
mc("3.4", 3, "programming variables",
   "What does this program print?  x = 5   then   x = x + 2   then   print(x)",
   ["7", "5", "2", "x + 2"],
   "Chương trình sau in ra gì?  x = 5   rồi   x = x + 2   rồi   print(x)",
   ["7", "5", "2", "x + 2"])
mc("3.4", 4, "programming spreadsheets conditions",
   "In a spreadsheet, the formula =IF(B2>=5,\"Pass\",\"Fail\") shows 'Pass' when:",
   ["B2 is 5 or more", "B2 is less than 5", "B2 is empty", "B2 contains the word Pass"],
   "Trong bảng tính, công thức =IF(B2>=5,\"Đạt\",\"Chưa đạt\") hiển thị 'Đạt' khi:",
   ["B2 lớn hơn hoặc bằng 5", "B2 nhỏ hơn 5", "B2 để trống", "B2 chứa chữ Đạt"])
mc("3.4", 5, "programming loops",
   "total starts at 0. The loop  'for i in 1, 2, 3: total = total + i'  runs. What is total afterwards?",
   ["6", "3", "4", "123"],
   "Biến total ban đầu bằng 0. Vòng lặp  'với i lần lượt là 1, 2, 3: total = total + i'  chạy xong. Khi đó total bằng bao nhiêu?",
   ["6", "3", "4", "123"])
pc("3.4", 5, "programming debugging task",
   "Task (practice editor): a short program should print the average mark of a class but crashes when the class list is empty. Find the cause and fix it.",
   "Nhiệm vụ (trên trình soạn thảo mô phỏng): một chương trình ngắn cần in điểm trung bình của lớp nhưng bị lỗi khi danh sách lớp rỗng. Hãy tìm nguyên nhân và sửa lỗi.",
   ["Cause not found",
    "Cause found (division by zero), not fixed",
    "Fixed so that an empty list gives a clear message instead of a crash"],
   ["Không tìm ra nguyên nhân",
    "Tìm ra nguyên nhân (chia cho 0) nhưng chưa sửa được",
    "Sửa được để danh sách rỗng cho thông báo rõ ràng thay vì lỗi"],
   model="gpcm")
mc("3.4", 6, "programming testing",
   "A program that processes a list of orders crashes when the list is empty. What is the best fix?",
   ["Handle the empty case explicitly and add a test with an empty list",
    "Tell users never to submit an empty list",
    "Wrap the whole program so that every error is silently ignored",
    "Add a blank order to every list"],
   "Một chương trình xử lý danh sách đơn hàng bị lỗi khi danh sách rỗng. Cách sửa tốt nhất là gì?",
   ["Xử lý riêng trường hợp danh sách rỗng và thêm một phép thử với danh sách rỗng",
    "Dặn người dùng đừng bao giờ gửi danh sách rỗng",
    "Bọc toàn bộ chương trình để mọi lỗi đều bị bỏ qua âm thầm",
    "Thêm một đơn hàng trống vào mọi danh sách"])

# ----------------------------------------------------------------------------------------
# Area 4: Safety
# ----------------------------------------------------------------------------------------
mc("4.1", 1, "device-security screen-lock",
   "Which is a safe way to lock your phone?",
   ["A PIN, fingerprint or face unlock",
    "No lock, so that it opens faster",
    "A sticker on the screen",
    "Turning the volume down"],
   "Cách nào là cách khóa điện thoại an toàn?",
   ["Mã PIN, vân tay hoặc nhận diện khuôn mặt",
    "Không khóa để mở cho nhanh",
    "Dán một miếng nhãn lên màn hình",
    "Giảm âm lượng"])
mc("4.1", 2, "device-security updates",
   "Why should you install software updates on your phone and computer?",
   ["They fix security weaknesses that attackers could use",
    "They always make the battery last twice as long",
    "They delete your personal files",
    "They are only needed for games"],
   "Vì sao nên cài đặt các bản cập nhật phần mềm cho điện thoại và máy tính?",
   ["Chúng vá các lỗ hổng bảo mật mà kẻ xấu có thể lợi dụng",
    "Chúng luôn làm pin dùng lâu gấp đôi",
    "Chúng xóa các tệp cá nhân của bạn",
    "Chúng chỉ cần thiết cho trò chơi"])
mc("4.1", 2, "passwords",
   "Which password is the hardest to guess?",
   ["mua-he-cay-xoai-ngay-mai-47", "12345678", "01011990", "matkhau"],
   "Mật khẩu nào khó đoán nhất?",
   ["mua-he-cay-xoai-ngay-mai-47", "12345678", "01011990", "matkhau"])
mc("4.1", 2, "apps device-security",
   "Where should you install apps from?",
   ["The official app store of your phone (Google Play or App Store)",
    "Any link sent to you by a stranger",
    "A file shared in a large chat group",
    "A pop-up advert promising a prize"],
   "Bạn nên cài ứng dụng từ đâu?",
   ["Kho ứng dụng chính thức của điện thoại (Google Play hoặc App Store)",
    "Bất kỳ đường liên kết nào người lạ gửi",
    "Tệp được chia sẻ trong một nhóm trò chuyện đông người",
    "Quảng cáo bật lên hứa tặng thưởng"])
mc("4.1", 3, "two-factor passwords",
   "What does 'two-factor sign-in' (2FA) mean?",
   ["Besides the password, you confirm with a second proof, such as a code from an app on your phone",
    "You type your password twice",
    "Two people share one account",
    "You have two different passwords for two accounts"],
   "'Xác thực hai yếu tố' (2FA) khi đăng nhập nghĩa là gì?",
   ["Ngoài mật khẩu, bạn xác nhận thêm bằng một yếu tố thứ hai, như mã từ ứng dụng trên điện thoại",
    "Gõ mật khẩu hai lần",
    "Hai người dùng chung một tài khoản",
    "Có hai mật khẩu khác nhau cho hai tài khoản"],
   label="2fa-what", enemy="2fa-task")
pc("4.1", 3, "two-factor task",
   "Task (practice email account): turn on two-step verification using an authenticator app and save the backup codes.",
   "Nhiệm vụ (trên tài khoản email mô phỏng): bật xác minh hai bước bằng ứng dụng xác thực và lưu lại các mã dự phòng.",
   ["Could not find the security settings",
    "Found the setting but did not finish turning it on",
    "Turned on two-step verification, but did not save the backup codes",
    "Turned on two-step verification and saved the backup codes"],
   ["Không tìm thấy phần cài đặt bảo mật",
    "Tìm thấy cài đặt nhưng chưa bật xong",
    "Đã bật xác minh hai bước nhưng chưa lưu mã dự phòng",
    "Đã bật xác minh hai bước và lưu mã dự phòng"],
   model="gpcm", label="2fa-task", enemy="2fa-what")
mc("4.1", 4, "malware scareware",
   "A pop-up on a web page says: 'Your phone has 5 viruses! Install this cleaner now.' What is it most likely to be?",
   ["A scam designed to make you install unwanted or harmful software; close it",
    "A real warning from your phone's maker",
    "A message from the police",
    "A normal system update"],
   "Một cửa sổ bật lên trên trang web báo: 'Điện thoại của bạn có 5 virus! Cài ngay ứng dụng dọn dẹp này.' Nhiều khả năng đây là gì?",
   ["Trò lừa để bạn cài phần mềm không mong muốn hoặc độc hại; hãy đóng lại",
    "Cảnh báo thật từ hãng sản xuất điện thoại",
    "Thông báo của cơ quan công an",
    "Một bản cập nhật hệ thống bình thường"])
mc("4.1", 5, "passwords password-manager",
   "What is the main benefit of a password manager?",
   ["It creates and stores a different strong password for every account, behind one strong master password",
    "It lets you use the same short password everywhere",
    "It sends your passwords to your friends for safekeeping",
    "It removes the need to lock your phone"],
   "Lợi ích chính của trình quản lý mật khẩu là gì?",
   ["Tạo và lưu một mật khẩu mạnh khác nhau cho từng tài khoản, được bảo vệ bằng một mật khẩu chính mạnh",
    "Cho phép dùng một mật khẩu ngắn giống nhau ở mọi nơi",
    "Gửi mật khẩu cho bạn bè giữ hộ",
    "Không còn cần khóa điện thoại nữa"])
mc("4.1", 6, "two-factor phishing passkeys",
   "Which sign-in method best resists phishing sites that trick you into typing your code?",
   ["A passkey or hardware security key",
    "A code sent by SMS",
    "A code sent by email",
    "Security questions such as your mother's maiden name"],
   "Phương thức đăng nhập nào chống lại trang web lừa đảo (dụ bạn nhập mã) tốt nhất?",
   ["Khóa truy cập (passkey) hoặc khóa bảo mật phần cứng",
    "Mã gửi qua tin nhắn SMS",
    "Mã gửi qua email",
    "Câu hỏi bảo mật như tên thời con gái của mẹ"])

mc("4.2", 1, "scams otp phone",
   "A caller says he is from your bank and asks for the OTP code just sent to your phone. What do you do?",
   ["Refuse and hang up: never tell anyone an OTP code",
    "Read him the code, since he knows your name",
    "Send the code by SMS instead",
    "Give him half of the code"],
   "Một người gọi điện tự xưng là nhân viên ngân hàng và xin mã OTP vừa gửi đến điện thoại của bạn. Bạn làm gì?",
   ["Từ chối và cúp máy: không bao giờ cho ai biết mã OTP",
    "Đọc mã cho anh ta vì anh ta biết tên bạn",
    "Gửi mã qua tin nhắn thay vì đọc",
    "Chỉ đọc một nửa mã"],
   label="otp-bank", enemy="otp-vneid")
mc("4.2", 2, "scams phishing sms",
   "You get an SMS: 'Your parcel is on hold. Pay 15,000 VND at http://giao-hang-vn.top to receive it.' What is it most likely to be?",
   ["Phishing: do not click; check your orders in the official app instead",
    "A normal delivery notice that you should pay quickly",
    "A message from your bank",
    "A government announcement"],
   "Bạn nhận tin nhắn: 'Bưu kiện của bạn đang bị giữ. Thanh toán 15.000đ tại http://giao-hang-vn.top để nhận hàng.' Nhiều khả năng đây là gì?",
   ["Lừa đảo giả mạo: không bấm vào; hãy kiểm tra đơn hàng trong ứng dụng chính thức",
    "Thông báo giao hàng bình thường, nên thanh toán nhanh",
    "Tin nhắn từ ngân hàng của bạn",
    "Thông báo của cơ quan nhà nước"])
mc("4.2", 2, "privacy social-media",
   "On social media, who can see a post whose audience is set to 'Public'?",
   ["Anyone, including people who are not your friends",
    "Only your friends",
    "Only you",
    "Only your family members"],
   "Trên mạng xã hội, bài đăng để chế độ 'Công khai' thì những ai xem được?",
   ["Bất kỳ ai, kể cả người không phải bạn bè",
    "Chỉ bạn bè",
    "Chỉ mình bạn",
    "Chỉ người trong gia đình"])
mc("4.2", 3, "scams online-shopping",
   "Which combination of signs suggests a fake online shop?",
   ["Prices far below market, payment only by transfer to a personal account, and a new page with no history",
    "A return policy, a business registration number and several payment options",
    "Delivery through a well-known courier with cash on delivery",
    "Product reviews with both good and bad comments"],
   "Tập hợp dấu hiệu nào cho thấy một cửa hàng trực tuyến có thể là giả mạo?",
   ["Giá rẻ bất thường, chỉ nhận chuyển khoản vào tài khoản cá nhân, trang mới lập không có lịch sử",
    "Có chính sách đổi trả, mã số đăng ký kinh doanh và nhiều cách thanh toán",
    "Giao hàng qua hãng vận chuyển lớn, thanh toán khi nhận hàng",
    "Đánh giá sản phẩm có cả khen lẫn chê"])
mc("4.2", 3, "scams impersonation phone",
   "A caller claims to be a police officer, says you are involved in a criminal case and tells you to transfer money to a 'safe account'. What is this?",
   ["A scam: hang up, transfer nothing, and check with your local police station",
    "A real procedure that you must follow within the hour",
    "A bank promotion",
    "A normal request from a court"],
   "Một người gọi điện xưng là công an, nói bạn liên quan đến một vụ án và yêu cầu chuyển tiền vào 'tài khoản an toàn'. Đây là gì?",
   ["Lừa đảo: cúp máy, không chuyển tiền và liên hệ công an địa phương để xác minh",
    "Thủ tục thật, bạn phải làm trong vòng một giờ",
    "Chương trình khuyến mãi của ngân hàng",
    "Yêu cầu bình thường của tòa án"])
mc("4.2", 3, "scams vneid otp",
   "A stranger on social media offers to 'activate your level-2 VNeID account' if you send your ID number and the OTP code you receive. What do you do?",
   ["Refuse: activation is done through the police and the official app, and OTP codes must never be shared",
    "Send the details, since it saves a trip",
    "Send only the OTP code",
    "Send a photo of your ID card instead"],
   "Một người lạ trên mạng xã hội đề nghị 'kích hoạt tài khoản VNeID mức 2 giúp bạn' nếu bạn gửi số căn cước và mã OTP nhận được. Bạn làm gì?",
   ["Từ chối: việc kích hoạt do cơ quan công an và ứng dụng chính thức thực hiện, và không bao giờ chia sẻ mã OTP",
    "Gửi thông tin vì đỡ phải đi lại",
    "Chỉ gửi mã OTP",
    "Gửi ảnh thẻ căn cước thay vào đó"],
   label="otp-vneid", enemy="otp-bank")
mc("4.2", 4, "privacy app-permissions",
   "A flashlight app asks for access to your contacts, location and microphone. What should you do?",
   ["Deny the permissions it does not need, or uninstall it",
    "Allow everything so that the app works better",
    "Allow everything but turn the phone off at night",
    "Share the app with friends first"],
   "Một ứng dụng đèn pin xin quyền truy cập danh bạ, vị trí và micro. Bạn nên làm gì?",
   ["Từ chối các quyền nó không cần, hoặc gỡ ứng dụng",
    "Cho phép tất cả để ứng dụng chạy tốt hơn",
    "Cho phép tất cả nhưng tắt điện thoại vào ban đêm",
    "Chia sẻ ứng dụng cho bạn bè trước"])
pc("4.2", 4, "privacy social-media task",
   "Task (practice social network): make your profile safer: hide your phone number, limit old posts to friends, and turn off location on new posts.",
   "Nhiệm vụ (trên mạng xã hội mô phỏng): làm cho trang cá nhân an toàn hơn: ẩn số điện thoại, giới hạn các bài đăng cũ chỉ bạn bè xem được, và tắt vị trí trên bài đăng mới.",
   ["None of the three settings changed",
    "One setting changed",
    "Two settings changed",
    "All three settings changed"],
   ["Không thay đổi được cài đặt nào",
    "Thay đổi được một cài đặt",
    "Thay đổi được hai cài đặt",
    "Thay đổi được cả ba cài đặt"],
   model="gpcm")
mc("4.2", 5, "ai privacy",
   "You want a public AI chatbot to draft messages to your shop's customers. Your list has their names and phone numbers. What is the right approach?",
   ["Do not paste personal data into it; give it an anonymised example and fill in the details yourself",
    "Paste the full list so the messages are personalised",
    "Paste the list but delete the chat afterwards, which removes all risk",
    "Ask the chatbot to promise not to share the data, then paste the list"],
   "Bạn muốn nhờ chatbot AI công cộng soạn tin nhắn gửi khách hàng của cửa hàng. Danh sách có họ tên và số điện thoại của khách. Cách làm đúng là gì?",
   ["Không dán dữ liệu cá nhân vào; đưa một ví dụ đã ẩn danh và tự điền thông tin sau",
    "Dán toàn bộ danh sách để tin nhắn được cá nhân hóa",
    "Dán danh sách rồi xóa cuộc trò chuyện, như vậy hết mọi rủi ro",
    "Bảo chatbot hứa không chia sẻ dữ liệu rồi dán danh sách"],
   vn=["6.2", "6.3"])
mc("4.2", 6, "personal-data law business",
   "You run a small shop that collects customers' phone numbers for delivery. Under Vietnam's personal data protection rules, what should you do?",
   ["Tell customers the purpose, get their consent, keep only what is needed, and protect and delete it when no longer needed",
    "Sell the list to advertisers, since customers gave the numbers freely",
    "Post the list on your shop's page so couriers can find it",
    "Keep the numbers forever in an unprotected shared spreadsheet"],
   "Bạn có một cửa hàng nhỏ thu thập số điện thoại khách hàng để giao hàng. Theo quy định về bảo vệ dữ liệu cá nhân của Việt Nam, bạn nên làm gì?",
   ["Thông báo mục đích, xin sự đồng ý của khách, chỉ giữ dữ liệu cần thiết, bảo vệ và xóa khi không còn cần",
    "Bán danh sách cho bên quảng cáo vì khách tự nguyện cho số",
    "Đăng danh sách lên trang của cửa hàng để người giao hàng dễ tìm",
    "Giữ số điện thoại mãi mãi trong một bảng tính dùng chung không được bảo vệ"])

mc("4.3", 1, "well-being sleep",
   "Using a phone in bed late at night can:",
   ["Disturb your sleep", "Improve your eyesight", "Charge the battery faster", "Make you sleep longer"],
   "Dùng điện thoại trên giường vào đêm khuya có thể:",
   ["Làm ảnh hưởng đến giấc ngủ", "Làm mắt tinh hơn", "Làm pin sạc nhanh hơn", "Giúp ngủ lâu hơn"])
mc("4.3", 2, "well-being eyes",
   "Working at a screen for long periods, which habit helps your eyes?",
   ["Every 20 minutes, look at something about 6 metres away for 20 seconds",
    "Turn the screen brightness to maximum",
    "Sit as close to the screen as possible",
    "Avoid blinking"],
   "Khi làm việc lâu với màn hình, thói quen nào tốt cho mắt?",
   ["Cứ 20 phút, nhìn một vật cách khoảng 6 mét trong 20 giây",
    "Tăng độ sáng màn hình lên tối đa",
    "Ngồi càng sát màn hình càng tốt",
    "Cố gắng không chớp mắt"])
mc("4.3", 3, "child-safety grooming",
   "An adult stranger keeps messaging a child online, asks for photos and tells the child to keep it secret. What should be done?",
   ["Keep the evidence, block and report the account, and tell a trusted adult or the authorities",
    "Reply to find out what the stranger wants",
    "Delete the messages and forget about it",
    "Send an old photo so that he stops asking"],
   "Một người lớn lạ mặt liên tục nhắn tin cho một đứa trẻ trên mạng, đòi ảnh và dặn giữ bí mật. Cần làm gì?",
   ["Lưu bằng chứng, chặn và báo cáo tài khoản, báo cho người lớn tin cậy hoặc cơ quan chức năng",
    "Nhắn lại để xem người lạ muốn gì",
    "Xóa tin nhắn và quên chuyện đó đi",
    "Gửi một bức ảnh cũ để người đó thôi đòi"])
mc("4.3", 4, "screen-time well-being",
   "Which phone feature helps you limit the time you spend in particular apps?",
   ["Screen-time or digital well-being settings with app timers",
    "Airplane mode turned on all day",
    "A brighter wallpaper",
    "A louder ringtone"],
   "Tính năng nào trên điện thoại giúp bạn giới hạn thời gian dùng một số ứng dụng?",
   ["Cài đặt thời gian sử dụng hoặc sức khỏe kỹ thuật số, với hẹn giờ cho ứng dụng",
    "Bật chế độ máy bay cả ngày",
    "Dùng hình nền sáng hơn",
    "Dùng nhạc chuông to hơn"])
mc("4.3", 4, "cyberbullying well-being",
   "You are being harassed in comments on your posts. Which response protects you best?",
   ["Do not retaliate, keep screenshots, block and report the accounts, and talk to someone you trust",
    "Reply with insults so that they stop",
    "Post their personal details online",
    "Delete your account immediately without keeping any evidence"],
   "Bạn bị quấy rối bằng bình luận trên các bài đăng của mình. Cách phản ứng nào bảo vệ bạn tốt nhất?",
   ["Không đáp trả, lưu ảnh chụp màn hình, chặn và báo cáo các tài khoản, và tâm sự với người bạn tin tưởng",
    "Đáp trả bằng lời lẽ xúc phạm để họ dừng lại",
    "Đăng thông tin cá nhân của họ lên mạng",
    "Xóa ngay tài khoản mà không lưu bằng chứng nào"])
mc("4.3", 5, "family well-being",
   "A family wants healthier use of devices at home. Which plan is most likely to work?",
   ["Agree rules together, set device-free times such as meals, use apps together with young children, and review the plan",
    "Parents secretly read all of the children's messages",
    "Ban all devices completely with no explanation",
    "Let each child decide alone with no limits"],
   "Một gia đình muốn sử dụng thiết bị số lành mạnh hơn. Kế hoạch nào có khả năng hiệu quả nhất?",
   ["Cùng thống nhất quy tắc, có khoảng thời gian không dùng thiết bị như giờ ăn, cùng dùng ứng dụng với trẻ nhỏ và định kỳ xem lại",
    "Bố mẹ bí mật đọc hết tin nhắn của con",
    "Cấm hoàn toàn mọi thiết bị mà không giải thích",
    "Để từng đứa trẻ tự quyết định, không giới hạn gì"])
mc("4.3", 6, "well-being algorithms",
   "You find yourself scrolling a video feed for hours. Which change tackles the cause best?",
   ["Turn off autoplay and non-essential notifications, set app limits, and unfollow accounts that make you feel worse",
    "Switch to a bigger screen",
    "Only scroll at night",
    "Like more videos so that the feed improves"],
   "Bạn thấy mình lướt video hàng giờ liền. Thay đổi nào giải quyết đúng nguyên nhân nhất?",
   ["Tắt tự động phát và các thông báo không cần thiết, đặt giới hạn ứng dụng, bỏ theo dõi những tài khoản khiến bạn thấy tệ hơn",
    "Chuyển sang màn hình to hơn",
    "Chỉ lướt vào ban đêm",
    "Bấm thích nhiều video hơn để bảng tin tốt lên"])

mc("4.4", 1, "environment e-waste",
   "What should you do with an old phone battery?",
   ["Take it to an electronic-waste collection point",
    "Put it in the household rubbish",
    "Burn it",
    "Bury it in the garden"],
   "Bạn nên làm gì với viên pin điện thoại cũ?",
   ["Mang đến điểm thu gom rác thải điện tử",
    "Bỏ vào thùng rác sinh hoạt",
    "Đốt đi",
    "Chôn xuống vườn"])
mc("4.4", 2, "environment energy",
   "Which habit saves energy?",
   ["Switching devices off or to sleep when you are not using them",
    "Keeping the charger plugged in all day with nothing attached",
    "Setting the screen to maximum brightness",
    "Leaving the computer on every night"],
   "Thói quen nào giúp tiết kiệm năng lượng?",
   ["Tắt thiết bị hoặc để chế độ ngủ khi không dùng",
    "Cắm sạc cả ngày dù không sạc gì",
    "Để độ sáng màn hình ở mức cao nhất",
    "Để máy tính chạy suốt đêm"])
mc("4.4", 3, "environment reuse device-security",
   "Before you give away your old phone so that it can be reused, what should you do?",
   ["Back up your data, sign out of your accounts, reset it to factory settings and remove the SIM and memory card",
    "Just delete the photos",
    "Break the screen to protect your data",
    "Nothing; the next owner will delete your data"],
   "Trước khi tặng lại điện thoại cũ để người khác dùng tiếp, bạn nên làm gì?",
   ["Sao lưu dữ liệu, đăng xuất các tài khoản, khôi phục cài đặt gốc và tháo thẻ SIM, thẻ nhớ",
    "Chỉ cần xóa ảnh",
    "Đập vỡ màn hình để bảo vệ dữ liệu",
    "Không cần gì; người sau sẽ tự xóa dữ liệu"])
mc("4.4", 4, "environment streaming",
   "Watching videos in the highest resolution on a small phone screen:",
   ["Uses more data and energy with little visible benefit; a lower resolution saves both",
    "Uses less data than a lower resolution",
    "Has no effect on energy use",
    "Makes the battery last longer"],
   "Xem video ở độ phân giải cao nhất trên màn hình điện thoại nhỏ:",
   ["Tốn nhiều dữ liệu và năng lượng hơn mà lợi ích khó thấy; độ phân giải thấp hơn tiết kiệm cả hai",
    "Tốn ít dữ liệu hơn so với độ phân giải thấp",
    "Không ảnh hưởng đến mức tiêu thụ năng lượng",
    "Giúp pin dùng lâu hơn"])
mc("4.4", 5, "environment device-lifecycle",
   "Why is using a phone or laptop for more years one of the most effective ways to reduce its environmental impact?",
   ["Most of a device's lifetime emissions come from making it, not from using it",
    "Old devices use no electricity",
    "New devices cannot be recycled at all",
    "Longer use makes the device lighter"],
   "Vì sao dùng điện thoại hoặc máy tính xách tay lâu năm hơn là một trong những cách hiệu quả nhất để giảm tác động môi trường?",
   ["Phần lớn lượng phát thải trong vòng đời thiết bị đến từ khâu sản xuất, không phải khâu sử dụng",
    "Thiết bị cũ không tiêu thụ điện",
    "Thiết bị mới hoàn toàn không thể tái chế",
    "Dùng lâu làm thiết bị nhẹ hơn"])
mc("4.4", 6, "environment procurement",
   "Your organisation is writing a policy for buying computers with the environment in mind. Which criteria matter most?",
   ["Repairability, long software support, energy efficiency and a take-back or recycling programme",
    "The thinnest design and the newest colour",
    "Replacing every device every year",
    "The lowest price, with no other criteria"],
   "Đơn vị bạn đang soạn chính sách mua máy tính có tính đến môi trường. Những tiêu chí nào quan trọng nhất?",
   ["Dễ sửa chữa, được hỗ trợ phần mềm lâu dài, tiết kiệm năng lượng và có chương trình thu hồi hoặc tái chế",
    "Thiết kế mỏng nhất và màu mới nhất",
    "Thay toàn bộ thiết bị mỗi năm",
    "Giá thấp nhất, không cần tiêu chí nào khác"])

# ----------------------------------------------------------------------------------------
# Area 5: Problem solving
# ----------------------------------------------------------------------------------------
mc("5.1", 1, "troubleshooting",
   "Your phone screen has frozen and does not respond. What should you try first?",
   ["Restart the phone",
    "Buy a new phone",
    "Put the phone in the fridge",
    "Reset it to factory settings straight away"],
   "Màn hình điện thoại bị treo, không phản hồi. Bạn nên thử làm gì trước tiên?",
   ["Khởi động lại điện thoại",
    "Mua điện thoại mới",
    "Cho điện thoại vào tủ lạnh",
    "Khôi phục cài đặt gốc ngay lập tức"])
pc("5.1", 2, "wifi troubleshooting task",
   "Task (practice phone): connect the phone to the Wi-Fi network 'Nha-Van-Hoa' with the password written on the card.",
   "Nhiệm vụ (trên điện thoại mô phỏng): kết nối điện thoại với mạng Wi-Fi 'Nha-Van-Hoa' bằng mật khẩu ghi trên tấm thẻ.",
   ["Could not open the Wi-Fi settings",
    "Chose the right network but the connection failed (for example, wrong password)",
    "Connected to the right network"],
   ["Không mở được phần cài đặt Wi-Fi",
    "Chọn đúng mạng nhưng kết nối không thành công (ví dụ nhập sai mật khẩu)",
    "Kết nối thành công vào đúng mạng"],
   model="gpcm")
mc("5.1", 2, "wifi troubleshooting",
   "Your laptop has no internet, but other devices at home are online. What do you check first?",
   ["That the laptop's Wi-Fi is on and connected to the home network",
    "Whether the printer has paper",
    "Whether the laptop's speakers work",
    "Whether the keyboard language is Vietnamese"],
   "Máy tính xách tay của bạn không vào được mạng, trong khi các thiết bị khác trong nhà vẫn vào được. Bạn kiểm tra gì trước?",
   ["Wi-Fi của máy đã bật và đã kết nối vào mạng của gia đình chưa",
    "Máy in còn giấy không",
    "Loa của máy có kêu không",
    "Bàn phím có đang ở chế độ tiếng Việt không"])
mc("5.1", 3, "storage troubleshooting",
   "Your phone says storage is full and you cannot take photos. What is the best solution?",
   ["Back up photos and videos to the cloud or a computer, then delete them from the phone and remove apps you do not use",
    "Delete the phone's system settings",
    "Take photos in a higher resolution",
    "Install more apps to clean the phone"],
   "Điện thoại báo đầy bộ nhớ và bạn không chụp ảnh được. Giải pháp tốt nhất là gì?",
   ["Sao lưu ảnh và video lên đám mây hoặc máy tính, rồi xóa khỏi điện thoại và gỡ các ứng dụng không dùng",
    "Xóa phần cài đặt hệ thống của điện thoại",
    "Chụp ảnh ở độ phân giải cao hơn",
    "Cài thêm ứng dụng dọn dẹp điện thoại"])
mc("5.1", 4, "troubleshooting certificates",
   "When you open your bank's website, the browser warns 'Your connection is not private'. What should you do?",
   ["Do not continue; check the address, the device's date and time and the network, or use the bank's official app",
    "Click 'Proceed anyway' and sign in",
    "Type your password faster",
    "Turn off the antivirus and try again"],
   "Khi mở trang web ngân hàng, trình duyệt cảnh báo 'Kết nối của bạn không phải là kết nối riêng tư'. Bạn nên làm gì?",
   ["Không tiếp tục; kiểm tra địa chỉ trang, ngày giờ của thiết bị và mạng đang dùng, hoặc dùng ứng dụng chính thức của ngân hàng",
    "Bấm 'Vẫn tiếp tục' rồi đăng nhập",
    "Gõ mật khẩu nhanh hơn",
    "Tắt phần mềm diệt virus rồi thử lại"])
mc("5.1", 5, "troubleshooting malware",
   "Your computer became slow and shows adverts after you installed several 'free' programs. What is the best course of action?",
   ["Uninstall the unwanted programs, check what starts automatically, and scan for malware",
    "Buy more memory immediately",
    "Install another free 'speed-up' program",
    "Ignore it; computers always slow down"],
   "Máy tính trở nên chậm và hiện quảng cáo sau khi bạn cài vài chương trình 'miễn phí'. Cách xử lý tốt nhất là gì?",
   ["Gỡ các chương trình không mong muốn, kiểm tra các chương trình tự khởi động và quét phần mềm độc hại",
    "Mua thêm bộ nhớ ngay",
    "Cài thêm một chương trình 'tăng tốc' miễn phí khác",
    "Bỏ qua; máy tính lúc nào cũng chậm dần"])
mc("5.1", 6, "wifi troubleshooting method",
   "The Wi-Fi at a community centre drops several times a day. Which approach finds the cause most reliably?",
   ["Test systematically: compare a wired and a wireless connection, check interference and the router's logs and firmware, and change one thing at a time",
    "Restart the router whenever someone complains",
    "Buy a second router and plug both in",
    "Change the Wi-Fi name every week"],
   "Wi-Fi ở nhà văn hóa bị rớt mạng nhiều lần mỗi ngày. Cách nào tìm ra nguyên nhân đáng tin cậy nhất?",
   ["Kiểm tra có hệ thống: so sánh kết nối dây và không dây, kiểm tra nhiễu sóng, nhật ký và phần mềm của bộ phát, và mỗi lần chỉ thay đổi một yếu tố",
    "Khởi động lại bộ phát mỗi khi có người phàn nàn",
    "Mua thêm một bộ phát và cắm cả hai",
    "Đổi tên Wi-Fi mỗi tuần"])

mc("5.2", 1, "payments qr",
   "At a market you want to pay without cash. Which is a common way in Vietnam?",
   ["Scan the seller's QR code with your banking app",
    "Send the seller a photo of your bank card",
    "Tell the seller your online banking password",
    "Write your account number on the receipt"],
   "Ở chợ, bạn muốn thanh toán không dùng tiền mặt. Cách phổ biến ở Việt Nam là gì?",
   ["Quét mã QR của người bán bằng ứng dụng ngân hàng",
    "Gửi cho người bán ảnh chụp thẻ ngân hàng",
    "Nói cho người bán mật khẩu ngân hàng điện tử",
    "Ghi số tài khoản của mình lên hóa đơn"])
mc("5.2", 2, "accessibility tools",
   "Your grandmother has poor eyesight and wants to read a printed letter. Which phone feature can help?",
   ["The magnifier or a camera app that reads text aloud",
    "Airplane mode",
    "The alarm clock",
    "A lower screen brightness"],
   "Bà của bạn mắt kém và muốn đọc một lá thư in. Tính năng nào trên điện thoại có thể giúp?",
   ["Kính lúp hoặc ứng dụng máy ảnh có chức năng đọc to văn bản",
    "Chế độ máy bay",
    "Đồng hồ báo thức",
    "Giảm độ sáng màn hình"])
mc("5.2", 3, "apps choosing",
   "You are choosing an app for an older relative to make video calls. What matters most?",
   ["A simple interface in Vietnamese with large buttons, from a trusted developer, that the rest of the family also uses",
    "The app with the most features",
    "The app with the most adverts",
    "An app nobody else in the family uses"],
   "Bạn chọn một ứng dụng gọi video cho người thân lớn tuổi. Điều gì quan trọng nhất?",
   ["Giao diện đơn giản bằng tiếng Việt, nút bấm lớn, từ nhà phát triển tin cậy và cả gia đình cùng dùng",
    "Ứng dụng có nhiều tính năng nhất",
    "Ứng dụng có nhiều quảng cáo nhất",
    "Ứng dụng không ai khác trong gia đình dùng"])
mc("5.2", 4, "accessibility",
   "A person with hand tremors struggles to tap small buttons on a phone. Which solution fits best?",
   ["Turn on accessibility features such as voice control and larger display and text sizes",
    "Buy a phone with a smaller screen",
    "Turn off the touch screen",
    "Use a stylus with very small tips"],
   "Một người bị run tay gặp khó khăn khi chạm các nút nhỏ trên điện thoại. Giải pháp nào phù hợp nhất?",
   ["Bật các tính năng trợ năng như điều khiển bằng giọng nói, phóng to giao diện và cỡ chữ",
    "Mua điện thoại màn hình nhỏ hơn",
    "Tắt màn hình cảm ứng",
    "Dùng bút cảm ứng đầu thật nhỏ"])
mc("5.2", 5, "ai search choosing",
   "You need today's official exchange rate between the US dollar and the Vietnamese dong. Which tool is more reliable, and why?",
   ["The official website of a bank or the central bank, because an AI chatbot may not have current data",
    "An AI chatbot, because it knows every current figure",
    "A forum post from last year, because it has many replies",
    "A screenshot shared in a chat group"],
   "Bạn cần tỷ giá chính thức hôm nay giữa đô la Mỹ và đồng Việt Nam. Công cụ nào đáng tin cậy hơn, và vì sao?",
   ["Trang web chính thức của ngân hàng hoặc Ngân hàng Nhà nước, vì chatbot AI có thể không có dữ liệu mới nhất",
    "Chatbot AI, vì nó biết mọi con số hiện tại",
    "Một bài trên diễn đàn từ năm ngoái, vì có nhiều lượt trả lời",
    "Ảnh chụp màn hình được chia sẻ trong nhóm trò chuyện"],
   vn=["6.1"])
pc("5.2", 5, "needs-analysis task",
   "Task: a family farm sells vegetables by phone and keeps orders in a notebook. Propose a digital solution and explain how it meets their needs.",
   "Nhiệm vụ: một hộ gia đình trồng rau bán hàng qua điện thoại và ghi đơn vào sổ tay. Hãy đề xuất một giải pháp số và giải thích giải pháp đáp ứng nhu cầu của họ thế nào.",
   ["No suitable solution proposed",
    "A tool named without linking it to the family's needs",
    "A suitable tool, with its fit to the needs (cost, skills, devices) explained"],
   ["Không đề xuất được giải pháp phù hợp",
    "Nêu tên công cụ nhưng không gắn với nhu cầu của gia đình",
    "Đề xuất công cụ phù hợp và giải thích được sự phù hợp với nhu cầu (chi phí, kỹ năng, thiết bị)"],
   model="pcm")
mc("5.2", 6, "business choosing tools",
   "A small business is choosing between a spreadsheet and a cloud sales app to manage orders. What is the best way to decide?",
   ["List the needs (order volume, number of users, cost, data export, support), then trial the options against them",
    "Pick whatever a competitor uses",
    "Choose the most expensive option, since it must be best",
    "Choose by the app's logo and colours"],
   "Một doanh nghiệp nhỏ đang cân nhắc giữa bảng tính và ứng dụng bán hàng trên đám mây để quản lý đơn hàng. Cách quyết định tốt nhất là gì?",
   ["Liệt kê nhu cầu (số đơn, số người dùng, chi phí, khả năng xuất dữ liệu, hỗ trợ), rồi dùng thử các phương án theo các tiêu chí đó",
    "Chọn theo đối thủ cạnh tranh",
    "Chọn phương án đắt nhất vì chắc chắn tốt nhất",
    "Chọn theo biểu tượng và màu sắc của ứng dụng"])

mc("5.3", 1, "creativity video",
   "Which tool can you use to make a short birthday video from your photos?",
   ["A video-editing or slideshow app on your phone",
    "The phone's calculator",
    "The flashlight",
    "The contacts list"],
   "Bạn có thể dùng công cụ nào để làm một video sinh nhật ngắn từ ảnh của mình?",
   ["Ứng dụng chỉnh sửa video hoặc trình chiếu ảnh trên điện thoại",
    "Máy tính bỏ túi trên điện thoại",
    "Đèn pin",
    "Danh bạ"])
mc("5.3", 2, "translation camera",
   "You are given a menu in English that you cannot read. How can your phone help?",
   ["Point a translation app's camera at the menu to see it in Vietnamese",
    "Take a selfie",
    "Turn on airplane mode",
    "Record a voice memo"],
   "Bạn nhận được thực đơn bằng tiếng Anh mà không đọc được. Điện thoại có thể giúp thế nào?",
   ["Dùng camera của ứng dụng dịch hướng vào thực đơn để xem bản tiếng Việt",
    "Chụp ảnh tự sướng",
    "Bật chế độ máy bay",
    "Ghi âm một đoạn ghi nhớ"])
mc("5.3", 3, "spreadsheets budget",
   "You want to plan your monthly family budget with a spreadsheet. Which set-up is most useful?",
   ["One row per item with a category column, and formulas that total each category against its planned amount",
    "One cell containing all the numbers separated by commas",
    "A picture of your receipts",
    "Only a list of shop names"],
   "Bạn muốn lập kế hoạch chi tiêu gia đình hằng tháng bằng bảng tính. Cách bố trí nào hữu ích nhất?",
   ["Mỗi khoản chi một dòng, có cột loại chi tiêu, và công thức tính tổng từng loại so với số dự kiến",
    "Một ô chứa tất cả các số, cách nhau bằng dấu phẩy",
    "Một bức ảnh chụp các hóa đơn",
    "Chỉ một danh sách tên các cửa hàng"])
mc("5.3", 4, "data charts agriculture",
   "A farmer wants to know which of two fertilisers works better on her fields. How can digital tools help?",
   ["Record the yield of each plot in a spreadsheet over the season and compare them with a chart",
    "Post the question on social media and follow the majority",
    "Use the fertiliser with the most colourful advert",
    "Take one photo of each field"],
   "Một nông dân muốn biết loại phân bón nào trong hai loại hiệu quả hơn trên ruộng của mình. Công cụ số có thể giúp thế nào?",
   ["Ghi năng suất từng thửa vào bảng tính trong cả vụ rồi so sánh bằng biểu đồ",
    "Đăng câu hỏi lên mạng xã hội và làm theo số đông",
    "Dùng loại có quảng cáo đẹp nhất",
    "Chụp một bức ảnh mỗi thửa ruộng"])
mc("5.3", 5, "ai image-generation",
   "You use an AI image generator to make a poster for a community event. What is good practice?",
   ["Write a detailed prompt, check the result for errors such as garbled text, check the tool's terms, and say that the image is AI-generated",
    "Use the first image it produces without looking closely",
    "Ask it to copy a famous artist's painting exactly",
    "Put real people's faces on it without asking them"],
   "Bạn dùng công cụ AI tạo ảnh để làm áp phích cho một sự kiện cộng đồng. Cách làm tốt là gì?",
   ["Viết câu lệnh chi tiết, kiểm tra lỗi trong ảnh như chữ bị méo, đọc điều khoản của công cụ, và ghi rõ ảnh do AI tạo",
    "Dùng ngay ảnh đầu tiên mà không xem kỹ",
    "Yêu cầu sao chép y hệt tranh của một họa sĩ nổi tiếng",
    "Ghép khuôn mặt người thật vào mà không hỏi ý kiến họ"],
   vn=["6.2"])
pc("5.3", 5, "ai prompting task",
   "Task (practice AI assistant): get a useful one-page plan for a neighbourhood clean-up day. Improve your request until the plan fits your street, then check it.",
   "Nhiệm vụ (trên trợ lý AI mô phỏng): nhận được một kế hoạch một trang hữu ích cho ngày dọn vệ sinh khu phố. Cải thiện yêu cầu cho đến khi kế hoạch phù hợp với khu phố của bạn, rồi kiểm tra lại.",
   ["Used the first generic answer",
    "Refined the request with some local details (date, place, people)",
    "Refined the request and checked and corrected the plan before use"],
   ["Dùng ngay câu trả lời chung chung đầu tiên",
    "Cải thiện yêu cầu với một số thông tin cụ thể (ngày, địa điểm, số người)",
    "Cải thiện yêu cầu, kiểm tra và sửa kế hoạch trước khi dùng"],
   model="gpcm", vn=["6.2"])
mc("5.3", 6, "automation forms",
   "Every week you copy order details from emails into a spreadsheet by hand. What is the most effective improvement?",
   ["Collect orders through an online form, or an automation, so that the data arrive already structured in the spreadsheet",
    "Type faster",
    "Print the emails and file them",
    "Ask customers to phone instead"],
   "Hằng tuần bạn chép tay thông tin đơn hàng từ email vào bảng tính. Cải tiến nào hiệu quả nhất?",
   ["Nhận đơn qua biểu mẫu trực tuyến hoặc công cụ tự động hóa để dữ liệu đổ thẳng vào bảng tính theo đúng cấu trúc",
    "Gõ nhanh hơn",
    "In email ra và cất vào hồ sơ",
    "Đề nghị khách gọi điện thay vì gửi email"])

mc("5.4", 1, "learning help",
   "You cannot do a task on your phone. What is a good first step to learn it?",
   ["Ask a family member or a community digital technology team to show you, then practise yourself",
    "Give up using the phone",
    "Pay a stranger online to do it for you and send them your passwords",
    "Wait until the phone learns it for you"],
   "Bạn chưa biết làm một thao tác trên điện thoại. Bước đầu tiên tốt để học là gì?",
   ["Nhờ người thân hoặc tổ công nghệ số cộng đồng hướng dẫn, rồi tự thực hành",
    "Thôi không dùng điện thoại nữa",
    "Thuê người lạ trên mạng làm hộ và gửi họ mật khẩu",
    "Chờ điện thoại tự học giúp mình"])
mc("5.4", 2, "self-assessment learning",
   "A digital skills test shows that your weakest area is Safety. What should you do next?",
   ["Take a short course on online safety and test yourself again later",
    "Ignore it; the other areas are fine",
    "Stop using the internet",
    "Retake the same test right away until the score changes"],
   "Một bài kiểm tra kỹ năng số cho thấy lĩnh vực yếu nhất của bạn là An toàn. Bạn nên làm gì tiếp theo?",
   ["Học một khóa ngắn về an toàn trên mạng và kiểm tra lại sau đó",
    "Bỏ qua vì các lĩnh vực khác vẫn ổn",
    "Ngừng dùng Internet",
    "Làm lại ngay bài kiểm tra đó cho đến khi điểm thay đổi"])
mc("5.4", 3, "learning lifelong",
   "What is the best way to keep your digital skills up to date?",
   ["Learn regularly from reliable sources and practise new features as they appear",
    "Learn once and never again",
    "Only learn when something breaks",
    "Copy whatever friends do without understanding it"],
   "Cách tốt nhất để cập nhật kỹ năng số của bạn là gì?",
   ["Học thường xuyên từ nguồn tin cậy và thực hành các tính năng mới khi chúng xuất hiện",
    "Học một lần rồi thôi",
    "Chỉ học khi có gì đó hỏng",
    "Bắt chước bạn bè mà không cần hiểu"])
pc("5.4", 3, "learning-plan task",
   "Task: write a short learning plan for one digital skill you need this month (what, how, by when, how you will check progress).",
   "Nhiệm vụ: viết một kế hoạch học ngắn cho một kỹ năng số bạn cần trong tháng này (học gì, học thế nào, đến khi nào, kiểm tra tiến bộ ra sao).",
   ["No usable plan",
    "A goal only, without method or time",
    "A goal with a method and a deadline",
    "A goal with method, deadline and a way to check progress"],
   ["Không có kế hoạch dùng được",
    "Chỉ có mục tiêu, không có cách học hay thời hạn",
    "Có mục tiêu, cách học và thời hạn",
    "Có mục tiêu, cách học, thời hạn và cách kiểm tra tiến bộ"],
   model="pcm")
mc("5.4", 4, "learning workplace",
   "You start a job in a month that needs spreadsheet skills you do not have. What is the best plan?",
   ["Set clear goals, follow an online course with practice files, practise on realistic tasks and check your progress weekly",
    "Watch one short video the day before starting",
    "Hope a colleague will always do it for you",
    "Memorise the names of all spreadsheet functions"],
   "Một tháng nữa bạn bắt đầu công việc cần kỹ năng bảng tính mà bạn chưa có. Kế hoạch tốt nhất là gì?",
   ["Đặt mục tiêu rõ ràng, học khóa trực tuyến có tệp thực hành, luyện trên các việc sát thực tế và tự kiểm tra tiến bộ hằng tuần",
    "Xem một video ngắn vào hôm trước ngày đi làm",
    "Mong đồng nghiệp sẽ luôn làm giúp",
    "Học thuộc tên tất cả các hàm trong bảng tính"])
mc("5.4", 5, "teaching others",
   "You are helping an older neighbour learn to use online public services. Which method works best?",
   ["Let them do each step themselves, go slowly, and leave written step-by-step notes",
    "Do everything on their phone quickly while they watch",
    "Explain everything once, using technical terms",
    "Keep their password so that you can do it for them next time"],
   "Bạn giúp một người hàng xóm lớn tuổi học sử dụng dịch vụ công trực tuyến. Cách nào hiệu quả nhất?",
   ["Để họ tự làm từng bước, đi chậm, và để lại hướng dẫn từng bước bằng chữ",
    "Tự làm nhanh mọi thứ trên điện thoại của họ trong khi họ xem",
    "Giải thích một lần tất cả, dùng nhiều thuật ngữ kỹ thuật",
    "Giữ mật khẩu của họ để lần sau làm hộ"])
mc("5.4", 6, "programme-design learning",
   "You are asked to design a digital skills programme for a commune. What should come first?",
   ["Assess the needs and current skills of each target group, then set objectives",
    "Buy tablets for everyone",
    "Copy the programme of a big city unchanged",
    "Start with the most advanced topics"],
   "Bạn được giao thiết kế một chương trình kỹ năng số cho một xã. Việc gì cần làm trước tiên?",
   ["Đánh giá nhu cầu và trình độ hiện tại của từng nhóm đối tượng, rồi đặt mục tiêu",
    "Mua máy tính bảng cho tất cả mọi người",
    "Sao chép nguyên chương trình của một thành phố lớn",
    "Bắt đầu từ những chủ đề nâng cao nhất"])

# ----------------------------------------------------------------------------------------
# Further items (added for balance across competences)
# ----------------------------------------------------------------------------------------
pc("2.2", 3, "sharing cloud task",
   "Task (practice cloud drive): share the folder 'Anh Tet 2025' with your aunt's account so that she can view but not delete the photos.",
   "Nhiệm vụ (trên ổ đám mây mô phỏng): chia sẻ thư mục 'Anh Tet 2025' cho tài khoản của cô bạn để cô xem được nhưng không xóa được ảnh.",
   ["Folder not shared",
    "Shared, but with the wrong person or with edit rights",
    "Shared with the right person as viewer only"],
   ["Chưa chia sẻ được thư mục",
    "Đã chia sẻ nhưng sai người hoặc cho quyền chỉnh sửa",
    "Chia sẻ đúng người với quyền chỉ xem"],
   model="pcm")
mc("2.2", 5, "deepfakes sharing ai",
   "A very realistic video shows a well-known public figure saying something shocking. It may be AI-generated. What should you do before sharing?",
   ["Do not share it as real; check whether trusted news sources confirm it, and if you discuss it, say clearly that it may be fake",
    "Share it quickly, since it will be removed soon",
    "Share it with a laughing emoji so that it counts as a joke",
    "Download it and re-upload it under your own name"],
   "Một video rất chân thực cho thấy một người nổi tiếng nói điều gây sốc. Video có thể do AI tạo ra. Bạn nên làm gì trước khi chia sẻ?",
   ["Không chia sẻ như tin thật; kiểm tra xem các nguồn tin uy tín có xác nhận không, và nếu có bàn luận thì nói rõ video có thể là giả",
    "Chia sẻ nhanh vì video sắp bị gỡ",
    "Chia sẻ kèm biểu tượng cười để coi như chuyện đùa",
    "Tải về rồi đăng lại dưới tên mình"],
   vn=["6.3"])
mc("2.6", 4, "accounts digital-identity",
   "You no longer use an online shopping account. What is the best thing to do?",
   ["Remove saved payment cards and delete or close the account",
    "Leave it as it is; unused accounts are harmless",
    "Give the password to a friend who might use it",
    "Change your name on it to a random one"],
   "Bạn không còn dùng một tài khoản mua sắm trực tuyến. Việc nên làm nhất là gì?",
   ["Gỡ các thẻ thanh toán đã lưu và xóa hoặc đóng tài khoản",
    "Để nguyên; tài khoản không dùng thì vô hại",
    "Đưa mật khẩu cho một người bạn có thể sẽ dùng",
    "Đổi tên trên tài khoản thành một tên ngẫu nhiên"])
mc("3.2", 3, "documents formats",
   "You have finished a document in a word processor and need to send it as a PDF. How do you do it?",
   ["Use 'Save as' or 'Export' and choose PDF",
    "Rename the file so that it ends in .pdf",
    "Print it on paper and post it",
    "Copy the text into an email"],
   "Bạn đã soạn xong văn bản trong phần mềm soạn thảo và cần gửi dưới dạng PDF. Bạn làm thế nào?",
   ["Dùng 'Lưu thành' (Save as) hoặc 'Xuất' (Export) và chọn PDF",
    "Đổi tên tệp cho đuôi thành .pdf",
    "In ra giấy rồi gửi bưu điện",
    "Sao chép nội dung vào email"])
mc("4.4", 2, "environment paper",
   "Which habit at work reduces paper use?",
   ["Share and sign documents digitally, and print only what is really needed",
    "Print every email to read it",
    "Print drafts in colour",
    "Print two copies of everything just in case"],
   "Thói quen nào ở nơi làm việc giúp giảm dùng giấy?",
   ["Chia sẻ và ký văn bản bằng phương thức số, chỉ in khi thật cần",
    "In mọi email ra để đọc",
    "In bản nháp bằng mực màu",
    "In hai bản mọi thứ cho chắc"])
mc("5.1", 4, "ai troubleshooting",
   "You ask an AI assistant how to fix an error message on your computer. What is good practice?",
   ["Give the exact error text and device details but never passwords, and understand each suggested step before applying it",
    "Paste your passwords so that it can log in and fix things",
    "Run every command it suggests without reading it",
    "Assume the error is a virus, whatever the assistant says"],
   "Bạn hỏi trợ lý AI cách sửa một thông báo lỗi trên máy tính. Cách làm tốt là gì?",
   ["Cung cấp đúng nội dung lỗi và thông tin thiết bị nhưng không bao giờ đưa mật khẩu, và hiểu từng bước được gợi ý trước khi làm",
    "Dán mật khẩu để nó đăng nhập vào sửa giúp",
    "Chạy mọi lệnh nó gợi ý mà không đọc",
    "Mặc định lỗi là do virus, dù trợ lý nói gì"],
   vn=["6.2"])


# ========================================================================================
# Build
# ========================================================================================
def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def level_midpoints(cuts):
    """Middle of each level's theta band; the open bands at the ends get the common width."""
    width = float(np.mean(np.diff(cuts)))
    edges = [cuts[0] - width] + list(cuts) + [cuts[-1] + width]
    return {k: round((edges[k - 1] + edges[k]) / 2, 4) for k in range(1, len(edges))}


def comp_key(c):
    return tuple(int(x) for x in c.split("."))


def generating_params(items, mids, rng):
    """Generating parameters of the simulated pilot (see item_banks/README.md)."""
    out = []
    for it in items:
        mid = mids[it["level"]]
        if it["kind"] == "mc":
            a = float(np.clip(rng.lognormal(np.log(1.3), 0.25), 0.8, 2.2))
            b = float(mid + rng.normal(0.0, 0.25))
            model = it["model"] or ("2pl" if rng.random() < 0.2 else "3pl")
            p = {"a": round(a, 3), "b": round(b, 3)}
            if model == "3pl":
                p["c"] = round(float(rng.uniform(0.15, 0.25)), 3)
            out.append((model, p))
        else:
            k = len(it["sc_en"])                      # categories
            centre = mid + rng.normal(0.0, 0.2)
            spread = 0.5 if k == 3 else 0.8
            steps = centre + spread * np.linspace(-1, 1, k - 1) * (1 if k == 3 else 1) \
                + rng.normal(0.0, 0.08, k - 1)
            steps = np.sort(steps)
            p = {}
            if it["model"] == "gpcm":
                p["a"] = round(float(np.clip(rng.lognormal(np.log(1.1), 0.2), 0.8, 2.0)), 3)
            p["b"] = [round(float(s), 3) for s in steps]
            out.append((it["model"], p))
    return out


def build(params_from=None):
    fw = load_yaml(FRAMEWORK)
    cuts = fw["cut_scores"]["default"]
    mids = level_midpoints(cuts)
    xw = {c["to"]["id"]: c["map"] for c in fw.get("crosswalks", [])}

    # ids: by competence, then level, then writing order
    order = sorted(range(len(ITEMS)), key=lambda i: (comp_key(ITEMS[i]["comp"]), ITEMS[i]["level"], i))
    items = [ITEMS[i] for i in order]
    count = {}
    for it in items:
        count[it["comp"]] = count.get(it["comp"], 0) + 1
        it["id"] = "dc-%s-%03d" % (it["comp"], count[it["comp"]])
    by_label = {it["label"]: it["id"] for it in items if it["label"]}

    rng = np.random.default_rng(SEED)
    # balanced key positions: each run of four multiple-choice items uses 0..3 once
    n_mc = sum(it["kind"] == "mc" for it in items)
    keys = np.concatenate([rng.permutation(4) for _ in range((n_mc + 3) // 4)])[:n_mc]
    gen = generating_params(items, mids, rng)

    external = {}
    if params_from:
        for e in load_yaml(params_from)["items"]:
            external[e["id"]] = (e["model"], e["params"])

    out_items = []
    ki = 0
    for it, (model, params) in zip(items, gen):
        if it["id"] in external:
            model, params = external[it["id"]]
        e = {"id": it["id"], "model": model, "params": params, "competences": [it["comp"]],
             "level": it["level"], "status": "operational"}
        if it["kind"] == "mc":
            k = int(keys[ki]); ki += 1
            def place(opts):
                rest = list(opts[1:])
                return rest[:k] + [opts[0]] + rest[k:]
            e["content"] = {"en": {"stem": it["en"], "options": place(it["en_opts"])},
                            "vi": {"stem": it["vi"], "options": place(it["vi_opts"])}}
            e["key"] = k
        else:
            e["content"] = {"en": {"stem": it["en"]}, "vi": {"stem": it["vi"]}}
            e["scoring"] = {"en": list(it["sc_en"]), "vi": list(it["sc_vi"])}
        if it["enemy"]:
            e["enemies"] = [by_label[it["enemy"]]]
        e["tags"] = list(it["tags"])
        vl = list(xw.get("vn-learners-2025", {}).get(it["comp"], []))
        for extra in it["vn"] or []:
            if extra not in vl:
                vl.append(extra)
        meta = {"author": "dskill content team", "origin": "original item written for dskill",
                "vn-learners-2025": vl,
                "vn-basic-digital-skills-2025": list(xw.get("vn-basic-digital-skills-2025", {}).get(it["comp"], []))}
        if it["kind"] == "pc":
            meta["task"] = "performance task in a practice (simulated) environment, scored by rubric"
        e["meta"] = meta
        out_items.append(e)

    calibrated = bool(external)
    bank = {
        "dskill": 1,
        "bank": {
            "id": "digcomp-core",
            "title": {"en": "dskill core bank: everyday digital skills (DigComp 2.2)",
                      "vi": "Ngân hàng câu hỏi cốt lõi của dskill: kỹ năng số thường ngày (DigComp 2.2)"},
            "version": "1.0.0",
            "framework": {"id": "digcomp", "version": "2.2"},
            "languages": ["en", "vi"],
            "scale": {"D": 1.0, "form": "difficulty"},
            "provenance": {
                "method": ("estimates from dskill calibrate on the simulated pilot" if calibrated else
                           "generating parameters of a simulated pilot (3PL/2PL, GPCM/PCM); not re-estimated"),
                "sample": 4000,
                "date": "2026-11-29",
                "data": "simulated",
                "note": ("SIMULATED, not real data. Parameters were drawn by scripts/make_digcomp_bank.py "
                         "(seed %d) to be plausible for each item's intended DigComp level: b near the middle "
                         "of the level's band between the framework cut scores, a in 0.8-2.2, c in 0.15-0.25. "
                         "scripts/simulate_pilot.py simulated 4,000 N(0,1) examinees on a linked booklet "
                         "design (item_banks/pilot/digcomp-core-pilot.csv.gz). %s See item_banks/README.md."
                         % (SEED, "The parameters here were re-estimated from that pilot with dskill calibrate."
                            if calibrated else
                            "The parameters shipped are the generating values; `dskill calibrate` can "
                            "re-estimate them from the pilot file.")),
            },
        },
        "items": out_items,
    }
    return bank


# ---- a small, deterministic YAML writer (JSON strings are valid YAML double-quoted scalars)
def q(s):
    import json
    return json.dumps(s, ensure_ascii=False)


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return q(v)


def flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k if str(k).replace("-", "").isalnum() else q(k), flow(x))
                               for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


def emit(bank):
    L = ["# dskill bundled item bank: everyday digital skills, DigComp 2.2.",
         "# GENERATED by scripts/make_digcomp_bank.py; edit the script, not this file.",
         "# Items are original, written for dskill. Parameters come from a SIMULATED pilot",
         "# (see bank.provenance and item_banks/README.md); they are not estimates from real data.",
         "dskill: 1", "bank:"]
    b = bank["bank"]
    for k in ["id", "title", "version", "framework", "languages", "scale"]:
        L.append("  %s: %s" % (k, flow(b[k])))
    L.append("  provenance:")
    for k, v in b["provenance"].items():
        L.append("    %s: %s" % (k, scalar(v)))
    L.append("items:")
    for e in bank["items"]:
        L.append("  - id: %s" % e["id"])
        for k in ["model", "params", "competences", "level", "status"]:
            L.append("    %s: %s" % (k, flow(e[k])))
        L.append("    content:")
        for lang in ["en", "vi"]:
            c = e["content"][lang]
            L.append("      %s:" % lang)
            L.append("        stem: %s" % q(c["stem"]))
            if "options" in c:
                L.append("        options:")
                for o in c["options"]:
                    L.append("          - %s" % q(o))
        if "key" in e:
            L.append("    key: %d" % e["key"])
        if "scoring" in e:
            L.append("    scoring:")
            for lang in ["en", "vi"]:
                L.append("      %s:" % lang)
                for s in e["scoring"][lang]:
                    L.append("        - %s" % q(s))
        for k in ["enemies", "tags", "meta"]:
            if k in e:
                L.append("    %s: %s" % (k, flow(e[k])))
    return "\n".join(L) + "\n"


# ---- checks of SCHEMA.md, in Python (until `dskill validate` is available) ----
def check(bank_path=BANK, fw_path=FRAMEWORK):
    errs = []
    bank = load_yaml(bank_path)
    fw = load_yaml(fw_path)
    comps = {c["id"] for a in fw["areas"] for c in a["competences"]}
    nlev = len(fw["levels"])
    b = bank["bank"]
    if bank.get("dskill") != 1:
        errs.append("schema version")
    if (b["framework"]["id"], b["framework"]["version"]) != (fw["framework"]["id"], fw["framework"]["version"]):
        errs.append("framework id/version mismatch")
    if b["provenance"].get("data") not in ("simulated", "real"):
        errs.append("provenance.data")
    langs = b["languages"]
    ids = {}
    for e in bank["items"]:
        i = e["id"]
        if i in ids:
            errs.append("%s: duplicate id" % i)
        ids[i] = e
    for i, e in ids.items():
        m, p = e["model"], e["params"]
        for c in e["competences"]:
            if c not in comps:
                errs.append("%s: competence %s not in framework" % (i, c))
        if not (1 <= e["level"] <= min(6, nlev)):
            errs.append("%s: level %s out of range 1-6" % (i, e["level"]))
        for lang in langs:
            if lang not in e["content"] or not e["content"][lang].get("stem"):
                errs.append("%s: no %s stem" % (i, lang))
        if m in ("2pl", "3pl", "4pl", "1pl", "rasch"):
            nopt = {len(e["content"][lang].get("options", [])) for lang in langs}
            if len(nopt) != 1:
                errs.append("%s: option counts differ across languages %s" % (i, nopt))
            n = nopt.pop()
            if "key" not in e or not (0 <= e["key"] < n):
                errs.append("%s: key missing or out of range" % i)
            if m != "1pl" and m != "rasch" and not p.get("a", 0) > 0:
                errs.append("%s: a must be > 0" % i)
            if m in ("3pl", "4pl") and not (0 <= p.get("c", -1) < p.get("d", 1) <= 1):
                errs.append("%s: need 0 <= c < d <= 1" % i)
            if "scoring" in e:
                errs.append("%s: dichotomous item with scoring" % i)
        elif m in ("gpcm", "pcm", "grm"):
            K = len(p["b"]) + 1
            if m == "gpcm" and not p.get("a", 0) > 0:
                errs.append("%s: a must be > 0" % i)
            if m == "pcm" and "a" in p:
                errs.append("%s: pcm has no a" % i)
            if m == "grm" and any(x >= y for x, y in zip(p["b"], p["b"][1:])):
                errs.append("%s: grm thresholds must increase" % i)
            for lang in langs:
                if len(e.get("scoring", {}).get(lang, [])) != K:
                    errs.append("%s: %s scoring has %d entries, model has %d categories"
                                % (i, lang, len(e.get("scoring", {}).get(lang, [])), K))
            if "key" in e:
                errs.append("%s: polytomous item with key" % i)
        else:
            errs.append("%s: unexpected model %s" % (i, m))
        for en in e.get("enemies", []):
            if en not in ids:
                errs.append("%s: enemy %s does not exist" % (i, en))
            elif i not in ids[en].get("enemies", []):
                errs.append("%s: enemy %s is not symmetric" % (i, en))
            if en == i:
                errs.append("%s: enemy of itself" % i)
    return errs


def summary(bank):
    import collections
    items = bank["items"]
    t = collections.Counter((e["competences"][0], e["level"]) for e in items)
    comps = sorted({c for c, _ in t}, key=comp_key)
    lines = ["competence | L1 L2 L3 L4 L5 L6 | total"]
    for c in comps:
        row = [t.get((c, l), 0) for l in range(1, 7)]
        lines.append("%-10s | %s | %d" % (c, " ".join("%2d" % x for x in row), sum(row)))
    poly = sum(e["model"] in ("gpcm", "pcm", "grm") for e in items)
    keys = collections.Counter(e["key"] for e in items if "key" in e)
    models = collections.Counter(e["model"] for e in items)
    lines.append("items %d, polytomous %d, models %s, key positions %s"
                 % (len(items), poly, dict(models), dict(sorted(keys.items()))))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="check the written bank and exit")
    ap.add_argument("--params", help="take item models and parameters from this YAML bank")
    ap.add_argument("--out", default=BANK)
    args = ap.parse_args()
    if args.check:
        errs = check(args.out)
        print("\n".join(errs) if errs else "bank OK (Python checks of SCHEMA.md)")
        print(summary(load_yaml(args.out)))
        sys.exit(1 if errs else 0)
    bank = build(args.params)
    text = emit(bank)
    # the writer must round-trip exactly through a YAML parser
    assert yaml.safe_load(text) == bank, "YAML writer does not round-trip"
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    errs = check(args.out)
    print("wrote %s" % os.path.relpath(args.out, ROOT))
    print("\n".join(errs) if errs else "bank OK (Python checks of SCHEMA.md)")
    print(summary(bank))
    sys.exit(1 if errs else 0)


if __name__ == "__main__":
    main()
