//! Setting session variables (docs/formats.md#modes-and-artifact-locations): the values a call
//! sets, then the declared `defaults` of every mode the change switched on, so a mode's settings
//! hold however it was switched on (an agent's variables, an option's `setVariable`, dispatch).

use serde_json::{Map, Value};

use crate::model::Workflow;

/// Sets `values` on `variables`, then, for each mode whose activation variable was not `true`
/// before and is now, each of its `defaults` that `values` does not set itself (what the call
/// names wins). Returns every variable set, defaults included.
pub(crate) fn assign(
    workflow: &Workflow,
    variables: &mut Map<String, Value>,
    values: &Map<String, Value>,
) -> Map<String, Value> {
    let active = |vars: &Map<String, Value>, name: &str| vars.get(name) == Some(&Value::Bool(true));
    let was_active: Vec<bool> = workflow
        .modes
        .iter()
        .map(|m| active(variables, &m.activation_variable))
        .collect();
    variables.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut set = values.clone();
    for (mode, was) in workflow.modes.iter().zip(was_active) {
        if was || !active(variables, &mode.activation_variable) {
            continue;
        }
        for (name, value) in mode.defaults.iter().flatten() {
            if !values.contains_key(name) {
                variables.insert(name.clone(), value.clone());
                set.insert(name.clone(), value.clone());
            }
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn workflow() -> Workflow {
        serde_json::from_value(json!({
            "id": "w", "version": "1.0.0", "title": "W",
            "modes": [{"id": "quick", "name": "Quick", "activationVariable": "quick",
                       "defaults": {"rounds": 1, "risk": "low"}}]
        }))
        .unwrap()
    }

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn switching_a_mode_on_applies_its_defaults_unless_the_call_sets_them() {
        let mut vars = map(json!({"quick": false, "rounds": 3, "risk": "high"}));
        let set = assign(
            &workflow(),
            &mut vars,
            &map(json!({"quick": true, "risk": "medium"})),
        );
        assert_eq!(
            vars,
            map(json!({"quick": true, "rounds": 1, "risk": "medium"}))
        );
        assert_eq!(
            set,
            map(json!({"quick": true, "risk": "medium", "rounds": 1}))
        );
    }

    #[test]
    fn a_mode_already_on_or_left_off_applies_nothing() {
        let mut vars = map(json!({"quick": true, "rounds": 3}));
        let set = assign(&workflow(), &mut vars, &map(json!({"quick": true})));
        assert_eq!(vars["rounds"], 3);
        assert_eq!(set, map(json!({"quick": true})));
        let mut vars = map(json!({"rounds": 3}));
        assign(&workflow(), &mut vars, &map(json!({"quick": "yes"})));
        assert_eq!(vars["rounds"], 3);
    }
}
