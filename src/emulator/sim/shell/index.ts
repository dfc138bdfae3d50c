/**
 * A tiny simulated container userland for `kubectl exec`: a shell (busybox
 * ash, dash or bash dialect), a handful of coreutils, a fake filesystem
 * built from the pod (never from the host), and a tty line discipline.
 *
 * What a container offers depends on its image ({@link imageFlavor}):
 * distroless images have no binaries at all (so `kubectl exec -- sh` fails
 * the way runc fails), alpine-style images have busybox, Debian-style images
 * have dash as `sh` plus bash. Error texts follow the dialect because users
 * recognise them ("sh: foo: not found" vs "bash: foo: command not found").
 *
 * Everything is deterministic: PIDs and file contents (token, CA) derive
 * from the pod through the seeded `Rng`; only `date`, `sleep` and uptime read a clock.
 */
export type { ContainerProcess, ExecTarget, ImageFlavor, ProcessOptions, StartResult } from './types';
export { imageFlavor } from './image';
export { execOnce, startProcess } from './process';
