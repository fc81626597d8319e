//! `kg completions` and `kg man`: shell completions and the manual page, generated from the
//! same clap definition as the commands themselves.

use std::io::Write as _;

use clap::{Args, CommandFactory as _};
use clap_complete::Shell;

use super::{Cli, Found, output};

/// Print a shell completion script (e.g. `kg completions bash > ~/.local/share/bash-completion/completions/kg`).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    shell: Shell,
}

/// Print kg's manual page in roff (e.g. `kg man > kg.1 && man ./kg.1`).
#[derive(Debug, Args)]
pub struct ManArgs {}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<Found> {
    let mut out = output(None)?;
    clap_complete::generate(args.shell, &mut Cli::command(), "kg", &mut out);
    out.flush()?;
    Ok(Found::Something)
}

pub fn man(_: &ManArgs) -> anyhow::Result<Found> {
    let mut out = output(None)?;
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(Found::Something)
}
