//! What the dashboard's pages read, kept between requests: every trainee, their sessions (bots
//! left out) and their mastery. The first request reads the store once; each later one reads only
//! the sessions recorded since (by id) and the trainee list, and recomputes the mastery of the
//! trainees who have new sessions. A company of 10,000 trainees × 50 sessions is read once, not
//! on every page. Every [`FULL_READ_EVERY`] the whole store is read again, so that a session
//! removed or repaired by an administrator is not shown for longer than that.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::profile::{Filter, Mastery, ProfileError, Store, StoredSession, Trainee};
use crate::rulebook::Rulebook;

/// How often the whole store is read again.
pub const FULL_READ_EVERY: Duration = Duration::from_secs(600);

/// A consistent picture of the store.
#[derive(Debug, Default)]
pub struct View {
    /// Highest session id seen.
    pub last_id: i64,
    /// Every trainee, by employee id.
    pub trainees: Vec<Trainee>,
    /// Each trainee's sessions (not bots'), oldest first. Shared between views: an update copies
    /// the map of pointers, not the sessions.
    pub sessions: HashMap<String, Arc<Vec<StoredSession>>>,
    /// Each trainee's mastery per commitment.
    pub mastery: HashMap<String, Arc<Vec<Mastery>>>,
}

/// The cache.
#[derive(Debug, Default)]
pub struct Cache {
    current: Mutex<Option<(Arc<View>, Instant)>>,
}

impl Cache {
    /// The view, brought up to date with the store.
    pub fn view(&self, store: &Store, rb: &Rulebook) -> Result<Arc<View>, ProfileError> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let fresh = match current.as_ref() {
            Some((view, at)) if at.elapsed() < FULL_READ_EVERY => update(view, store, rb)?,
            _ => (Arc::new(full(store, rb)?), Instant::now()),
        };
        let view = fresh.0.clone();
        *current = Some(fresh);
        Ok(view)
    }
}

/// Each trainee's new sessions (bots' left out), by employee id.
fn by_trainee(sessions: Vec<StoredSession>) -> HashMap<String, Vec<StoredSession>> {
    let mut out: HashMap<String, Vec<StoredSession>> = HashMap::new();
    for s in sessions.into_iter().filter(|s| !s.bot) {
        out.entry(s.employee_id.to_string()).or_default().push(s);
    }
    out
}

fn full(store: &Store, rb: &Rulebook) -> Result<View, ProfileError> {
    let records = store.records(&Filter::default())?;
    let last_id = records.sessions.iter().map(|s| s.id).max().unwrap_or(0);
    let sessions: HashMap<String, Arc<Vec<StoredSession>>> = by_trainee(records.sessions)
        .into_iter()
        .map(|(id, v)| (id, Arc::new(v)))
        .collect();
    let mastery = sessions
        .iter()
        .map(|(id, s)| (id.clone(), Arc::new(crate::profile::mastery(s, rb))))
        .collect();
    Ok(View {
        last_id,
        trainees: records.trainees,
        sessions,
        mastery,
    })
}

/// The view with the sessions recorded since, and the trainee list read again.
fn update(
    view: &Arc<View>,
    store: &Store,
    rb: &Rulebook,
) -> Result<(Arc<View>, Instant), ProfileError> {
    let new = store.sessions_since(view.last_id)?;
    let trainees = store.trainees()?;
    let at = Instant::now();
    if new.is_empty() && trainees == view.trainees {
        return Ok((view.clone(), at));
    }
    let mut next = View {
        last_id: new
            .iter()
            .map(|s| s.id)
            .max()
            .unwrap_or(view.last_id)
            .max(view.last_id),
        trainees,
        sessions: view.sessions.clone(),
        mastery: view.mastery.clone(),
    };
    for (who, fresh) in by_trainee(new) {
        let mut list: Vec<StoredSession> = next
            .sessions
            .get(&who)
            .map(|v| v.as_ref().clone())
            .unwrap_or_default();
        list.extend(fresh);
        list.sort_by_key(|s| (s.finished, s.id));
        next.mastery
            .insert(who.clone(), Arc::new(crate::profile::mastery(&list, rb)));
        next.sessions.insert(who, Arc::new(list));
    }
    Ok((Arc::new(next), at))
}
