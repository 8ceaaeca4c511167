#!/usr/bin/env bash
# completion.bash: completion/cyberwell.bash completes commands, each
# command's options (from its --help), option values, ISO codes and group
# names (from the data files) for the binary given.
# Usage: completion.sh PROG SRC
set -u
prog=$1 src=$2
# shellcheck source=/dev/null
source "$src/completion/cyberwell.bash"
fails=0
# check WANT WORD... : completing the last WORD offers exactly WANT.
check()
{
    local want=$1
    shift
    COMP_WORDS=("$prog" "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _cyberwell
    local got="${COMPREPLY[*]}"
    if [[ $got != "$want" ]]; then
        echo "completion of 'cyberwell $*': got '$got', want '$want'" >&2
        fails=$((fails + 1))
    fi
}
check "rank" ra
check "report rescore" re
check "--group" rank --gr
check "--ties" --db x.db rank --ti
check "Benelux" rank --group Ben
check "text csv json" rank --format ""
check "dense competition" compare BEL --ties ""
check "BEL BEN" compare be
check "NLD" chart radar NL
check "radar ranking pillars heatmap published trend robustness" chart ""
check "NLD,LUX" compare BEL --peers NLD,LU
check "BEL BEN" ingest -q --country BE
check "BEL" ingest -q --country BEL
check "report rescore" help re
check "--quiet" ingest --q
check "--rubric --variant --format --batch -q --quiet" rescore --rubric r.csv -
# Every option of every command's --help is offered after "--".
cmds=$("$prog" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[[ -n $cmds ]] || { echo "no commands in 'cyberwell --help'" >&2; exit 1; }
for c in $cmds; do
    COMP_WORDS=("$prog" "$c" "--")
    COMP_CWORD=2
    _cyberwell
    for o in $("$prog" "$c" --help | sed -n -E 's/^  (-[A-Za-z], )?(--[a-z0-9-]+).*/\2/p'); do
        [[ " ${COMPREPLY[*]} " == *" $o "* ]] ||
            { echo "'cyberwell $c --' does not offer $o" >&2; fails=$((fails + 1)); }
    done
done
if ((fails)); then
    echo "$fails completion checks failed" >&2
    exit 1
fi
echo "completion: all checks passed"
