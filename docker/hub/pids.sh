# docker/hub/pids.sh — sourced by start.sh and stop.sh: the hub's and the proxy's processes.

# running_pid FILE WORD prints the pid in FILE when that process runs and its command line holds
# WORD (a pid file left by a process that ended, or a pid reused since, prints nothing).
running_pid() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	[[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" && echo "$pid"
	return 0
}

# alive PID tells whether the process runs (a zombie, ended but not yet reaped by its parent,
# does not).
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# wait_gone PID SECONDS waits until the process has ended; it fails when it still runs.
wait_gone() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		alive "$1" || return 0
		sleep 0.1
	done
	return 1
}
