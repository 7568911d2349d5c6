//! Look and feel: the palette, the Vietnamese-capable font, text that scales with the window,
//! and small widget constructors.

pub mod palette;
pub mod widget;

use bevy::prelude::*;
use bevy::text::RemSize;
use bevy::window::PrimaryWindow;

/// Noto Sans (OFL, assets/fonts/OFL.txt): Bevy's built-in font has no Vietnamese glyphs.
const FONT_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
/// The window height the layout is designed for; text scales with the actual height.
const DESIGN_HEIGHT: f32 = 768.0;
/// 1 rem at the design height, in logical pixels.
const BASE_REM: f32 = 16.0;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, scale_text_with_window);
}

/// Installs Noto Sans as the default font (needs the text plugin, so not in headless tests).
pub fn font_plugin(app: &mut App) {
    if let Some(mut fonts) = app
        .world_mut()
        .get_resource_mut::<Assets<bevy::text::Font>>()
    {
        let _ = fonts.insert(
            AssetId::default(),
            bevy::text::Font::from_bytes(FONT_REGULAR.to_vec()),
        );
    }
    app.add_systems(Startup, |mut commands: Commands| {
        commands.spawn(Camera2d);
    });
}

fn scale_text_with_window(
    window: Query<&Window, (With<PrimaryWindow>, Changed<Window>)>,
    rem: Option<ResMut<RemSize>>,
) {
    let (Ok(window), Some(mut rem)) = (window.single(), rem) else {
        return;
    };
    let h = window.resolution.height().max(200.0);
    let target = (BASE_REM * h / DESIGN_HEIGHT).clamp(10.0, 40.0);
    if (rem.0 - target).abs() > 0.1 {
        rem.0 = target;
    }
}
