//! Widget constructors: each returns a bundle to spawn or to put in `children![]`.

use bevy::prelude::*;
use bevy::text::FontSize;

use super::palette;

/// Text of a size (in rem, so it scales with the window) and colour.
pub fn text(s: impl Into<String>, rem: f32, color: Color) -> impl Bundle {
    (
        Text::new(s.into()),
        TextFont {
            font_size: FontSize::Rem(rem),
            ..default()
        },
        TextColor(color),
    )
}

/// A heading.
pub fn heading(s: impl Into<String>) -> impl Bundle {
    text(s, 1.6, palette::BRAND)
}

/// Body text.
pub fn label(s: impl Into<String>) -> impl Bundle {
    text(s, 1.0, palette::TEXT)
}

/// Small secondary text.
pub fn hint(s: impl Into<String>) -> impl Bundle {
    text(s, 0.85, palette::MUTED)
}

/// A full-window screen root, in a column.
pub fn screen_root() -> Node {
    Node {
        width: percent(100),
        height: percent(100),
        flex_direction: FlexDirection::Column,
        padding: px(16).all(),
        row_gap: px(10),
        ..default()
    }
}

/// A white panel with rounded corners, laid out by `node`.
pub fn panel(node: Node) -> (Node, BackgroundColor) {
    panel_colored(node, palette::PANEL)
}

/// A panel of another colour.
pub fn panel_colored(node: Node, color: Color) -> (Node, BackgroundColor) {
    (
        Node {
            border_radius: BorderRadius::all(px(8)),
            ..node
        },
        BackgroundColor(color),
    )
}

/// A padded column (the usual panel layout).
pub fn column() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        padding: px(12).all(),
        row_gap: px(6),
        ..default()
    }
}

/// A button face with a label; the caller adds an observer for clicks.
pub fn button(label_text: impl Into<String>, color: Color) -> impl Bundle {
    (
        Button,
        Node {
            padding: UiRect::axes(px(14), px(8)),
            border_radius: BorderRadius::all(px(6)),
            justify_content: JustifyContent::FlexStart,
            ..default()
        },
        BackgroundColor(color),
        children![text(label_text, 1.0, palette::TEXT)],
    )
}

/// A horizontal bar: `fraction` of the track filled with `color`.
pub fn bar(fraction: f32, color: Color, width_px: f32) -> impl Bundle {
    (
        Node {
            width: px(width_px),
            height: px(12),
            border_radius: BorderRadius::all(px(3)),
            ..default()
        },
        BackgroundColor(palette::TRACK),
        children![(
            Node {
                width: percent(100.0 * fraction.clamp(0.0, 1.0)),
                height: percent(100),
                border_radius: BorderRadius::all(px(3)),
                ..default()
            },
            BackgroundColor(color),
        )],
    )
}

/// One commitment's row: its id, a bar coloured against the pass mark (when it has a value), and a
/// caption. Used by the debrief (score vs best) and the progress screen (mastery).
pub fn commitment_row(
    col: &mut ChildSpawnerCommands,
    id: &str,
    percent: Option<u32>,
    pass: u32,
    bar_width: f32,
    caption: String,
) {
    col.spawn(Node {
        column_gap: px(8),
        align_items: AlignItems::Center,
        ..default()
    })
    .with_children(|line| {
        line.spawn((
            Node {
                width: px(44),
                ..default()
            },
            children![label(id.to_owned())],
        ));
        if let Some(p) = percent {
            line.spawn(bar(p as f32 / 100.0, palette::score(p, pass), bar_width));
        }
        line.spawn(hint(caption));
    });
}
