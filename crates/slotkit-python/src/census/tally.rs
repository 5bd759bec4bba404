//! Per-class totals, and what the same instances would cost under `__slots__` or as a Record.

use rustc_hash::FxHashMap as HashMap;
use slotkit_core::kind::{needs_gc, Kind};

use super::attrs::Attr;
use super::layout::{Version, GC_HEAD};

/// An attribute's name: a `str` object (dict keys) or a C string (member definitions).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Name {
    Py(usize),
    C(usize),
}

/// The totals of one type.
#[derive(Default)]
pub struct Tally {
    pub count: u64,
    /// `sys.getsizeof` of the instances
    pub instance_bytes: u64,
    /// their attribute storage: dict objects, values arrays, 3.13+ inline values
    pub dict_bytes: u64,
    /// values that only one instance holds (reference count one)
    pub held_bytes: u64,
    /// instances with attribute storage (a dict or values)
    pub with_dict: u64,
    pub weakrefs: bool,
    /// `|ob_size| * tp_itemsize` of the instances (variable-size bases)
    pub var_bytes: u64,
    pub attrs: HashMap<Name, Attr>,
    /// attribute names in first-seen order
    pub order: Vec<Name>,
}

/// Facts about a class's layout that the projections need.
#[derive(Clone, Copy)]
pub struct Shape {
    pub basicsize: usize,
    /// an inline `__dict__` slot in the body (`tp_dictoffset > 0`)
    pub dict_slot: bool,
    /// an inline `__weakref__` slot in the body (`tp_weaklistoffset > 0`)
    pub weakref_slot: bool,
    /// has an attribute dict at all (managed, or a dict slot)
    pub has_dict: bool,
    /// every base is `object` or a class written in Python (a Record may derive from it)
    pub record_ok: bool,
    /// already a Record
    pub is_record: bool,
    /// a variable-size base (`str`, `int`, `bytes`, `tuple`): CPython refuses non-empty
    /// `__slots__` on its subclasses
    pub varsize: bool,
}

/// Projected total bytes (instances + attribute storage + values only they hold).
pub struct Projection {
    pub slots: Option<u64>,
    pub record: Option<u64>,
    pub record_kinds: Vec<(Name, Kind)>,
}

impl Tally {
    pub fn attr(&mut self, name: Name) -> &mut Attr {
        if !self.attrs.contains_key(&name) {
            self.order.push(name);
        }
        self.attrs.entry(name).or_default()
    }

    pub fn total(&self) -> u64 {
        self.instance_bytes + self.dict_bytes + self.held_bytes
    }

    /// Bytes of one instance of a slotted class with `fields` slots (GC header included, as
    /// CPython gives every class with `__slots__` one), a weak reference slot when `weak`.
    fn slotted_instance(v: Version, body: usize, fields: usize, weak: bool) -> u64 {
        // 3.11 keeps `__weakref__` in the body; 3.12+ in the pre-header, which is then 16 bytes
        let weak_bytes = match (weak, v.minor) {
            (false, _) => 0,
            (true, 11) => 8,
            (true, _) => 16,
        };
        (GC_HEAD + body + 8 * fields + weak_bytes) as u64
    }

    /// The projections for a class with `slots` object/typed slots of its own layout chain.
    pub fn project(&self, v: Version, shape: Shape, slot_names: &[Name]) -> Projection {
        let none = Projection { slots: None, record: None, record_kinds: Vec::new() };
        if self.count == 0 || shape.is_record {
            return none;
        }
        let body = shape.basicsize - 8 * usize::from(shape.dict_slot) - 8 * usize::from(shape.weakref_slot);
        let new_fields = self.order.iter().filter(|n| !slot_names.contains(n)).count();
        let existing = slot_names.len();
        let slots = (shape.has_dict && (!shape.varsize || self.order.is_empty())).then(|| {
            self.count * Self::slotted_instance(v, body, existing + new_fields, self.weakrefs)
                + self.var_bytes
                + self.held_bytes
        });
        let record = shape.record_ok.then(|| {
            let mut kinds = Vec::new();
            let mut unboxed_held = 0;
            for name in &self.order {
                let a = &self.attrs[name];
                // an attribute some instances lack still gets a field (unset in those)
                let kind = a.record_kind();
                if matches!(kind, Kind::Scalar(_)) {
                    unboxed_held += a.held_bytes;
                }
                kinds.push((*name, kind));
            }
            // slots never observed (always unset) are object fields
            let unseen = slot_names.iter().filter(|n| !self.attrs.contains_key(n)).count();
            let gc = self.weakrefs || unseen > 0 || needs_gc(kinds.iter().map(|(_, k)| *k));
            let fields = kinds.len() + unseen;
            let header = if gc { GC_HEAD as u64 } else { 0 };
            let per = header + (16 + 8 * fields) as u64 + if self.weakrefs { if v.minor == 11 { 8 } else { 16 } } else { 0 };
            (self.count * per + self.held_bytes - unboxed_held, kinds)
        });
        match record {
            Some((bytes, kinds)) => Projection { slots, record: Some(bytes), record_kinds: kinds },
            None => Projection { slots, ..none },
        }
    }
}
