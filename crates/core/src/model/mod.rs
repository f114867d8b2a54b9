//! The workflow data model (formats.md §4–§9).

pub mod condition;

pub use condition::{Condition, Operator};
