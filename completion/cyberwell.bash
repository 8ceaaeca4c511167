# bash completion for cyberwell(1). Installed as
# share/bash-completion/completions/cyberwell; or source it by hand.
#
# Commands and options come from the binary's own help (cyberwell --help,
# cyberwell CMD --help), so they follow it; ISO codes and group names
# come from data/countries.csv and data/groups.csv of the data folder the
# binary reports (cyberwell --version: "data DIR"), or $CYBERWELL_HOME.

# The data folder of binary $1.
_cyberwell_datadir()
{
    if [[ -n ${CYBERWELL_HOME-} ]]; then
        printf '%s\n' "$CYBERWELL_HOME"
        return
    fi
    "$1" --version 2>/dev/null | sed -n 's/^data //p'
}

# The first column of CSV file $2 of binary $1's data folder, header
# dropped, unique.
_cyberwell_column()
{
    local dir
    dir=$(_cyberwell_datadir "$1")
    [[ -r $dir/$2 ]] || return
    sed -e '1d' -e '/^#/d' -e 's/,.*//' -e 's/"//g' "$dir/$2" | sort -u
}

# The options of command $2 (global ones when $2 is empty), as
# "NAME" or "NAME=" (takes an argument), one a line.
_cyberwell_options()
{
    local help
    if [[ -z $2 ]]; then
        help=$("$1" --help 2>/dev/null)
    else
        help=$("$1" "$2" --help 2>/dev/null)
    fi
    sed -n -E \
        -e 's/^  (-[A-Za-z]), (--[a-z0-9][a-z0-9-]*) [A-Z].*/\1=\n\2=/p' \
        -e 't' \
        -e 's/^  (-[A-Za-z]), (--[a-z0-9][a-z0-9-]*).*/\1\n\2/p' \
        -e 't' \
        -e 's/^  (--[a-z0-9][a-z0-9-]*) [A-Z].*/\1=/p' \
        -e 't' \
        -e 's/^  (--[a-z0-9][a-z0-9-]*).*/\1/p' <<<"$help"
}

_cyberwell()
{
    local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd="" i w opts n_args=0 skip=0
    COMPREPLY=()
    command -v "$bin" >/dev/null 2>&1 || bin=cyberwell

    # The command, and how many arguments it has before the cursor (the
    # options of the level read once: global, then the command's).
    opts=$(_cyberwell_options "$bin" "")
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if ((skip)); then
            skip=0
            continue
        fi
        if [[ $w == -* ]]; then
            grep -qx -- "$w=" <<<"$opts" && skip=1
            continue
        fi
        if [[ -z $cmd ]]; then
            cmd=$w
            opts=$(_cyberwell_options "$bin" "$cmd")
        else
            n_args=$((n_args + 1))
        fi
    done

    # The argument of an option.
    if [[ $prev == -* ]] && grep -qx -- "$prev=" <<<"$opts"; then
        case $prev in
        --format)
            COMPREPLY=($(compgen -W "text csv json" -- "$cur")) ;;
        --ties)
            COMPREPLY=($(compgen -W "dense competition" -- "$cur")) ;;
        --group)
            COMPREPLY=($(compgen -W "$(_cyberwell_column "$bin" data/groups.csv)" -- "$cur")) ;;
        --vs | --country)
            COMPREPLY=($(compgen -W "$(_cyberwell_column "$bin" data/countries.csv)" -- "${cur^^}")) ;;
        --peers)
            local head=""
            [[ $cur == *,* ]] && head=${cur%,*},
            COMPREPLY=($(compgen -P "$head" -W "$(_cyberwell_column "$bin" data/countries.csv)" -- "$(tr '[:lower:]' '[:upper:]' <<<"${cur##*,}")"))
            compopt -o nospace 2>/dev/null ;;
        --out)
            COMPREPLY=($(compgen -d -- "$cur")) ;;
        --csv)
            if [[ $cmd == export ]]; then
                COMPREPLY=($(compgen -d -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi ;;
        --gnuplot | --pdftotext)
            COMPREPLY=($(compgen -c -- "$cur")) ;;
        --db | --rubric | --uncertainty)
            COMPREPLY=($(compgen -f -- "$cur")) ;;
        esac
        return
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(sed 's/=$//' <<<"$opts")" -- "$cur"))
        return
    fi
    if [[ -z $cmd ]]; then
        local cmds
        cmds=$("$bin" --help 2>/dev/null |
            sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
        COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
        return
    fi
    local codes
    case $cmd in
    help)
        ((n_args == 0)) && COMPREPLY=($(compgen -W "$("$bin" --help 2>/dev/null |
            sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')" -- "$cur")) ;;
    chart)
        if ((n_args == 0)); then
            COMPREPLY=($(compgen -W "$("$bin" chart --help 2>/dev/null |
                sed -n '/^KIND:/,/^$/s/^  \([a-z]*\) .*/\1/p')" -- "$cur"))
        elif ((n_args == 1)); then
            codes=$(_cyberwell_column "$bin" data/countries.csv)
            COMPREPLY=($(compgen -W "$codes" -- "${cur^^}"))
        fi ;;
    compare | explain | report)
        if ((n_args == 0)); then
            codes=$(_cyberwell_column "$bin" data/countries.csv)
            COMPREPLY=($(compgen -W "$codes" -- "${cur^^}"))
        fi ;;
    score | parse | ingest)
        COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o default -F _cyberwell cyberwell
