//! The dashboard's words, Vietnamese first; a page takes them in the language asked for.

use crate::text::{Lang, Ui};
use crate::ui;

ui! {
    TITLE = "Care Trainer — Bảng theo dõi đào tạo" / "Care Trainer — Training dashboard";
    LOGIN = "Tên đăng nhập" / "Login";
    PASSWORD = "Mật khẩu" / "Password";
    SIGN_IN = "Đăng nhập" / "Sign in";
    SIGN_OUT = "Đăng xuất" / "Sign out";
    WRONG_PASSWORD = "Sai tên đăng nhập hoặc mật khẩu." / "Wrong login or password.";
    SIGN_IN_FIRST = "Vui lòng đăng nhập để xem trang này." / "Please sign in to see this page.";
    FORBIDDEN = "Tài khoản của bạn không được xem trang này." / "Your account may not see this page.";
    NOT_FOUND = "Không tìm thấy trang này." / "This page does not exist.";
    FAILED = "Có lỗi khi đọc dữ liệu; hãy thử lại sau." / "The data could not be read; try again later.";
    COHORTS = "Các nhóm học viên" / "Cohorts";
    COHORT = "Nhóm" / "Cohort";
    NO_COHORT = "(chưa có nhóm)" / "(no cohort)";
    TRAINEES = "Học viên" / "Trainees";
    SESSIONS = "Số phiên" / "Sessions";
    PASS_RATE = "Tỉ lệ đạt" / "Pass rate";
    MASTERY = "Mức thành thạo 8 cam kết" / "Mastery of the 8 commitments";
    SCENARIOS = "Kịch bản — phân tích câu hỏi" / "Scenarios — item analysis";
    EXPORTS = "Xuất dữ liệu" / "Exports";
    TREND = "Điểm qua các phiên" / "Grades over sessions";
    NEXT = "Gợi ý luyện tiếp" / "Recommended next";
    NOTHING_NEXT = "Đã thành thạo mọi cam kết." / "Every commitment is proficient.";
    GRADE = "Điểm" / "Grade";
    RESULT = "Kết quả" / "Result";
    PASS = "Đạt" / "Pass";
    FAIL = "Chưa đạt" / "Fail";
    DATE = "Ngày" / "Date";
    SCENARIO = "Kịch bản" / "Scenario";
    DEBRIEF = "Diễn biến phiên" / "Session debrief";
    FEEDBACK = "Nhận xét" / "Feedback";
    MODEL_ANSWER = "Câu mẫu" / "Model answer";
    LEGAL_BASIS = "Căn cứ" / "Legal basis";
    NODE = "Điểm lựa chọn" / "Choice point";
    REACHED = "Số lượt" / "Responses";
    DIFFICULTY = "Độ khó p" / "Difficulty p";
    DISCRIMINATION = "Độ phân biệt" / "Discrimination";
    OPTION = "Phương án" / "Option";
    SHARE = "Tỉ lệ chọn" / "Chosen by";
    FLAGS = "Cảnh báo" / "Flags";
    PROVISIONAL = "tạm tính (dưới 50 lượt)" / "provisional (under 50 responses)";
    ANONYMOUS = "Số liệu tổng hợp, không hiện tên học viên." / "Aggregates only; no trainee is named.";
    OTHER_LANG = "English" / "Tiếng Việt";
}

/// The words of one language, as the templates read them.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub other_lang_code: &'static str,
    pub title: &'static str,
    pub login: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub wrong_password: &'static str,
    pub sign_in_first: &'static str,
    pub forbidden: &'static str,
    pub not_found: &'static str,
    pub failed: &'static str,
    pub cohorts: &'static str,
    pub cohort: &'static str,
    pub no_cohort: &'static str,
    pub trainees: &'static str,
    pub sessions: &'static str,
    pub pass_rate: &'static str,
    pub mastery: &'static str,
    pub scenarios: &'static str,
    pub exports: &'static str,
    pub trend: &'static str,
    pub next: &'static str,
    pub nothing_next: &'static str,
    pub grade: &'static str,
    pub result: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub date: &'static str,
    pub scenario: &'static str,
    pub debrief: &'static str,
    pub feedback: &'static str,
    pub model_answer: &'static str,
    pub legal_basis: &'static str,
    pub node: &'static str,
    pub reached: &'static str,
    pub difficulty: &'static str,
    pub discrimination: &'static str,
    pub option: &'static str,
    pub share: &'static str,
    pub flags: &'static str,
    pub provisional: &'static str,
    pub anonymous: &'static str,
}

/// The words in `lang`.
pub fn words(lang: Lang) -> Words {
    let g = |u: Ui| u.get(lang);
    Words {
        lang: if lang == Lang::En { "en" } else { "vi" },
        other_lang: g(OTHER_LANG),
        other_lang_code: if lang == Lang::En { "vi" } else { "en" },
        title: g(TITLE),
        login: g(LOGIN),
        password: g(PASSWORD),
        sign_in: g(SIGN_IN),
        sign_out: g(SIGN_OUT),
        wrong_password: g(WRONG_PASSWORD),
        sign_in_first: g(SIGN_IN_FIRST),
        forbidden: g(FORBIDDEN),
        not_found: g(NOT_FOUND),
        failed: g(FAILED),
        cohorts: g(COHORTS),
        cohort: g(COHORT),
        no_cohort: g(NO_COHORT),
        trainees: g(TRAINEES),
        sessions: g(SESSIONS),
        pass_rate: g(PASS_RATE),
        mastery: g(MASTERY),
        scenarios: g(SCENARIOS),
        exports: g(EXPORTS),
        trend: g(TREND),
        next: g(NEXT),
        nothing_next: g(NOTHING_NEXT),
        grade: g(GRADE),
        result: g(RESULT),
        pass: g(PASS),
        fail: g(FAIL),
        date: g(DATE),
        scenario: g(SCENARIO),
        debrief: g(DEBRIEF),
        feedback: g(FEEDBACK),
        model_answer: g(MODEL_ANSWER),
        legal_basis: g(LEGAL_BASIS),
        node: g(NODE),
        reached: g(REACHED),
        difficulty: g(DIFFICULTY),
        discrimination: g(DISCRIMINATION),
        option: g(OPTION),
        share: g(SHARE),
        flags: g(FLAGS),
        provisional: g(PROVISIONAL),
        anonymous: g(ANONYMOUS),
    }
}
