//! The `ici` binary: parse the command line, run it, map the outcome to an exit status.

fn main() {
    std::process::exit(ici::main_with_exit_code());
}
