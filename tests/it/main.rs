//! Integration tests through the public API and the real binary.

mod browser;
mod central;
mod check;
mod cli;
mod engine;
mod fuzz;
mod hostile;
mod layers;
mod profile;
mod report;
mod support;
mod validity;
mod web;
