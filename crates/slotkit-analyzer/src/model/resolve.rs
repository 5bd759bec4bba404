//! Resolving a dotted name to a project class across modules: absolute and relative
//! imports, aliases and re-exports.

use super::imports::Binding;
use super::project::{BaseTarget, Project};

const MAX_HOPS: usize = 32;

impl Project {
    /// Resolve a canonical dotted name (as produced by `ImportTable::qualify`).
    pub fn resolve(&self, dotted: &str) -> BaseTarget {
        if let Some(hit) = self.resolve_cache.borrow().get(dotted) {
            return hit.clone();
        }
        let out = self.resolve_hops(dotted, 0);
        self.resolve_cache.borrow_mut().insert(dotted.to_string(), out.clone());
        out
    }

    fn resolve_hops(&self, dotted: &str, hops: usize) -> BaseTarget {
        if hops > MAX_HOPS {
            return BaseTarget::Unknown(dotted.to_string());
        }
        let parts: Vec<&str> = dotted.split('.').collect();
        for split in (1..=parts.len()).rev() {
            let module = parts[..split].join(".");
            let Some(&mid) = self.module_index.get(&module) else {
                continue;
            };
            let rest = &parts[split..];
            let Some(first) = rest.first() else {
                return BaseTarget::Unknown(dotted.to_string());
            };
            let Some(m) = self.modules.get(mid) else {
                return BaseTarget::Unknown(dotted.to_string());
            };
            let tail = rest.get(1..).unwrap_or_default().join(".");
            let join = |target: &str| {
                if tail.is_empty() {
                    target.to_string()
                } else {
                    format!("{target}.{tail}")
                }
            };
            return match m.table.bindings.get(*first) {
                Some(Binding::Class) => {
                    let qual = rest.join(".");
                    match self.class_index.get(&(mid, qual)) {
                        Some(&cid) => BaseTarget::Project(cid),
                        None => BaseTarget::Unknown(dotted.to_string()),
                    }
                }
                Some(Binding::Module(target) | Binding::From(target) | Binding::Alias(target)) => {
                    let next = join(target);
                    if next == dotted {
                        return BaseTarget::Unknown(dotted.to_string());
                    }
                    self.resolve_hops(&next, hops + 1)
                }
                Some(Binding::NamedTupleFactory) if tail.is_empty() => BaseTarget::NamedTuple,
                // a submodule reached through its package: `pkg.sub.Class`
                None if self.module_index.contains_key(&format!("{module}.{first}")) => {
                    BaseTarget::Unknown(dotted.to_string())
                }
                _ => BaseTarget::Unknown(dotted.to_string()),
            };
        }
        BaseTarget::External(dotted.to_string())
    }
}
