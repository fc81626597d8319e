//! The `kg` command line: parse the arguments, run the subcommand, map the outcome to an exit
//! code (0 found something, 1 ran fine but found nothing, 2 error).

mod cli;

use std::io::{self, Write as _};
use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(cli::Found::Something) => ExitCode::SUCCESS,
        Ok(cli::Found::Nothing) => ExitCode::from(1),
        Err(error) => {
            // `kg export | head` closes the pipe early: that is not an error.
            let broken_pipe = error.chain().any(|cause| {
                cause
                    .downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(io::stderr(), "kg: {error:#}");
            ExitCode::from(2)
        }
    }
}
