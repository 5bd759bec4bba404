//! What is known about standard-library and builtin base classes: whether their
//! instances carry a `__dict__` and a `__weakref__`, and their instance layout.

/// Layout facts about a base class outside the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternalBase {
    /// instances of a subclass that declares `__slots__` still have a `__dict__`
    pub dict: bool,
    /// instances support weak references without a `__weakref__` slot
    pub weakref: bool,
    /// variable-size builtin: non-empty `__slots__` raise TypeError
    pub varsize: Option<&'static str>,
    /// the base that defines the instance layout (for layout conflicts)
    pub solid: &'static str,
    pub kind: BaseKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseKind {
    Object,
    Builtin,
    /// declares `__slots__ = ()` (ABC, Generic, collections.abc, numbers)
    EmptySlots,
    /// `typing.Protocol`: a subclass is itself a protocol
    Protocol,
    /// `typing.NamedTuple` / `collections.namedtuple`
    NamedTuple,
    TypedDict,
    Enum,
    Exception,
    /// a stdlib class whose instances keep a `__dict__`
    DictClass,
}

const fn base(dict: bool, weakref: bool, solid: &'static str, kind: BaseKind) -> ExternalBase {
    ExternalBase {
        dict,
        weakref,
        varsize: None,
        solid,
        kind,
    }
}

const EXCEPTION_SUFFIXES: &[&str] = &["Error", "Exception", "Warning", "Exit", "Interrupt"];

const DICT_CLASSES: &[&str] = &[
    "threading.Thread",
    "threading.local",
    "_thread._local",
    "types.ModuleType",
    "types.SimpleNamespace",
    "argparse.Namespace",
    "argparse.Action",
    "argparse.ArgumentParser",
    "logging.Handler",
    "logging.StreamHandler",
    "logging.FileHandler",
    "logging.Formatter",
    "logging.Filter",
    "logging.Logger",
    "logging.LoggerAdapter",
    "collections.OrderedDict",
    "collections.Counter",
    "collections.UserDict",
    "collections.UserList",
    "collections.UserString",
    "unittest.TestCase",
    "ast.NodeVisitor",
    "ast.NodeTransformer",
    "json.JSONEncoder",
    "json.JSONDecoder",
    "string.Formatter",
    "string.Template",
    "contextlib.ContextDecorator",
    "contextlib.AbstractContextManager",
    "html.parser.HTMLParser",
    "socketserver.BaseRequestHandler",
    "http.server.BaseHTTPRequestHandler",
];

/// Facts for a dotted name outside the project, or `None` when unknown.
pub fn external_base(dotted: &str) -> Option<ExternalBase> {
    let (module, name) = dotted.rsplit_once('.').unwrap_or(("", dotted));
    let found = match (module, name) {
        ("builtins", "object") => base(false, false, "object", BaseKind::Object),
        ("builtins", "int" | "bool") => ExternalBase {
            varsize: Some("int"),
            ..base(false, false, "int", BaseKind::Builtin)
        },
        ("builtins", "bytes") => ExternalBase {
            varsize: Some("bytes"),
            ..base(false, false, "bytes", BaseKind::Builtin)
        },
        ("builtins", "tuple") => ExternalBase {
            varsize: Some("tuple"),
            ..base(false, false, "tuple", BaseKind::Builtin)
        },
        ("builtins", n @ ("str" | "float" | "complex" | "list" | "dict" | "set" | "bytearray")) => {
            base(false, false, static_name(n), BaseKind::Builtin)
        }
        ("builtins", "frozenset") => base(false, true, "frozenset", BaseKind::Builtin),
        ("collections", "defaultdict") => base(false, false, "dict", BaseKind::Builtin),
        ("collections", "deque") => base(false, true, "deque", BaseKind::Builtin),
        ("abc", "ABC") => base(false, false, "object", BaseKind::EmptySlots),
        ("typing" | "typing_extensions", "Generic") => {
            base(false, false, "object", BaseKind::EmptySlots)
        }
        ("typing" | "typing_extensions", "Protocol") => {
            base(false, false, "object", BaseKind::Protocol)
        }
        ("typing" | "typing_extensions", "NamedTuple") => ExternalBase {
            varsize: Some("tuple"),
            ..base(false, false, "tuple", BaseKind::NamedTuple)
        },
        ("typing" | "typing_extensions", "TypedDict") => {
            base(true, true, "dict", BaseKind::TypedDict)
        }
        ("collections.abc" | "typing" | "numbers", _) if is_abc_name(name) => {
            base(false, false, "object", BaseKind::EmptySlots)
        }
        ("enum", _) => base(true, true, "object", BaseKind::Enum),
        ("builtins", n) if EXCEPTION_SUFFIXES.iter().any(|s| n.ends_with(s)) => {
            base(true, true, "BaseException", BaseKind::Exception)
        }
        ("builtins", "StopIteration" | "StopAsyncIteration" | "GeneratorExit") => {
            base(true, true, "BaseException", BaseKind::Exception)
        }
        _ if DICT_CLASSES.contains(&dotted) => base(true, true, "object", BaseKind::DictClass),
        _ => return None,
    };
    Some(found)
}

fn static_name(n: &str) -> &'static str {
    match n {
        "str" => "str",
        "float" => "float",
        "complex" => "complex",
        "list" => "list",
        "dict" => "dict",
        "set" => "set",
        _ => "bytearray",
    }
}

/// `collections.abc` / `typing` ABC names and `numbers` classes (all `__slots__ = ()`).
fn is_abc_name(name: &str) -> bool {
    const ABCS: &[&str] = &[
        "Hashable", "Awaitable", "Coroutine", "AsyncIterable", "AsyncIterator", "Iterable",
        "Iterator", "Reversible", "Generator", "AsyncGenerator", "Sized", "Container",
        "Callable", "Collection", "Set", "MutableSet", "Mapping", "MutableMapping",
        "MappingView", "KeysView", "ItemsView", "ValuesView", "Sequence", "MutableSequence",
        "ByteString", "Buffer", "Number", "Complex", "Real", "Rational", "Integral",
    ];
    ABCS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_bases() {
        assert!(!external_base("abc.ABC").is_some_and(|b| b.dict));
        assert!(external_base("builtins.ValueError").is_some_and(|b| b.dict));
        assert_eq!(external_base("builtins.int").and_then(|b| b.varsize), Some("int"));
        assert!(external_base("threading.Thread").is_some_and(|b| b.dict));
        assert!(external_base("requests.Session").is_none());
        assert!(external_base("collections.abc.Mapping").is_some_and(|b| !b.dict));
    }
}
