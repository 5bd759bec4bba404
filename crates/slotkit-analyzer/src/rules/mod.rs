//! One file per rule; each file's `//!` comment is the rule's documentation.

pub mod assignment_to_non_slot;
pub mod cached_property_without_dict;
pub mod can_use_slots;
pub mod dataclass_slots_with_explicit_slots;
pub mod dict_access_on_slotted_instance;
pub mod duplicate_slot_name;
pub mod multiple_bases_with_slots;
pub mod nonempty_slots_on_varsize_builtin;
pub mod redundant_dict_or_weakref_slot;
pub mod single_string_slots;
pub mod slot_conflicts_with_class_attribute;
pub mod slot_repeats_base_slot;
pub mod slots_blocked;
pub mod slots_on_dict_base;
pub mod syntax_error;
pub mod weakref_without_weakref_slot;
pub mod zero_arg_super_in_slots_dataclass;
