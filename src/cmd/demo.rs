//! placeholder until fixtures land
use anyhow::Result;
use std::io::Write;
#[derive(Debug, clap::Args)]
pub struct Args {}
pub fn run(_a: Args, _out: &mut dyn Write) -> Result<()> {
    Ok(())
}
