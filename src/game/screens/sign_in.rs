//! Sign-in: pick an existing trainee, or create one (employee id, name — any Unicode — and
//! cohort) in real text fields that accept Vietnamese input.

use bevy::input::keyboard::KeyCode;
use bevy::input_focus::AutoFocus;
use bevy::input_focus::tab_navigation::TabIndex;
use bevy::prelude::*;
use bevy::text::{EditableText, TextCursorStyle};

use super::super::Screen;
use super::super::data::{Settings, SignInForm, SignedIn};
use super::super::store::ProfileStore;
use super::super::strings as s;
use super::super::theme::{palette, widget};
use super::Notices;
use crate::text::Lang;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<SubmitRequested>();
    app.add_systems(OnEnter(Screen::SignIn), spawn_sign_in_screen);
    app.add_systems(
        Update,
        (
            type_into_focused_field,
            sync_fields,
            submit_when_typed,
            submit_on_enter,
        )
            .chain()
            .run_if(in_state(Screen::SignIn)),
    );
}

/// Which form field a text input is.
#[derive(Component, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Field {
    EmployeeId,
    Name,
    Cohort,
}

/// Marks the error line.
#[derive(Component)]
struct ErrorLine;

fn spawn_sign_in_screen(
    mut commands: Commands,
    settings: Res<Settings>,
    store: Res<ProfileStore>,
    notices: Notices,
    mut form: ResMut<SignInForm>,
) -> Result {
    *form = SignInForm::default();
    let lang = settings.lang;
    let trainees = match store.get() {
        Some(r) => r.trainees()?,
        None => Vec::new(),
    };
    commands
        .spawn((
            widget::screen_root(),
            BackgroundColor(palette::BACKGROUND),
            DespawnOnExit(Screen::SignIn),
        ))
        .with_children(|p| {
            p.spawn(widget::heading(s::SIGN_IN_TITLE.get(lang)));
            super::notice_area(p, &notices);
            p.spawn(Node {
                column_gap: px(24),
                flex_grow: 1.0,
                ..default()
            })
            .with_children(|row| {
                pick_panel(row, &trainees, lang);
                create_panel(row, lang);
            });
        });
    Ok(())
}

/// Left: the trainees already in the store, one button each.
fn pick_panel(row: &mut ChildSpawnerCommands, trainees: &[crate::profile::Trainee], lang: Lang) {
    row.spawn(widget::panel(Node {
        width: percent(45),
        ..widget::column()
    }))
    .with_children(|col| {
        col.spawn(widget::label(s::SIGN_IN_PICK.get(lang)));
        if trainees.is_empty() {
            col.spawn(widget::hint(s::SIGN_IN_NONE.get(lang)));
        }
        for t in trainees.iter().take(14) {
            let who = SignedIn {
                employee_id: t.employee_id.clone(),
                name: t.name.clone(),
                cohort: t.cohort.clone(),
            };
            let cohort = t
                .cohort
                .as_deref()
                .map(|c| format!(" · {}", crate::text::display_name(c)))
                .unwrap_or_default();
            col.spawn(widget::button(
                format!("{} — {}{cohort}", t.employee_id, who.shown_name()),
                palette::BUTTON,
            ))
            .observe(
                move |_: On<Pointer<Click>>,
                      mut commands: Commands,
                      mut next: ResMut<NextState<Screen>>| {
                    commands.insert_resource(who.clone());
                    next.set(Screen::Home);
                },
            );
        }
    });
}

/// Right: the new-trainee form (employee id, name, cohort), submit and language.
fn create_panel(row: &mut ChildSpawnerCommands, lang: Lang) {
    row.spawn(widget::panel(Node {
        width: percent(50),
        row_gap: px(8),
        ..widget::column()
    }))
    .with_children(|col| {
        col.spawn(widget::label(s::SIGN_IN_CREATE.get(lang)));
        for (i, (field, title)) in [
            (Field::EmployeeId, s::FIELD_EMPLOYEE_ID),
            (Field::Name, s::FIELD_NAME),
            (Field::Cohort, s::FIELD_COHORT),
        ]
        .into_iter()
        .enumerate()
        {
            col.spawn(widget::hint(title.get(lang)));
            let mut input = col.spawn((
                field,
                Node {
                    width: percent(100),
                    padding: px(6).all(),
                    border: px(2).all(),
                    ..default()
                },
                BorderColor::all(palette::BRAND),
                BackgroundColor(Color::WHITE),
                EditableText {
                    allow_newlines: false,
                    ..default()
                },
                TextLayout::no_wrap(),
                TextFont {
                    font_size: bevy::text::FontSize::Rem(1.1),
                    ..default()
                },
                TextColor(palette::TEXT),
                TextCursorStyle::default(),
                TabIndex(i as i32),
            ));
            if i == 0 {
                input.insert(AutoFocus);
            }
        }
        col.spawn((ErrorLine, widget::text("", 0.9, palette::BAD)));
        col.spawn(widget::button(
            s::SIGN_IN_SUBMIT.get(lang),
            palette::HIGHLIGHT,
        ))
        .observe(|_: On<Pointer<Click>>, mut commands: Commands| {
            commands.run_system_cached(submit)
        });
        col.spawn(widget::button(s::LANG_BUTTON.get(lang), palette::BUTTON))
            .observe(
                |_: On<Pointer<Click>>,
                 mut settings: ResMut<Settings>,
                 mut next: ResMut<NextState<Screen>>| {
                    settings.lang = match settings.lang {
                        Lang::Vi => Lang::En,
                        Lang::En => Lang::Vi,
                    };
                    next.set(Screen::SignIn);
                },
            );
        col.spawn(widget::hint(s::SIGN_IN_HINT.get(lang)));
    });
}

/// Sends typed text (keyboard and IME commits, so Vietnamese input methods work) to the focused
/// text field; Tab moves to the next field.
fn type_into_focused_field(
    mut keys: MessageReader<bevy::input::keyboard::KeyboardInput>,
    mut ime: MessageReader<bevy::window::Ime>,
    focus: Option<ResMut<bevy::input_focus::InputFocus>>,
    mut fields: Query<(Entity, &Field, &mut EditableText)>,
) {
    use bevy::input::keyboard::Key;
    use bevy::text::TextEdit;
    let focused = focus
        .as_ref()
        .and_then(|f| f.get())
        .filter(|e| fields.contains(*e));
    let mut order: Vec<(Entity, Field)> = fields.iter().map(|(e, f, _)| (e, *f)).collect();
    order.sort_by_key(|(_, f)| *f as u8);
    let Some(mut target) = focused.or_else(|| order.first().map(|x| x.0)) else {
        return;
    };
    let mut edits: Vec<(Entity, TextEdit)> = Vec::new();
    for k in keys.read() {
        if k.state != bevy::input::ButtonState::Pressed {
            continue;
        }
        let edit = match &k.logical_key {
            Key::Backspace => Some(TextEdit::Backspace),
            Key::Delete => Some(TextEdit::Delete),
            Key::ArrowLeft => Some(TextEdit::Left(false)),
            Key::ArrowRight => Some(TextEdit::Right(false)),
            Key::Tab => {
                // Keys typed after Tab, even in the same frame, go to the next field.
                let pos = order.iter().position(|(e, _)| *e == target).unwrap_or(0);
                target = order[(pos + 1) % order.len()].0;
                None
            }
            Key::Enter => None,
            // Characters without a key-map entry (e.g. typed by an input method) carry no `text`.
            Key::Character(c) => Some(TextEdit::Insert(
                k.text.clone().unwrap_or_else(|| c.clone()),
            )),
            _ => k.text.clone().map(TextEdit::Insert),
        };
        if let Some(e) = edit {
            edits.push((target, e));
        }
    }
    for e in ime.read() {
        if let bevy::window::Ime::Commit { value, .. } = e {
            edits.push((target, TextEdit::Insert(value.as_str().into())));
        }
    }
    for (entity, edit) in edits {
        if let TextEdit::Insert(t) = &edit
            && t.chars().any(char::is_control)
        {
            continue;
        }
        if let Ok((_, _, mut input)) = fields.get_mut(entity) {
            input.queue_edit(edit);
        }
    }
    if Some(target) != focused
        && let Some(mut focus) = focus
    {
        focus.set(target, bevy::input_focus::FocusCause::Navigated);
    }
}

/// Copies what is typed in the text fields into the form.
fn sync_fields(
    fields: Query<(&Field, &EditableText), Changed<EditableText>>,
    mut form: ResMut<SignInForm>,
) {
    for (field, input) in &fields {
        let value = input.value().to_string();
        match field {
            Field::EmployeeId => form.employee_id = value,
            Field::Name => form.name = value,
            Field::Cohort => form.cohort = value,
        }
    }
}

/// Enter was pressed; the form is submitted once every key typed before it is in the fields.
#[derive(Resource, Default)]
struct SubmitRequested(bool);

/// Enter asks for a submit. It is not done in this frame: the characters typed in the same frame
/// (a fast typist, a badge scanner) are still queued edits, applied later in the frame.
fn submit_on_enter(keys: Res<ButtonInput<KeyCode>>, mut requested: ResMut<SubmitRequested>) {
    if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        requested.0 = true;
    }
}

/// Submits a requested form once no field has an edit waiting, after `sync_fields` copied them.
fn submit_when_typed(
    mut requested: ResMut<SubmitRequested>,
    fields: Query<&EditableText>,
    mut commands: Commands,
) {
    if requested.0 && fields.iter().all(|f| f.pending_edits.is_empty()) {
        requested.0 = false;
        commands.run_system_cached(submit);
    }
}

/// Validates the form, creates the trainee and signs in.
fn submit(
    mut commands: Commands,
    mut form: ResMut<SignInForm>,
    settings: Res<Settings>,
    store: Res<ProfileStore>,
    mut next: ResMut<NextState<Screen>>,
    mut error_line: Query<&mut Text, With<ErrorLine>>,
) {
    let lang = settings.lang;
    let name = form.name.trim().to_owned();
    let cohort = Some(form.cohort.trim().to_owned()).filter(|c| !c.is_empty());
    // The id as stored (` nv1` and `ＮＶ1` are `NV1`), so the session is recorded under it.
    let id = crate::profile::employee_id(&form.employee_id);
    let result =
        match (&id, name.is_empty()) {
            (Err(crate::profile::ProfileError::Empty(_)), _) | (_, true) => {
                Err(s::ERR_ID_NAME_REQUIRED.get(lang).to_owned())
            }
            (Err(_), false) => Err(s::ERR_ID_INVALID.get(lang).to_owned()),
            (Ok(id), false) => match store.get() {
                Some(records) => records
                    .add_trainee(id, &name, cohort.as_deref())
                    .map_err(|e| match e {
                        crate::profile::ProfileError::DuplicateTrainee(_) => {
                            s::ERR_ID_TAKEN.get(lang).to_owned()
                        }
                        other => other.to_string(),
                    }),
                // Without a store the trainee can still practise, clearly marked as not saved.
                None => Ok(()),
            },
        };
    match result {
        Ok(()) => {
            form.error = None;
            commands.insert_resource(SignedIn {
                employee_id: id.unwrap_or_default(),
                name,
                cohort,
            });
            next.set(Screen::Home);
        }
        Err(e) => {
            for mut t in &mut error_line {
                t.0.clone_from(&e);
            }
            form.error = Some(e);
        }
    }
}
