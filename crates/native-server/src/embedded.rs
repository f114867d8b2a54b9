//! The project's `workflows/` folder, embedded at build time (see `build.rs`), served when
//! neither `--workflows` nor `WORKFLOW_DIR` names a folder.

include!(concat!(env!("OUT_DIR"), "/embedded_workflows.rs"));
