//! The committed JSON Schemas must equal the ones generated from the model types. Regenerate
//! with `UPDATE_SCHEMAS=1 cargo test -p workflow-core --test schemas`.

use std::path::PathBuf;

use workflow_core::schema::{SchemaKind, render};

fn path(kind: SchemaKind) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(format!("{}.json", kind.name()))
}

#[test]
fn committed_schemas_match_the_model() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    for kind in SchemaKind::ALL {
        let generated = render(kind);
        let file = path(kind);
        if update {
            std::fs::write(&file, &generated).expect("write schema");
            continue;
        }
        let committed = std::fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with UPDATE_SCHEMAS=1 to create it",
                file.display()
            )
        });
        assert!(
            committed == generated,
            "{} differs from the schema generated from the model; run UPDATE_SCHEMAS=1 cargo test -p workflow-core --test schemas and commit it",
            file.display()
        );
    }
}

#[test]
fn schemas_are_draft_2020_12_and_compile() {
    for kind in SchemaKind::ALL {
        let schema = kind.schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        jsonschema::draft202012::new(schema)
            .unwrap_or_else(|e| panic!("{} schema does not compile: {e}", kind.name()));
    }
}
