//! The whole project: every parsed module and every class, with bases resolved and
//! uses of instances attributed to their classes.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use ruff_text_size::TextRange;

use super::class::{ClassId, ClassInfo, ModuleId, Use};
use super::extract::{extract, ModuleFacts};
use super::imports::{module_name, ImportTable};
use crate::source::LineIndex;

#[derive(Debug)]
pub struct Module {
    pub path: PathBuf,
    pub display: String,
    pub name: String,
    pub text: String,
    pub lines: LineIndex,
    pub table: ImportTable,
    /// why the file could not be analysed: (range, message)
    pub error: Option<(TextRange, String)>,
    pub classes: Vec<ClassId>,
}

/// A resolved base class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseTarget {
    Project(ClassId),
    /// a dotted name outside the project (stdlib, third party)
    External(String),
    /// `namedtuple(...)` call or a name bound to one
    NamedTuple,
    Unknown(String),
}

#[derive(Debug, Default)]
pub struct Project {
    pub modules: Vec<Module>,
    pub classes: Vec<ClassInfo>,
    pub bases: Vec<Vec<BaseTarget>>,
    pub subclasses: Vec<Vec<ClassId>>,
    /// transitive subclasses, computed once
    pub all_descendants: Vec<Vec<ClassId>>,
    /// per class: (member, descriptor) for members decorated with a project
    /// descriptor whose `__get__`/`__set__` stores into the instance `__dict__`
    pub dict_descriptor_members: Vec<Vec<(String, String)>>,
    /// uses of instances from outside the class body (typed receivers)
    pub outside_uses: Vec<Vec<(ModuleId, Use)>>,
    /// attribute names written on receivers of unknown type anywhere
    pub loose_writes: HashSet<String>,
    pub module_index: HashMap<String, ModuleId>,
    pub class_index: HashMap<(ModuleId, String), ClassId>,
}

struct Parsed {
    module: Module,
    facts: Option<ModuleFacts>,
}

fn read_text(path: &std::path::Path) -> (String, Option<String>) {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => (t, None),
            Err(_) => (String::new(), Some("file is not valid UTF-8".to_string())),
        },
        Err(e) => (String::new(), Some(format!("cannot read file: {e}"))),
    }
}

fn parse_one(path: PathBuf, display: String, source: Option<(String, Option<String>)>) -> Parsed {
    let (name, is_package) = match &source {
        // in-memory sources: the module name is the dotted display path
        Some(_) => {
            let trimmed = display.trim_end_matches(".py");
            let is_package = trimmed.ends_with("__init__");
            let dotted = trimmed.trim_end_matches("/__init__").replace('/', ".");
            (dotted, is_package)
        }
        None => module_name(&path),
    };
    let table = ImportTable::new(name.clone(), is_package);
    let (text, read_error) = source.unwrap_or_else(|| read_text(&path));
    let mut module = Module {
        path,
        display,
        name,
        lines: LineIndex::new(&text),
        text,
        table: ImportTable::default(),
        error: read_error.map(|m| (TextRange::default(), m)),
        classes: Vec::new(),
    };
    if module.error.is_some() {
        return Parsed {
            module,
            facts: None,
        };
    }
    match ruff_python_parser::parse_module(&module.text) {
        Ok(parsed) => {
            let facts = extract(&module.text, parsed.syntax(), table);
            Parsed {
                module,
                facts: Some(facts),
            }
        }
        Err(err) => {
            module.error = Some((err.location, err.error.to_string()));
            Parsed {
                module,
                facts: None,
            }
        }
    }
}

impl Project {
    /// Every recorded use of instances of class `cid`: those in its own methods (`inside` true)
    /// and those on typed receivers elsewhere, each with the module it appears in.
    pub fn instance_uses(&self, cid: ClassId) -> impl Iterator<Item = (ModuleId, &Use, bool)> + '_ {
        let class = self.classes.get(cid);
        let own = class.into_iter().flat_map(|c| c.self_uses.iter().map(move |u| (c.module, u, true)));
        let outside = self.outside_uses.get(cid).into_iter().flatten().map(|(m, u)| (*m, u, false));
        own.chain(outside)
    }

    /// Parse `files` (path, display name) in parallel and link them.
    pub fn build(files: Vec<(PathBuf, String)>) -> Project {
        let parsed: Vec<Parsed> = files
            .into_par_iter()
            .map(|(p, d)| parse_one(p, d, None))
            .collect();
        Self::link_parsed(parsed)
    }

    /// Build from in-memory sources `(relative path like "pkg/mod.py", text)`.
    pub fn from_sources(sources: Vec<(String, String)>) -> Project {
        let parsed: Vec<Parsed> = sources
            .into_par_iter()
            .map(|(d, text)| parse_one(PathBuf::from(&d), d, Some((text, None))))
            .collect();
        Self::link_parsed(parsed)
    }

    fn link_parsed(parsed: Vec<Parsed>) -> Project {
        let mut project = Project::default();
        let mut typed = Vec::new();
        let mut class_attr_writes: Vec<(String, String)> = Vec::new();
        for (mid, mut p) in parsed.into_iter().enumerate() {
            if let Some(facts) = p.facts {
                for mut class in facts.classes {
                    class.module = mid;
                    let cid = project.classes.len();
                    project
                        .class_index
                        .entry((mid, class.qualname.clone()))
                        .or_insert(cid);
                    p.module.classes.push(cid);
                    project.classes.push(class);
                }
                for u in facts.typed_uses {
                    typed.push((mid, u));
                }
                class_attr_writes.extend(facts.class_attr_writes);
                project.loose_writes.extend(facts.loose_writes);
                p.module.table = facts.table;
            }
            project.module_index.entry(p.module.name.clone()).or_insert(mid);
            project.modules.push(p.module);
        }
        project.link(typed);
        for (dotted, attr) in class_attr_writes {
            if let BaseTarget::Project(cid) = project.resolve(&dotted) {
                if let Some(c) = project.classes.get_mut(cid) {
                    c.late_class_attrs.push(attr);
                }
            }
        }
        project
    }

    fn link(&mut self, typed: Vec<(ModuleId, super::extract::TypedUse)>) {
        let n = self.classes.len();
        let mut bases: Vec<Vec<BaseTarget>> = Vec::with_capacity(n);
        for class in &self.classes {
            let targets = class
                .bases
                .iter()
                .map(|b| {
                    if b.namedtuple_call {
                        return BaseTarget::NamedTuple;
                    }
                    match &b.dotted {
                        Some(d) => self.resolve(d),
                        None => BaseTarget::Unknown(b.text.clone()),
                    }
                })
                .collect();
            bases.push(targets);
        }
        let mut subclasses = vec![Vec::new(); n];
        for (cid, targets) in bases.iter().enumerate() {
            for t in targets.iter() {
                if let BaseTarget::Project(b) = t {
                    if let Some(list) = subclasses.get_mut(*b) {
                        if !list.contains(&cid) {
                            list.push(cid);
                        }
                    }
                }
            }
        }
        let mut outside = vec![Vec::new(); n];
        for (mid, u) in typed {
            if let BaseTarget::Project(cid) = self.resolve(&u.type_dotted) {
                if let Some(list) = outside.get_mut(cid) {
                    list.push((mid, u.use_));
                }
            }
        }
        self.bases = bases;
        self.subclasses = subclasses;
        self.all_descendants = (0..n).map(|c| self.compute_descendants(c)).collect();
        let mut cache: HashMap<String, bool> = HashMap::default();
        let mut dd = Vec::with_capacity(n);
        for class in &self.classes {
            let mut list = Vec::new();
            for m in &class.members {
                let Some(deco) = &m.decorator else { continue };
                let is_dd = match cache.get(deco) {
                    Some(v) => *v,
                    None => {
                        let v = matches!(self.resolve(deco), BaseTarget::Project(k)
                            if self.classes.get(k).is_some_and(|d| d.dict_descriptor));
                        cache.insert(deco.clone(), v);
                        v
                    }
                };
                if is_dd {
                    let short = deco.rsplit('.').next().unwrap_or(deco).to_string();
                    list.push((m.name.clone(), short));
                }
            }
            dd.push(list);
        }
        self.dict_descriptor_members = dd;
        self.outside_uses = outside;
    }

    /// All project subclasses of `cid`, transitively.
    pub fn descendants(&self, cid: ClassId) -> Vec<ClassId> {
        self.all_descendants.get(cid).cloned().unwrap_or_default()
    }

    fn compute_descendants(&self, cid: ClassId) -> Vec<ClassId> {
        let mut out = Vec::new();
        let mut stack = vec![cid];
        let mut seen = HashSet::default();
        while let Some(c) = stack.pop() {
            for &s in self.subclasses.get(c).map_or(&[][..], |v| v.as_slice()) {
                if seen.insert(s) {
                    out.push(s);
                    stack.push(s);
                }
            }
        }
        out
    }

    pub fn module_of(&self, cid: ClassId) -> Option<&Module> {
        self.classes.get(cid).and_then(|c| self.modules.get(c.module))
    }
}
