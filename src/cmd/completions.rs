//! `ici completions SHELL`: the completion script for a shell, which also offers the
//! ledger's project and partner names after `--projet`, `--partenaire` and `--tiers`.
//!
//! The names come from the ledger when the user presses Tab: the script runs the
//! hidden `ici completions --noms projets|partenaires`, offline, with the `--ledger`
//! already typed if any. clap_complete's own dynamic completion would do this too, but
//! only behind its `unstable-dynamic` feature; the static script plus a small wrapper
//! per shell is stable and works in bash, zsh and fish.

use crate::cmd::Ctx;
use crate::db::refs;
use anyhow::Result;
use clap_complete::Shell;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Installation :
  bash : ici completions bash > ~/.local/share/bash-completion/completions/ici
  zsh  : ici completions zsh > ~/.zfunc/_ici   (avec fpath+=~/.zfunc avant compinit)
  fish : ici completions fish > ~/.config/fish/completions/ici.fish
Les noms de projets et de partenaires sont proposés après --projet, --partenaire et
--tiers (bash, zsh, fish), lus dans le registre au moment de la complétion.")]
pub struct Args {
    /// bash, zsh, fish, elvish ou powershell
    #[arg(required_unless_present = "noms")]
    pub shell: Option<Shell>,
    /// Les noms connus du registre, un par ligne (utilisé par les scripts)
    #[arg(long, value_enum, hide = true)]
    pub noms: Option<Noms>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Noms {
    Projets,
    Partenaires,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<()> {
    if let Some(noms) = args.noms {
        let ledger = ctx.open_read()?;
        let names: Vec<String> = match noms {
            Noms::Projets => refs::projets(ledger.conn(), None)?
                .into_iter()
                .map(|p| p.nom)
                .collect(),
            Noms::Partenaires => refs::partenaires(ledger.conn(), None)?
                .into_iter()
                .map(|p| p.nom)
                .collect(),
        };
        for n in names {
            writeln!(out, "{n}")?;
        }
        return Ok(());
    }
    let Some(shell) = args.shell else {
        return Ok(());
    };
    let mut cmd = crate::cli::command();
    clap_complete::generate(shell, &mut cmd, "ici", out);
    let names = match shell {
        Shell::Bash => BASH_NAMES,
        Shell::Zsh => ZSH_NAMES,
        Shell::Fish => FISH_NAMES,
        _ => "",
    };
    out.write_all(names.as_bytes())?;
    Ok(())
}

const BASH_NAMES: &str = r#"
# Names from the ledger after --projet, --partenaire, --tiers.
_ici_noms() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local kind ledger=() i name
    case "$prev" in
        --projet|-p) kind=projets ;;
        --partenaire|--tiers|--prescripteur) kind=partenaires ;;
        *) _ici "$@"; return ;;
    esac
    for ((i = 1; i < COMP_CWORD - 1; i++)); do
        [[ "${COMP_WORDS[i]}" == --ledger ]] && ledger=(--ledger "${COMP_WORDS[i+1]}")
    done
    COMPREPLY=()
    while IFS= read -r name; do
        [[ "$name" == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$name")")
    done < <(ici "${ledger[@]}" completions --noms "$kind" 2>/dev/null)
}
complete -F _ici_noms -o bashdefault -o default ici
"#;

const ZSH_NAMES: &str = r#"
# Names from the ledger after --projet, --partenaire, --tiers.
_ici_noms() {
    local kind
    case "${words[CURRENT-1]}" in
        --projet|-p) kind=projets ;;
        --partenaire|--tiers|--prescripteur) kind=partenaires ;;
        *) _ici "$@"; return ;;
    esac
    local -a names
    names=(${(f)"$(ici completions --noms $kind 2>/dev/null)"})
    compadd -a names
}
compdef _ici_noms ici
"#;

const FISH_NAMES: &str = r#"
# Names from the ledger after --projet, --partenaire, --tiers.
complete -c ici -l projet -s p -r -f -a "(ici completions --noms projets 2>/dev/null)"
complete -c ici -l partenaire -r -f -a "(ici completions --noms partenaires 2>/dev/null)"
complete -c ici -l tiers -r -f -a "(ici completions --noms partenaires 2>/dev/null)"
"#;
