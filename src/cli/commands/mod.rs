//! One file per subcommand, each with its arguments (clap derive: the doc comments are the help
//! text) and a `run`.

pub mod build;
pub mod docs;
pub mod explain;
pub mod export;
pub mod facts;
pub mod generate;
pub mod ingest;
pub mod lookup;
pub mod neighbors;
pub mod path;
pub mod push;
pub mod query;
pub mod rank;
pub mod sentences;
#[cfg(feature = "serve")]
pub mod serve;
pub mod timeline;
pub mod validate;
