//! Care Trainer: a role-play training simulator and assessment tool for MobiFone customer-care
//! staff.
//!
//! The domain modules never name Bevy: RON text → [`scenario::Scenario`] (validated) →
//! [`customer::Customer::generate`] → [`dialogue::Session`] → [`scoring::Scorecard`].
//! The Bevy front end lives in `game` (feature `gui`); the command line in [`cli`].

#![warn(missing_docs)]

pub mod cli;
pub mod clock;
pub mod customer;
pub mod dialogue;
pub mod explore;
#[cfg(feature = "gui")]
pub mod game;
pub mod profile;
pub mod report;
pub mod rulebook;
pub mod scenario;
pub mod scoring;
pub mod text;
pub mod web;
