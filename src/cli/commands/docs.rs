//! `kg completions` and `kg man`: shell completions and the manual page, generated from the
//! same clap definition as the commands themselves.

use clap::{Args, CommandFactory as _};
use clap_complete::Shell;

use crate::cli::output::Output;
use crate::cli::{Cli, Found};

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
    let mut output = Output::stdout();
    clap_complete::generate(args.shell, &mut Cli::command(), "kg", output.writer());
    output.commit()?;
    Ok(Found::Something)
}

pub fn man(_: &ManArgs) -> anyhow::Result<Found> {
    let mut output = Output::stdout();
    clap_mangen::Man::new(Cli::command()).render(output.writer())?;
    output.commit()?;
    Ok(Found::Something)
}
