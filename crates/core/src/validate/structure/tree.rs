//! A generated schema compiled into nodes the checker walks without looking keywords up by
//! name. Only the keywords schemars emits for the model types are understood: any other keyword
//! is a compile error, so a model change that needs one fails the tests instead of being
//! silently ignored by the checker.

use std::collections::HashMap;

use serde_json::{Number, Value};
use thiserror::Error;

use crate::ids::{
    ID_PATTERN, TARGET_PATTERN, VARIABLE_PATTERN, VERSION_PATTERN, is_id, is_target,
    is_variable_name, is_version,
};

pub(crate) type NodeId = usize;

/// A set of JSON types, as the `type` keyword names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Types(u8);

/// Every type name, in the order messages list them.
const TYPE_NAMES: [&str; 7] = [
    "string", "number", "integer", "boolean", "array", "object", "null",
];

impl Types {
    /// Bit `i` stands for `TYPE_NAMES[i]`.
    const STRING: u8 = 1 << 0;
    const NUMBER: u8 = 1 << 1;
    const INTEGER: u8 = 1 << 2;
    const BOOLEAN: u8 = 1 << 3;
    const ARRAY: u8 = 1 << 4;
    const OBJECT: u8 = 1 << 5;
    const NULL: u8 = 1 << 6;

    fn named(name: &str) -> Option<Types> {
        TYPE_NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Types(1 << i))
    }

    /// Whether `value` is of one of these types; an integer-valued number is an integer.
    pub fn admits(self, value: &Value) -> bool {
        let has = |bit: u8| self.0 & bit != 0;
        match value {
            Value::Null => has(Types::NULL),
            Value::Bool(_) => has(Types::BOOLEAN),
            Value::Number(n) => has(Types::NUMBER) || (has(Types::INTEGER) && is_integral(n)),
            Value::String(_) => has(Types::STRING),
            Value::Array(_) => has(Types::ARRAY),
            Value::Object(_) => has(Types::OBJECT),
        }
    }

    pub fn names(self) -> impl Iterator<Item = &'static str> {
        TYPE_NAMES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
    }
}

fn is_integral(n: &Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// The `pattern`s the schemas use. Each is checked by the hand-written rule in `ids`, which is
/// what the engine applies to requests too, so the two cannot drift.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pattern {
    Id,
    Target,
    Variable,
    Version,
}

impl Pattern {
    fn parse(source: &str) -> Option<Pattern> {
        [
            Pattern::Id,
            Pattern::Target,
            Pattern::Variable,
            Pattern::Version,
        ]
        .into_iter()
        .find(|p| p.source() == source)
    }

    pub fn source(self) -> &'static str {
        match self {
            Pattern::Id => ID_PATTERN,
            Pattern::Target => TARGET_PATTERN,
            Pattern::Variable => VARIABLE_PATTERN,
            Pattern::Version => VERSION_PATTERN,
        }
    }

    pub fn matches(self, text: &str) -> bool {
        match self {
            Pattern::Id => is_id(text),
            Pattern::Target => is_target(text),
            Pattern::Variable => is_variable_name(text),
            Pattern::Version => is_version(text),
        }
    }
}

/// One schema object; absent keywords are `None` or empty.
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub reference: Option<NodeId>,
    pub types: Option<Types>,
    pub properties: Vec<(String, NodeId)>,
    pub required: Vec<String>,
    pub additional: Option<NodeId>,
    pub items: Option<NodeId>,
    pub min_items: Option<u64>,
    pub minimum: Option<Number>,
    pub enumeration: Option<Vec<Value>>,
    pub constant: Option<Value>,
    pub pattern: Option<Pattern>,
    pub any_of: Vec<NodeId>,
    pub one_of: Vec<NodeId>,
}

impl Node {
    /// The schema of the member `name` under `properties`.
    pub fn property(&self, name: &str) -> Option<NodeId> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
}

/// A compiled schema: its nodes, the root first.
#[derive(Debug)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
}

/// Why a schema could not be compiled. Only a change to the model types can cause one.
#[derive(Debug, Error, PartialEq, Eq)]
pub(crate) enum CompileError {
    #[error("{at}: keyword '{keyword}' is not supported by the structure checker")]
    Unsupported { keyword: String, at: String },
    #[error("{at}: pattern '{pattern}' has no hand-written rule in ids.rs")]
    UnknownPattern { pattern: String, at: String },
    #[error("{at}: keyword '{keyword}' has a value of the wrong form")]
    Malformed { keyword: String, at: String },
    #[error("{at}: '$ref' '{reference}' does not name a definition in this schema")]
    UnresolvedRef { reference: String, at: String },
}

impl Tree {
    pub const ROOT: NodeId = 0;

    /// The node `id` stands for once `$ref`s are followed. The walk is bounded, so a chain of
    /// references that never ends at a real node stops at the last one reached.
    pub fn resolve(&self, id: NodeId) -> &Node {
        let mut node = &self.nodes[id];
        for _ in 0..16 {
            match node.reference {
                Some(target) => node = &self.nodes[target],
                None => break,
            }
        }
        node
    }

    pub fn compile(schema: &Value) -> Result<Tree, CompileError> {
        let mut compiler = Compiler {
            root: schema,
            nodes: Vec::new(),
            refs: HashMap::new(),
        };
        compiler.compile(schema, "#")?;
        Ok(Tree {
            nodes: compiler.nodes,
        })
    }
}

struct Compiler<'s> {
    root: &'s Value,
    nodes: Vec<Node>,
    /// Definitions already compiled (or being compiled), so recursive types terminate.
    refs: HashMap<&'s str, NodeId>,
}

impl<'s> Compiler<'s> {
    fn compile(&mut self, schema: &'s Value, at: &str) -> Result<NodeId, CompileError> {
        let id = self.nodes.len();
        self.nodes.push(Node::default());
        self.fill(id, schema, at)?;
        Ok(id)
    }

    fn reference(&mut self, target: &'s str, at: &str) -> Result<NodeId, CompileError> {
        if target == "#" {
            return Ok(Tree::ROOT);
        }
        if let Some(&id) = self.refs.get(target) {
            return Ok(id);
        }
        let unresolved = || CompileError::UnresolvedRef {
            reference: target.to_owned(),
            at: at.to_owned(),
        };
        let path = target.strip_prefix("#/$defs/").ok_or_else(unresolved)?;
        let schema = self
            .root
            .get("$defs")
            .and_then(|defs| defs.get(path))
            .ok_or_else(unresolved)?;
        let id = self.nodes.len();
        self.nodes.push(Node::default());
        self.refs.insert(target, id);
        self.fill(id, schema, target)?;
        Ok(id)
    }

    fn fill(&mut self, id: NodeId, schema: &'s Value, at: &str) -> Result<(), CompileError> {
        let members = match schema {
            // `true` accepts everything: the empty node.
            Value::Bool(true) => return Ok(()),
            Value::Object(members) => members,
            _ => {
                return Err(CompileError::Unsupported {
                    keyword: schema.to_string(),
                    at: at.to_owned(),
                });
            }
        };
        let mut node = Node::default();
        for (keyword, value) in members {
            let here = format!("{at}/{keyword}");
            let malformed = || CompileError::Malformed {
                keyword: keyword.clone(),
                at: at.to_owned(),
            };
            match keyword.as_str() {
                // Annotations, and `format`, which the checker treats as one (draft 2020-12's
                // default); `$defs` are compiled when a `$ref` reaches them.
                "$schema" | "$id" | "$defs" | "title" | "description" | "default" | "examples"
                | "format" => {}
                "$ref" => {
                    let target = value.as_str().ok_or_else(malformed)?;
                    node.reference = Some(self.reference(target, at)?);
                }
                "type" => {
                    let names: Vec<&str> = match value {
                        Value::String(name) => vec![name.as_str()],
                        Value::Array(names) => names
                            .iter()
                            .map(|n| n.as_str().ok_or_else(malformed))
                            .collect::<Result<_, _>>()?,
                        _ => return Err(malformed()),
                    };
                    let mut types = Types(0);
                    for name in names {
                        types.0 |= Types::named(name).ok_or_else(malformed)?.0;
                    }
                    node.types = Some(types);
                }
                "properties" => {
                    for (name, property) in value.as_object().ok_or_else(malformed)? {
                        let child = self.compile(property, &format!("{here}/{name}"))?;
                        node.properties.push((name.clone(), child));
                    }
                }
                "required" => {
                    node.required = value
                        .as_array()
                        .ok_or_else(malformed)?
                        .iter()
                        .map(|n| n.as_str().map(str::to_owned).ok_or_else(malformed))
                        .collect::<Result<_, _>>()?;
                }
                "additionalProperties" => {
                    // `true` is the default; anything else constrains extra members.
                    if value != &Value::Bool(true) {
                        node.additional = Some(self.compile(value, &here)?);
                    }
                }
                "items" => node.items = Some(self.compile(value, &here)?),
                "minItems" => node.min_items = Some(value.as_u64().ok_or_else(malformed)?),
                "minimum" => match value {
                    Value::Number(n) => node.minimum = Some(n.clone()),
                    _ => return Err(malformed()),
                },
                "enum" => node.enumeration = Some(value.as_array().ok_or_else(malformed)?.clone()),
                "const" => node.constant = Some(value.clone()),
                "pattern" => {
                    let source = value.as_str().ok_or_else(malformed)?;
                    node.pattern = Some(Pattern::parse(source).ok_or_else(|| {
                        CompileError::UnknownPattern {
                            pattern: source.to_owned(),
                            at: at.to_owned(),
                        }
                    })?);
                }
                "anyOf" | "oneOf" => {
                    let mut branches = Vec::new();
                    for (i, branch) in value.as_array().ok_or_else(malformed)?.iter().enumerate() {
                        branches.push(self.compile(branch, &format!("{here}/{i}"))?);
                    }
                    if keyword == "anyOf" {
                        node.any_of = branches;
                    } else {
                        node.one_of = branches;
                    }
                }
                _ => {
                    return Err(CompileError::Unsupported {
                        keyword: keyword.clone(),
                        at: at.to_owned(),
                    });
                }
            }
        }
        self.nodes[id] = node;
        Ok(())
    }
}
