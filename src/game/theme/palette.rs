//! Colours (MobiFone-like blue on light grey; mood colours from red to green).

use bevy::prelude::*;

/// Page background.
pub const BACKGROUND: Color = Color::srgb(0.95, 0.96, 0.98);
/// Panels.
pub const PANEL: Color = Color::WHITE;
/// Main text.
pub const TEXT: Color = Color::srgb(0.10, 0.12, 0.18);
/// Secondary text.
pub const MUTED: Color = Color::srgb(0.40, 0.44, 0.52);
/// Brand blue (headings, primary buttons).
pub const BRAND: Color = Color::srgb(0.0, 0.36, 0.71);
/// Button face.
pub const BUTTON: Color = Color::srgb(0.88, 0.92, 0.98);
/// Highlight (recommended scenario, selection).
pub const HIGHLIGHT: Color = Color::srgb(1.0, 0.93, 0.70);
/// A recommended scenario's card.
pub const RECOMMENDED: Color = Color::srgb(1.0, 0.97, 0.85);
/// Good.
pub const GOOD: Color = Color::srgb(0.13, 0.55, 0.25);
/// Bad.
pub const BAD: Color = Color::srgb(0.78, 0.16, 0.16);
/// Warning.
pub const WARN: Color = Color::srgb(0.85, 0.50, 0.05);
/// Bar track.
pub const TRACK: Color = Color::srgb(0.86, 0.88, 0.92);

/// The colour of a mood value 0–100.
pub fn mood(value: i32) -> Color {
    match crate::customer::MoodBand::of(value) {
        crate::customer::MoodBand::GianDu => Color::srgb(0.80, 0.12, 0.12),
        crate::customer::MoodBand::BucTuc => Color::srgb(0.90, 0.40, 0.10),
        crate::customer::MoodBand::KhoChiu => Color::srgb(0.92, 0.70, 0.10),
        crate::customer::MoodBand::BinhThuong => Color::srgb(0.45, 0.65, 0.30),
        crate::customer::MoodBand::VuiVe => Color::srgb(0.15, 0.60, 0.30),
    }
}

/// The colour of a percentage against a pass mark.
pub fn score(percent: u32, pass: u32) -> Color {
    if percent >= pass {
        GOOD
    } else if percent + 15 >= pass {
        WARN
    } else {
        BAD
    }
}
