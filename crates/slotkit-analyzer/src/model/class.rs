//! Facts about one class definition, gathered from its body and methods.

use ruff_text_size::TextRange;

pub type ClassId = usize;
pub type ModuleId = usize;

/// How a class-level name is defined in the class body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    /// `x = ...`, `x: T = ...`
    Value,
    /// `def x(...)`
    Method,
    /// `@property def x`, or a setter/getter/deleter of one
    Property,
    /// `@functools.cached_property def x`
    CachedProperty,
    /// a nested `class x`
    Class,
    /// `x: T` without a value (allowed next to a slot)
    Annotation,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub kind: MemberKind,
    pub range: TextRange,
    /// defined under an `if`/`try` in the class body
    pub conditional: bool,
    /// first decorator that is not a builtin (dotted), for methods
    pub decorator: Option<String>,
    /// `x = Factory(...)`: the callee (dotted), for descriptor instances
    pub value_call: Option<String>,
    /// a plain `def` (no decorator): an instance method
    pub instance_method: bool,
}

/// A `__slots__ = ...` declaration in a class body.
#[derive(Debug, Clone)]
pub struct SlotsDecl {
    /// the literal names with their ranges (string items)
    pub names: Vec<(String, TextRange)>,
    /// `__slots__ = "name"`
    pub single_string: bool,
    /// some item or the whole value is not a string literal
    pub dynamic: bool,
    pub range: TextRange,
}

impl SlotsDecl {
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|(n, _)| n == name)
    }

    /// Slots that add storage to the layout (not `__dict__` / `__weakref__`).
    pub fn storage_names(&self) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| *n != "__dict__" && *n != "__weakref__")
    }
}

/// Dataclass-like decorators that rebuild the class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataclassKind {
    #[default]
    None,
    Dataclass {
        slots: bool,
        weakref_slot: bool,
    },
    Attrs {
        slots: bool,
    },
}

/// One base class expression.
#[derive(Debug, Clone)]
pub struct BaseRef {
    /// source text, for messages
    pub text: String,
    /// canonical dotted name, if the expression is a name/attribute chain
    pub dotted: Option<String>,
    /// `namedtuple(...)` / `NamedTuple(...)` call used directly as a base
    pub namedtuple_call: bool,
    pub range: TextRange,
}

/// A use of an instance found in code: on `self` inside the class, or on a
/// variable whose type is inferred.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UseKind {
    /// `obj.name = ...` (or a constant-name `setattr`)
    Write(String),
    /// `obj.__dict__` or `vars(obj)`
    Dict,
    /// `weakref.ref(obj)` and friends
    Weakref,
    /// `setattr(obj, <non-constant>, ...)`
    DynamicSetattr,
    /// `obj.__class__ = ...`
    ClassAssign,
    /// `mock.patch.object(obj, ...)` / `monkeypatch.setattr(obj, ...)`
    Patch,
}

#[derive(Debug, Clone)]
pub struct Use {
    pub kind: UseKind,
    pub range: TextRange,
    /// a `__dict__` use that only reads the dict (`model::dict_reads`): it still needs a
    /// `__dict__`, but gives the instance no attribute
    pub inert: bool,
}

/// Everything known about one `class` statement.
/// A method's parameters after its receiver: (name, annotated type).
pub type MethodParams = Vec<(String, Option<super::ty::Ty>)>;

#[derive(Debug, Clone)]
pub struct ClassInfo {
    pub module: ModuleId,
    pub name: String,
    pub qualname: String,
    pub range: TextRange,
    pub name_range: TextRange,
    /// nested in a function: its bases are still resolved at module level
    pub top_level: bool,
    pub bases: Vec<BaseRef>,
    pub metaclass: Option<String>,
    /// canonical dotted names of the class decorators
    pub decorators: Vec<String>,
    pub dataclass: DataclassKind,
    pub slots: Option<SlotsDecl>,
    pub members: Vec<Member>,
    /// annotated names in the body in order (dataclass fields)
    pub annotations: Vec<String>,
    /// uses on `self` (and on instances made in `__new__`/classmethods) in its methods
    pub self_uses: Vec<Use>,
    /// `self.x` reads
    pub reads: Vec<String>,
    /// zero-argument `super()` or `__class__` inside its methods
    pub class_cell_uses: Vec<TextRange>,
    /// `__setattr__` / `__getattribute__` / `__delattr__` defined in the body
    pub attr_hooks: Vec<String>,
    /// a descriptor whose `__get__`/`__set__` uses the instance's `__dict__`
    pub dict_descriptor: bool,
    /// its `__setstate__` copies the pickled state into `self.__dict__`, taken for a copy
    /// within the family (`model::setstate`)
    pub setstate_copy: bool,
    /// it defines `__reduce__`/`__reduce_ex__` that may hand a state to some class's
    /// `__setstate__` (a `return` other than a tuple of at most two items)
    pub reduce_with_state: bool,
    /// class attributes assigned after creation (`cls.x = ...`, `Point.x = ...`)
    pub late_class_attrs: Vec<String>,
    /// instance attribute types: `self.x = v`, `x: T` in the body, stores through typed receivers
    pub attr_types: Vec<(String, super::ty::Ty)>,
    /// method name -> the type its return annotation promises
    pub method_returns: Vec<(String, super::ty::Ty)>,
    /// method name -> its parameters after the first: (name, annotated type)
    /// (`model::overrides`)
    pub method_params: Vec<(String, MethodParams)>,
    /// defined under `if TYPE_CHECKING:`: never exists at run time
    pub type_checking: bool,
    /// a `typing.Protocol` (structural: never instantiated, matches any class)
    pub protocol: bool,
    /// where `__slots__ = ...` can be inserted: (offset, indentation, text after) or None
    pub insert_at: Option<InsertPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertPoint {
    pub offset: usize,
    pub indent: String,
    /// the insertion goes after a docstring on the same line: prefix a newline
    pub after_line: bool,
    /// the next statement is a `def`/`class`: leave a blank line before it
    pub blank_after: bool,
    /// a docstring precedes the insertion: leave a blank line after it
    pub blank_before: bool,
}

impl ClassInfo {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Names written on instances, in first-write order, without duplicates.
    pub fn written_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for u in &self.self_uses {
            if let UseKind::Write(n) = &u.kind {
                if !out.contains(n) {
                    out.push(n.clone());
                }
            }
        }
        out
    }
}
