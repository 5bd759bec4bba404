//! Instance layout of a class from its bases: does it carry a `__dict__` or a
//! `__weakref__`, which slots does it inherit, and which base fixes its layout.

use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::model::class::{ClassId, DataclassKind};
use crate::model::project::{BaseTarget, Project};
use crate::stdlib::{external_base, BaseKind};

/// Three-valued answer: unknown when a base cannot be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    No,
    Yes,
    Unknown,
}

impl Tri {
    fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::No,
        }
    }
}

/// The class (or builtin) that fixes an instance layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Solid {
    Object,
    Builtin(&'static str),
    Class(ClassId),
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub dict: Tri,
    /// the class that brings the `__dict__`
    pub dict_source: Option<String>,
    /// the `__dict__` comes from an explicit `"__dict__"` slot (deliberate)
    pub dict_from_slot: bool,
    pub weakref: Tri,
    /// every slot name in the MRO with the class declaring it
    pub slots: Vec<(Rc<str>, ClassId)>,
    pub varsize: Option<&'static str>,
    /// layout-defining bases, most derived first; empty if unknown
    pub solids: Vec<Solid>,
    /// bases that could not be resolved
    pub unknown: Vec<String>,
    pub exception: bool,
    /// inherits from a `typing.NamedTuple` class or a namedtuple()
    pub namedtuple: bool,
}

impl Layout {
    fn object() -> Layout {
        Layout {
            dict: Tri::No,
            dict_source: None,
            dict_from_slot: false,
            weakref: Tri::No,
            slots: Vec::new(),
            varsize: None,
            solids: vec![Solid::Object],
            unknown: Vec::new(),
            exception: false,
            namedtuple: false,
        }
    }

    fn unknown(name: &str) -> Layout {
        Layout {
            dict: Tri::Unknown,
            weakref: Tri::Unknown,
            solids: Vec::new(),
            unknown: vec![name.to_string()],
            ..Layout::object()
        }
    }

    pub fn has_slot(&self, name: &str) -> bool {
        self.slots.iter().any(|(n, _)| &**n == name)
    }

    /// Fully known and without `__dict__`.
    pub fn dict_free(&self) -> bool {
        self.dict == Tri::No
    }
}

/// Own slot names of a class: declared, planned by the fixer, or generated.
pub enum OwnSlots {
    /// no `__slots__`: instances get `__dict__` and `__weakref__`
    None,
    Names(Vec<String>),
    /// `__slots__` computed at run time
    Dynamic,
}

/// Memoized layouts under a plan (classes assumed to receive the given slots).
pub struct Layouts<'p> {
    project: &'p Project,
    pub plan: HashMap<ClassId, Vec<String>>,
    memo: HashMap<ClassId, Rc<Layout>>,
    visiting: HashSet<ClassId>,
}

impl<'p> Layouts<'p> {
    pub fn new(project: &'p Project) -> Self {
        Self {
            project,
            plan: HashMap::default(),
            memo: HashMap::default(),
            visiting: HashSet::default(),
        }
    }

    /// Add a class to the plan and forget the layouts that depend on it.
    pub fn plan_slots(&mut self, cid: ClassId, names: Vec<String>) {
        self.plan.insert(cid, names);
        self.memo.remove(&cid);
        for d in self.project.descendants(cid) {
            self.memo.remove(&d);
        }
    }

    /// Remove a class from the plan again.
    pub fn unplan(&mut self, cid: ClassId) {
        self.plan.remove(&cid);
        self.memo.remove(&cid);
        for d in self.project.descendants(cid) {
            self.memo.remove(&d);
        }
    }

    pub fn own_slots(&self, cid: ClassId) -> OwnSlots {
        let Some(class) = self.project.classes.get(cid) else {
            return OwnSlots::None;
        };
        if let Some(decl) = &class.slots {
            if decl.dynamic {
                return OwnSlots::Dynamic;
            }
            return OwnSlots::Names(decl.names.iter().map(|(n, _)| n.clone()).collect());
        }
        if let Some(names) = self.plan.get(&cid) {
            return OwnSlots::Names(names.clone());
        }
        match class.dataclass {
            DataclassKind::Dataclass { slots: true, weakref_slot } => {
                let mut names = class.annotations.clone();
                if weakref_slot {
                    names.push("__weakref__".into());
                }
                return OwnSlots::Names(names);
            }
            DataclassKind::Attrs { slots: true } => {
                let mut names = class.annotations.clone();
                names.push("__weakref__".into());
                return OwnSlots::Names(names);
            }
            _ => {}
        }
        let namedtuple_class = self.project.bases.get(cid).is_some_and(|bs| {
            bs.iter().any(|b| {
                matches!(b, BaseTarget::External(d) if external_base(d).is_some_and(|e| e.kind == BaseKind::NamedTuple))
            })
        });
        if namedtuple_class {
            return OwnSlots::Names(Vec::new());
        }
        OwnSlots::None
    }

    /// Layouts of the direct bases of `cid`.
    pub fn base_layouts(&mut self, cid: ClassId) -> Vec<Rc<Layout>> {
        let project = self.project;
        let targets = project.bases.get(cid).map_or(&[][..], |v| v.as_slice());
        if targets.is_empty() {
            return vec![Rc::new(Layout::object())];
        }
        targets.iter().map(|t| self.target_layout(t)).collect()
    }

    fn target_layout(&mut self, target: &BaseTarget) -> Rc<Layout> {
        if let BaseTarget::Project(b) = target {
            return self.layout(*b);
        }
        Rc::new(self.external_layout(target))
    }

    fn external_layout(&mut self, target: &BaseTarget) -> Layout {
        match target {
            BaseTarget::Project(_) => Layout::unknown("<project>"),
            BaseTarget::NamedTuple => Layout {
                varsize: Some("tuple"),
                solids: vec![Solid::Builtin("tuple"), Solid::Object],
                namedtuple: true,
                ..Layout::object()
            },
            BaseTarget::External(d) => match external_base(d) {
                Some(ext) => {
                    let yes_no = |b: bool| if b { Tri::Yes } else { Tri::No };
                    let mut solids = vec![Solid::Object];
                    if ext.solid != "object" {
                        solids.insert(0, Solid::Builtin(ext.solid));
                    }
                    Layout {
                        dict: yes_no(ext.dict),
                        dict_source: ext.dict.then(|| short(d)),
                        weakref: yes_no(ext.weakref),
                        varsize: ext.varsize,
                        solids,
                        exception: ext.kind == BaseKind::Exception,
                        namedtuple: ext.kind == BaseKind::NamedTuple,
                        ..Layout::object()
                    }
                }
                None => Layout::unknown(&short(d)),
            },
            BaseTarget::Unknown(t) => Layout::unknown(t),
        }
    }

    /// The combined layout of the bases of `cid` (what `cid` inherits).
    pub fn inherited(&mut self, cid: ClassId) -> Layout {
        let bases = self.base_layouts(cid);
        combine(bases)
    }

    pub fn layout(&mut self, cid: ClassId) -> Rc<Layout> {
        if let Some(l) = self.memo.get(&cid) {
            return Rc::clone(l);
        }
        if !self.visiting.insert(cid) {
            return Rc::new(Layout::unknown("<cyclic base>"));
        }
        let mut layout = self.inherited(cid);
        let name = self
            .project
            .classes
            .get(cid)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        match self.own_slots(cid) {
            OwnSlots::None => {
                if layout.dict != Tri::Yes {
                    layout.dict_source = Some(name);
                }
                layout.dict = Tri::Yes;
                layout.weakref = Tri::Yes;
            }
            OwnSlots::Dynamic => {
                layout.dict = layout.dict.or(Tri::Unknown);
                layout.weakref = layout.weakref.or(Tri::Unknown);
                layout.solids = Vec::new();
            }
            OwnSlots::Names(names) => {
                let mut storage = false;
                for n in names {
                    match n.as_str() {
                        "__dict__" => {
                            if layout.dict != Tri::Yes {
                                layout.dict_source = Some(name.clone());
                                layout.dict_from_slot = true;
                            }
                            layout.dict = Tri::Yes;
                        }
                        "__weakref__" => layout.weakref = Tri::Yes,
                        _ => storage = true,
                    }
                    layout.slots.push((Rc::from(n.as_str()), cid));
                }
                if storage && !layout.solids.is_empty() {
                    layout.solids.insert(0, Solid::Class(cid));
                }
            }
        }
        self.visiting.remove(&cid);
        let layout = Rc::new(layout);
        self.memo.insert(cid, Rc::clone(&layout));
        layout
    }
}

fn short(dotted: &str) -> String {
    dotted.strip_prefix("builtins.").unwrap_or(dotted).to_string()
}

/// Merge the layouts of several bases (in order).
pub fn combine(bases: Vec<Rc<Layout>>) -> Layout {
    let mut out = Layout::object();
    out.solids = Vec::new();
    let mut known_solids = true;
    for b in bases {
        if out.dict != Tri::Yes && b.dict == Tri::Yes {
            out.dict_source = b.dict_source.clone();
            out.dict_from_slot = b.dict_from_slot;
        } else if out.dict == Tri::Yes && b.dict == Tri::Yes && !b.dict_from_slot {
            out.dict_from_slot = false;
            out.dict_source = b.dict_source.clone();
        }
        out.dict = out.dict.or(b.dict);
        out.weakref = out.weakref.or(b.weakref);
        for s in &b.slots {
            if !out.slots.iter().any(|(n, _)| *n == s.0) {
                out.slots.push(s.clone());
            }
        }
        out.varsize = out.varsize.or(b.varsize);
        out.unknown.extend(b.unknown.iter().cloned());
        out.exception |= b.exception;
        out.namedtuple |= b.namedtuple;
        if b.solids.is_empty() {
            known_solids = false;
        } else if out.solids.len() < b.solids.len() {
            out.solids = b.solids.clone();
        }
    }
    if !known_solids {
        out.solids = Vec::new();
    } else if out.solids.is_empty() {
        out.solids = vec![Solid::Object];
    }
    out
}

/// Two bases whose layouts cannot be combined (`multiple bases have instance lay-out
/// conflict`): returns the indexes of the first conflicting pair.
pub fn layout_conflict(bases: &[Rc<Layout>]) -> Option<(usize, usize)> {
    for (i, a) in bases.iter().enumerate() {
        for (j, b) in bases.iter().enumerate().skip(i + 1) {
            let (Some(ha), Some(hb)) = (a.solids.first(), b.solids.first()) else {
                continue;
            };
            if *ha == Solid::Object || *hb == Solid::Object {
                continue;
            }
            if b.solids.contains(ha) || a.solids.contains(hb) {
                continue;
            }
            return Some((i, j));
        }
    }
    None
}
