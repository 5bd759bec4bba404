//! Every use of the raw CPython API lives under this module.

pub mod base;
pub mod construct;
pub mod convert;
pub mod dealloc;
pub mod dcfields;
pub mod descr;
pub mod finalize;
pub mod gcmode;
pub mod guard;
pub mod init;
pub mod keep_alive;
pub mod layout;
pub mod meta;
pub mod owned;
pub mod protocols;
pub mod registry;
pub mod setattr;
pub mod slots;
pub mod specs;
pub mod state;
pub mod store;
pub mod typespec;
pub mod util;
