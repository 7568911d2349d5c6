//! Integration tests through the public API and the real binary.

mod check;
mod cli;
mod engine;
mod profile;
mod report;
mod support;
mod validity;
