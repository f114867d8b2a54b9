//! The workflow data model (docs/formats.md#workflow-file to docs/formats.md#skills-and-resources).
//! The typed model drives every rule; the decoded JSON of each file is kept beside it so
//! definitions are served as authored, unknown fields and key order included.

pub mod activity;
pub mod condition;
mod flags;
mod patterns;
pub mod skill;
pub mod workflow;

pub use activity::{Activity, Checkpoint, CheckpointOption, Effect, Exit, Step, Transition};
pub use condition::{Condition, Operator};
pub use skill::Skill;
pub use workflow::{ActivityEntry, Variable, VariableType, Workflow};
