use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(args: &CompletionsArgs, out: &mut Output) -> Result<Code, Failure> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "noharm", &mut script);
    out.write(&String::from_utf8_lossy(&script))?;
    Ok(Code::Clean)
}
