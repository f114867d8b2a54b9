//! Parameter types more than one tool takes, and how a tool's parsed arguments come back with
//! the `unknown_argument` warnings reading them produced. Each tool's own parameter type is in
//! its module under `tools/`.

use schemars::JsonSchema;

use super::args::Args;
use super::errors::CallError;
use super::warnings::Warning;

/// A tool without parameters.
#[derive(JsonSchema)]
pub(crate) struct NoParams {}

#[derive(JsonSchema)]
pub(crate) struct SessionTokenParams {
    pub session_token: String,
}

/// The parameters of a tool that runs on one session, named by the token in argument `TOKEN`.
pub(crate) trait SessionParams: Sized {
    /// `session_token`, `checkpoint_handle` or `parent_session_token`.
    const TOKEN: &'static str;

    /// The token the call presents.
    fn token(&self) -> &str;

    /// Reads a call's arguments by the rules of [`super::args`].
    fn parse(args: Args) -> Result<Parsed<Self>, CallError>;
}

/// Parsed arguments and the `unknown_argument` warnings they produced.
pub(crate) struct Parsed<P> {
    pub params: P,
    pub warnings: Vec<Warning>,
}

pub(crate) fn done<P>(args: Args, params: P) -> Result<Parsed<P>, CallError> {
    Ok(Parsed {
        warnings: args.finish()?,
        params,
    })
}

impl SessionParams for SessionTokenParams {
    const TOKEN: &'static str = "session_token";

    fn token(&self) -> &str {
        &self.session_token
    }

    fn parse(mut a: Args) -> Result<Parsed<Self>, CallError> {
        let session_token = a.token("session_token", true);
        done(
            a,
            Self {
                session_token: session_token.unwrap_or_default(),
            },
        )
    }
}
