//! The "safe to slot?" decision procedure (reference §3.1) over the whole project,
//! bases first, producing the set of classes `fix` may rewrite.

use std::collections::HashSet;

use crate::layout::{layout_conflict, Layouts, OwnSlots, Tri};
use crate::model::class::{ClassId, DataclassKind, MemberKind, UseKind};
use crate::model::project::{BaseTarget, Project};
use crate::fix_safety::{unknown_uses_reaching, Applicability};
use crate::plan_descendants::{breaks_descendants, hidden_inherited_slot};
use crate::savings::PyVersion;

#[derive(Debug, Clone)]
pub struct SafePlan {
    /// the tuple to insert, in first-assignment order
    pub slots: Vec<String>,
    /// project bases that must be slotted first (they are in the plan)
    pub after: Vec<ClassId>,
    pub saved_bytes: usize,
    /// `Safe`: nothing in the analysed code can break it; `Unsafe`: see `unknown_uses`
    pub applicability: Applicability,
    /// the unknown uses (file:line) that could reach it, or the unsafe base it needs
    pub unknown_uses: Vec<String>,
    /// slots given only so that unknown uses reaching the class keep working: (name, the
    /// first such use, file:line)
    pub kept_for_unknown: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub enum Verdict {
    /// already slotted, generated (dataclass/attrs/NamedTuple) or otherwise out of scope
    NotCandidate,
    /// a base outside the project keeps `__dict__` (exceptions, Enum, Thread...)
    NoBenefit,
    Safe(SafePlan),
    /// reasons that stop (or need a human to review) the change
    Blocked(Vec<String>),
}

pub struct Plan {
    pub verdicts: Vec<Verdict>,
    /// safe classes, bases before subclasses
    pub order: Vec<ClassId>,
}

/// Names present in every class `__dict__`: a slot with that name raises ValueError.
const IMPLICIT_CLASS_ATTRS: &[&str] = &[
    "__doc__",
    "__module__",
    "__annotations__",
    "__firstlineno__",
    "__static_attributes__",
    "__dictoffset__",
];

const PENDING: &str = "is not safe to slot yet";

const UNDERSTOOD_DECORATORS: &[&str] = &[
    "functools.total_ordering",
    "typing.final",
    "typing_extensions.final",
    "typing.runtime_checkable",
    "typing_extensions.runtime_checkable",
    "typing.type_check_only",
    "enum.unique",
];

/// Classes ordered so that project bases come before their subclasses.
fn bases_first(project: &Project) -> Vec<ClassId> {
    fn visit(p: &Project, c: ClassId, seen: &mut HashSet<ClassId>, out: &mut Vec<ClassId>) {
        if !seen.insert(c) {
            return;
        }
        for b in p.bases.get(c).map_or(&[][..], |v| v.as_slice()) {
            if let BaseTarget::Project(b) = b {
                visit(p, *b, seen, out);
            }
        }
        out.push(c);
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in 0..project.classes.len() {
        visit(project, c, &mut seen, &mut out);
    }
    out
}

/// Could `cid` have instances? A namespace class (no instance methods, slots or
/// instance writes in it, its project bases or subclasses) that neither it nor a subclass is ever called, passed as a value or
/// asked for a method (`Class.create()`) cannot.
fn can_have_instances(project: &Project, cid: ClassId) -> bool {
    let family = std::iter::once(cid)
        .chain(ancestors(project, cid))
        .chain(project.descendants(cid));
    // instance methods, declared slots or instance writes anywhere in the family
    let has_instance_method = family.filter_map(|k| project.classes.get(k)).any(|k| {
        k.members.iter().any(|m| m.instance_method) || k.slots.is_some() || !k.self_uses.is_empty()
    });
    has_instance_method
        || std::iter::once(cid)
            .chain(project.descendants(cid))
            .any(|k| project.referenced.get(k).copied().unwrap_or(true))
}

/// Project ancestors of `cid` (not including itself).
pub fn ancestors(project: &Project, cid: ClassId) -> Vec<ClassId> {
    let mut out = Vec::new();
    let mut stack = vec![cid];
    while let Some(c) = stack.pop() {
        for b in project.bases.get(c).map_or(&[][..], |v| v.as_slice()) {
            if let BaseTarget::Project(b) = b {
                if !out.contains(b) && *b != cid {
                    out.push(*b);
                    stack.push(*b);
                }
            }
        }
    }
    out
}

pub fn make_plan(project: &Project, version: PyVersion) -> Plan {
    let mut layouts = Layouts::new(project);
    let mut verdicts = vec![Verdict::NotCandidate; project.classes.len()];
    let mut order = Vec::new();
    let classes = bases_first(project);
    for sweep in 0..2 {
        for &cid in &classes {
            match verdicts.get(cid) {
                Some(Verdict::Safe(_)) => continue,
                Some(Verdict::Blocked(reasons))
                    if sweep > 0 && !reasons.iter().any(|r| r.ends_with(PENDING)) =>
                {
                    continue
                }
                Some(Verdict::NotCandidate | Verdict::NoBenefit) if sweep > 0 => continue,
                _ => {}
            }
            let v = evaluate(project, &mut layouts, &verdicts, cid, version);
            if let Verdict::Safe(p) = &v {
                layouts.plan_slots(cid, p.slots.clone());
                order.push(cid);
            }
            if let Some(slot) = verdicts.get_mut(cid) {
                *slot = v;
            }
        }
    }
    classify(project, &mut layouts, &mut verdicts, &order);
    Plan { verdicts, order }
}

/// Give each planned class its fix applicability, bases first: a class whose planned
/// base is unsafe is unsafe too (its slots only pay off once the base is slotted).
fn classify(project: &Project, layouts: &mut Layouts, verdicts: &mut [Verdict], order: &[ClassId]) {
    for &cid in order {
        let Some(Verdict::Safe(plan)) = verdicts.get(cid) else { continue };
        let inherited = layouts.inherited(cid);
        // slots the class inherits, planned ones of its bases included (and the slots
        // those keep for unknown uses)
        let inherited_slots: Vec<String> = inherited.slots.iter().map(|(n, _)| n.to_string()).collect();
        let mut notes = unknown_uses_reaching(project, cid, plan, inherited.weakref, &inherited_slots);
        for b in &plan.after {
            if let Some(Verdict::Safe(p)) = verdicts.get(*b) {
                if p.applicability == Applicability::Unsafe {
                    let name = project.classes.get(*b).map_or("?", |c| c.name.as_str());
                    notes.push(format!("its base `{name}` is an unsafe fix"));
                }
            }
        }
        if let Some(Verdict::Safe(plan)) = verdicts.get_mut(cid) {
            if !notes.is_empty() {
                plan.applicability = Applicability::Unsafe;
                plan.unknown_uses = notes;
            }
        }
    }
}

impl Plan {
    /// Keep only the fixes of this applicability or better (`Safe` keeps safe fixes only).
    pub fn restrict(&mut self, unsafe_fixes: bool) {
        if unsafe_fixes {
            return;
        }
        let verdicts = &mut self.verdicts;
        self.order.retain(|c| {
            matches!(verdicts.get(*c), Some(Verdict::Safe(p)) if p.applicability == Applicability::Safe)
        });
        for v in verdicts.iter_mut() {
            if matches!(v, Verdict::Safe(p) if p.applicability == Applicability::Unsafe) {
                *v = Verdict::Blocked(vec!["only an unsafe fix (see `--unsafe-fixes`)".into()]);
            }
        }
    }
}

fn line_of(project: &Project, module: usize, offset: usize) -> String {
    project.modules.get(module).map_or_else(String::new, |m| {
        let (line, _) = m.lines.line_col(&m.text, offset);
        format!("{}:{line}", m.display)
    })
}

fn evaluate(
    project: &Project,
    layouts: &mut Layouts,
    verdicts: &[Verdict],
    cid: ClassId,
    version: PyVersion,
) -> Verdict {
    let Some(class) = project.classes.get(cid) else {
        return Verdict::NotCandidate;
    };
    // classes that never have instances: nothing to save
    if (class.protocol && project.descendants(cid).is_empty()) || class.type_checking {
        return Verdict::NotCandidate;
    }
    if class.slots.is_some()
        || matches!(class.dataclass, DataclassKind::Attrs { .. })
        || matches!(class.dataclass, DataclassKind::Dataclass { slots: true, .. })
        || !matches!(layouts.own_slots(cid), OwnSlots::None)
    {
        return Verdict::NotCandidate;
    }
    if layout_conflict(&layouts.base_layouts(cid)).is_some() {
        // already broken (SK102): nothing to suggest until that is fixed
        return Verdict::NotCandidate;
    }
    let inherited = layouts.inherited(cid);
    if inherited.exception {
        return Verdict::NoBenefit;
    }
    let mut blockers: Vec<String> = Vec::new();
    match inherited.dict {
        Tri::Yes => {
            let mut project_dict_bases = Vec::new();
            for b in project.bases.get(cid).map_or(&[][..], |v| v.as_slice()) {
                if let BaseTarget::Project(b) = b {
                    if layouts.layout(*b).dict == Tri::Yes {
                        project_dict_bases.push(*b);
                    }
                }
            }
            if project_dict_bases.is_empty()
                || project_dict_bases
                    .iter()
                    .any(|b| matches!(verdicts.get(*b), Some(Verdict::NoBenefit | Verdict::NotCandidate)))
            {
                return Verdict::NoBenefit;
            }
            for b in project_dict_bases {
                let name = project.classes.get(b).map_or("?", |c| c.name.as_str());
                blockers.push(format!("base `{name}` keeps a `__dict__` and {PENDING}"));
            }
        }
        Tri::Unknown => {
            let names = inherited.unknown.join("`, `");
            blockers.push(format!("base `{names}` cannot be resolved statically (needs review)"));
        }
        Tri::No => {}
    }
    if let DataclassKind::Dataclass { .. } = class.dataclass {
        let mut text = "dataclass: use `@dataclass(slots=True)` instead".to_string();
        if version < (PyVersion { major: 3, minor: 10 }) {
            text = "dataclass: `slots=True` needs Python 3.10".into();
        } else if !class.class_cell_uses.is_empty() && version.minor < 14 {
            text.push_str(" (but it uses zero-argument `super()`, broken before 3.14: gh-90562)");
        }
        blockers.push(text);
    }
    if let Some(meta) = &class.metaclass {
        if meta != "abc.ABCMeta" && meta != "builtins.type" {
            blockers.push(format!("metaclass `{meta}` is not understood (needs review)"));
        }
    }
    for d in &class.decorators {
        if !UNDERSTOOD_DECORATORS.contains(&d.as_str())
            && !d.ends_with(".register")
            && !d.starts_with("dataclasses.")
        {
            let short = d.strip_prefix("builtins.").unwrap_or(d);
            blockers.push(format!("class decorator `{short}` is not understood (needs review)"));
        }
    }
    for hook in &class.attr_hooks {
        blockers.push(format!("defines `{hook}` (needs review)"));
    }
    let ancestors = ancestors(project, cid);
    let mro_members: Vec<(ClassId, &crate::model::class::Member)> = std::iter::once(cid)
        .chain(ancestors.iter().copied())
        .filter_map(|c| project.classes.get(c).map(|k| (c, k)))
        .flat_map(|(c, k)| k.members.iter().map(move |m| (c, m)))
        .collect();
    if let Some((_, m)) = mro_members.iter().find(|(_, m)| m.kind == MemberKind::CachedProperty) {
        blockers.push(format!("`functools.cached_property` `{}` needs `__dict__`", m.name));
    }
    for k in std::iter::once(cid).chain(ancestors.iter().copied()) {
        for (member, short) in project.dict_descriptor_members.get(k).map_or(&[][..], |v| v.as_slice()) {
            blockers.push(format!(
                "`{member}` uses the descriptor `{short}`, which stores into the instance `__dict__`"
            ));
        }
    }
    if let Some(r) = hidden_inherited_slot(project, cid, &inherited.slots) {
        blockers.push(r);
    }
    let mut attrs: Vec<String> = Vec::new();
    let mut weakref = false;
    // uses in this class and in inherited methods: both run on its instances
    let mut all_uses = Vec::new();
    for k in std::iter::once(cid).chain(ancestors.iter().copied()) {
        let Some(kc) = project.classes.get(k) else { continue };
        all_uses.extend(kc.self_uses.iter().map(|u| (kc.module, u)));
        if let Some(outside) = project.outside_uses.get(k) {
            all_uses.extend(outside.iter().map(|(m, u)| (*m, u)));
        }
    }
    for (module, u) in all_uses {
        let at = || line_of(project, module, u.range.start().to_usize());
        match &u.kind {
            UseKind::Write(n) => {
                if !attrs.contains(n) {
                    attrs.push(n.clone());
                }
            }
            UseKind::Dict => blockers.push(format!("uses `__dict__` / `vars()` at {}", at())),
            UseKind::DynamicSetattr => {
                blockers.push(format!("`setattr` with a non-constant name at {}", at()))
            }
            UseKind::ClassAssign => blockers.push(format!("assigns `__class__` at {}", at())),
            UseKind::Patch => blockers.push(format!("monkeypatches an instance at {}", at())),
            UseKind::Weakref => weakref = true,
        }
    }
    let defined_names: HashSet<&str> = mro_members
        .iter()
        .filter(|(_, m)| m.kind != MemberKind::Annotation)
        .map(|(_, m)| m.name.as_str())
        .collect();
    let mut seen_reads: HashSet<&str> = HashSet::new();
    for r in &class.reads {
        if !seen_reads.insert(r.as_str()) {
            continue;
        }
        let defined = defined_names.contains(r.as_str());
        if !defined && !attrs.contains(r) && !inherited.has_slot(r) && project.loose_writes.contains(r) {
            blockers.push(format!(
                "`{r}` is read but only assigned from outside the class (needs review)"
            ));
        }
    }
    let is_property = |n: &str| {
        mro_members
            .iter()
            .any(|(_, m)| m.name == n && m.kind == MemberKind::Property)
    };
    attrs.retain(|n| {
        !matches!(n.as_str(), "__dict__" | "__weakref__" | "__class__")
            && !is_property(n)
            && !inherited.has_slot(n)
    });
    let late: HashSet<&str> = std::iter::once(cid)
        .chain(ancestors.iter().copied())
        .filter_map(|k| project.classes.get(k))
        .flat_map(|k| k.late_class_attrs.iter().map(String::as_str))
        .collect();
    for n in &attrs {
        if late.contains(n.as_str()) {
            blockers.push(format!(
                "`{n}` is also assigned on the class after creation, which would replace the slot"
            ));
            continue;
        }
        if IMPLICIT_CLASS_ATTRS.contains(&n.as_str()) || n == "__qualname__" {
            blockers.push(format!("writes `{n}`, which every class defines (a slot would conflict)"));
            continue;
        }
        if let Some((owner, _)) = mro_members
            .iter()
            .find(|(_, m)| m.name == *n && m.kind != MemberKind::Annotation)
        {
            if *owner == cid {
                blockers.push(format!(
                    "`{n}` is both a class attribute and an instance attribute (move the default into `__init__`)"
                ));
            } else {
                let base = project.classes.get(*owner).map_or("?", |c| c.name.as_str());
                blockers.push(format!(
                    "`{n}` has a class-level definition in base `{base}` that a slot would hide"
                ));
            }
        }
    }
    if let Some(v) = inherited.varsize {
        if !attrs.is_empty() || weakref {
            blockers.push(format!("non-empty `__slots__` are not supported on `{v}` subclasses"));
        }
    }
    if !blockers.is_empty() {
        return Verdict::Blocked(blockers);
    }
    let real_attrs = attrs.len();
    let mut slots = attrs;
    if weakref && inherited.weakref != Tri::Yes {
        slots.push("__weakref__".into());
    }
    // slots for what the unknown uses reaching the class store (and `__weakref__` for
    // their weak references) keep those uses working: the fix is safe, if it still saves
    let class_level = |n: &str| mro_members.iter().any(|(_, m)| m.name == n && m.kind != MemberKind::Annotation);
    let inherited_kept = inherited_kept_slots(verdicts, &ancestors);
    let properties: Vec<&str> = mro_members
        .iter()
        .filter(|(_, m)| m.kind == MemberKind::Property)
        .map(|(_, m)| m.name.as_str())
        .collect();
    let kept_for_unknown = crate::kept_slots::kept_for_unknown(
        project,
        cid,
        &crate::kept_slots::Candidate {
            slots: &slots,
            own_attrs: real_attrs,
            properties: &properties,
            inherited: &inherited,
            inherited_kept,
            class_level: &class_level,
            late: &late,
        },
        version,
    );
    slots.extend(kept_for_unknown.iter().map(|(n, _)| n.clone()));
    if let Some(reason) = breaks_descendants(project, layouts, cid, &slots) {
        return Verdict::Blocked(vec![reason]);
    }
    let after = ancestors
        .iter()
        .copied()
        .filter(|a| layouts.plan.contains_key(a))
        .collect();
    let storage = inherited
        .slots
        .iter()
        .filter(|(n, _)| &**n != "__weakref__" && &**n != "__dict__")
        .count()
        + slots.iter().filter(|n| *n != "__weakref__").count();
    let has_weakref = slots.iter().any(|n| n == "__weakref__") || inherited.weakref == Tri::Yes;
    if slots.is_empty() && storage == 0 && !can_have_instances(project, cid) {
        return Verdict::NotCandidate;
    }
    // the instance dict held only the attributes the instances get, not the names kept
    // for unknown uses (here or by a planned base)
    let kept_storage = kept_for_unknown.iter().filter(|(n, _)| n != "__weakref__").count() + inherited_kept;
    let saved = crate::savings::dict_instance_bytes(storage - kept_storage, version)
        .saturating_sub(crate::savings::slots_instance_bytes(storage, has_weakref, version));
    Verdict::Safe(SafePlan {
        saved_bytes: saved,
        slots,
        after,
        applicability: Applicability::Safe,
        unknown_uses: Vec::new(),
        kept_for_unknown,
    })
}

/// How many slots the planned bases keep for unknown uses (`__weakref__` aside): no
/// attribute the instances had in their dict.
fn inherited_kept_slots(verdicts: &[Verdict], ancestors: &[ClassId]) -> usize {
    ancestors
        .iter()
        .filter_map(|a| match verdicts.get(*a) {
            Some(Verdict::Safe(p)) => Some(p.kept_for_unknown.iter().filter(|(n, _)| n != "__weakref__").count()),
            _ => None,
        })
        .sum()
}

