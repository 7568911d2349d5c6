//! Every text of the game's interface, Vietnamese first and English second, in one place.

use crate::scenario::Lang;

/// An interface text in both languages.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Vietnamese.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

impl Ui {
    /// The text in a language.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

macro_rules! ui {
    ($($name:ident = $vi:literal / $en:literal;)*) => {
        $(
            #[doc = $en]
            pub const $name: Ui = Ui { vi: $vi, en: $en };
        )*
    };
}

ui! {
    WINDOW_TITLE = "Care Trainer — Luyện tập chăm sóc khách hàng MobiFone" / "Care Trainer — MobiFone customer-care practice";
    NO_DISPLAY = "không có màn hình để mở cửa sổ trò chơi (chưa đặt DISPLAY hay WAYLAND_DISPLAY); hãy chạy trong phiên làm việc có giao diện — `care-trainer check`, `preview`, `sim`, `trainee` và `report` chạy được không cần màn hình" / "no display to open the game window on (DISPLAY and WAYLAND_DISPLAY are not set); run it in a desktop session — `care-trainer check`, `preview`, `sim`, `trainee` and `report` work without one";
    SIGN_IN_TITLE = "Đăng nhập học viên" / "Trainee sign-in";
    SIGN_IN_PICK = "Chọn học viên đã có" / "Pick an existing trainee";
    SIGN_IN_NONE = "Chưa có học viên nào. Hãy tạo mới bên phải." / "No trainees yet. Create one on the right.";
    SIGN_IN_CREATE = "Tạo học viên mới" / "Create a new trainee";
    FIELD_EMPLOYEE_ID = "Mã nhân viên" / "Employee ID";
    FIELD_NAME = "Họ và tên" / "Full name";
    FIELD_COHORT = "Khóa / lớp (không bắt buộc)" / "Cohort (optional)";
    SIGN_IN_SUBMIT = "Tạo và vào học (Enter)" / "Create and start (Enter)";
    SIGN_IN_HINT = "Tab: chuyển ô · Enter: xác nhận · L: đổi ngôn ngữ" / "Tab: next field · Enter: confirm · L: language";
    ERR_ID_NAME_REQUIRED = "Cần nhập mã nhân viên và họ tên." / "Employee ID and name are required.";
    ERR_ID_INVALID = "Mã nhân viên chỉ gồm chữ cái không dấu, chữ số và dấu - _ . (tối đa 32 ký tự)." / "The employee ID may only hold letters without accents, digits and - _ . (at most 32 characters).";
    ERR_ID_TAKEN = "Mã nhân viên này đã có; hãy chọn tên của mình trong danh sách bên trên." / "This employee ID already exists; pick your name in the list above.";
    STORE_UNAVAILABLE = "Không mở được hồ sơ học viên — kết quả luyện tập sẽ KHÔNG được lưu." / "The profile store could not be opened — practice results will NOT be saved.";
    NOT_SAVED = "Chưa lưu" / "Not saved";
    SAVED = "Đã lưu vào hồ sơ" / "Saved to the profile";
    HOME_TITLE = "Chương trình luyện tập" / "Curriculum";
    HOME_HELLO = "Xin chào" / "Hello";
    HOME_RECOMMENDED = "Nên luyện tiếp" / "Recommended next";
    HOME_BEST = "Điểm cao nhất" / "Best grade";
    HOME_NOT_PLAYED = "Chưa chơi" / "Not played";
    HOME_DIFFICULTY = "Độ khó" / "Difficulty";
    HOME_HINT = "Phím mũi tên: chọn · Enter: bắt đầu · M: chế độ · P: tiến độ · L: ngôn ngữ · Esc: đổi học viên" / "Arrow keys: select · Enter: start · M: mode · P: progress · L: language · Esc: change trainee";
    MODE_PRACTICE = "Chế độ: Luyện tập (có gợi ý, phản hồi ngay)" / "Mode: Practice (hints, instant feedback)";
    MODE_ASSESSMENT = "Chế độ: Đánh giá (không gợi ý, phản hồi cuối phiên)" / "Mode: Assessment (no hints, feedback at the end)";
    PROGRESS_BUTTON = "Tiến độ (P)" / "Progress (P)";
    LANG_BUTTON = "English (L)" / "Tiếng Việt (L)";
    MODE_BUTTON = "Đổi chế độ (M)" / "Switch mode (M)";
    SCENARIO_ERRORS = "Kịch bản vừa sửa có lỗi — đang dùng bản hợp lệ gần nhất:" / "The edited scenarios have errors — the last good version stays in use:";
    SCENARIOS_RELOADED = "Đã nạp lại kịch bản." / "Scenarios reloaded.";
    CUSTOMER = "Khách hàng" / "Customer";
    YOU = "Bạn" / "You";
    AGE = "tuổi" / "years old";
    TENURE = "Gắn bó" / "Tenure";
    MONTHS = "tháng" / "months";
    LINES = "thuê bao" / "lines";
    REASON = "Lý do" / "Reason";
    REASON_HIDDEN = "(chưa rõ — hãy tìm hiểu)" / "(not known yet — find out)";
    MOOD = "Tâm trạng" / "Mood";
    CLOCK = "Đồng hồ" / "Clock";
    MINUTES = "phút" / "min";
    DEADLINE_LEFT = "Còn lại trong hạn 2 giờ" / "Left of the 2-hour window";
    DEADLINE_MISSED = "Đã quá hạn 2 giờ!" / "The 2-hour window has passed!";
    STEPS = "Các bước kịch bản" / "Script steps";
    FEEDBACK = "Phản hồi" / "Feedback";
    CHOOSE_HINT = "Phím 1–9 để chọn · Esc: tạm dừng" / "Keys 1–9 to choose · Esc: pause";
    PAUSED = "Tạm dừng — Enter: tiếp tục · Esc: bỏ phiên, về trang chủ" / "Paused — Enter: resume · Esc: abandon, back home";
    CALL_ENDED = "Cuộc gọi kết thúc — Enter: xem kết quả" / "The call has ended — Enter: see the debrief";
    DEBRIEF_TITLE = "Kết quả" / "Debrief";
    GRADE = "Điểm" / "Grade";
    PASS = "ĐẠT" / "PASS";
    FAIL = "CHƯA ĐẠT" / "FAIL";
    OUTCOME = "Kết cục" / "Outcome";
    COMMITMENTS = "8 cam kết (so với mức tốt nhất đạt được)" / "The 8 commitments (vs the best reachable)";
    NOT_SCORED = "không chấm trong kịch bản này" / "not scored in this scenario";
    VIOLATIONS = "Vi phạm" / "Violations";
    NO_VIOLATIONS = "Không có vi phạm." / "No violations.";
    EACH_CHOICE = "Từng lựa chọn" / "Each choice";
    LEGAL_BASIS = "Căn cứ" / "Legal basis";
    MODEL_ANSWER = "Câu mẫu" / "Model answer";
    TURN = "Lượt" / "Turn";
    STEP_DONE = "Đã làm" / "Done";
    STEP_LATE = "Sai thứ tự" / "Out of order";
    STEP_MISSED = "Bỏ sót" / "Missed";
    OPTIONAL = "tùy chọn" / "optional";
    REPLAY_SAME = "Chơi lại cùng khách (R)" / "Replay the same customer (R)";
    NEW_CUSTOMER = "Khách hàng mới (N)" / "New customer (N)";
    BACK_HOME = "Về trang chủ (Enter)" / "Back home (Enter)";
    PROGRESS_TITLE = "Tiến độ học tập" / "Progress";
    MASTERY = "Mức thành thạo theo cam kết" / "Mastery per commitment";
    HISTORY = "Lịch sử phiên" / "Session history";
    SESSIONS = "phiên" / "sessions";
    NO_HISTORY = "Chưa có phiên nào được lưu." / "No saved sessions yet.";
    TREND = "Xu hướng điểm (mới nhất bên phải)" / "Grade trend (latest on the right)";
    BACK = "Quay lại (Esc)" / "Back (Esc)";
    SCROLL_HINT = "Cuộn chuột hoặc PageUp/PageDown để xem thêm" / "Scroll or PageUp/PageDown for more";
}
