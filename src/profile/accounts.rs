//! Accounts of the HR web dashboard, kept in the profile store (both backends): logins with an
//! Argon2id password hash, a role and the cohorts they may see, and the server-side sessions of
//! signed-in browsers (a random token, stored only as its hash, with a CSRF token and an expiry).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};

use super::{ProfileError, Store};

/// Longest login, in characters.
pub const MAX_LOGIN: usize = 64;
/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// What an account may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// HR: the trainees of their cohorts (all when none is given), their sessions and exports.
    Hr,
    /// A trainer: item analysis and anonymised aggregates; no trainee's name or page.
    Trainer,
}

impl Role {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Hr => "hr",
            Role::Trainer => "trainer",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "hr" => Some(Role::Hr),
            "trainer" => Some(Role::Trainer),
            _ => None,
        }
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Login.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Cohorts it may see (empty: every cohort).
    pub cohorts: Vec<String>,
}

impl User {
    /// Whether this account may see a trainee of `cohort`.
    pub fn sees_cohort(&self, cohort: Option<&str>) -> bool {
        self.cohorts.is_empty() || cohort.is_some_and(|c| self.cohorts.iter().any(|x| x == c))
    }
}

/// A value bound to a statement of [`Store::exec`] or [`Store::query_text`].
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    /// Text.
    Text(&'a str),
    /// An integer.
    Int(i64),
}

fn argon2() -> Argon2<'static> {
    Argon2::default()
}

fn login_ok(login: &str) -> bool {
    !login.is_empty()
        && login.chars().count() <= MAX_LOGIN
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// A hex digest of a session token (the store never holds the token itself).
fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

/// 32 random bytes as hex: session, CSRF and sign-in-form tokens.
pub(crate) fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Adds an account; the password is kept only as its Argon2id hash.
    pub fn add_user(
        &self,
        login: &str,
        password: &str,
        role: Role,
        cohorts: &[String],
        now: i64,
    ) -> Result<(), ProfileError> {
        if !login_ok(login) {
            return Err(ProfileError::InvalidEmployeeId(format!(
                "login `{login}`: letters, digits, `.`, `_`, `-`, `@`, at most {MAX_LOGIN}"
            )));
        }
        if password.chars().count() < MIN_PASSWORD {
            return Err(ProfileError::Empty("a password of at least 10 characters"));
        }
        let salt_bytes: [u8; 16] = rand::random();
        let salt =
            SaltString::encode_b64(&salt_bytes).map_err(|_| ProfileError::Empty("a salt"))?;
        let hash = argon2()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|_| ProfileError::Empty("a password Argon2 can hash"))?
            .to_string();
        if self.user(login)?.is_some() {
            return Err(ProfileError::DuplicateTrainee(format!("login {login}")));
        }
        self.exec(
            "INSERT INTO users (login, hash, role, cohorts, created_unix) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[
                Param::Text(login),
                Param::Text(&hash),
                Param::Text(role.as_str()),
                Param::Text(&cohorts.join("\n")),
                Param::Int(now),
            ],
        )?;
        Ok(())
    }

    /// Every account, by login.
    pub fn users(&self) -> Result<Vec<User>, ProfileError> {
        let rows = self.query_text("SELECT login, role, cohorts FROM users ORDER BY login", &[])?;
        Ok(rows.into_iter().filter_map(user_of).collect())
    }

    /// One account.
    pub fn user(&self, login: &str) -> Result<Option<User>, ProfileError> {
        let rows = self.query_text(
            "SELECT login, role, cohorts FROM users WHERE login = ?1",
            &[Param::Text(login)],
        )?;
        Ok(rows.into_iter().find_map(user_of))
    }

    /// Removes an account and its browser sessions; whether it existed.
    pub fn remove_user(&self, login: &str) -> Result<bool, ProfileError> {
        self.exec(
            "DELETE FROM web_sessions WHERE login = ?1",
            &[Param::Text(login)],
        )?;
        Ok(self.exec("DELETE FROM users WHERE login = ?1", &[Param::Text(login)])? > 0)
    }

    /// The account, when the password is its own.
    pub fn check_password(
        &self,
        login: &str,
        password: &str,
    ) -> Result<Option<User>, ProfileError> {
        let rows = self.query_text(
            "SELECT login, role, cohorts, hash FROM users WHERE login = ?1",
            &[Param::Text(login)],
        )?;
        let Some(row) = rows.into_iter().next() else {
            // The same work as a real check, so that a missing login is not faster to find.
            let _ = PasswordHash::new(DUMMY_HASH)
                .map(|h| argon2().verify_password(password.as_bytes(), &h));
            return Ok(None);
        };
        let hash = row.get(3).cloned().flatten().unwrap_or_default();
        let ok = PasswordHash::new(&hash)
            .is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok());
        Ok(if ok { user_of(row) } else { None })
    }

    /// Opens a browser session for `login` until `now + ttl`: (token for the cookie, CSRF token).
    pub fn open_web_session(
        &self,
        login: &str,
        now: i64,
        ttl: i64,
    ) -> Result<(String, String), ProfileError> {
        self.exec(
            "DELETE FROM web_sessions WHERE expires_unix < ?1",
            &[Param::Int(now)],
        )?;
        let (token, csrf) = (random_hex(), random_hex());
        self.exec(
            "INSERT INTO web_sessions (token_hash, login, csrf, expires_unix) VALUES (?1, ?2, ?3, ?4)",
            &[
                Param::Text(&token_hash(&token)),
                Param::Text(login),
                Param::Text(&csrf),
                Param::Int(now + ttl),
            ],
        )?;
        Ok((token, csrf))
    }

    /// The account and CSRF token of a browser session that has not expired.
    pub fn web_session(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<(User, String)>, ProfileError> {
        let rows = self.query_text(
            "SELECT u.login, u.role, u.cohorts, w.csrf FROM web_sessions w JOIN users u ON u.login = w.login \
             WHERE w.token_hash = ?1 AND w.expires_unix >= ?2",
            &[Param::Text(&token_hash(token)), Param::Int(now)],
        )?;
        Ok(rows.into_iter().next().and_then(|row| {
            let csrf = row.get(3).cloned().flatten()?;
            Some((user_of(row)?, csrf))
        }))
    }

    /// Ends a browser session (sign-out).
    pub fn close_web_session(&self, token: &str) -> Result<(), ProfileError> {
        self.exec(
            "DELETE FROM web_sessions WHERE token_hash = ?1",
            &[Param::Text(&token_hash(token))],
        )?;
        Ok(())
    }

    /// Runs one statement with parameters (`?1`, `?2`… on both backends); rows changed.
    pub fn exec(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, ProfileError> {
        match self {
            Store::Sqlite(s) => s.exec(sql, params),
            Store::Postgres(p) => p.exec(sql, params),
        }
    }

    /// Runs a query whose columns are all text (or NULL).
    pub fn query_text(
        &self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<Vec<Option<String>>>, ProfileError> {
        match self {
            Store::Sqlite(s) => s.query_text(sql, params),
            Store::Postgres(p) => p.query_text(sql, params),
        }
    }
}

/// An Argon2id hash of nothing useful, checked against when a login does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$Hx7Zp9zvWHKZxvHi1WFuQH1UjBzHEbTVmhyy+K4Il6I";

fn user_of(row: Vec<Option<String>>) -> Option<User> {
    let text = |i: usize| row.get(i).cloned().flatten();
    let cohorts = text(2).unwrap_or_default();
    Some(User {
        login: text(0)?,
        role: Role::parse(&text(1)?)?,
        cohorts: cohorts
            .split('\n')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_sign_in_with_their_own_password_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("p.db")).expect("open");
        store
            .add_user("hr.hanoi", "mat-khau-du-dai", Role::Hr, &["K1".into()], 1)
            .expect("added");
        assert!(
            store
                .add_user("hr.hanoi", "mat-khau-khac-1", Role::Hr, &[], 1)
                .is_err()
        );
        assert!(store.add_user("x", "short", Role::Hr, &[], 1).is_err());
        assert!(
            store
                .add_user("bad login", "mat-khau-du-dai", Role::Hr, &[], 1)
                .is_err()
        );
        assert_eq!(
            store
                .check_password("hr.hanoi", "sai-mat-khau!!")
                .expect("q"),
            None
        );
        assert_eq!(
            store
                .check_password("nobody", "mat-khau-du-dai")
                .expect("q"),
            None
        );
        let user = store
            .check_password("hr.hanoi", "mat-khau-du-dai")
            .expect("q")
            .expect("ok");
        assert_eq!(user.cohorts, ["K1"]);
        assert!(
            user.sees_cohort(Some("K1"))
                && !user.sees_cohort(Some("K2"))
                && !user.sees_cohort(None)
        );
        let stored = store.query_text("SELECT hash FROM users", &[]).expect("q");
        assert!(
            stored[0][0]
                .as_deref()
                .is_some_and(|h| h.starts_with("$argon2id$"))
        );
        let (token, csrf) = store
            .open_web_session("hr.hanoi", 100, 60)
            .expect("session");
        let (who, c) = store.web_session(&token, 150).expect("q").expect("live");
        assert_eq!(
            (who.login.as_str(), c.as_str()),
            ("hr.hanoi", csrf.as_str())
        );
        assert_eq!(store.web_session(&token, 161).expect("q"), None, "expired");
        assert_eq!(store.web_session("forged", 150).expect("q"), None);
        store.close_web_session(&token).expect("closed");
        assert_eq!(
            store.web_session(&token, 150).expect("q"),
            None,
            "signed out"
        );
        assert!(store.remove_user("hr.hanoi").expect("removed"));
        assert!(store.users().expect("users").is_empty());
    }
}
