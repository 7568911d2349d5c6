//! The seeded customer generator: persona, honorific, plan, segment, starting mood, reason and a
//! hidden willingness to stay — all drawn from one ChaCha RNG, so a seed gives the same customer
//! on every machine and every run.
//!
//! Main types: [`Customer`] (from [`Customer::generate`]) and [`MoodBand`].

use crate::text::Ui;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::scenario::model::{ReasonIdx, Scenario, Segment};

/// Gender, which with the age band decides the honorific.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

/// Age band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBand {
    /// A school student, 15–17 (addressed as "em").
    Young,
    /// 18–44 (anh / chị).
    Adult,
    /// 45–59 (chú / cô).
    Middle,
    /// 60 and over (bác).
    Senior,
}

/// How staff address the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Honorific {
    /// A man of working age.
    Anh,
    /// A woman of working age.
    Chi,
    /// A woman of the staff's parents' age.
    Co,
    /// A man of the staff's parents' age.
    Chu,
    /// An elderly customer.
    Bac,
    /// A young student.
    Em,
}

impl Honorific {
    /// The right honorific for a gender and age band.
    pub fn for_person(gender: Gender, age: AgeBand) -> Honorific {
        match (age, gender) {
            (AgeBand::Young, _) => Honorific::Em,
            (AgeBand::Adult, Gender::Male) => Honorific::Anh,
            (AgeBand::Adult, Gender::Female) => Honorific::Chi,
            (AgeBand::Middle, Gender::Male) => Honorific::Chu,
            (AgeBand::Middle, Gender::Female) => Honorific::Co,
            (AgeBand::Senior, _) => Honorific::Bac,
        }
    }

    /// The word, lower case.
    pub fn word(self) -> &'static str {
        match self {
            Honorific::Anh => "anh",
            Honorific::Chi => "chị",
            Honorific::Co => "cô",
            Honorific::Chu => "chú",
            Honorific::Bac => "bác",
            Honorific::Em => "em",
        }
    }

    /// A wrong, disrespectful or too casual way to address this customer (used by wrong answers).
    pub fn wrong_word(self, gender: Gender) -> &'static str {
        match (self, gender) {
            (Honorific::Em, Gender::Male) => "ông",
            (Honorific::Em, Gender::Female) => "bà",
            _ => "bạn",
        }
    }
}

/// Prepaid or postpaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Trả trước.
    Prepaid,
    /// Trả sau.
    Postpaid,
}

impl Plan {
    /// Label.
    pub fn label(self) -> Ui {
        match self {
            Plan::Prepaid => Ui::new("Trả trước", "Prepaid"),
            Plan::Postpaid => Ui::new("Trả sau", "Postpaid"),
        }
    }
}

/// Named mood bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MoodBand {
    /// 0–19.
    GianDu,
    /// 20–39.
    BucTuc,
    /// 40–54.
    KhoChiu,
    /// 55–74.
    BinhThuong,
    /// 75–100.
    VuiVe,
}

impl MoodBand {
    /// The band of a mood value.
    pub fn of(mood: i32) -> MoodBand {
        match mood {
            i32::MIN..=19 => MoodBand::GianDu,
            20..=39 => MoodBand::BucTuc,
            40..=54 => MoodBand::KhoChiu,
            55..=74 => MoodBand::BinhThuong,
            _ => MoodBand::VuiVe,
        }
    }

    /// Label.
    pub fn label(self) -> Ui {
        match self {
            MoodBand::GianDu => Ui::new("giận dữ", "furious"),
            MoodBand::BucTuc => Ui::new("bực tức", "angry"),
            MoodBand::KhoChiu => Ui::new("khó chịu", "annoyed"),
            MoodBand::BinhThuong => Ui::new("bình thường", "neutral"),
            MoodBand::VuiVe => Ui::new("vui vẻ", "happy"),
        }
    }
}

/// An enterprise account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// Company name.
    pub name: String,
    /// Number of lines.
    pub lines: u32,
}

/// A simulated customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The seed it was drawn from.
    pub seed: u64,
    /// Full name, family name first.
    pub full_name: String,
    /// Given name (used with the honorific: "anh Hùng").
    pub given_name: String,
    /// Gender.
    pub gender: Gender,
    /// Age band.
    pub age: AgeBand,
    /// Age in years.
    pub age_years: u32,
    /// The right honorific.
    pub honorific: Honorific,
    /// Plan.
    pub plan: Plan,
    /// Months with MobiFone.
    pub tenure_months: u32,
    /// Monthly spend, thousand VND.
    pub monthly_spend_k: u32,
    /// Inside a commitment programme.
    pub in_commitment: bool,
    /// Segment (from the scenario).
    pub segment: Segment,
    /// The account, when enterprise.
    pub company: Option<Company>,
    /// Province (after the 2025 merger).
    pub province: &'static str,
    /// Starting mood, 0–100.
    pub mood: i32,
    /// Reason for complaining or porting out, when the scenario has reasons.
    pub reason: Option<ReasonIdx>,
    /// Hidden willingness to stay, 0–100.
    pub willingness: i32,
    /// The competitor the customer mentions.
    pub competitor: String,
    /// The customer's phone number.
    pub phone: String,
}

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE_M: &[&str] = &[
    "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân",
];
const MIDDLE_F: &[&str] = &[
    "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương",
];
const GIVEN_M: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Phong", "Sơn", "Khánh", "Bình", "Quân", "Trung",
    "Thắng", "Việt",
];
const GIVEN_F: &[&str] = &[
    "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Thảo", "Ngọc", "Hằng", "Yến", "Phương", "Hà",
    "Nhung", "Vân",
];
const PROVINCES: &[&str] = &[
    "Hà Nội",
    "TP. Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "Huế",
    "Quảng Ninh",
    "Nghệ An",
    "Thanh Hóa",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đồng Nai",
    "An Giang",
    "Đắk Lắk",
    "Gia Lai",
    "Bắc Ninh",
    "Thái Nguyên",
    "Tây Ninh",
];
const COMPANIES: &[&str] = &[
    "Công ty TNHH Thương mại Minh Phát",
    "Công ty Cổ phần Vận tải Sao Việt",
    "Công ty TNHH Bao bì Hưng Thịnh",
    "Công ty Cổ phần Dược phẩm An Khang",
    "Công ty TNHH Logistics Đông Dương",
    "Công ty Cổ phần Xây dựng Phú Gia",
    "Công ty TNHH Điện tử Tân Tiến",
    "Công ty Cổ phần Thực phẩm Sông Hồng",
];
/// MobiFone prefixes (content brief §0).
const PREFIXES: &[&str] = &["090", "093", "089", "070", "076", "077", "078", "079"];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Index drawn by weight; `None` when all weights are 0 or there are none.
fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> Option<usize> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return None;
    }
    let mut x = rng.random_range(0..total);
    for (i, &w) in weights.iter().enumerate() {
        if x < u64::from(w) {
            return Some(i);
        }
        x -= u64::from(w);
    }
    None
}

fn range(rng: &mut ChaCha8Rng, (lo, hi): (i32, i32)) -> i32 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

impl Customer {
    /// Draws the customer of `scenario` for `seed`.
    pub fn generate(scenario: &Scenario, seed: u64) -> Customer {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = &scenario.customer;
        let gender = if rng.random_bool(0.5) {
            Gender::Male
        } else {
            Gender::Female
        };
        let ages = if scenario.segment == Segment::Enterprise {
            // An enterprise contact is an adult.
            [0, p.ages[1].max(1), p.ages[2], p.ages[3]]
        } else {
            p.ages
        };
        let age = match weighted(&mut rng, &ages) {
            Some(0) => AgeBand::Young,
            Some(2) => AgeBand::Middle,
            Some(3) => AgeBand::Senior,
            _ => AgeBand::Adult,
        };
        let age_years: u32 = match age {
            AgeBand::Young => rng.random_range(15..=17),
            AgeBand::Adult => rng.random_range(18..=44),
            AgeBand::Middle => rng.random_range(45..=59),
            AgeBand::Senior => rng.random_range(60..=80),
        };
        let family = *pick(&mut rng, FAMILY);
        let (middle, given) = match gender {
            Gender::Male => (*pick(&mut rng, MIDDLE_M), *pick(&mut rng, GIVEN_M)),
            Gender::Female => (*pick(&mut rng, MIDDLE_F), *pick(&mut rng, GIVEN_F)),
        };
        // "Minh Minh" is not a name: fall back to the most common middle name.
        let middle = if middle == given {
            if gender == Gender::Male {
                "Văn"
            } else {
                "Thị"
            }
        } else {
            middle
        };
        let plan =
            if rng.random_range(0..100) < p.postpaid || scenario.segment == Segment::Enterprise {
                Plan::Postpaid
            } else {
                Plan::Prepaid
            };
        let max_tenure = (age_years.saturating_sub(14) * 12).max(7);
        let tenure_months = rng.random_range(6..=max_tenure.min(360));
        let monthly_spend_k = match plan {
            Plan::Prepaid => rng.random_range(5..=40) * 10,
            Plan::Postpaid => rng.random_range(10..=100) * 10,
        };
        let in_commitment = rng.random_range(0..100) < p.in_commitment;
        let company = (scenario.segment == Segment::Enterprise).then(|| Company {
            name: (*pick(&mut rng, COMPANIES)).to_owned(),
            lines: rng.random_range(8..=400),
        });
        let province = *pick(&mut rng, PROVINCES);
        let mood = range(&mut rng, p.mood).clamp(0, 100);
        let weights: Vec<u32> = p.reasons.iter().map(|r| r.weight).collect();
        let reason = weighted(&mut rng, &weights).map(|i| ReasonIdx(i as u16));
        let willingness = range(&mut rng, p.willingness).clamp(0, 100);
        let competitor = pick(&mut rng, &p.competitors).clone();
        let phone = format!(
            "{}{:07}",
            pick(&mut rng, PREFIXES),
            rng.random_range(0..10_000_000u32)
        );
        Customer {
            seed,
            full_name: format!("{family} {middle} {given}"),
            given_name: given.to_owned(),
            gender,
            age,
            age_years,
            honorific: Honorific::for_person(gender, age),
            plan,
            tenure_months,
            monthly_spend_k,
            in_commitment,
            segment: scenario.segment,
            company,
            province,
            mood,
            reason,
            willingness,
            competitor,
            phone,
        }
    }

    /// "anh Hùng", "cô Lan", "bác Hoa".
    pub fn address(&self) -> String {
        format!("{} {}", self.honorific.word(), self.given_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honorific_follows_gender_and_age() {
        assert_eq!(
            Honorific::for_person(Gender::Male, AgeBand::Adult),
            Honorific::Anh
        );
        assert_eq!(
            Honorific::for_person(Gender::Female, AgeBand::Middle),
            Honorific::Co
        );
        assert_eq!(
            Honorific::for_person(Gender::Male, AgeBand::Senior),
            Honorific::Bac
        );
        assert_eq!(
            Honorific::for_person(Gender::Female, AgeBand::Young),
            Honorific::Em
        );
    }

    #[test]
    fn mood_bands_cover_the_scale() {
        assert_eq!(MoodBand::of(0), MoodBand::GianDu);
        assert_eq!(MoodBand::of(39), MoodBand::BucTuc);
        assert_eq!(MoodBand::of(55), MoodBand::BinhThuong);
        assert_eq!(MoodBand::of(100), MoodBand::VuiVe);
    }
}
