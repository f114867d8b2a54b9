//! Upgrading a store file of an earlier layout in place, on open ([`super::tables`]).
//!
//! Layout 1 kept every closed visit and every answer inside the session record, so each commit
//! rewrote a record that grew with the session's age (docs/protocol.md#session-history). Layout 2
//! moves them into the `history` table. The upgrade runs in one write transaction: a crash
//! during it leaves the file at layout 1, to be upgraded on the next start.

use redb::{ReadableTable, WriteTransaction};
use serde_json::{Map, Value};
use workflow_core::session::record::{Answer, CompletedVisit};
use workflow_core::session::{HistoryEntry, HistoryItem, SessionRecord};

use super::tables::{self, HISTORY, LAYOUT, LAYOUT_VERSION, RECORDS, VERSION_KEY};

#[derive(Debug, thiserror::Error)]
pub enum UpgradeError {
    #[error(
        "it was written by a newer workflow-server (store layout {0}, this one knows {LAYOUT_VERSION})"
    )]
    Newer(u64),
    #[error("the record of session {sid} cannot be upgraded: {detail}")]
    Record { sid: String, detail: String },
    #[error(transparent)]
    Database(#[from] redb::Error),
}

impl From<redb::TableError> for UpgradeError {
    fn from(e: redb::TableError) -> Self {
        UpgradeError::Database(e.into())
    }
}

impl From<redb::StorageError> for UpgradeError {
    fn from(e: redb::StorageError) -> Self {
        UpgradeError::Database(e.into())
    }
}

/// Creates missing tables and brings the file to [`LAYOUT_VERSION`]. Returns how many records
/// were upgraded (0 for a new file or one already current).
pub fn run(txn: &WriteTransaction) -> Result<u64, UpgradeError> {
    tables::create(txn)?;
    let found = txn.open_table(LAYOUT)?.get(VERSION_KEY)?.map(|v| v.value());
    let upgraded = match found {
        Some(LAYOUT_VERSION) => return Ok(0),
        Some(newer) if newer > LAYOUT_VERSION => return Err(UpgradeError::Newer(newer)),
        _ => records_to_layout_2(txn)?,
    };
    txn.open_table(LAYOUT)?
        .insert(VERSION_KEY, LAYOUT_VERSION)?;
    Ok(upgraded)
}

fn records_to_layout_2(txn: &WriteTransaction) -> Result<u64, UpgradeError> {
    let mut records = txn.open_table(RECORDS)?;
    let mut history = txn.open_table(HISTORY)?;
    let mut sids = Vec::new();
    for item in records.iter()? {
        sids.push(item?.0.value().to_owned());
    }
    for sid in &sids {
        let Some(bytes) = records.get(sid.as_str())?.map(|v| v.value().to_vec()) else {
            continue;
        };
        let failed = |detail: String| UpgradeError::Record {
            sid: sid.clone(),
            detail,
        };
        let old: Value = serde_json::from_slice(&bytes).map_err(|e| failed(e.to_string()))?;
        let (record, entries) = layout_2(old).map_err(failed)?;
        for entry in &entries {
            let encoded = serde_json::to_vec(entry).map_err(|e| failed(e.to_string()))?;
            history.insert((sid.as_str(), entry.index), encoded.as_slice())?;
        }
        let encoded = serde_json::to_vec(&record).map_err(|e| failed(e.to_string()))?;
        records.insert(sid.as_str(), encoded.as_slice())?;
    }
    Ok(sids.len() as u64)
}

/// A layout-1 record as a layout-2 record and its history: the closed visits and every answer
/// but the latest become entries, in the order they happened; the open visit's answers become
/// `visit_answers`; the stored trace segments go (they are read off the events now).
pub(crate) fn layout_2(old: Value) -> Result<(SessionRecord, Vec<HistoryEntry>), String> {
    let Value::Object(mut map) = old else {
        return Err("it is not a JSON object".to_owned());
    };
    let visits: Vec<CompletedVisit> = take(&mut map, "completed_activities")?;
    let mut answers: Vec<Answer> = take(&mut map, "answers")?;
    if let Some(Value::Object(trace)) = map.get_mut("trace") {
        trace.remove("segments");
    }
    let current: Option<(String, u64)> = map.get("current").and_then(|c| {
        Some((
            c.get("activity_id")?.as_str()?.to_owned(),
            c.get("entered_revision")?.as_u64()?,
        ))
    });
    let mut visit_answers: Vec<String> = Vec::new();
    if let Some((activity, entered)) = &current {
        for a in &answers {
            if &a.activity_id == activity
                && a.revision > *entered
                && !visit_answers.contains(&a.checkpoint_id)
            {
                visit_answers.push(a.checkpoint_id.clone());
            }
        }
    }
    let mut completed: Vec<String> = Vec::new();
    for v in &visits {
        if !completed.contains(&v.activity_id) {
            completed.push(v.activity_id.clone());
        }
    }
    let last_answer = answers.pop();
    let mut items: Vec<(u64, HistoryItem)> = visits
        .into_iter()
        .map(|v| (v.left_at, HistoryItem::Visit(v)))
        .chain(
            answers
                .into_iter()
                .map(|a| (a.answered_at, HistoryItem::Answer(a))),
        )
        .collect();
    items.sort_by_key(|(at, _)| *at);
    let entries: Vec<HistoryEntry> = items
        .into_iter()
        .zip(0u64..)
        .map(|((_, item), index)| HistoryEntry { index, item })
        .collect();
    map.insert("completed_activities".into(), to_json(&completed)?);
    map.insert("last_answer".into(), to_json(&last_answer)?);
    map.insert("visit_answers".into(), to_json(&visit_answers)?);
    map.insert(
        "history".into(),
        serde_json::json!({"next_index": entries.len(), "first_kept": 0}),
    );
    let mut record: SessionRecord =
        serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())?;
    let mut skipped = Vec::new();
    for s in record.skipped_activities.drain(..) {
        if !skipped.contains(&s) {
            skipped.push(s);
        }
    }
    record.skipped_activities = skipped;
    Ok((record, entries))
}

fn take<T: serde::de::DeserializeOwned>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<T, String> {
    let value = map.remove(key).unwrap_or(Value::Array(Vec::new()));
    serde_json::from_value(value).map_err(|e| format!("{key}: {e}"))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}
