//! The clock and id source the engine reads through [`Env`]: the system clock and v4 UUIDs
//! from the OS's random source.

use std::time::{SystemTime, UNIX_EPOCH};

use workflow_core::session::Env;

pub struct SystemEnv;

impl Env for SystemEnv {
    fn now_ms(&self) -> u64 {
        now_ms()
    }

    fn uuid(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }
}

/// Unix time in milliseconds; a clock set before 1970 reads as 0 rather than failing.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
