//! The whole domain of the workflow server, free of IO: the host passes in file contents, time,
//! randomness and keys, and applies the state changes this crate hands back.

pub mod catalog;
pub mod convert;
pub mod decode;
pub mod diagnostic;
pub mod encode;
pub mod engine;
pub mod ids;
pub mod keyring;
pub mod model;
mod number;
pub mod pointer;
pub mod schema;
pub mod session;
pub mod text;
pub mod token;
mod validate;
