//! How a skill is served: as authored, with its resource references qualified by its own
//! workflow (docs/protocol.md#get_skill).

use serde_json::Value;

use super::results::ServedSkill;
use super::warnings::Warning;
use crate::catalog::{SkillDef, SkillLookupError};
use crate::engine::warnings::WarningCode;

/// Separates the sections of a text rendering that holds several definitions.
pub(crate) const SECTION: &str = "\n\n---\n\n";

/// The skill as served: authored fields in file order; bare resource references get the
/// skill's workflow in front (`"03"` in a meta skill becomes `"meta/03"`).
pub(crate) fn serve(skill: &SkillDef) -> ServedSkill {
    let mut raw = skill.raw.clone();
    if let Some(Value::Array(refs)) = raw.get_mut("resources") {
        for r in refs.iter_mut() {
            if let Value::String(s) = r
                && !s.contains('/')
            {
                *s = format!("{}/{}", skill.workflow, s);
            }
        }
    }
    ServedSkill {
        skill_id: skill.qualified_id(),
        skill: raw,
    }
}

pub(crate) fn skill_unavailable(reference: &str, reason: &SkillLookupError) -> Warning {
    Warning::new(
        WarningCode::SkillUnavailable,
        format!("Skill '{reference}' is unavailable: {reason}."),
    )
}
