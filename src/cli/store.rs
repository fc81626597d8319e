//! The store every command reads or writes (`--store DIR`, `KG_STORE`), opened through the
//! library's read seam.

use std::io::{self, Write as _};
use std::path::PathBuf;

use clap::{Args, ValueHint};
use kg::store::{LocalGraph, StoreDir};

use super::commands::build;

/// The store every command reads or writes.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The store folder [default: ./kg-store]
    #[arg(long, env = "KG_STORE", value_name = "DIR", value_hint = ValueHint::DirPath)]
    store: Option<PathBuf>,
}

/// The default store folder, in the current directory.
const DEFAULT_STORE: &str = "kg-store";

impl StoreArgs {
    /// The store folder.
    pub fn dir(&self) -> StoreDir {
        StoreDir::new(
            self.store
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_STORE)),
        )
    }

    /// The current generation, to read. When no graph was built in the default folder yet, the
    /// embedded default is built first, so `kg query` works out of the box; an explicit
    /// `--store` that was never built is an error.
    pub fn open(&self) -> anyhow::Result<LocalGraph> {
        let store = self.dir();
        if self.store.is_none() && !store.is_built() {
            let _ = writeln!(
                io::stderr(),
                "kg: no graph in {} yet: building the embedded peace-talks graph first",
                store.root().display()
            );
            build::build_embedded(&store)?;
        }
        Ok(LocalGraph::open(store.current()?)?)
    }
}
