//! `ici completions SHELL`: the completion script for a shell.

use anyhow::Result;
use clap_complete::Shell;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// bash, zsh, fish, elvish ou powershell
    pub shell: Shell,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let mut cmd = crate::cli::command();
    clap_complete::generate(args.shell, &mut cmd, "ici", out);
    Ok(())
}
