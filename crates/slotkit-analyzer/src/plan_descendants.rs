//! Slots that would break a project subclass: a base layout conflict, a slotted subclass
//! that relied on the inherited `__dict__`, or a class-level definition in a subclass that
//! hides a base's slot.

use crate::layout::{layout_conflict, Layouts, OwnSlots, Tri};
use crate::model::class::{ClassId, MemberKind, UseKind};
use crate::model::project::Project;
use crate::plan::ancestors;

/// A class-level definition (method, plain value, nested class) named like a slot of a base,
/// in the class or in a base between it and the slot's owner, hides that slot: once the
/// class has no `__dict__`, a store of that name on its instances fails (a property or
/// other data descriptor takes such stores before and after alike).
pub(crate) fn hidden_slot_by(project: &Project, cid: ClassId, name: &str, owner: ClassId) -> Option<ClassId> {
    let below_owner = project.descendants(owner);
    std::iter::once(cid)
        .chain(ancestors(project, cid))
        .filter(|k| below_owner.contains(k))
        .find(|k| {
            project.classes.get(*k).and_then(|c| c.member(name)).is_some_and(|m| {
                !matches!(m.kind, MemberKind::Annotation | MemberKind::Property)
            })
        })
}

pub(crate) fn hidden_inherited_slot(project: &Project, cid: ClassId, slots: &[(std::rc::Rc<str>, ClassId)]) -> Option<String> {
    slots.iter().find_map(|(name, owner)| {
        let by = hidden_slot_by(project, cid, name, *owner)?;
        let (o, b) = (project.classes.get(*owner)?, project.classes.get(by)?);
        Some(format!(
            "`{}.{name}` hides the slot `{name}` of base `{}`: a store of `{name}` would fail without a `__dict__`",
            b.name, o.name
        ))
    })
}

/// Would giving `cid` these slots break a project subclass? (layout conflicts in
/// multiple inheritance, or a slotted subclass that relied on the inherited `__dict__`)
pub(crate) fn breaks_descendants(
    project: &Project,
    layouts: &mut Layouts,
    cid: ClassId,
    slots: &[String],
) -> Option<String> {
    // only subclasses with several bases (layout conflicts) or their own slots
    // (which lose the inherited `__dict__`) can break
    let descendants: Vec<ClassId> = project
        .descendants(cid)
        .into_iter()
        .filter(|d| {
            project.bases.get(*d).is_some_and(|b| b.len() > 1)
                || !matches!(layouts.own_slots(*d), OwnSlots::None)
        })
        .collect();
    if descendants.is_empty() {
        return None;
    }
    let before: Vec<bool> = descendants
        .iter()
        .map(|d| layout_conflict(&layouts.base_layouts(*d)).is_some())
        .collect();
    let dict_before: Vec<Tri> = descendants.iter().map(|d| layouts.layout(*d).dict).collect();
    layouts.plan_slots(cid, slots.to_vec());
    let mut reason = None;
    for (i, d) in descendants.iter().enumerate() {
        let name = project.classes.get(*d).map_or("?", |c| c.name.as_str());
        if !before.get(i).copied().unwrap_or(true)
            && layout_conflict(&layouts.base_layouts(*d)).is_some()
        {
            reason = Some(format!("subclass `{name}` would get a base layout conflict"));
            break;
        }
        let after = layouts.layout(*d);
        if after.dict == Tri::No {
            if let Some(n) = slots.iter().find(|n| hidden_slot_by(project, *d, n, cid).is_some()) {
                reason = Some(format!(
                    "subclass `{name}` (without `__dict__`) defines `{n}` at class level, which would hide the slot"
                ));
                break;
            }
        }
        if dict_before.get(i) == Some(&Tri::Yes) && after.dict == Tri::No {
            if let Some(sub) = project.classes.get(*d) {
                let bad = sub.self_uses.iter().find_map(|u| match &u.kind {
                    UseKind::Write(n) if !after.has_slot(n) && sub.member(n).is_none() => {
                        Some(format!("writes `{n}`"))
                    }
                    UseKind::Dict => Some("uses `__dict__`".to_string()),
                    UseKind::Weakref if after.weakref != Tri::Yes => {
                        Some("is weakly referenced".to_string())
                    }
                    _ => None,
                });
                if let Some(b) = bad {
                    reason = Some(format!(
                        "slotted subclass `{name}` {b}, which only works while this class has a `__dict__`"
                    ));
                    break;
                }
            }
        }
    }
    layouts.unplan(cid);
    reason
}
