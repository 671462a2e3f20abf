//! `ici`: the ledger of a digital-inclusion association — workshops, people reached,
//! income and costs — over one local SQLite file.

pub mod cli;
pub mod cmd;
pub mod db;
pub mod domain;
pub mod error;
pub mod html;
pub mod input;
pub mod output;
pub mod render;
pub mod territory;

use std::io::Write;

/// Runs the command line and returns the process exit status:
/// 0 done, 2 bad input or usage (nothing written), 1 any other failure.
pub fn main_with_exit_code() -> i32 {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    // Known before the command runs, so that a failure can name the ledger file.
    let ledger = cmd::Ctx::new(cli.ledger.clone()).ledger_path().ok();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = cmd::run(cli, &mut out).and_then(|()| Ok(out.flush()?));
    match result {
        Ok(()) => 0,
        Err(err) if error::is_broken_pipe(&err) => 0,
        Err(err) => {
            drop(out);
            eprintln!(
                "erreur : {}",
                domain::text::for_message(&error::render(&err, ledger.as_deref()))
            );
            error::exit_code(&err)
        }
    }
}
