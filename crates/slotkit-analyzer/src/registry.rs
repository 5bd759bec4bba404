//! The list of rules, with their documentation taken from each rule file's `//!`
//! doc comment (the same text becomes `docs/rules/<CODE>.md`).

use crate::diagnostic::Category;

pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    source: &'static str,
}

macro_rules! rule {
    ($code:literal, $name:literal, $cat:ident, $file:literal) => {
        RuleInfo {
            code: $code,
            name: $name,
            category: Category::$cat,
            source: include_str!(concat!("rules/", $file, ".rs")),
        }
    };
}

pub static RULES: &[RuleInfo] = &[
    rule!("SK000", "syntax-error", Syntax, "syntax_error"),
    rule!("SK101", "slot-conflicts-with-class-attribute", Broken, "slot_conflicts_with_class_attribute"),
    rule!("SK102", "multiple-bases-with-slots", Broken, "multiple_bases_with_slots"),
    rule!("SK103", "nonempty-slots-on-varsize-builtin", Broken, "nonempty_slots_on_varsize_builtin"),
    rule!("SK104", "redundant-dict-or-weakref-slot", Broken, "redundant_dict_or_weakref_slot"),
    rule!("SK105", "dataclass-slots-with-explicit-slots", Broken, "dataclass_slots_with_explicit_slots"),
    rule!("SK106", "assignment-to-non-slot", Broken, "assignment_to_non_slot"),
    rule!("SK107", "weakref-without-weakref-slot", Broken, "weakref_without_weakref_slot"),
    rule!("SK108", "cached-property-without-dict", Broken, "cached_property_without_dict"),
    rule!("SK109", "dict-access-on-slotted-instance", Broken, "dict_access_on_slotted_instance"),
    rule!("SK110", "zero-arg-super-in-slots-dataclass", Broken, "zero_arg_super_in_slots_dataclass"),
    rule!("SK201", "slots-on-dict-base", Wasted, "slots_on_dict_base"),
    rule!("SK202", "slot-repeats-base-slot", Wasted, "slot_repeats_base_slot"),
    rule!("SK203", "duplicate-slot-name", Wasted, "duplicate_slot_name"),
    rule!("SK204", "single-string-slots", Wasted, "single_string_slots"),
    rule!("SK301", "can-use-slots", Opportunity, "can_use_slots"),
    rule!("SK302", "slots-blocked", Opportunity, "slots_blocked"),
];

impl RuleInfo {
    /// The rule's documentation: its file's leading `//!` comment, as Markdown.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out
    }

    /// The Markdown page `docs/rules/<CODE>.md`.
    pub fn page(&self) -> String {
        let cat = match self.category {
            Category::Syntax => "syntax",
            Category::Broken => "broken",
            Category::Wasted => "wasted",
            Category::Opportunity => "opportunity",
        };
        format!(
            "# {} {}\n\nCategory: {cat}. Generated from `crates/slotkit-analyzer/src/rules/` \
             (edit the rule's doc comment, then run `SLOTKIT_UPDATE_DOCS=1 cargo test -p slotkit-analyzer --test docs`).\n\n{}",
            self.code,
            self.name,
            self.doc()
        )
    }
}

pub fn find(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}
