//! Static `__slots__` analysis for Python source: the engine behind `slotkit check`
//! and `slotkit fix`. It parses files with ruff's parser and never imports or runs
//! the code it analyses.

#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod fix;
pub mod fix_safety;
pub mod layout;
pub mod model;
pub mod output;
pub mod checker;
pub mod plan;
pub mod registry;
pub mod rules;
pub mod savings;
pub mod source;
pub mod stdlib;

pub use cli::run;
