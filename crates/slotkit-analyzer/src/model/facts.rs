//! What one module's walk (`model::extract`) hands to the project: its classes, its
//! uses (typed and unknown), its call sites and the names it lets escape.

use rustc_hash::FxHashMap as HashMap;


use super::class::{ClassInfo, Use};
use super::imports::ImportTable;
use super::ty::{Sym, Ty};

/// A use on a receiver whose type is symbolic (resolved when the project is linked).
#[derive(Debug, Clone)]
pub struct SymUse {
    pub sym: Sym,
    pub use_: Use,
    /// for writes: the type of the stored value
    pub value: Option<Ty>,
}

#[derive(Debug, Default)]
pub struct ModuleFacts {
    pub table: ImportTable,
    pub classes: Vec<ClassInfo>,
    pub typed_uses: Vec<SymUse>,
    /// uses on receivers of unknown type
    pub unknown_uses: Vec<Use>,
    /// attribute names written on receivers of unknown type (`x.name = ...`)
    pub loose_writes: Vec<String>,
    /// (name, value type) of stores on receivers of unknown type
    pub loose_attr_types: Vec<(String, Ty)>,
    /// `SomeClass.name = ...` (dotted class, attribute) after class creation
    pub class_attr_writes: Vec<(String, String)>,
    /// class objects called or passed around as values (instantiation evidence)
    pub class_refs: Vec<Sym>,
    /// `recv.attr.append(v)` on a typed receiver: (receiver, attribute, added type)
    pub typed_grows: Vec<(Sym, String, Ty)>,
    /// parameters (callee key, position, name) whose container the function adds to:
    /// the attributes passed there grow (`Project::link_arg_grows`)
    pub arg_grows: Vec<(String, usize, String)>,
    /// top-level classes whose instances never leave this (closed) module
    /// (`model::by_name`)
    pub confined_classes: Vec<String>,
    /// module-level function -> the type its return annotation promises
    pub returns: HashMap<String, Ty>,
    /// module-level function -> what it passes to the callable it gets first
    /// (`model::callbacks`)
    pub callbacks: HashMap<String, Vec<Ty>>,
    /// module-level function -> what the decorator it returns passes, per position
    /// (`model::callbacks`)
    pub factories: HashMap<String, Vec<super::callbacks::FactoryArg>>,
    /// module-level `name = factory(args)`: the factory (dotted) and the argument types
    pub factory_vars: HashMap<String, (String, Vec<Ty>)>,
    /// module-level variables and what they may hold (`model::namespace`)
    pub globals: HashMap<String, Ty>,
    /// writes into modules' namespaces (`model::namespace`)
    pub namespace_writes: Vec<super::namespace::NamespaceWrite>,
    /// what the module puts into `sys.modules` (`model::module_table`)
    pub module_table_items: Vec<Ty>,
    /// `Class.attr` reads: (class, attribute)
    pub class_attr_refs: Vec<(Sym, String)>,
    /// calls of module-level functions by name
    pub call_sites: Vec<CallSite>,
    /// pytest fixtures defined here: (fixture name, type of its value)
    pub fixtures: Vec<(String, Ty)>,
    /// private names used other than as a callee by name (`model::private_calls`)
    pub escaped: Vec<String>,
    /// (scope, prefix): a private function of a module under `scope` (empty: any module,
    /// and private methods) whose name starts with `prefix` may be reached by a computed
    /// name (`model::private_calls`)
    pub escaped_prefixes: Vec<(String, String)>,
    /// public names called or read as values in open modules, or reached by a literal
    /// `getattr` (`model::closed`)
    pub open_names: Vec<String>,
    /// computed `getattr`s bound to module variables of a closed module: they escape (as
    /// `escaped_prefixes`) if another module imports this one (`model::by_name`)
    pub escaped_if_imported: Vec<(String, String)>,
    /// (callee key, how it can be called) of functions, methods and closed classes whose
    /// parameters are typed from call sites (`model::by_name`)
    pub arities: Vec<(String, super::by_name_sites::Arity)>,
    /// receivers of computed `getattr`s typed when linking (`<receiver>#n` scopes)
    pub getattr_receivers: std::cell::RefCell<Vec<Ty>>,
}

/// `f(a, b, k=c)` where `f` names a module-level function (dotted as qualified here).
#[derive(Debug, Clone)]
pub struct CallSite {
    pub callee: String,
    pub args: Vec<Ty>,
    pub keywords: Vec<(String, Ty)>,
    /// `*args` / `**kwargs` at the call: parameters past `args` may get anything
    pub spread: bool,
    /// for a method call `x._m(...)`: the receiver `x` (called on a class object, the
    /// arguments would start at `self`)
    pub receiver: Option<Ty>,
    /// for `type(x)(...)` / `x.__class__(...)`: `x`, whose class is made (`model::by_name`)
    pub made_from: Option<Ty>,
}
