//! Linking the flows: attribute types, the attributes of outside objects and the classes
//! whose attributes are open depend on each other and are iterated to a fixpoint; then
//! every typed use is attributed to the classes it can reach (or kept as unknown).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::class::{ClassId, ModuleId};
use super::flow::Val;
use super::project::{opens, Flows, Project};

impl Project {
    pub(super) fn link_flows(&mut self, flows: Flows) {
        let n = self.classes.len();
        self.typed_write_names.extend(flows.typed.iter().filter_map(|(_, u)| match &u.use_.kind {
            super::class::UseKind::Write(name) => Some(name.clone()),
            _ => None,
        }));
        self.extra_attr_vals = vec![Vec::new(); n];
        self.open_classes = self.classes.iter().enumerate()
            .filter(|(k, c)| c.self_uses.iter().any(opens) || (c.setstate_copy && self.pickles_its_own_way(*k)))
            .map(|(k, _)| k)
            .collect();
        // attribute types, the attributes of outside objects and the classes whose
        // attributes are open depend on each other: iterate until nothing changes
        // Then the stores through typed receivers that may be anything once linked, read
        // off the settled state, join the stores through receivers of unknown type (every
        // class's attribute of that name may hold what they store), and it is iterated
        // again (read off a state still growing, an attribute not typed yet would be taken
        // for anything, and such a store would feed that back into itself).
        const ROUNDS: usize = 5;
        const OUTER: usize = 3;
        let mut converged = false;
        for outer in 0..=OUTER {
            converged = false;
            for _ in 0..ROUNDS {
                let before = (self.loose_attr_vals.clone(), self.outside_attr_vals.clone(), self.open_classes.clone(), self.outside_attr_names.clone(), self.extra_attr_vals.clone(), self.maybe_module_stores.clone(), self.escaped_receiver_vals.clone());
                self.attribute_round(&flows);
                if before == (self.loose_attr_vals.clone(), self.outside_attr_vals.clone(), self.open_classes.clone(), self.outside_attr_names.clone(), self.extra_attr_vals.clone(), self.maybe_module_stores.clone(), self.escaped_receiver_vals.clone()) {
                    converged = true;
                    break;
                }
            }
            let more = self.stores_through_unknown(&flows);
            if std::env::var_os("SLOTKIT_DEBUG_UNKNOWN").is_some() {
                eprintln!("stores through typed receivers of unknown type (outer round {outer}): {more:?}");
            }
            let grew = more.iter().any(|(name, vals)| {
                let had = self.unknown_receiver_stores.get(name);
                vals.iter().any(|v| had.is_none_or(|h| !h.contains(v)))
            });
            if !grew {
                break;
            }
            for (name, vals) in more {
                let slot = self.unknown_receiver_stores.entry(name).or_default();
                vals.into_iter().for_each(|v| if !slot.contains(&v) { slot.push(v) });
            }
            self.state_changed();
            if outer == OUTER {
                // still growing: what those stores give may be anything
                for vals in self.unknown_receiver_stores.values_mut() {
                    if !vals.contains(&Val::Unknown) {
                        vals.push(Val::Unknown);
                    }
                }
                converged = false;
            }
        }
        if !converged {
            // sound fallback: the attributes of outside objects may hold anything, and so
            // may every attribute a store through another object or a receiver of unknown
            // type gives (a chain of stores may not have reached its end); the attribute
            // types are computed once more with that
            self.outside_unsettled = true;
            if std::env::var_os("SLOTKIT_DEBUG_UNKNOWN").is_some() {
                eprintln!("attribute types did not settle in {ROUNDS} rounds");
            }
            for _ in 0..2 {
                self.unsettled_attr_vals.extend(given_names(&self.extra_attr_vals));
                self.state_changed();
                self.attribute_round(&flows);
            }
            self.unsettled_attr_vals.extend(given_names(&self.extra_attr_vals));
        }
        self.state_changed();
        self.attribute_uses(flows);
    }

    /// The values stored through typed receivers that may be anything, by name.
    fn stores_through_unknown(&self, flows: &Flows) -> HashMap<String, Vec<Val>> {
        let mut out: HashMap<String, Vec<Val>> = HashMap::default();
        for (mid, u) in &flows.typed {
            let super::class::UseKind::Write(name) = &u.use_.kind else { continue };
            if !self.eval_sym(*mid, &u.sym, 0).contains(&Val::Unknown) {
                continue;
            }
            let stored = match &u.value {
                Some(t) => super::flow::cap_nesting(self.eval_ty(*mid, t, 0)),
                None => vec![Val::Unknown],
            };
            let slot = out.entry(name.clone()).or_default();
            stored.into_iter().for_each(|v| if !slot.contains(&v) { slot.push(v) });
        }
        out
    }

    /// One round of attribute typing: stores through unknown receivers, through typed
    /// receivers (two passes: a store may go through an attribute another store types),
    /// the names and values stored on objects that may be outside objects, and the
    /// classes reached by uses that open their attributes.
    fn attribute_round(&mut self, flows: &Flows) {
        let n = self.classes.len();
        let mut loose: HashMap<String, Vec<Val>> = HashMap::default();
        for (mid, (name, ty)) in &flows.loose {
            let vals = super::flow::cap_nesting(self.eval_ty(*mid, ty, 0));
            let slot = loose.entry(name.clone()).or_default();
            vals.into_iter().for_each(|v| if !slot.contains(&v) { slot.push(v) });
        }
        // stores through typed receivers that may be anything (`link_flows`) reach every
        // class's attribute of that name, as stores through receivers of unknown type do
        for (name, vals) in &self.unknown_receiver_stores {
            let slot = loose.entry(name.clone()).or_default();
            vals.iter().for_each(|v| if !slot.contains(v) { slot.push(v.clone()) });
        }
        self.loose_attr_vals = loose;
        self.state_changed();
        self.type_getattr_receivers();
        self.state_changed();
        let stores = || {
            let typed = flows.typed.iter().filter_map(|(mid, u)| match (&u.use_.kind, &u.value) {
                (super::class::UseKind::Write(name), Some(v)) => Some((*mid, &u.sym, name, v)),
                _ => None,
            });
            typed.chain(flows.grows.iter().map(|(mid, (sym, name, v))| (*mid, sym, name, v)))
        };
        // the names stored through typed receivers are declared before their values are
        // known: a store whose value reads the attribute it stores (`link.prev =
        // root.prev`, a linked list's) must find it declared, holding what the other
        // stores give, not undeclared (anything); the rounds then grow the values from
        // there (`link_flows` iterates until they settle)
        let mut seeded = self.extra_attr_vals.clone();
        seeded.resize(n, Vec::new());
        for (mid, sym, name, _) in stores() {
            let (classes, _) = Project::instance_classes(&self.eval_sym(mid, sym, 0));
            for c in classes {
                if let Some(list) = seeded.get_mut(c) {
                    if !list.iter().any(|(k, _)| k == name) {
                        list.push((name.clone(), Vec::new()));
                    }
                }
            }
        }
        self.extra_attr_vals = seeded;
        self.state_changed();
        for _ in 0..2 {
            let mut extra: Vec<Vec<(String, Vec<Val>)>> = vec![Vec::new(); n];
            for (mid, sym, name, value) in stores() {
                let (classes, _) = Project::instance_classes(&self.eval_sym(mid, sym, 0));
                let vals = super::flow::cap_nesting(self.eval_ty(mid, value, 0));
                for c in classes {
                    if let Some(list) = extra.get_mut(c) {
                        list.push((name.clone(), vals.clone()));
                    }
                }
            }
            self.extra_attr_vals = extra;
            self.state_changed();
        }
        // names stored on receivers that may be outside objects: unknown receivers, module
        // globals and outside objects, with the values stored
        let mut names: HashSet<String> = self.loose_writes.clone();
        let mut vals: HashMap<String, Vec<Val>> = self.loose_attr_vals.clone();
        let mut open = self.open_classes.clone();
        let mut given: Vec<Vec<(String, Vec<Val>)>> = vec![Vec::new(); n];
        let mut module_stores: HashMap<String, Vec<Val>> = HashMap::default();
        for (mid, u) in &flows.typed {
            let recv = self.eval_sym(*mid, &u.sym, 0);
            if opens(&u.use_) {
                let (classes, _) = Project::instance_classes(&recv);
                match self.resolved_opening(*mid, u) {
                    Some(attrs) => {
                        for c in classes {
                            if let Some(list) = given.get_mut(c) {
                                list.extend(attrs.iter().cloned());
                            }
                        }
                    }
                    None => open.extend(classes),
                }
            }
            if let super::class::UseKind::Write(name) = &u.use_.kind {
                // a receiver that may be anything may be a module (`model::namespace`)
                if recv.contains(&Val::Unknown) {
                    let stored = match &u.value {
                        Some(t) => super::flow::cap_nesting(self.eval_ty(*mid, t, 0)),
                        None => vec![Val::Unknown],
                    };
                    let slot = module_stores.entry(name.clone()).or_default();
                    stored.into_iter().for_each(|v| if !slot.contains(&v) { slot.push(v) });
                }
                if recv.iter().any(|v| matches!(v, Val::Opaque | Val::Foreign)) {
                    names.insert(name.clone());
                    let stored = match &u.value {
                        Some(t) => super::flow::cap_nesting(self.eval_ty(*mid, t, 0)),
                        None => vec![Val::Unknown],
                    };
                    let slot = vals.entry(name.clone()).or_default();
                    stored.into_iter().for_each(|v| if !slot.contains(&v) { slot.push(v) });
                }
            }
        }
        // a name stored without a known value (a patch): anything
        vals.retain(|k, _| names.contains(k));
        self.outside_attr_names = names;
        self.maybe_module_stores = module_stores;
        self.outside_attr_vals = vals;
        self.open_classes = open;
        for (list, more) in self.extra_attr_vals.iter_mut().zip(given) {
            list.extend(more);
        }
        self.state_changed();
    }

    /// The attributes a `__dict__` copy or a computed `setattr` gives its receiver, when
    /// they are known: `y.__dict__.update(x.__dict__)` gives `x`'s attributes with what
    /// they hold (`model::dict_reads`), `setattr(y, name, v)` gives an attribute of any
    /// name (`*`) holding `v`. `None`: anything (the receiver's attributes are open).
    fn resolved_opening(&self, mid: ModuleId, u: &super::extract::SymUse) -> Option<Vec<(String, Vec<Val>)>> {
        use super::class::UseKind;
        let value = u.value.as_ref()?;
        let vals = self.eval_ty(mid, value, 0);
        if vals.contains(&Val::Unknown) {
            return None;
        }
        match u.use_.kind {
            UseKind::DynamicSetattr => Some(vec![("*".to_string(), super::flow::cap_nesting(vals))]),
            UseKind::Dict => {
                // only instances of project classes: an outside object's or a class's
                // `__dict__` may hold anything
                if !vals.iter().all(|v| matches!(v, Val::Inst(_))) {
                    return None;
                }
                let (sources, _) = Project::instance_classes(&vals);
                let mut out = Vec::new();
                for s in sources {
                    if self.open_classes.contains(&s) {
                        return None;
                    }
                    for name in self.attribute_names(s) {
                        let held = super::flow::cap_nesting(self.attr_of_instance(s, &name));
                        out.push((name, held));
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// Every typed use attributed to the classes it can reach (or kept as an unknown
    /// use).
    fn attribute_uses(&mut self, flows: Flows) {
        let n = self.classes.len();
        if std::env::var_os("SLOTKIT_DEBUG_UNKNOWN").is_some() {
            let mut open: Vec<&str> = self.open_classes.iter().filter_map(|c| self.classes.get(*c)).map(|c| c.qualname.as_str()).collect();
            open.sort_unstable();
            eprintln!("classes with open attributes: {open:?}");
        }
        let mut outside = vec![Vec::new(); n];
        let mut referenced = vec![false; n];
        for (mid, u) in flows.typed {
            let vals = self.eval_sym(mid, &u.sym, 0);
            let (classes, unknown) = Project::instance_classes(&vals);
            // a use recorded more than once (several receivers) is sole if each one is
            let sole = !vals.is_empty() && vals.iter().all(|v| matches!(v, Val::Inst(_)));
            let all = self.sole_receivers.entry((mid, u.use_.range)).or_insert_with(|| Some(Vec::new()));
            match all {
                Some(list) if sole => classes.iter().for_each(|c| if !list.contains(c) { list.push(*c) }),
                _ => *all = None,
            }
            for c in classes {
                if let Some(list) = outside.get_mut(c) {
                    list.push((mid, u.use_.clone()));
                }
                if let Some(r) = referenced.get_mut(c) {
                    *r = true;
                }
            }
            for v in &vals {
                if let (Val::Class(c), super::class::UseKind::Write(name)) = (v, &u.use_.kind) {
                    if let Some(k) = self.classes.get_mut(*c) {
                        k.late_class_attrs.push(name.clone());
                    }
                    self.state_changed();
                }
            }
            if unknown {
                if std::env::var_os("SLOTKIT_DEBUG_UNKNOWN").is_some() {
                    let m = &self.modules[mid];
                    let (line, _) = m.lines.line_col(&m.text, u.use_.range.start().to_usize());
                    eprintln!("{}:{line}: {:?} = {vals:?}", m.display, u.sym);
                }
                self.unknown_uses.push((mid, u.use_));
            }
        }
        for (mid, sym) in &flows.refs {
            for v in self.eval_sym(*mid, sym, 0) {
                if let Val::Class(c) | Val::Inst(c) = v {
                    if let Some(r) = referenced.get_mut(c) {
                        *r = true;
                    }
                }
            }
        }
        // `Class.method()`: a classmethod may build an instance
        for (mid, (sym, attr)) in &flows.attr_refs {
            for v in self.eval_sym(*mid, sym, 0) {
                let Val::Class(c) = v else { continue };
                let mro = std::iter::once(c).chain(crate::plan::ancestors(self, c));
                let method = mro.filter_map(|k| self.classes.get(k)).any(|k| {
                    k.member(attr).is_some_and(|m| m.kind == super::class::MemberKind::Method)
                });
                if method {
                    if let Some(r) = referenced.get_mut(c) {
                        *r = true;
                    }
                }
            }
        }
        self.outside_uses = outside;
        self.referenced = referenced;
        // a receiver with several unknown alternatives records the same use once each
        let mut seen = HashSet::default();
        self.unknown_uses.retain(|(m, u)| seen.insert((*m, u.range.start(), u.kind.clone())));
    }
}

/// The (class, attribute) pairs stores through other objects give.
fn given_names(extra: &[Vec<(String, Vec<Val>)>]) -> Vec<(ClassId, String)> {
    extra.iter().enumerate().flat_map(|(c, list)| list.iter().map(move |(n, _)| (c, n.clone()))).collect()
}
