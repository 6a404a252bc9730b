# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_zonerescue_global_optspecs
    string join \n strategy= n/dry-run y/yes allow-destructive playbook= report= boot all color= json command-dir= system-root= state-dir= timeout= h/help V/version
end

function __fish_zonerescue_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_zonerescue_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_zonerescue_using_subcommand
    set -l cmd (__fish_zonerescue_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c zonerescue -n "__fish_zonerescue_needs_command" -l strategy -d 'How to choose remedies: auto (from the diagnosis of each failure), ladder (fixed order), or one strategy: attach, gz-publishers, zone-publishers, uninstall, incremental, image-update, image-create. Default: auto, guided on a terminal (without one an explicit --strategy or --yes is required). Given, the run asks no questions, on a terminal or not: image-create then needs --allow-destructive' -r -f -a "auto\t''
ladder\t''
attach\t''
gz-publishers\t''
zone-publishers\t''
uninstall\t''
incremental\t''
image-update\t''
image-create\t''"
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l playbook -d 'Use this playbook instead of the built-in one for the platform' -r -F
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l report -d 'Also write the human report to FILE' -r -F
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_needs_command" -s n -l dry-run -d 'Print the plan and the exact commands; run only read-only commands and `pkg … -n`'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -s y -l yes -d 'Answer yes to every prompt (image-create still needs --allow-destructive). ZONERESCUE_YES takes 1/0, yes/no, true/false or on/off'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l allow-destructive -d 'Allow image-create (re-creating the zone\'s package image) without a prompt'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l boot -d 'After a successful attach, boot the zone and report services in maintenance (not while configuration files differ from the pre-rescue snapshot: restore them, then boot)'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l all -d 'Preflight and analysis over every installed or detached zone of the host'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -s V -l version -d 'Print version'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "analyze" -d 'Classify a failed attach log, show the evidence, recommend a strategy'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "status" -d 'Show the journal of the last run for ZONE in plain words'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "resume" -d 'Continue an interrupted run from its journal'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "rollback" -d 'Return the zone boot environment to the pre-rescue (or a named) snapshot'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "snapshots" -d 'List zonerescue\'s snapshots of ZONE; with --prune, remove all but the ones still needed'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "demo" -d 'Run a guided recovery against a simulated host built from a bundled scenario'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "completions" -d 'Print shell completions'
complete -c zonerescue -n "__fish_zonerescue_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -l rules -d 'Additional rules (TOML, same format as playbooks/analysis-rules.toml)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -s y -l yes -d 'Answer yes to every prompt (image-create still needs --allow-destructive). ZONERESCUE_YES takes 1/0, yes/no, true/false or on/off'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand analyze" -s h -l help -d 'Print help'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -s y -l yes -d 'Answer yes to every prompt (image-create still needs --allow-destructive). ZONERESCUE_YES takes 1/0, yes/no, true/false or on/off'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand status" -s h -l help -d 'Print help'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -s y -l yes -d 'Answer yes to every prompt (image-create still needs --allow-destructive)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -l allow-destructive -d 'Allow image-create (re-creating the zone\'s package image) without a prompt'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand resume" -s h -l help -d 'Print help'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l to -d 'Snapshot to return to (default: the pre-rescue snapshot of the last run); works also when the zone\'s journal cannot be read' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -s y -l yes -d 'Roll back without asking (without a terminal, rollback needs it)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l destroy-foreign-snapshots -d 'With --yes, also destroy later snapshots zonerescue did not take (`zfs rollback -r` destroys every later snapshot); without it --yes refuses to'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand rollback" -s h -l help -d 'Print help'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -l prune -d 'Destroy tool-owned snapshots that are no longer needed: all but the last run\'s pre-rescue snapshot and, when an earlier run changed the zone, the snapshot of the zone before any rescue'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -s y -l yes -d 'Prune without asking (without a terminal, --prune needs it)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand snapshots" -s h -l help -d 'Print help'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l keep -d 'Keep the simulated host in DIR instead of a temporary directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l list -d 'List the bundled scenarios'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -s y -l yes -d 'Answer yes to every prompt'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand demo" -s h -l help -d 'Print help'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR and TERM=dumb are honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -l command-dir -d 'Run system commands from this directory instead of their standard paths (/usr/sbin/zoneadm, /usr/bin/pkg, …). Used with a simulated host' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -l system-root -d 'Treat DIR as the system root for /var/tmp, /var/log/zones and the default state directory' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -l state-dir -d 'Where journals and locks are kept (default: /var/lib/zonerescue under the system root)' -r -F
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -l timeout -d 'Time limits for commands, in seconds: SECONDS for every kind or KIND=SECONDS for one (repeatable, comma-separated). Kinds and defaults: query=600 (listings), zfs=1800 (snapshot, rollback), zoneadm=7200 (attach, detach), pkg=7200 (install, uninstall, update, publisher changes), image-create=14400. A command past its limit is stopped' -r
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -s y -l yes -d 'Answer yes to every prompt (image-create still needs --allow-destructive). ZONERESCUE_YES takes 1/0, yes/no, true/false or on/off'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -l json -d 'Machine-readable output: JSON (JSON Lines events for recovery; the last line is the summary)'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand completions" -s h -l help -d 'Print help'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "analyze" -d 'Classify a failed attach log, show the evidence, recommend a strategy'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "status" -d 'Show the journal of the last run for ZONE in plain words'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "resume" -d 'Continue an interrupted run from its journal'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "rollback" -d 'Return the zone boot environment to the pre-rescue (or a named) snapshot'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "snapshots" -d 'List zonerescue\'s snapshots of ZONE; with --prune, remove all but the ones still needed'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "demo" -d 'Run a guided recovery against a simulated host built from a bundled scenario'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "completions" -d 'Print shell completions'
complete -c zonerescue -n "__fish_zonerescue_using_subcommand help; and not __fish_seen_subcommand_from analyze status resume rollback snapshots demo completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
