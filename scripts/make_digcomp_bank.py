#!/usr/bin/python3
"""Generate item_banks/digcomp-core.yaml: the bundled DigComp 2.2 item bank of dskill.

All items are original, written for this project in English and Vietnamese. The item
content is kept here as data; the committed YAML is what ships.

    /usr/bin/python3 scripts/make_digcomp_bank.py            # write the bank (generating parameters)
    /usr/bin/python3 scripts/make_digcomp_bank.py --params P  # take item parameters from dskill calibrate:
                                                              # its --params-out CSV (or a bank it wrote);
                                                              # generating values go to meta.generating
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
   ["post office [ward name] opening hours",
    "what time is it now in Vietnam please",
    "[ward name] weather forecast this week",
    "how to send a letter abroad cheaply"],
   "Bạn muốn biết giờ mở cửa của bưu điện ở phường mình. Gõ nội dung nào vào công cụ tìm kiếm là hữu ích nhất?",
   ["bưu điện [tên phường] giờ mở cửa",
    "bây giờ là mấy giờ ở Việt Nam vậy",
    "dự báo thời tiết [tên phường] tuần này",
    "cách gửi thư ra nước ngoài rẻ nhất"])
mc("1.1", 3, "search filtering",
   "A search for 'cheap flights Hanoi Da Nang' returns thousands of results. Which change narrows them down most usefully?",
   ["Add the date and use the date and price filters",
    "Run exactly the same search again a few more times",
    "Add polite words such as 'please help me find'",
    "Open only the adverts shown at the top of the page"],
   "Tìm kiếm 'vé máy bay giá rẻ Hà Nội Đà Nẵng' cho ra hàng nghìn kết quả. Cách nào thu hẹp kết quả hữu ích nhất?",
   ["Thêm ngày đi và dùng bộ lọc ngày, giá",
    "Tìm lại đúng cụm từ đó thêm vài lần nữa",
    "Thêm những từ lịch sự như 'làm ơn giúp tôi tìm'",
    "Chỉ mở các quảng cáo hiện ở đầu trang kết quả"])
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
    "Type the whole phrase in capitals: RENEW CITIZEN ID CARD",
    "Add a question mark at the end: renew citizen ID card?",
    "Put the phrase in round brackets: (renew citizen ID card)"],
   "Bạn muốn tìm các trang có đúng cụm từ: cấp đổi thẻ căn cước. Bạn tìm kiếm thế nào?",
   ["Đặt cụm từ trong dấu ngoặc kép: \"cấp đổi thẻ căn cước\"",
    "Gõ cả cụm bằng chữ in hoa: CẤP ĐỔI THẺ CĂN CƯỚC",
    "Thêm dấu hỏi ở cuối: cấp đổi thẻ căn cước?",
    "Đặt cụm từ trong ngoặc đơn: (cấp đổi thẻ căn cước)"])
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
   ["Go to the official statistics agency's site and open its latest source table",
    "Copy the first number shown in the search engine's answer box at the top",
    "Ask in a social media group and take the answer that gets the most likes",
    "Use the figure an AI chatbot gives you, without opening any source"],
   "Bạn cần số liệu chính thức mới nhất về tỷ lệ sử dụng Internet ở Việt Nam cho một báo cáo. Cách nào hiệu quả và đáng tin cậy nhất?",
   ["Vào trang của cơ quan thống kê chính thức và mở bảng số liệu gốc mới nhất",
    "Chép con số đầu tiên hiện trong ô trả lời ở đầu trang tìm kiếm",
    "Hỏi trong nhóm mạng xã hội và lấy câu trả lời nhiều lượt thích nhất",
    "Dùng con số chatbot AI đưa ra mà không cần mở nguồn nào"])

mc("1.2", 1, "misinformation health",
   "A message says: 'Share now! Drinking hot water every 15 minutes kills the virus.' What should you do first?",
   ["Hold off sharing until a reliable health source confirms it",
    "Share it with your family straight away to warn them",
    "Forward it to all your groups, since it can do no harm",
    "Believe it, because so many people have already shared it"],
   "Một tin nhắn viết: 'Chia sẻ ngay! Uống nước nóng mỗi 15 phút sẽ diệt được virus.' Bạn nên làm gì trước tiên?",
   ["Không chia sẻ cho đến khi nguồn y tế tin cậy xác nhận",
    "Chia sẻ ngay cho gia đình để cảnh báo mọi người",
    "Chuyển tiếp vào mọi nhóm vì chẳng hại gì",
    "Tin ngay vì đã có rất nhiều người chia sẻ"])
mc("1.2", 2, "misinformation news",
   "Which sign suggests that a news web page may be unreliable?",
   ["A shocking headline, no author and no date",
    "It names the author and the publication date",
    "It links to the original sources",
    "It has a page where it publishes corrections"],
   "Dấu hiệu nào cho thấy một trang tin tức có thể không đáng tin cậy?",
   ["Tiêu đề giật gân, không có tác giả, không có ngày đăng",
    "Có ghi rõ tên tác giả và ngày giờ đăng bài",
    "Có liên kết dẫn tới nguồn gốc của thông tin",
    "Có một trang riêng để đăng các đính chính"])
mc("1.2", 3, "ai hallucination",
   "People say that AI chatbots can 'hallucinate'. What does this mean?",
   ["It gives invented or false information that sounds convincing",
    "It stops answering for a while when too many people use it",
    "It dreams up pictures instead of writing a text answer",
    "It repeats your own question back to you in other words"],
   "Người ta nói chatbot AI có thể bị 'ảo giác'. Điều này nghĩa là gì?",
   ["Nó đưa ra thông tin bịa đặt hoặc sai nhưng nghe rất thuyết phục",
    "Nó tạm ngừng trả lời khi có quá nhiều người dùng cùng lúc",
    "Nó tự vẽ ra hình ảnh thay vì viết câu trả lời bằng chữ",
    "Nó lặp lại câu hỏi của bạn bằng những từ khác"],
   label="hallucination", enemy="ai-citation", vn=["6.1", "6.3"])
mc("1.2", 3, "misinformation images",
   "A photo of a flooded street goes viral as 'today's flood'. How can you check whether it is actually an old photo?",
   ["Search by image to see where and when it first appeared",
    "Zoom in closely to see whether the water looks real enough",
    "Count how many people have liked and shared it so far",
    "Look at whether the photo is sharp and in full colour"],
   "Một bức ảnh đường ngập nước lan truyền với chú thích 'trận lụt hôm nay'. Làm sao kiểm tra xem đó có phải ảnh cũ không?",
   ["Tìm kiếm bằng hình ảnh để xem ảnh xuất hiện lần đầu ở đâu, khi nào",
    "Phóng to thật kỹ xem nước trông có giống thật không",
    "Đếm xem đến giờ có bao nhiêu lượt thích và chia sẻ",
    "Xem bức ảnh có sắc nét và đủ màu hay không"])
mc("1.2", 4, "ai sources",
   "An AI chatbot answers your question and cites a study, with authors and a journal name. What is the best next step?",
   ["Find the study itself and check that it exists and says this",
    "Trust it, because a citation this detailed must be real",
    "Ask the chatbot whether it is sure, and accept what it replies",
    "Cite it, since chatbots only quote sources they have read"],
   "Chatbot AI trả lời câu hỏi của bạn và dẫn một nghiên cứu, có tên tác giả và tên tạp chí. Bước tiếp theo tốt nhất là gì?",
   ["Tìm chính nghiên cứu đó để kiểm tra nó có thật và nói đúng như vậy",
    "Tin luôn, vì trích dẫn chi tiết như vậy chắc chắn là thật",
    "Hỏi lại chatbot có chắc không và chấp nhận câu trả lời",
    "Trích dẫn luôn, vì chatbot chỉ dẫn nguồn mà nó đã đọc"],
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
   ["They may use different definitions or periods: read the method notes",
    "One of them must be wrong, so use the higher of the two figures",
    "Take the average of the two figures; that cancels out the errors",
    "Drop both and use a figure that is widely shared on social media"],
   "Hai nguồn uy tín đưa ra tỷ lệ thất nghiệp khác nhau cho cùng một năm. Lời giải thích hợp lý nhất và cách xử lý tốt nhất là gì?",
   ["Có thể khác định nghĩa hoặc kỳ số liệu: đọc phần phương pháp",
    "Chắc chắn một nguồn sai, nên cứ dùng con số cao hơn",
    "Lấy trung bình hai con số để các sai số triệt tiêu nhau",
    "Bỏ cả hai và dùng con số được chia sẻ nhiều trên mạng xã hội"])

mc("1.3", 1, "files downloads",
   "On a computer, where does a file you download from the web usually go?",
   ["The Downloads folder", "The Recycle Bin", "The printer", "The desktop wallpaper"],
   "Trên máy tính, tệp bạn tải từ web về thường được lưu ở đâu?",
   ["Thư mục Downloads (Tải xuống)",
    "Thùng rác (Recycle Bin)",
    "Hàng chờ của máy in",
    "Hình nền của màn hình"])
mc("1.3", 2, "files naming",
   "You scan the form for renewing your ID card. Which file name will be easiest to find later?",
   ["2025-03-14_ID-renewal-form_Nguyen-Van-A.pdf",
    "scan001_final_final_new(2).pdf",
    "New document (3) - Copy - Copy.pdf",
    "aaaa_bbbb_1234_xxxx_document.pdf"],
   "Bạn quét tờ khai cấp đổi thẻ căn cước. Tên tệp nào sau này dễ tìm nhất?",
   ["2025-03-14_to-khai-cap-doi-can-cuoc_Nguyen-Van-A.pdf",
    "scan001_final_final_ban-moi-nhat(2).pdf",
    "Tai lieu moi (3) - Copy - Copy - Copy.pdf",
    "aaaa_bbbb_1234_xxxx_tailieu_quet.pdf"])
mc("1.3", 3, "cloud storage",
   "You save your photos in cloud storage such as Google Drive or OneDrive. Which statement is true?",
   ["You can open them on another device after signing in",
    "They are removed from the cloud if you lose your phone",
    "Anyone on the internet can search for them and see them",
    "They never count towards your account's storage limit"],
   "Bạn lưu ảnh lên dịch vụ lưu trữ đám mây như Google Drive hoặc OneDrive. Nhận định nào đúng?",
   ["Bạn mở được ảnh trên thiết bị khác sau khi đăng nhập",
    "Ảnh trên đám mây bị xóa nếu bạn làm mất điện thoại",
    "Ai trên Internet cũng tìm và xem được ảnh của bạn",
    "Ảnh không bao giờ bị tính vào dung lượng của tài khoản"])
mc("1.3", 3, "spreadsheets formulas",
   "In a spreadsheet, cells B2 to B31 hold your daily spending for March. Which formula gives the total?",
   ["=SUM(B2:B31)", "=B2+B31", "=COUNT(B2:B31)", "=AVERAGE(B2:B31)"],
   "Trong bảng tính, các ô từ B2 đến B31 ghi chi tiêu hằng ngày của tháng Ba. Công thức nào cho ra tổng chi tiêu?",
   ["=SUM(B2:B31)", "=B2+B31", "=COUNT(B2:B31)", "=AVERAGE(B2:B31)"],
   label="sum", enemy="sumif")
mc("1.3", 4, "backup",
   "Which plan best protects your family photos from being lost?",
   ["A copy on the phone, one on a home drive and one in the cloud",
    "All of them on the phone, which already has enough storage",
    "Two copies in the same folder on the phone, just in case",
    "A few of the best ones emailed to yourself once a year"],
   "Phương án nào bảo vệ ảnh gia đình khỏi bị mất tốt nhất?",
   ["Một bản trên điện thoại, một trên ổ cứng ở nhà, một trên đám mây",
    "Tất cả chỉ trên điện thoại vì máy còn đủ dung lượng",
    "Hai bản trong cùng một thư mục trên điện thoại cho chắc",
    "Gửi email vài tấm đẹp nhất cho chính mình mỗi năm một lần"])
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
   ["Clean the fields, match on a unique key such as phone number, then review",
    "Delete every row whose name appears more than once, keeping none of them",
    "Sort the list by name and then delete every second row in the sheet",
    "Keep everything as it is, since duplicate rows never affect any totals"],
   "Bạn gộp hai danh sách khách hàng trong bảng tính. Một số người bị lặp hai lần, tên viết hơi khác nhau. Cách xử lý tốt nhất là gì?",
   ["Chuẩn hóa dữ liệu, đối chiếu theo khóa duy nhất như số điện thoại rồi rà soát",
    "Xóa mọi dòng có tên xuất hiện hơn một lần, không giữ lại dòng nào",
    "Sắp xếp theo tên rồi xóa cách một dòng trong cả bảng",
    "Giữ nguyên tất cả vì dòng trùng không ảnh hưởng đến tổng số"])

# ----------------------------------------------------------------------------------------
# Area 2: Communication and collaboration
# ----------------------------------------------------------------------------------------
mc("2.1", 1, "video-call messaging",
   "You want to make a video call to a relative on a chat app such as Zalo. What do you need?",
   ["The app on both phones and an internet connection",
    "A printer connected to the phone to print the picture",
    "A bank account linked to the app to pay for each call",
    "A landline telephone plugged in next to the phone"],
   "Bạn muốn gọi video cho người thân qua ứng dụng trò chuyện như Zalo. Bạn cần những gì?",
   ["Ứng dụng trên cả hai điện thoại và kết nối Internet",
    "Một máy in nối với điện thoại để in hình ảnh",
    "Tài khoản ngân hàng liên kết để trả tiền mỗi cuộc gọi",
    "Một máy điện thoại bàn đặt cạnh điện thoại di động"])
mc("2.1", 2, "messaging",
   "In a chat app, your message shows the mark 'Seen'. What does this usually mean?",
   ["The other person has opened the message",
    "The other person has already replied to it",
    "The message could not be delivered to them",
    "The message was deleted by the other person"],
   "Trong ứng dụng trò chuyện, tin nhắn của bạn hiện trạng thái 'Đã xem'. Điều này thường có nghĩa là gì?",
   ["Người nhận đã mở tin nhắn",
    "Người nhận đã trả lời tin nhắn đó",
    "Tin nhắn không gửi tới được người nhận",
    "Người nhận đã xóa tin nhắn"])
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
   ["Use host controls: stop their sharing and remove or mute them",
    "Ask all participants to switch off their internet for a minute",
    "Ignore it and keep talking, so as not to draw attention to it",
    "End the meeting and stop using online meetings altogether"],
   "Bạn chủ trì một cuộc họp trực tuyến 30 người và một người bắt đầu chia sẻ màn hình có nội dung phản cảm. Bạn làm gì?",
   ["Dùng quyền chủ trì: dừng chia sẻ của họ, mời ra hoặc tắt tiếng",
    "Yêu cầu mọi người tắt Internet trong một phút",
    "Lờ đi và tiếp tục nói để không gây chú ý",
    "Kết thúc cuộc họp và thôi không họp trực tuyến nữa"])
mc("2.1", 6, "meetings accessibility",
   "One participant in your online meetings is hard of hearing. What helps them most?",
   ["Turn on live captions and share a written summary",
    "Speak louder and closer to the microphone throughout",
    "Ask everyone to turn off their cameras to reduce noise",
    "Send them the recording, without captions, a week later"],
   "Một người tham dự các cuộc họp trực tuyến của bạn bị khiếm thính. Cách nào giúp họ nhiều nhất?",
   ["Bật phụ đề trực tiếp và gửi bản tóm tắt bằng chữ",
    "Nói to hơn và sát micro hơn suốt buổi họp",
    "Yêu cầu mọi người tắt camera cho đỡ nhiễu",
    "Một tuần sau gửi bản ghi hình không có phụ đề"])

mc("2.2", 1, "sharing photos",
   "How can you send a photo from your phone to a friend?",
   ["Open it, tap Share, then pick a chat app and your friend",
    "Print the photo and take a picture of the print",
    "Set the photo as your wallpaper so your friend sees it",
    "Take a screenshot of your home screen and save it"],
   "Làm thế nào để gửi một bức ảnh từ điện thoại cho bạn bè?",
   ["Mở ảnh, chạm Chia sẻ, chọn ứng dụng và người nhận",
    "In ảnh ra giấy rồi chụp lại bản in đó",
    "Đặt ảnh làm hình nền để bạn mình nhìn thấy",
    "Chụp màn hình trang chủ rồi lưu lại vào máy"])
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
   ["Tải lên đám mây và gửi đường liên kết chia sẻ",
    "Gửi lại email đó thêm nhiều lần nữa",
    "Cắt video ra và gửi thành 100 email nhỏ",
    "Đăng công khai lên mạng xã hội rồi bảo họ tự tìm"])
mc("2.2", 4, "sharing permissions",
   "You share a folder with the setting 'Anyone with the link can view'. Which statement is true?",
   ["Anyone who has the link can open it, even if it was forwarded",
    "Only people saved in your phone's contacts can open it",
    "Only you can open it until you add named people to it",
    "The link stops working by itself after one hour has passed"],
   "Bạn chia sẻ một thư mục với cài đặt 'Bất kỳ ai có đường liên kết đều có thể xem'. Nhận định nào đúng?",
   ["Ai có đường liên kết cũng mở được, kể cả khi được chuyển tiếp",
    "Chỉ người có trong danh bạ điện thoại của bạn mới mở được",
    "Chỉ bạn mở được cho đến khi thêm người cụ thể",
    "Đường liên kết tự hết hiệu lực sau một giờ"])
mc("2.2", 5, "sharing personal-data",
   "At work you must pass a file containing citizens' personal data to a colleague. What is the best way?",
   ["Share it only with the colleague's work account, and remove access afterwards",
    "Post the link in the office's big chat group so it is easy to find",
    "Set the file to 'Anyone with the link can edit' to avoid access problems",
    "Send it to the colleague's personal social media inbox, which is faster"],
   "Trong công việc, bạn phải chuyển cho đồng nghiệp một tệp chứa dữ liệu cá nhân của người dân. Cách tốt nhất là gì?",
   ["Chỉ chia sẻ cho tài khoản công việc của đồng nghiệp và thu hồi quyền khi xong",
    "Đăng đường liên kết vào nhóm chung của cơ quan cho dễ tìm",
    "Đặt tệp ở chế độ 'Ai có liên kết đều sửa được' để khỏi vướng quyền",
    "Gửi vào hộp thư mạng xã hội cá nhân của đồng nghiệp cho nhanh"])
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
    "A social network for sharing short videos with friends",
    "A mobile game published by a Vietnamese company",
    "A private bank's app for paying bills and shopping"],
   "VNeID là gì?",
   ["Ứng dụng định danh điện tử quốc gia của Việt Nam",
    "Mạng xã hội chia sẻ video ngắn với bạn bè",
    "Trò chơi điện thoại của một công ty Việt Nam",
    "Ứng dụng của một ngân hàng tư nhân để trả hóa đơn, mua sắm"],
   label="vneid-what", enemy="vneid-login")
mc("2.3", 2, "vneid public-services",
   "To use the National Public Service Portal, which account can you sign in with?",
   ["Your VNeID electronic identification account",
    "The password of your social media account",
    "The PIN you use to unlock your phone's screen",
    "The email account and password of a friend"],
   "Để sử dụng Cổng Dịch vụ công quốc gia, bạn có thể đăng nhập bằng tài khoản nào?",
   ["Tài khoản định danh điện tử VNeID của bạn",
    "Mật khẩu tài khoản mạng xã hội của bạn",
    "Mã PIN dùng để mở khóa màn hình điện thoại",
    "Tài khoản email và mật khẩu của một người bạn"],
   label="vneid-login", enemy="vneid-what")
mc("2.3", 3, "public-services",
   "You have submitted an application on the public service portal. How do you follow its progress?",
   ["Look it up on the portal with your application code",
    "Call the number given in an SMS from an unknown sender",
    "Submit the same application again each day",
    "Wait, since applications cannot be tracked online"],
   "Bạn đã nộp hồ sơ trên cổng dịch vụ công. Làm thế nào để theo dõi tiến độ xử lý?",
   ["Tra cứu trên cổng bằng mã hồ sơ của bạn",
    "Gọi vào số điện thoại trong tin nhắn của người lạ",
    "Nộp lại đúng hồ sơ đó mỗi ngày",
    "Cứ chờ, vì hồ sơ không tra cứu trực tuyến được"])
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
   ["It is verified in person and can replace the physical ID card in many procedures",
    "It is free of charge, whereas a level-1 account has a yearly fee",
    "It keeps working with no internet connection or phone signal at all",
    "It allows relatives to sign in and carry out procedures on your behalf"],
   "So với tài khoản mức 1, tài khoản định danh điện tử VNeID mức 2 có đặc điểm nào?",
   ["Được xác thực trực tiếp và có thể thay thẻ căn cước vật lý trong nhiều thủ tục",
    "Được miễn phí, còn tài khoản mức 1 phải nộp phí hằng năm",
    "Vẫn dùng được khi hoàn toàn không có Internet hay sóng điện thoại",
    "Cho phép người thân đăng nhập và làm thủ tục thay bạn"])
mc("2.3", 5, "e-participation",
   "A ministry publishes a draft regulation online for public comment. How can you take part most effectively?",
   ["Send specific comments through the official feedback channel before the deadline",
    "Post angry comments on pages that have nothing to do with the draft",
    "Share rumours about what the draft says in your chat groups",
    "Wait until the regulation takes effect and complain about it then"],
   "Một bộ đăng dự thảo văn bản quy phạm pháp luật trên mạng để lấy ý kiến nhân dân. Làm thế nào để tham gia hiệu quả nhất?",
   ["Gửi góp ý cụ thể qua kênh góp ý chính thức trước hạn",
    "Đăng bình luận bức xúc trên những trang không liên quan đến dự thảo",
    "Chia sẻ tin đồn về nội dung dự thảo trong các nhóm trò chuyện",
    "Chờ văn bản có hiệu lực rồi mới phàn nàn"])
mc("2.3", 6, "e-government inclusion",
   "A commune wants many more residents, including older people, to use online public services. Which plan is most likely to work?",
   ["Train community digital technology teams to help residents in person, step by step",
    "Send every resident one SMS with the portal's address and wait for results",
    "Close the service counter so that residents have no choice but to go online",
    "Put a poster about the portal on the commune office door and at the market"],
   "Một xã muốn nhiều người dân hơn, kể cả người cao tuổi, sử dụng dịch vụ công trực tuyến. Kế hoạch nào có khả năng thành công cao nhất?",
   ["Tập huấn tổ công nghệ số cộng đồng hướng dẫn trực tiếp cho dân",
    "Gửi mỗi người dân một tin nhắn có địa chỉ cổng rồi chờ kết quả",
    "Đóng quầy tiếp nhận để người dân buộc phải làm trực tuyến",
    "Dán áp phích về cổng dịch vụ công ở cửa trụ sở xã và ở chợ"])

mc("2.4", 1, "collaboration documents",
   "Which tool lets several people edit the same document at the same time?",
   ["An online editor such as Google Docs or Microsoft 365",
    "A printed copy passed from desk to desk in the office",
    "Notepad on a single computer shared by everyone",
    "A PDF file attached to an email sent to each person"],
   "Công cụ nào cho phép nhiều người cùng chỉnh sửa một tài liệu cùng lúc?",
   ["Trình soạn thảo trực tuyến như Google Docs hoặc Microsoft 365",
    "Một bản in chuyền tay từ bàn này sang bàn khác",
    "Notepad trên một máy tính mà mọi người dùng chung",
    "Tệp PDF đính kèm email gửi cho từng người"])
mc("2.4", 2, "collaboration calendar",
   "Why is a shared online calendar useful for a team?",
   ["Everyone can see meeting times and who is available",
    "It automatically makes every meeting shorter and quicker",
    "It replaces the need to send any messages at all",
    "It keeps the team's passwords in one safe place"],
   "Vì sao lịch trực tuyến dùng chung lại hữu ích cho một nhóm?",
   ["Mọi người đều thấy giờ họp và ai đang rảnh",
    "Nó tự động làm mọi cuộc họp ngắn và nhanh hơn",
    "Nó thay thế hoàn toàn việc phải nhắn tin",
    "Nó lưu mật khẩu của cả nhóm ở một chỗ an toàn"])
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
   ["Xem ai đã sửa gì và khôi phục bản trước đó",
    "Ngăn không cho người khác mở tài liệu",
    "Tự động dịch tài liệu sang ngôn ngữ khác",
    "Nén tệp lại cho dung lượng nhỏ hơn"])
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
   ["Agree who owns each section and use suggestion mode in others' sections",
    "Keep whichever version was saved last, since it is the newest",
    "Switch to emailing copies of the file back and forth",
    "Lock the document so that nobody can edit it any more"],
   "Hai thành viên trong nhóm liên tục ghi đè lên phần viết của nhau trong báo cáo dùng chung. Cách khắc phục tốt nhất là gì?",
   ["Phân công từng phần, sửa phần người khác bằng chế độ đề xuất",
    "Giữ bản được lưu cuối cùng vì đó là bản mới nhất",
    "Chuyển sang gửi qua lại các bản sao của tệp bằng email",
    "Khóa tài liệu lại để từ nay không ai sửa được nữa"])

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
   ["Don't join in; support them privately and report it to the admin",
    "Join in a little, so that you do not become the next target",
    "Leave the group quietly without saying anything to anyone",
    "Screenshot the jokes and share them with more people"],
   "Trong một nhóm trò chuyện, vài thành viên liên tục chế giễu một người. Việc nên làm nhất là gì?",
   ["Không hùa theo; động viên riêng người đó và báo cho quản trị nhóm",
    "Hùa theo một chút để mình không thành mục tiêu tiếp theo",
    "Lặng lẽ rời nhóm, không nói gì với ai",
    "Chụp màn hình các câu đùa và chia sẻ cho nhiều người hơn"])
mc("2.5", 5, "netiquette international",
   "You work with an international team through chat. Which practice best avoids misunderstandings?",
   ["Write plainly, avoid slang and sarcasm, give time zones",
    "Use many local abbreviations to save everyone time",
    "Reply only with voice messages, which feel more personal",
    "Take silence after a proposal as a sign of agreement"],
   "Bạn làm việc với một nhóm quốc tế qua ứng dụng trò chuyện. Cách nào tránh hiểu lầm tốt nhất?",
   ["Viết rõ ràng, tránh tiếng lóng và mỉa mai, ghi rõ múi giờ",
    "Dùng nhiều từ viết tắt địa phương cho mọi người đỡ mất thời gian",
    "Chỉ trả lời bằng tin nhắn thoại cho thân thiện",
    "Coi im lặng sau một đề xuất là đồng ý"])
mc("2.5", 6, "moderation community",
   "You administer a community page with 5,000 members where hateful comments are increasing. What is the best approach?",
   ["Publish clear rules, moderate consistently and report illegal content",
    "Delete the whole page and start a new one somewhere else",
    "Remove only the comments of members you personally dislike",
    "Turn off all comments for ever, without any explanation"],
   "Bạn quản trị một trang cộng đồng 5.000 thành viên và các bình luận thù ghét ngày càng nhiều. Cách làm tốt nhất là gì?",
   ["Công bố nội quy, kiểm duyệt nhất quán, báo cáo nội dung vi phạm",
    "Xóa cả trang này rồi lập một trang mới ở chỗ khác",
    "Chỉ gỡ bình luận của những thành viên mình không thích",
    "Tắt bình luận vĩnh viễn mà không giải thích gì với ai"])

mc("2.6", 1, "digital-identity accounts",
   "What is a 'username'?",
   ["The name you sign in with or are shown under online",
    "The secret password that protects your email account",
    "The serial number printed inside your phone's case",
    "The home address you give when you shop online"],
   "'Tên người dùng' (username) là gì?",
   ["Tên bạn dùng để đăng nhập hoặc hiển thị trên mạng",
    "Mật khẩu bí mật bảo vệ tài khoản email của bạn",
    "Số sê-ri in bên trong vỏ điện thoại",
    "Địa chỉ nhà bạn khai khi mua hàng trực tuyến"])
mc("2.6", 2, "digital-footprint",
   "What is your 'digital footprint'?",
   ["The trail of data you leave online, such as posts and searches",
    "How much storage space is still free on your phone",
    "The number of phones, tablets and computers you own",
    "The fingerprint you register to unlock your phone"],
   "'Dấu chân số' của bạn là gì?",
   ["Dấu vết dữ liệu bạn để lại trên mạng như bài đăng, tìm kiếm",
    "Dung lượng bộ nhớ còn trống trên điện thoại",
    "Số điện thoại, máy tính bảng, máy tính bạn sở hữu",
    "Dấu vân tay bạn đăng ký để mở khóa điện thoại"])
mc("2.6", 3, "impersonation scams",
   "Someone creates a fake social media account with your name and photos and asks your friends for money. What should you do?",
   ["Report the fake profile and warn your friends from your real account",
    "Send money to the friends who were tricked, to make up for it",
    "Open another fake account of your own to argue with the impostor",
    "Do nothing, because fake accounts always disappear by themselves"],
   "Ai đó lập tài khoản mạng xã hội giả mạo với tên và ảnh của bạn để vay tiền bạn bè của bạn. Bạn nên làm gì?",
   ["Báo cáo tài khoản giả và cảnh báo bạn bè từ tài khoản thật",
    "Chuyển tiền cho những người bạn bị lừa để bù lại",
    "Lập thêm một tài khoản giả để cãi nhau với kẻ mạo danh",
    "Không làm gì vì tài khoản giả luôn tự biến mất"])
mc("2.6", 4, "digital-footprint reputation",
   "An employer may search your name online before a job interview. What helps most?",
   ["Review your public posts and keep a professional profile up to date",
    "Delete all of your accounts on the evening before the interview",
    "Rename every account to a nickname so nobody can find you",
    "Nothing, because employers never look at candidates online"],
   "Nhà tuyển dụng có thể tìm tên bạn trên mạng trước buổi phỏng vấn. Việc gì giúp ích nhất?",
   ["Rà soát bài đăng công khai và cập nhật hồ sơ nghề nghiệp",
    "Xóa hết mọi tài khoản vào tối hôm trước buổi phỏng vấn",
    "Đổi tên mọi tài khoản thành biệt danh để không ai tìm ra",
    "Không cần gì vì nhà tuyển dụng không bao giờ tìm trên mạng"])
mc("2.6", 5, "single-sign-on accounts",
   "A new app offers 'Sign in with Google' or 'Sign in with Facebook'. Which statement about this is correct?",
   ["The app may get some profile data and depends on that account's security",
    "The app can never see any of your data from that account",
    "It makes your main account's password visible to the app",
    "You no longer need to protect your main account at all"],
   "Một ứng dụng mới cho phép 'Đăng nhập bằng Google' hoặc 'Đăng nhập bằng Facebook'. Nhận định nào đúng?",
   ["Ứng dụng có thể nhận dữ liệu hồ sơ và phụ thuộc vào tài khoản đó",
    "Ứng dụng không bao giờ thấy được dữ liệu nào từ tài khoản đó",
    "Ứng dụng sẽ nhìn thấy mật khẩu tài khoản chính của bạn",
    "Bạn không còn cần bảo vệ tài khoản chính nữa"])
mc("2.6", 6, "digital-identity management",
   "You want to keep your personal and professional identities online apart. What is the best approach?",
   ["Use separate accounts and emails, with audiences set for each",
    "Use one public account for everything, so people know it is you",
    "Use an invented name and photo for all of your work accounts",
    "Give colleagues your passwords so that they can post for you"],
   "Bạn muốn tách biệt danh tính cá nhân và danh tính nghề nghiệp trên mạng. Cách làm tốt nhất là gì?",
   ["Dùng tài khoản và email riêng, đặt đối tượng xem cho từng tài khoản",
    "Dùng một tài khoản công khai cho mọi việc để ai cũng nhận ra",
    "Dùng tên và ảnh bịa cho mọi tài khoản công việc",
    "Đưa mật khẩu cho đồng nghiệp để họ đăng bài giúp"])

# ----------------------------------------------------------------------------------------
# Area 3: Digital content creation
# ----------------------------------------------------------------------------------------
mc("3.1", 1, "documents",
   "Which kind of program do you use to write a letter on a computer?",
   ["A word processor, such as Word or LibreOffice Writer",
    "The history page of a web browser such as Chrome",
    "The calculator app that comes with the computer",
    "A photo viewer such as the Windows Photos app"],
   "Bạn dùng loại phần mềm nào để soạn một lá thư trên máy tính?",
   ["Phần mềm soạn thảo văn bản như Word hoặc LibreOffice Writer",
    "Trang lịch sử của trình duyệt web như Chrome",
    "Ứng dụng máy tính bỏ túi có sẵn trên máy",
    "Phần mềm xem ảnh như ứng dụng Photos của Windows"])
mc("3.1", 2, "documents formatting",
   "How can you make the title of a document stand out?",
   ["Apply a heading style, or make it bold and larger",
    "Type the title three times in a row at the top",
    "Move the title to the very end of the document",
    "Write the title only in the file name, not the page"],
   "Làm thế nào để tiêu đề của văn bản nổi bật?",
   ["Dùng kiểu đề mục, hoặc in đậm và tăng cỡ chữ",
    "Gõ tiêu đề ba lần liên tiếp ở đầu trang",
    "Chuyển tiêu đề xuống cuối văn bản",
    "Chỉ ghi tiêu đề trong tên tệp, không ghi trên trang"])
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
    "So that the images load faster on slow connections",
    "So that nobody can copy the images without permission",
    "So that the images are shown in a higher resolution"],
   "Vì sao cần thêm 'văn bản thay thế' (alt text) cho hình ảnh trong tài liệu hoặc trang web?",
   ["Để người dùng trình đọc màn hình hiểu được hình ảnh",
    "Để hình ảnh tải nhanh hơn khi mạng chậm",
    "Để không ai sao chép được hình ảnh khi chưa xin phép",
    "Để hình ảnh hiển thị với độ phân giải cao hơn"])
mc("3.1", 5, "presentations design",
   "You prepare slides for a talk to older residents in a community hall. Which design works best?",
   ["Large text, strong contrast and one idea per slide",
    "Small fonts, so that more of the talk fits on each slide",
    "Light grey text on a white background, for a modern look",
    "An animation on every line, to keep the audience awake"],
   "Bạn chuẩn bị bài trình chiếu cho buổi nói chuyện với người cao tuổi tại nhà văn hóa. Cách thiết kế nào tốt nhất?",
   ["Chữ to, tương phản cao và mỗi trang một ý",
    "Chữ nhỏ để mỗi trang chứa được nhiều nội dung hơn",
    "Chữ xám nhạt trên nền trắng cho hiện đại",
    "Hiệu ứng chuyển động cho từng dòng để khán giả tỉnh táo"])
mc("3.1", 6, "accessibility forms",
   "Your office publishes an online form that all citizens, including blind users, must be able to fill in. Which practice matters most?",
   ["Label every field, allow keyboard-only use, and test with a screen reader",
    "Put the whole form inside one image, so it looks the same everywhere",
    "Mark the required fields with red colour alone, to keep the page clean",
    "Add a distorted-text CAPTCHA with no audio or other alternative"],
   "Cơ quan bạn đăng một biểu mẫu trực tuyến mà mọi người dân, kể cả người khiếm thị, đều phải điền được. Điều gì quan trọng nhất?",
   ["Gắn nhãn mọi ô, dùng được bằng bàn phím, thử bằng trình đọc màn hình",
    "Đưa cả biểu mẫu vào một hình ảnh để hiển thị giống nhau ở mọi nơi",
    "Chỉ dùng màu đỏ để đánh dấu ô bắt buộc cho gọn trang",
    "Thêm mã CAPTCHA chữ méo, không có âm thanh hay cách thay thế"])

mc("3.2", 1, "documents images",
   "How do you put a photo into a document in a word processor?",
   ["Use Insert, then Picture, and choose the photo",
    "Print the photo and tape it to the screen",
    "Rename the document to the photo's name",
    "Email the photo to the document"],
   "Làm thế nào để chèn một bức ảnh vào văn bản trong phần mềm soạn thảo?",
   ["Chọn Chèn (Insert) rồi Ảnh (Picture)",
    "In ảnh ra giấy rồi dán lên màn hình",
    "Đổi tên văn bản thành tên của bức ảnh",
    "Gửi email bức ảnh tới địa chỉ của văn bản"])
mc("3.2", 2, "templates documents",
   "You start your CV from a template. What must you do before sending it?",
   ["Replace all the sample text with your own details",
    "Keep the sample name, since it looks more professional",
    "Change only the colours, and leave the text as it is",
    "Nothing: employers expect to see the template's text"],
   "Bạn làm CV từ một mẫu có sẵn. Bạn phải làm gì trước khi gửi đi?",
   ["Thay toàn bộ nội dung mẫu bằng thông tin của mình",
    "Giữ tên mẫu vì trông chuyên nghiệp hơn",
    "Chỉ đổi màu, giữ nguyên phần chữ",
    "Không cần gì: nhà tuyển dụng quen với chữ trong mẫu"])
mc("3.2", 3, "spreadsheets web-data",
   "You copy a table from a web page into a spreadsheet. What should you do next?",
   ["Check that columns and numbers came across correctly",
    "Nothing, because copied tables always arrive perfectly",
    "Retype every number by hand to be completely sure",
    "Delete the column headers, which are not needed"],
   "Bạn sao chép một bảng từ trang web vào bảng tính. Bạn nên làm gì tiếp theo?",
   ["Kiểm tra các cột và con số đã sang đúng chưa",
    "Không cần gì, vì bảng sao chép luôn sang hoàn hảo",
    "Gõ lại từng con số bằng tay cho thật chắc",
    "Xóa các tiêu đề cột vì không cần thiết"])
mc("3.2", 4, "ai summaries",
   "You use an AI tool to summarise a long report for your team. What is the responsible way to do it?",
   ["Check it against the report and say that AI helped",
    "Send it as it is, because AI summaries are reliable",
    "Send it under your name without checking, to save time",
    "Delete the original report so that nobody is confused"],
   "Bạn dùng công cụ AI để tóm tắt một báo cáo dài cho nhóm. Cách làm có trách nhiệm là gì?",
   ["Đối chiếu với báo cáo gốc và cho biết có AI hỗ trợ",
    "Gửi nguyên văn vì tóm tắt của AI đáng tin cậy",
    "Gửi dưới tên mình mà không kiểm tra cho đỡ mất thời gian",
    "Xóa báo cáo gốc để không ai bị nhầm"],
   vn=["6.2", "6.3"])
mc("3.2", 5, "spreadsheets charts documents",
   "You want a chart from a spreadsheet in your report to update when the data change. What do you do?",
   ["Insert the chart as a linked object rather than a picture",
    "Take a screenshot of the chart and paste it as an image",
    "Redraw the chart by hand in the report each month",
    "Describe the chart only in words, with no figure"],
   "Bạn muốn biểu đồ lấy từ bảng tính trong báo cáo tự cập nhật khi dữ liệu thay đổi. Bạn làm thế nào?",
   ["Chèn biểu đồ dạng đối tượng liên kết, không phải dạng ảnh",
    "Chụp màn hình biểu đồ rồi dán vào dưới dạng ảnh",
    "Tự vẽ lại biểu đồ trong báo cáo mỗi tháng một lần",
    "Chỉ mô tả biểu đồ bằng lời, không có hình"])
mc("3.2", 6, "remix licences open-data",
   "You build an infographic from an open government dataset and a photo licensed CC BY. What must you do?",
   ["Credit both sources, note your changes and check the licences",
    "Nothing, because both were free to download from the internet",
    "Credit only the photo, since government data need no credit",
    "Add your own copyright notice and remove all the others"],
   "Bạn làm một đồ họa thông tin từ bộ dữ liệu mở của nhà nước và một bức ảnh có giấy phép CC BY. Bạn phải làm gì?",
   ["Ghi nguồn cả hai, nêu rõ phần đã thay đổi và kiểm tra giấy phép",
    "Không cần gì vì cả hai đều tải miễn phí trên mạng",
    "Chỉ ghi nguồn bức ảnh vì dữ liệu nhà nước không cần ghi nguồn",
    "Thêm thông báo bản quyền của mình và xóa các ghi chú khác"])

mc("3.3", 1, "copyright",
   "Can you use any image you find on the internet on a poster for your shop?",
   ["No, unless its licence or the owner allows it",
    "Yes, everything on the internet is free to use",
    "Yes, as long as you make the image smaller",
    "Yes, if you found it through a search engine"],
   "Bạn có được dùng bất kỳ hình ảnh nào tìm thấy trên mạng để làm áp phích cho cửa hàng không?",
   ["Không, trừ khi giấy phép hoặc chủ sở hữu cho phép",
    "Có, mọi thứ trên Internet đều được dùng tự do",
    "Có, miễn là thu nhỏ hình ảnh lại",
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
   ["Reuse with credit, but not for commercial purposes",
    "Any use, including selling it, with no credit needed",
    "Viewing it only; copying it is never allowed",
    "Commercial use only, with a fee paid to the author"],
   "Giấy phép CC BY-NC cho phép điều gì?",
   ["Tái sử dụng có ghi công, nhưng không vì mục đích thương mại",
    "Mọi cách dùng, kể cả bán, không cần ghi công",
    "Chỉ được xem, không bao giờ được sao chép",
    "Chỉ dùng cho mục đích thương mại, có trả phí cho tác giả"],
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
   ["You may use it freely, but check the uploader had the right to release it",
    "You must pay the platform a small fee for each time you use it",
    "You may use it only for purposes that are not commercial",
    "You must keep it exactly as it is, without any changes"],
   "Một hình ảnh được gắn CC0 (tuyên bố dành cho phạm vi công cộng). Nhận định nào đúng?",
   ["Được dùng tự do, nhưng nên kiểm tra người đăng có quyền công bố",
    "Bạn phải trả cho nền tảng một khoản phí nhỏ mỗi lần dùng",
    "Bạn chỉ được dùng cho mục đích phi thương mại",
    "Bạn phải giữ nguyên, không được chỉnh sửa gì"])

mc("3.4", 1, "programming",
   "What is a computer program?",
   ["A set of instructions that a computer follows",
    "The screen and keyboard attached to a computer",
    "A schedule of shows on a television channel",
    "A type of cable that connects a computer"],
   "Chương trình máy tính là gì?",
   ["Một tập hợp lệnh mà máy tính thực hiện",
    "Màn hình và bàn phím gắn với máy tính",
    "Lịch chiếu các chương trình trên một kênh truyền hình",
    "Một loại dây cáp nối với máy tính"])
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
   ["B2 lớn hơn hoặc bằng 5",
    "B2 nhỏ hơn 5 một chút",
    "Ô B2 đang để trống",
    "B2 chứa sẵn chữ Đạt"])
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
   ["Xử lý riêng trường hợp rỗng và thêm phép thử với danh sách rỗng",
    "Dặn tất cả người dùng đừng bao giờ gửi danh sách rỗng",
    "Bọc toàn bộ chương trình để mọi lỗi đều bị bỏ qua âm thầm",
    "Thêm sẵn một đơn hàng trống vào mọi danh sách"])

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
   ["Chúng vá các lỗ hổng bảo mật mà kẻ xấu lợi dụng",
    "Chúng luôn làm cho pin dùng được lâu gấp đôi",
    "Chúng tự động xóa các tệp cá nhân của bạn",
    "Chúng chỉ cần thiết cho những ai chơi trò chơi"])
mc("4.1", 2, "passwords",
   "Which password is the hardest to guess?",
   ["mua-he-cay-xoai-ngay-mai-47",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "nguyenvana01011990",
    "12345678"],
   "Mật khẩu nào khó đoán nhất?",
   ["mua-he-cay-xoai-ngay-mai-47",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "nguyenvana01011990",
    "12345678"])
mc("4.1", 2, "apps device-security",
   "Where should you install apps from?",
   ["Your phone's official store, such as Google Play or App Store",
    "Any download link that a stranger sends you in a message",
    "An .apk file shared by someone in a large chat group",
    "A pop-up advert that promises you a prize for installing"],
   "Bạn nên cài ứng dụng từ đâu?",
   ["Kho ứng dụng chính thức như Google Play hoặc App Store",
    "Đường liên kết tải về do người lạ gửi qua tin nhắn",
    "Tệp .apk ai đó chia sẻ trong một nhóm trò chuyện đông người",
    "Quảng cáo bật lên hứa tặng quà nếu cài đặt"])
mc("4.1", 3, "two-factor passwords",
   "What does 'two-factor sign-in' (2FA) mean?",
   ["Besides the password, you confirm with a second proof, like a code",
    "You type the same password twice to make sure it is right",
    "Two people share one account, each with their own device",
    "You keep two different passwords for two different accounts"],
   "'Xác thực hai yếu tố' (2FA) khi đăng nhập nghĩa là gì?",
   ["Ngoài mật khẩu, bạn xác nhận thêm bằng một yếu tố thứ hai, như một mã",
    "Gõ cùng một mật khẩu hai lần cho chắc chắn",
    "Hai người dùng chung một tài khoản, mỗi người một thiết bị",
    "Có hai mật khẩu khác nhau cho hai tài khoản khác nhau"],
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
   ["A scam to make you install unwanted software; close it",
    "A genuine warning sent by the maker of your phone",
    "An official notice from the police about your phone",
    "A normal system update that you should accept"],
   "Một cửa sổ bật lên trên trang web báo: 'Điện thoại của bạn có 5 virus! Cài ngay ứng dụng dọn dẹp này.' Nhiều khả năng đây là gì?",
   ["Trò lừa để bạn cài phần mềm không mong muốn; hãy đóng lại",
    "Cảnh báo thật do hãng sản xuất điện thoại gửi",
    "Thông báo chính thức của công an về điện thoại của bạn",
    "Bản cập nhật hệ thống bình thường, nên chấp nhận"])
mc("4.1", 5, "passwords password-manager",
   "What is the main benefit of a password manager?",
   ["It creates and stores a different strong password for each account",
    "It lets you use one short, easy password on every site",
    "It sends copies of your passwords to friends for safekeeping",
    "It unlocks your phone for you so you never need a screen lock"],
   "Lợi ích chính của trình quản lý mật khẩu là gì?",
   ["Tạo và lưu một mật khẩu mạnh khác nhau cho từng tài khoản",
    "Cho phép dùng một mật khẩu ngắn, dễ nhớ ở mọi trang",
    "Gửi bản sao mật khẩu cho bạn bè giữ hộ",
    "Tự mở khóa điện thoại để bạn không cần khóa màn hình"])
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
   ["Từ chối và cúp máy: không bao giờ đọc mã OTP",
    "Đọc mã cho anh ta vì anh ta biết tên bạn",
    "Gửi mã qua tin nhắn thay vì đọc qua điện thoại",
    "Chỉ đọc một nửa mã cho an toàn"],
   label="otp-bank", enemy="otp-vneid")
mc("4.2", 2, "scams phishing sms",
   "You get an SMS: 'Your parcel is on hold. Pay 15,000 VND at http://giao-hang-vn.top to receive it.' What is it most likely to be?",
   ["A scam: don't click; check your orders in the official app",
    "A normal delivery notice, so pay quickly to avoid delays",
    "A message from your bank about a recent card payment",
    "An official announcement from a government agency"],
   "Bạn nhận tin nhắn: 'Bưu kiện của bạn đang bị giữ. Thanh toán 15.000đ tại http://giao-hang-vn.top để nhận hàng.' Nhiều khả năng đây là gì?",
   ["Lừa đảo: đừng bấm; hãy kiểm tra đơn hàng trong ứng dụng chính thức",
    "Thông báo giao hàng bình thường, nên trả nhanh để khỏi chậm",
    "Tin nhắn của ngân hàng về một khoản thanh toán thẻ gần đây",
    "Thông báo chính thức của một cơ quan nhà nước"])
mc("4.2", 2, "privacy social-media",
   "On social media, who can see a post whose audience is set to 'Public'?",
   ["Anyone, including people who are not your friends",
    "Only the people who are on your friends list",
    "Only you, until you choose to share it",
    "Only your family members and close friends"],
   "Trên mạng xã hội, bài đăng để chế độ 'Công khai' thì những ai xem được?",
   ["Bất kỳ ai, kể cả người không phải bạn bè",
    "Chỉ những người trong danh sách bạn bè",
    "Chỉ mình bạn, cho đến khi bạn chia sẻ",
    "Chỉ người trong gia đình và bạn thân"])
mc("4.2", 3, "scams online-shopping",
   "Which combination of signs suggests a fake online shop?",
   ["Unusually low prices and payment only to a personal account",
    "A return policy and a business registration number",
    "Delivery by a well-known courier with cash on delivery",
    "Product reviews that include both good and bad comments"],
   "Tập hợp dấu hiệu nào cho thấy một cửa hàng trực tuyến có thể là giả mạo?",
   ["Giá rẻ bất thường và chỉ nhận chuyển khoản vào tài khoản cá nhân",
    "Có chính sách đổi trả và mã số đăng ký kinh doanh",
    "Giao qua hãng vận chuyển lớn, trả tiền khi nhận hàng",
    "Đánh giá sản phẩm có cả lời khen lẫn lời chê"])
mc("4.2", 3, "scams impersonation phone",
   "A caller claims to be a police officer, says you are involved in a criminal case and tells you to transfer money to a 'safe account'. What is this?",
   ["A scam: hang up and check with your local police",
    "A real procedure that must be followed within the hour",
    "A special promotion from your bank for new customers",
    "A normal request that courts make by telephone"],
   "Một người gọi điện xưng là công an, nói bạn liên quan đến một vụ án và yêu cầu chuyển tiền vào 'tài khoản an toàn'. Đây là gì?",
   ["Lừa đảo: cúp máy và xác minh với công an địa phương",
    "Thủ tục thật, phải làm trong vòng một giờ",
    "Chương trình khuyến mãi của ngân hàng cho khách mới",
    "Yêu cầu bình thường mà tòa án thực hiện qua điện thoại"])
mc("4.2", 3, "scams vneid otp",
   "A stranger on social media offers to 'activate your level-2 VNeID account' if you send your ID number and the OTP code you receive. What do you do?",
   ["Refuse: OTP codes must never be shared with anyone",
    "Send the details, since it saves you a trip to the office",
    "Send only the OTP code, which is harmless on its own",
    "Send a photo of both sides of your ID card instead"],
   "Một người lạ trên mạng xã hội đề nghị 'kích hoạt tài khoản VNeID mức 2 giúp bạn' nếu bạn gửi số căn cước và mã OTP nhận được. Bạn làm gì?",
   ["Từ chối: không bao giờ chia sẻ mã OTP cho bất kỳ ai",
    "Gửi thông tin vì đỡ phải đến cơ quan",
    "Chỉ gửi mã OTP vì riêng nó thì vô hại",
    "Gửi ảnh hai mặt thẻ căn cước thay vào đó"],
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
   ["Don't paste personal data; use an anonymised example instead",
    "Paste the full list so that every message is personalised",
    "Paste the list, then delete the chat, which removes all risk",
    "Ask the chatbot to promise secrecy, then paste the list"],
   "Bạn muốn nhờ chatbot AI công cộng soạn tin nhắn gửi khách hàng của cửa hàng. Danh sách có họ tên và số điện thoại của khách. Cách làm đúng là gì?",
   ["Không dán dữ liệu cá nhân; dùng một ví dụ đã ẩn danh",
    "Dán toàn bộ danh sách để tin nhắn được cá nhân hóa",
    "Dán danh sách rồi xóa cuộc trò chuyện là hết rủi ro",
    "Bảo chatbot hứa giữ bí mật rồi dán danh sách"],
   vn=["6.2", "6.3"])
mc("4.2", 6, "personal-data law business",
   "You run a small shop that collects customers' phone numbers for delivery. Under Vietnam's personal data protection rules, what should you do?",
   ["Get consent for a stated purpose, keep only what you need, protect it",
    "Sell the list to advertisers, since customers gave the numbers freely",
    "Post the list on the shop's page so that couriers can find it easily",
    "Keep the numbers for ever in an open shared spreadsheet"],
   "Bạn có một cửa hàng nhỏ thu thập số điện thoại khách hàng để giao hàng. Theo quy định về bảo vệ dữ liệu cá nhân của Việt Nam, bạn nên làm gì?",
   ["Xin đồng ý cho mục đích đã nêu, chỉ giữ dữ liệu cần thiết và bảo vệ nó",
    "Bán danh sách cho bên quảng cáo vì khách tự nguyện cho số",
    "Đăng danh sách lên trang cửa hàng để người giao hàng dễ tìm",
    "Giữ số điện thoại mãi mãi trong bảng tính dùng chung không bảo vệ"])

mc("4.3", 1, "well-being sleep",
   "Using a phone in bed late at night can:",
   ["Disturb your sleep", "Improve your eyesight", "Charge the battery faster", "Make you sleep longer"],
   "Dùng điện thoại trên giường vào đêm khuya có thể:",
   ["Làm ảnh hưởng đến giấc ngủ", "Làm mắt tinh hơn", "Làm pin sạc nhanh hơn", "Giúp ngủ lâu hơn"])
mc("4.3", 2, "well-being eyes",
   "Working at a screen for long periods, which habit helps your eyes?",
   ["Every 20 minutes, look at something far away for 20 seconds",
    "Turn the screen brightness up to the maximum level",
    "Sit as close to the screen as you comfortably can",
    "Try to blink as little as possible while reading"],
   "Khi làm việc lâu với màn hình, thói quen nào tốt cho mắt?",
   ["Cứ 20 phút, nhìn một vật ở xa trong 20 giây",
    "Tăng độ sáng màn hình lên mức cao nhất",
    "Ngồi càng sát màn hình càng tốt",
    "Cố chớp mắt càng ít càng tốt khi đọc"])
mc("4.3", 3, "child-safety grooming",
   "An adult stranger keeps messaging a child online, asks for photos and tells the child to keep it secret. What should be done?",
   ["Keep the evidence, block and report him, and tell a trusted adult",
    "Reply to the stranger to find out what he really wants",
    "Delete the messages and try to forget about it",
    "Send one old photo so that he stops asking"],
   "Một người lớn lạ mặt liên tục nhắn tin cho một đứa trẻ trên mạng, đòi ảnh và dặn giữ bí mật. Cần làm gì?",
   ["Lưu bằng chứng, chặn, báo cáo và báo cho người lớn tin cậy",
    "Nhắn lại cho người lạ để xem họ thực sự muốn gì",
    "Xóa hết tin nhắn và cố quên chuyện đó đi",
    "Gửi một bức ảnh cũ để người đó thôi đòi"])
mc("4.3", 4, "screen-time well-being",
   "Which phone feature helps you limit the time you spend in particular apps?",
   ["Screen-time settings with timers for each app",
    "Airplane mode, switched on for the whole day",
    "A brighter and more colourful home-screen wallpaper",
    "A louder ringtone, so you notice calls sooner"],
   "Tính năng nào trên điện thoại giúp bạn giới hạn thời gian dùng một số ứng dụng?",
   ["Cài đặt thời gian sử dụng, hẹn giờ cho từng ứng dụng",
    "Bật chế độ máy bay trong suốt cả ngày",
    "Đổi hình nền sáng và nhiều màu sắc hơn",
    "Đặt nhạc chuông to hơn để dễ nghe cuộc gọi"])
mc("4.3", 4, "cyberbullying well-being",
   "You are being harassed in comments on your posts. Which response protects you best?",
   ["Don't retaliate; keep evidence, block and report them",
    "Reply with insults of your own, so that they stop",
    "Post their personal details online to expose them",
    "Delete your account at once, without keeping evidence"],
   "Bạn bị quấy rối bằng bình luận trên các bài đăng của mình. Cách phản ứng nào bảo vệ bạn tốt nhất?",
   ["Không đáp trả; lưu bằng chứng, chặn và báo cáo",
    "Đáp trả bằng lời lẽ xúc phạm để họ dừng lại",
    "Đăng thông tin cá nhân của họ lên mạng để vạch mặt",
    "Xóa ngay tài khoản mà không lưu bằng chứng"])
mc("4.3", 5, "family well-being",
   "A family wants healthier use of devices at home. Which plan is most likely to work?",
   ["Agree rules together, including device-free times such as meals",
    "Parents secretly read all of the children's messages every night",
    "Ban every device completely, without giving any explanation",
    "Let each child decide alone, with no limits of any kind"],
   "Một gia đình muốn sử dụng thiết bị số lành mạnh hơn. Kế hoạch nào có khả năng hiệu quả nhất?",
   ["Cùng thống nhất quy tắc, có giờ không dùng thiết bị như bữa ăn",
    "Bố mẹ bí mật đọc hết tin nhắn của con mỗi tối",
    "Cấm hoàn toàn mọi thiết bị mà không giải thích gì",
    "Để từng đứa trẻ tự quyết định, không có giới hạn nào"])
mc("4.3", 6, "well-being algorithms",
   "You find yourself scrolling a video feed for hours. Which change tackles the cause best?",
   ["Turn off autoplay and notifications, and set app limits",
    "Switch to a bigger screen so that scrolling is more comfortable",
    "Only scroll late at night, when you have nothing else to do",
    "Like more videos, so that the feed learns to improve"],
   "Bạn thấy mình lướt video hàng giờ liền. Thay đổi nào giải quyết đúng nguyên nhân nhất?",
   ["Tắt tự động phát và thông báo, đặt giới hạn cho ứng dụng",
    "Chuyển sang màn hình to hơn để lướt thoải mái hơn",
    "Chỉ lướt vào đêm khuya khi không còn việc gì khác",
    "Bấm thích nhiều video hơn để bảng tin tự tốt lên"])

mc("4.4", 1, "environment e-waste",
   "What should you do with an old phone battery?",
   ["Take it to an electronic-waste collection point",
    "Put it in the household rubbish with other waste",
    "Burn it together with dry leaves in the garden",
    "Bury it deep in the garden, away from the house"],
   "Bạn nên làm gì với viên pin điện thoại cũ?",
   ["Mang đến điểm thu gom rác thải điện tử",
    "Bỏ vào thùng rác sinh hoạt cùng rác khác",
    "Đốt cùng lá khô ngoài vườn",
    "Chôn sâu trong vườn, xa nhà"])
mc("4.4", 2, "environment energy",
   "Which habit saves energy?",
   ["Switching devices off or to sleep when you are not using them",
    "Keeping the charger plugged in all day with nothing attached",
    "Setting the screen to maximum brightness",
    "Leaving the computer on every night"],
   "Thói quen nào giúp tiết kiệm năng lượng?",
   ["Tắt thiết bị hoặc để chế độ ngủ khi không dùng",
    "Cắm sạc cả ngày dù không có gì để sạc",
    "Để độ sáng màn hình luôn ở mức cao nhất",
    "Để máy tính chạy suốt đêm cho khỏi bật lại"])
mc("4.4", 3, "environment reuse device-security",
   "Before you give away your old phone so that it can be reused, what should you do?",
   ["Back up, sign out, reset to factory settings, remove the SIM",
    "Just delete the photos; the rest does not matter",
    "Break the screen, so that nobody can read your data",
    "Nothing; the next owner will clear your data for you"],
   "Trước khi tặng lại điện thoại cũ để người khác dùng tiếp, bạn nên làm gì?",
   ["Sao lưu, đăng xuất, khôi phục cài đặt gốc, tháo SIM",
    "Chỉ cần xóa ảnh, phần còn lại không quan trọng",
    "Đập vỡ màn hình để không ai đọc được dữ liệu",
    "Không cần gì; người sau sẽ tự xóa dữ liệu giúp bạn"])
mc("4.4", 4, "environment streaming",
   "Watching videos in the highest resolution on a small phone screen:",
   ["Uses more data and energy for little visible benefit",
    "Uses less data than watching at a lower resolution",
    "Has no effect at all on how much energy is used",
    "Makes the phone's battery last longer than usual"],
   "Xem video ở độ phân giải cao nhất trên màn hình điện thoại nhỏ:",
   ["Tốn thêm dữ liệu và năng lượng mà lợi ích khó nhận thấy",
    "Tốn ít dữ liệu hơn so với xem ở độ phân giải thấp",
    "Hoàn toàn không ảnh hưởng đến năng lượng tiêu thụ",
    "Làm pin điện thoại dùng lâu hơn bình thường"])
mc("4.4", 5, "environment device-lifecycle",
   "Why is using a phone or laptop for more years one of the most effective ways to reduce its environmental impact?",
   ["Most of a device's emissions come from making it",
    "Old devices no longer use any electricity at all",
    "New devices cannot be recycled in any way",
    "Using a device for longer makes it lighter"],
   "Vì sao dùng điện thoại hoặc máy tính xách tay lâu năm hơn là một trong những cách hiệu quả nhất để giảm tác động môi trường?",
   ["Phần lớn phát thải của thiết bị đến từ khâu sản xuất",
    "Thiết bị cũ hoàn toàn không còn tiêu thụ điện",
    "Thiết bị mới không thể tái chế theo bất kỳ cách nào",
    "Dùng lâu làm thiết bị nhẹ đi"])
mc("4.4", 6, "environment procurement",
   "Your organisation is writing a policy for buying computers with the environment in mind. Which criteria matter most?",
   ["Repairability, long software support and energy efficiency",
    "The thinnest design and the newest colour on the market",
    "Replacing every device each year, so that all are modern",
    "The lowest purchase price, with no other criteria at all"],
   "Đơn vị bạn đang soạn chính sách mua máy tính có tính đến môi trường. Những tiêu chí nào quan trọng nhất?",
   ["Dễ sửa chữa, hỗ trợ phần mềm lâu dài và tiết kiệm năng lượng",
    "Thiết kế mỏng nhất và màu mới nhất trên thị trường",
    "Thay mọi thiết bị hằng năm để luôn hiện đại",
    "Giá mua thấp nhất, không cần tiêu chí nào khác"])

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
   ["That its Wi-Fi is on and connected to the home network",
    "Whether the printer still has paper in its tray",
    "Whether the laptop's speakers are working properly",
    "Whether the keyboard is set to type in Vietnamese"],
   "Máy tính xách tay của bạn không vào được mạng, trong khi các thiết bị khác trong nhà vẫn vào được. Bạn kiểm tra gì trước?",
   ["Wi-Fi của máy đã bật và kết nối vào mạng gia đình chưa",
    "Khay máy in còn giấy không",
    "Loa của máy có hoạt động bình thường không",
    "Bàn phím có đang gõ tiếng Việt không"])
mc("5.1", 3, "storage troubleshooting",
   "Your phone says storage is full and you cannot take photos. What is the best solution?",
   ["Back up photos, delete them from the phone, remove unused apps",
    "Delete the phone's system settings to free space",
    "Take photos in a higher resolution from now on",
    "Install several extra apps that promise to clean the phone"],
   "Điện thoại báo đầy bộ nhớ và bạn không chụp ảnh được. Giải pháp tốt nhất là gì?",
   ["Sao lưu ảnh, xóa khỏi máy và gỡ ứng dụng không dùng",
    "Xóa phần cài đặt hệ thống để giải phóng bộ nhớ",
    "Từ nay chụp ảnh ở độ phân giải cao hơn",
    "Cài thêm vài ứng dụng hứa hẹn dọn dẹp điện thoại"])
mc("5.1", 4, "troubleshooting certificates",
   "When you open your bank's website, the browser warns 'Your connection is not private'. What should you do?",
   ["Stop; check the address and the device's date, or use the bank's app",
    "Click 'Proceed anyway', since it is the bank's usual site",
    "Type your password quickly before the page times out",
    "Turn off the antivirus program, then try the page again"],
   "Khi mở trang web ngân hàng, trình duyệt cảnh báo 'Kết nối của bạn không phải là kết nối riêng tư'. Bạn nên làm gì?",
   ["Dừng lại; kiểm tra địa chỉ, ngày giờ máy, hoặc dùng ứng dụng ngân hàng",
    "Bấm 'Vẫn tiếp tục' vì đó vẫn là trang quen thuộc của ngân hàng",
    "Gõ mật khẩu thật nhanh trước khi trang bị hết thời gian chờ",
    "Tắt phần mềm diệt virus trên máy rồi thử mở lại trang"])
mc("5.1", 5, "troubleshooting malware",
   "Your computer became slow and shows adverts after you installed several 'free' programs. What is the best course of action?",
   ["Uninstall the unwanted programs and scan for malware",
    "Buy more memory for the computer straight away",
    "Install another free program that promises to speed it up",
    "Ignore it, because all computers slow down with age"],
   "Máy tính trở nên chậm và hiện quảng cáo sau khi bạn cài vài chương trình 'miễn phí'. Cách xử lý tốt nhất là gì?",
   ["Gỡ các chương trình không mong muốn và quét phần mềm độc hại",
    "Mua thêm bộ nhớ cho máy ngay",
    "Cài thêm một chương trình miễn phí hứa tăng tốc",
    "Bỏ qua vì máy tính nào cũng chậm dần theo thời gian"])
mc("5.1", 6, "wifi troubleshooting method",
   "The Wi-Fi at a community centre drops several times a day. Which approach finds the cause most reliably?",
   ["Test systematically, changing one thing at a time",
    "Restart the router every time someone complains",
    "Buy a second router and plug both of them in",
    "Change the Wi-Fi network's name every week"],
   "Wi-Fi ở nhà văn hóa bị rớt mạng nhiều lần mỗi ngày. Cách nào tìm ra nguyên nhân đáng tin cậy nhất?",
   ["Kiểm tra có hệ thống, mỗi lần chỉ thay đổi một yếu tố",
    "Khởi động lại bộ phát mỗi khi có người phàn nàn",
    "Mua thêm một bộ phát và cắm cả hai",
    "Đổi tên mạng Wi-Fi mỗi tuần"])

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
    "Airplane mode, to stop calls from interrupting her",
    "The alarm clock, set to remind her to read it",
    "A lower screen brightness, to rest her eyes"],
   "Bà của bạn mắt kém và muốn đọc một lá thư in. Tính năng nào trên điện thoại có thể giúp?",
   ["Kính lúp hoặc ứng dụng máy ảnh đọc to văn bản",
    "Chế độ máy bay để không bị cuộc gọi làm phiền",
    "Đồng hồ báo thức nhắc bà đọc thư",
    "Giảm độ sáng màn hình cho đỡ mỏi mắt"])
mc("5.2", 3, "apps choosing",
   "You are choosing an app for an older relative to make video calls. What matters most?",
   ["A simple app in Vietnamese that the rest of the family also uses",
    "The app with the longest list of features and settings",
    "The app that shows the most adverts, since it is free",
    "An app that nobody else in the family has installed"],
   "Bạn chọn một ứng dụng gọi video cho người thân lớn tuổi. Điều gì quan trọng nhất?",
   ["Ứng dụng đơn giản, có tiếng Việt và cả gia đình cùng dùng",
    "Ứng dụng có nhiều tính năng và cài đặt nhất",
    "Ứng dụng hiện nhiều quảng cáo nhất vì được miễn phí",
    "Ứng dụng mà không ai khác trong gia đình cài"])
mc("5.2", 4, "accessibility",
   "A person with hand tremors struggles to tap small buttons on a phone. Which solution fits best?",
   ["Accessibility features such as voice control and larger text",
    "A phone with a smaller screen, so that it is easier to hold",
    "Turning off the touch screen and using only the buttons",
    "A stylus with a very fine tip for precise tapping"],
   "Một người bị run tay gặp khó khăn khi chạm các nút nhỏ trên điện thoại. Giải pháp nào phù hợp nhất?",
   ["Tính năng trợ năng như điều khiển giọng nói, chữ to",
    "Điện thoại màn hình nhỏ hơn cho dễ cầm",
    "Tắt màn hình cảm ứng, chỉ dùng phím bấm",
    "Bút cảm ứng đầu thật nhỏ để chạm chính xác"])
mc("5.2", 5, "ai search choosing",
   "You need today's official exchange rate between the US dollar and the Vietnamese dong. Which tool is more reliable, and why?",
   ["A bank's official website, as a chatbot may lack current data",
    "An AI chatbot, because it knows every up-to-date figure",
    "Last year's forum post, because it has many replies",
    "A screenshot that a friend shared in a chat group"],
   "Bạn cần tỷ giá chính thức hôm nay giữa đô la Mỹ và đồng Việt Nam. Công cụ nào đáng tin cậy hơn, và vì sao?",
   ["Trang ngân hàng chính thức; chatbot có thể thiếu số liệu mới",
    "Chatbot AI, vì nó biết mọi con số mới nhất hôm nay",
    "Bài diễn đàn năm ngoái vì có rất nhiều lượt trả lời",
    "Ảnh chụp màn hình bạn bè chia sẻ trong nhóm trò chuyện"],
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
   ["List the needs, then trial each option against them",
    "Pick whatever the nearest competitor happens to use",
    "Choose the most expensive option, which must be best",
    "Choose by which app has the nicest logo and colours"],
   "Một doanh nghiệp nhỏ đang cân nhắc giữa bảng tính và ứng dụng bán hàng trên đám mây để quản lý đơn hàng. Cách quyết định tốt nhất là gì?",
   ["Liệt kê nhu cầu rồi dùng thử từng phương án theo đó",
    "Chọn theo công cụ mà đối thủ gần nhất đang dùng",
    "Chọn phương án đắt nhất vì chắc chắn tốt nhất",
    "Chọn ứng dụng có biểu tượng và màu sắc đẹp nhất"])

mc("5.3", 1, "creativity video",
   "Which tool can you use to make a short birthday video from your photos?",
   ["A video-editing or slideshow app on your phone",
    "The calculator app that comes with your phone",
    "The flashlight, to light up the photos",
    "The contacts list, where the photos are stored"],
   "Bạn có thể dùng công cụ nào để làm một video sinh nhật ngắn từ ảnh của mình?",
   ["Ứng dụng chỉnh sửa video hoặc trình chiếu ảnh",
    "Ứng dụng máy tính bỏ túi trên điện thoại",
    "Đèn pin để chiếu sáng các bức ảnh",
    "Danh bạ, nơi lưu các bức ảnh"])
mc("5.3", 2, "translation camera",
   "You are given a menu in English that you cannot read. How can your phone help?",
   ["Point a translation app's camera at the menu",
    "Take a selfie with the menu and send it to friends",
    "Turn on airplane mode so the phone can concentrate",
    "Record a voice memo of yourself reading the menu"],
   "Bạn nhận được thực đơn bằng tiếng Anh mà không đọc được. Điện thoại có thể giúp thế nào?",
   ["Hướng camera của ứng dụng dịch vào thực đơn",
    "Chụp ảnh tự sướng với thực đơn rồi gửi bạn bè",
    "Bật chế độ máy bay để điện thoại tập trung",
    "Ghi âm giọng mình đọc thực đơn"])
mc("5.3", 3, "spreadsheets budget",
   "You want to plan your monthly family budget with a spreadsheet. Which set-up is most useful?",
   ["One row per expense, a category column and totals by formula",
    "One cell that holds all the numbers, separated by commas",
    "A picture of all your receipts pasted into the first sheet",
    "A list of the names of the shops where you spend money"],
   "Bạn muốn lập kế hoạch chi tiêu gia đình hằng tháng bằng bảng tính. Cách bố trí nào hữu ích nhất?",
   ["Mỗi khoản chi một dòng, có cột loại chi và công thức tính tổng",
    "Một ô chứa tất cả các số, cách nhau bằng dấu phẩy",
    "Ảnh chụp các hóa đơn dán vào trang tính đầu tiên",
    "Danh sách tên các cửa hàng nơi bạn chi tiền"])
mc("5.3", 4, "data charts agriculture",
   "A farmer wants to know which of two fertilisers works better on her fields. How can digital tools help?",
   ["Record each plot's yield in a spreadsheet and compare",
    "Ask on social media and follow what most people say",
    "Choose the fertiliser with the most attractive advert",
    "Take one photo of each field at the end of the season"],
   "Một nông dân muốn biết loại phân bón nào trong hai loại hiệu quả hơn trên ruộng của mình. Công cụ số có thể giúp thế nào?",
   ["Ghi năng suất từng thửa vào bảng tính và so sánh",
    "Hỏi trên mạng xã hội và làm theo số đông",
    "Chọn loại phân có quảng cáo hấp dẫn nhất",
    "Chụp một bức ảnh mỗi thửa vào cuối vụ"])
mc("5.3", 5, "ai image-generation",
   "You use an AI image generator to make a poster for a community event. What is good practice?",
   ["Check the image for errors and say that it is AI-generated",
    "Use the first image it produces, without looking closely",
    "Ask it to copy a famous artist's painting exactly",
    "Add real neighbours' faces to it without asking them"],
   "Bạn dùng công cụ AI tạo ảnh để làm áp phích cho một sự kiện cộng đồng. Cách làm tốt là gì?",
   ["Kiểm tra lỗi trong ảnh và ghi rõ ảnh do AI tạo",
    "Dùng ngay ảnh đầu tiên mà không xem kỹ",
    "Yêu cầu sao chép y hệt tranh của một họa sĩ nổi tiếng",
    "Ghép mặt hàng xóm vào ảnh mà không hỏi ý kiến họ"],
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
   ["Collect orders through an online form that fills the spreadsheet",
    "Learn to type faster, so that copying takes less time",
    "Print the emails and keep them in a paper file",
    "Ask customers to phone in their orders instead"],
   "Hằng tuần bạn chép tay thông tin đơn hàng từ email vào bảng tính. Cải tiến nào hiệu quả nhất?",
   ["Nhận đơn qua biểu mẫu trực tuyến tự điền vào bảng tính",
    "Luyện gõ nhanh hơn để chép đỡ mất thời gian",
    "In email ra và cất vào hồ sơ giấy",
    "Đề nghị khách gọi điện đặt hàng thay vì gửi email"])

mc("5.4", 1, "learning help",
   "You cannot do a task on your phone. What is a good first step to learn it?",
   ["Ask a relative or community digital team to show you",
    "Stop using the phone for anything other than calls",
    "Pay a stranger online to do it and send them your passwords",
    "Wait until the phone learns to do it by itself"],
   "Bạn chưa biết làm một thao tác trên điện thoại. Bước đầu tiên tốt để học là gì?",
   ["Nhờ người thân hoặc tổ công nghệ số cộng đồng chỉ cho",
    "Thôi dùng điện thoại cho việc gì khác ngoài gọi điện",
    "Thuê người lạ trên mạng làm hộ và gửi họ mật khẩu",
    "Chờ điện thoại tự học cách làm"])
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
   ["Learn a little regularly from reliable sources and practise",
    "Learn everything once, and never need to learn again",
    "Only learn something new when a device breaks down",
    "Copy whatever your friends do, without understanding it"],
   "Cách tốt nhất để cập nhật kỹ năng số của bạn là gì?",
   ["Học đều đặn từ nguồn tin cậy và thực hành",
    "Học hết một lần là không bao giờ phải học lại",
    "Chỉ học điều mới khi thiết bị bị hỏng",
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
   ["Set goals, take a course with practice files, check progress weekly",
    "Watch one short video on the day before the job starts",
    "Hope that a kind colleague will always do it for you",
    "Memorise the names of all the spreadsheet functions"],
   "Một tháng nữa bạn bắt đầu công việc cần kỹ năng bảng tính mà bạn chưa có. Kế hoạch tốt nhất là gì?",
   ["Đặt mục tiêu, học khóa có bài thực hành, kiểm tra hằng tuần",
    "Xem một video ngắn vào hôm trước ngày đi làm",
    "Mong một đồng nghiệp tốt bụng sẽ luôn làm giúp",
    "Học thuộc tên tất cả các hàm trong bảng tính"])
mc("5.4", 5, "teaching others",
   "You are helping an older neighbour learn to use online public services. Which method works best?",
   ["Let them do each step themselves, slowly, with written notes",
    "Do everything quickly on their phone while they watch you",
    "Explain it all once, using the proper technical terms",
    "Keep their password so that you can do it for them next time"],
   "Bạn giúp một người hàng xóm lớn tuổi học sử dụng dịch vụ công trực tuyến. Cách nào hiệu quả nhất?",
   ["Để họ tự làm từng bước, chậm rãi, kèm ghi chú bằng chữ",
    "Tự làm nhanh mọi thứ trên điện thoại của họ khi họ xem",
    "Giải thích hết một lần bằng đúng thuật ngữ kỹ thuật",
    "Giữ mật khẩu của họ để lần sau làm hộ"])
mc("5.4", 6, "programme-design learning",
   "You are asked to design a digital skills programme for a commune. What should come first?",
   ["Assess each target group's needs and skills, then set objectives",
    "Buy a tablet for every household in the commune first",
    "Copy a big city's programme without any changes",
    "Start with the most advanced topics to save time"],
   "Bạn được giao thiết kế một chương trình kỹ năng số cho một xã. Việc gì cần làm trước tiên?",
   ["Đánh giá nhu cầu và trình độ từng nhóm đối tượng rồi đặt mục tiêu",
    "Mua trước cho mỗi hộ trong xã một máy tính bảng",
    "Sao chép nguyên chương trình của một thành phố lớn",
    "Bắt đầu từ những chủ đề nâng cao nhất cho đỡ mất thời gian"])

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
   ["Hold off sharing it as real until trusted sources confirm it",
    "Share it at once, before the platform has time to remove it",
    "Share it with a laughing emoji, so that it counts as a joke",
    "Download it and post it again from your own account"],
   "Một video rất chân thực cho thấy một người nổi tiếng nói điều gây sốc. Video có thể do AI tạo ra. Bạn nên làm gì trước khi chia sẻ?",
   ["Không chia sẻ như tin thật khi chưa có nguồn uy tín xác nhận",
    "Chia sẻ ngay lập tức trước khi nền tảng kịp gỡ video",
    "Chia sẻ kèm biểu tượng cười để coi như chuyện đùa",
    "Tải về rồi đăng lại từ tài khoản cá nhân của mình"],
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
   ["Dùng 'Lưu thành' hoặc 'Xuất' và chọn PDF",
    "Đổi tên tệp để phần đuôi thành .pdf",
    "In ra giấy rồi gửi qua đường bưu điện",
    "Sao chép toàn bộ nội dung vào một email"])
mc("4.4", 2, "environment paper",
   "Which habit at work reduces paper use?",
   ["Share and sign documents digitally; print only when needed",
    "Print every email so that it is easier to read",
    "Print all drafts in colour, so that changes stand out",
    "Print two copies of everything, just in case"],
   "Thói quen nào ở nơi làm việc giúp giảm dùng giấy?",
   ["Chia sẻ và ký văn bản điện tử; chỉ in khi cần",
    "In mọi email ra cho dễ đọc",
    "In mọi bản nháp bằng mực màu cho dễ thấy chỗ sửa",
    "In hai bản mọi thứ cho chắc"])
mc("5.1", 4, "ai troubleshooting",
   "You ask an AI assistant how to fix an error message on your computer. What is good practice?",
   ["Give the exact error text, never passwords, and understand each step",
    "Paste your passwords so that it can sign in and fix things",
    "Run every command it suggests without reading it first",
    "Assume it is a virus, whatever the assistant may say"],
   "Bạn hỏi trợ lý AI cách sửa một thông báo lỗi trên máy tính. Cách làm tốt là gì?",
   ["Đưa đúng nội dung lỗi, không đưa mật khẩu, hiểu từng bước",
    "Dán mật khẩu vào để nó đăng nhập và sửa giúp",
    "Chạy mọi lệnh nó gợi ý mà không cần đọc trước",
    "Mặc định lỗi là do virus, dù trợ lý nói gì đi nữa"],
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

    external = read_estimates(params_from) if params_from else {}

    out_items = []
    ki = 0
    for it, (model, params) in zip(items, gen):
        generating, se = params, None
        if it["id"] in external:
            emodel, params, se = external[it["id"]]
            assert emodel == model, (it["id"], emodel, model)
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
        if it["id"] in external:
            if se:
                meta["se"] = se
            meta["generating"] = generating
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
            "provenance": provenance(calibrated, external_summary(params_from)),
        },
        "items": out_items,
    }
    return bank



def _r(x, nd=4):
    return round(float(x), nd)


def read_estimates(path):
    """Item estimates from `dskill calibrate`: its --params-out CSV, or a bank it wrote.
    Returns {id: (model, params in difficulty form, standard errors or None)}."""
    out = {}
    if path.endswith(".csv"):
        import csv
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                m = row["model"]
                bs = [_r(row[k]) for k in ("b1", "b2", "b3", "b4", "b5") if row.get(k) not in (None, "")]
                sb = [_r(row["se_" + k], 5) for k in ("b1", "b2", "b3", "b4", "b5") if row.get("se_" + k) not in (None, "")]
                p, se = {}, {}
                if m != "pcm":
                    p["a"] = _r(row["a"])
                    if row.get("se_a"):
                        se["a"] = _r(row["se_a"], 5)
                if m in ("1pl", "rasch", "2pl", "3pl", "4pl"):
                    p["b"] = bs[0]
                    if sb:
                        se["b"] = sb[0]
                else:
                    p["b"] = bs
                    if sb:
                        se["b"] = sb
                if m in ("3pl", "4pl"):
                    p["c"] = _r(row["c"])
                    if row.get("se_c"):
                        se["c"] = _r(row["se_c"], 5)
                out[row["item"]] = (m, p, se or None)
    else:
        for e in load_yaml(path)["items"]:
            p = {k: ([_r(x) for x in v] if isinstance(v, list) else _r(v)) for k, v in e["params"].items()}
            out[e["id"]] = (e["model"], p, (e.get("meta") or {}).get("se"))
    return out


def external_summary(params_from):
    """The calibration summary (JSON printed by `dskill calibrate`) kept next to the estimates."""
    if not params_from:
        return None
    import json
    path = os.path.splitext(params_from)[0] + ".json"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    return None


def provenance(calibrated, summary):
    design = ("scripts/simulate_pilot.py simulated 4,000 N(0,1) examinees on a linked booklet design "
              "(item_banks/pilot/digcomp-core-pilot.csv.gz, 1,500 responses per item).")
    if not calibrated:
        return {
            "method": "generating parameters of a simulated pilot (3PL/2PL, GPCM/PCM); not re-estimated",
            "sample": 4000,
            "date": "2026-11-29",
            "data": "simulated",
            "note": ("SIMULATED, not real data. Parameters were drawn by scripts/make_digcomp_bank.py (seed %d) "
                     "to be plausible for each item's intended DigComp level: b near the middle of the level's band "
                     "between the framework cut scores, a in 0.8-2.2, c in 0.15-0.25. %s The parameters shipped are "
                     "the generating values; `dskill calibrate` can re-estimate them from the pilot file. "
                     "See item_banks/README.md." % (SEED, design)),
        }
    fit = ""
    if summary:
        fit = (" Calibration: %d EM iterations, converged %s, log-likelihood %.2f, AIC %.1f, BIC %.1f, %d parameters."
               % (summary["iterations"], str(summary["converged"]).lower(), summary["log_likelihood"],
                  summary["aic"], summary["bic"], summary["parameters"]))
    return {
        "method": ("dskill calibrate: MML-EM (Bock-Aitkin, 61-point quadrature on [-6, 6]), 3PL/2PL and GPCM/PCM "
                   "as written, Beta(5, 17) prior on c, N(0, 1) latent, Oakes standard errors"),
        "sample": 4000,
        "date": "2026-11-29",
        "data": "simulated",
        "note": ("SIMULATED, not real data: no real examinee has answered these items. Generating parameters were "
                 "drawn by scripts/make_digcomp_bank.py (seed %d) to be plausible for each item's intended DigComp "
                 "level (b near the middle of the level's band between the framework cut scores, a in 0.8-2.2, "
                 "c in 0.15-0.25) and are kept in each item's meta.generating. %s The parameters here are the "
                 "dskill calibrate estimates from that pilot (item_banks/pilot/digcomp-core-estimates.csv); "
                 "standard errors are in meta.se.%s See item_banks/README.md." % (SEED, design, fit)),
    }

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
    # the model of every item, for `dskill calibrate --models`
    models = os.path.join(ROOT, "item_banks", "pilot", "digcomp-core-models.yaml")
    with open(models, "w", encoding="utf-8") as f:
        f.write("# model of every item of digcomp-core, for dskill calibrate --models (generated)\n")
        f.write("".join("%s: %s\n" % (e["id"], e["model"]) for e in bank["items"]))
    errs = check(args.out)
    print("wrote %s" % os.path.relpath(args.out, ROOT))
    print("\n".join(errs) if errs else "bank OK (Python checks of SCHEMA.md)")
    print(summary(bank))
    sys.exit(1 if errs else 0)


if __name__ == "__main__":
    main()
