//! The workflow core for Node and browsers: the npm package's WebAssembly module.
//!
//! [`api`] and [`preview`] are plain Rust over the core, tested natively; [`bindings`] only
//! converts between JavaScript values and their arguments and results, and turns errors into
//! JavaScript errors. [`typescript`] generates the package's TypeScript declarations from the
//! same Rust types.

pub mod api;
mod bindings;
pub mod preview;
pub mod typescript;

#[cfg(test)]
mod testdata;
