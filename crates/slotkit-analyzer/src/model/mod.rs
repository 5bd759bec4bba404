//! The project model: modules, classes, their facts and the uses of their instances.

pub mod bindings;
pub mod class;
pub mod defs;
pub mod extract;
pub mod assign;
pub mod record;
pub mod dict_reads;
pub mod private_calls;
pub mod narrow_paths;
pub mod outside_results;
pub mod stmts;
pub mod imports;
pub mod insert;
pub mod members;
pub mod project;
pub mod resolve;
pub mod slots_decl;
pub mod ty;
pub mod exprs;
pub mod calls;
pub mod flow;
pub mod attrs;
pub mod link_flows;
pub mod guards;
pub mod yields;
pub mod pytest;
