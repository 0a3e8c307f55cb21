// Whether a process id is alive on this machine: the owner of a run or of a study. A signal-0 kill
// checks without touching it; EPERM means it exists but belongs to another user.
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
