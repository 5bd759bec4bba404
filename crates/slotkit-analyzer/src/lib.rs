//! Static `__slots__` analysis for Python source: the engine behind `slotkit check`
//! and `slotkit fix`. It parses files with ruff's parser and never imports or runs
//! the code it analyses.

#![forbid(unsafe_code)]

pub mod cli;
pub mod cli_fix;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod encoding;
pub mod error;
pub mod fix;
pub mod fix_plan;
pub mod fix_safety;
pub mod help;
pub mod kept_slots;
pub mod layout;
pub mod model;
pub mod output;
pub mod checker;
pub mod plan;
pub mod plan_descendants;
pub mod registry;
pub mod rules;
pub mod savings;
pub mod source;
pub mod stdlib;
pub mod syntax_position;
pub mod verdicts;

pub use cli::run;
