//! Slots kept for unknown uses: a store `x.tag = v` or a weak reference on a receiver of
//! unknown type breaks a slotted class only for want of the slot `tag` / `__weakref__`, so
//! a class such a use may reach keeps that slot, when it can and when the class still saves
//! memory on the target Python and costs none on a newer one (`docs/fix-safety.md`).

use std::collections::HashSet;

use crate::fix_safety::{class_level_names, describe, reaches};
use crate::layout::{Layout, Tri};
use crate::model::class::{ClassId, UseKind};
use crate::model::project::Project;
use crate::savings::{dict_instance_bytes, slots_instance_bytes, PyVersion, NEWEST_MINOR};

/// The class being planned, as far as keeping slots for it goes.
pub struct Candidate<'a> {
    /// its planned slots so far (`__weakref__` included when its own uses need it)
    pub slots: &'a [String],
    /// how many of them its instances actually store
    pub own_attrs: usize,
    /// property names in its MRO (stores go to their setters)
    pub properties: &'a [&'a str],
    /// the layout it inherits (planned bases included)
    pub inherited: &'a Layout,
    /// slots its planned bases keep for unknown uses (no dict attribute either)
    pub inherited_kept: usize,
    /// does the class or a base define this name at class level?
    pub class_level: &'a dyn Fn(&str) -> bool,
    /// names assigned on the class object after creation
    pub late: &'a HashSet<&'a str>,
}

/// The slots to add for the unknown uses that may reach the class, each with the first use
/// needing it (file:line); empty when none reach it, when one cannot be kept working by a
/// slot, or when keeping them would save nothing on the target version or cost memory on a
/// newer one.
pub fn kept_for_unknown(project: &Project, cid: ClassId, c: &Candidate, version: PyVersion) -> Vec<(String, String)> {
    // `int`, `bytes`, `tuple` subclasses take no non-empty `__slots__` (not even `__weakref__`)
    if c.inherited.varsize.is_some() {
        return Vec::new();
    }
    let mut accepted: HashSet<String> = c.slots.iter().cloned().collect();
    accepted.extend(c.properties.iter().map(|p| p.to_string()));
    accepted.extend(c.inherited.slots.iter().map(|(n, _)| n.to_string()));
    let weakref = c.slots.iter().any(|n| n == "__weakref__") || c.inherited.weakref == Tri::Yes;
    // `__x` is mangled with the name of the class whose code stores it: a slot `__x` in
    // another class would be another name
    let slottable = |n: &str| {
        !n.starts_with("__") && !c.inherited.has_slot(n) && !c.late.contains(n) && !(c.class_level)(n)
    };
    let Some(extra) = absorbable_unknown_uses(project, cid, &accepted, weakref, &slottable) else {
        return Vec::new();
    };
    if extra.is_empty() {
        return Vec::new();
    }
    let storage_before = c.inherited.slots.iter().filter(|(n, _)| &**n != "__weakref__" && &**n != "__dict__").count();
    let n_dict = storage_before.saturating_sub(c.inherited_kept) + c.own_attrs;
    let n_slots = storage_before
        + c.slots.iter().filter(|n| *n != "__weakref__").count()
        + extra.iter().filter(|(n, _)| n != "__weakref__").count();
    let wr = weakref || extra.iter().any(|(n, _)| n == "__weakref__");
    // it must save on the target version and cost nothing on any newer one (where dicts
    // are smaller and `__weakref__` costs more): 3.12's dicts are the smallest, so four
    // kept names on a class with attributes tie there and still save elsewhere
    let saves_everywhere = slots_instance_bytes(n_slots, wr, version) < dict_instance_bytes(n_dict, version)
        && (version.minor..=NEWEST_MINOR).all(|minor| {
            let v = PyVersion { major: 3, minor };
            slots_instance_bytes(n_slots, wr, v) <= dict_instance_bytes(n_dict, v)
        });
    if saves_everywhere {
        extra
    } else {
        Vec::new()
    }
}

/// What the unknown uses reaching `cid` need from it, when slots can give it: the names
/// they store (each becomes a slot, so the store keeps working) and whether one takes a
/// weak reference (`__weakref__`). `accepted` are the names the planned class already
/// accepts; `weakref` whether it already has `__weakref__`; `slottable(name)` whether a
/// slot of that name can be added (no class-level definition it would hide or conflict
/// with). `None` when some reaching use cannot be kept working by slots (`__dict__`,
/// `vars()`, a computed `setattr`, a patch, a `__class__` assignment, a name that cannot be
/// a slot). Each returned name comes with the first use that needs it (file:line).
fn absorbable_unknown_uses(
    project: &Project,
    cid: ClassId,
    accepted: &HashSet<String>,
    weakref: bool,
    slottable: &dyn Fn(&str) -> bool,
) -> Option<Vec<(String, String)>> {
    let class_names = class_level_names(project, cid);
    let mut out: Vec<(String, String)> = Vec::new();
    for (module, u) in &project.unknown_uses {
        let guarded = project.modules.get(*module).is_some_and(|m| m.guarded_stores.contains(&u.range));
        if !reaches(accepted, weakref, u, guarded, class_names.as_ref()) {
            continue;
        }
        let name = match &u.kind {
            UseKind::Write(n) if slottable(n) => n.clone(),
            UseKind::Weakref => "__weakref__".to_string(),
            _ => return None,
        };
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, describe(project, *module, u)));
        }
    }
    Some(out)
}

