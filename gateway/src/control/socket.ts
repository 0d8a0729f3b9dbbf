import { lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { ControlError } from './errors.js';

/**
 * The control socket's file permissions are its authentication: whoever can open it is the
 * operator. So before binding, its directory must not let other users replace it, and a file
 * already at the path is removed only if it is our own stale socket; after binding, the socket
 * must be 0600 and ours.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const d = statSync(dir);
  if ((d.mode & 0o022) !== 0 && (d.mode & 0o1000) === 0) {
    throw new ControlError(
      'CONTROL_SOCKET_UNSAFE',
      `control.socket: the directory ${dir} is writable by other users (mode ${octal(d.mode)}), who could replace the socket; ` +
        `run chmod go-w ${dir} or set control.socket to a path in a private directory`,
    );
  }
  let existing;
  try {
    existing = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!existing.isSocket()) {
    throw new ControlError('CONTROL_SOCKET_UNSAFE', `control.socket: ${path} exists and is not a socket; remove it or set control.socket to another path`);
  }
  if ((existing.mode & 0o777) !== 0o600 || existing.uid !== process.getuid?.()) {
    throw new ControlError(
      'CONTROL_SOCKET_UNSAFE',
      `control.socket: ${path} already exists with mode ${octal(existing.mode)} and owner uid ${existing.uid}, wider than the 0600 socket a gateway ` +
        `of this user creates; it was not made by this gateway: remove it if it is stale, or set control.socket to another path`,
    );
  }
  if (await answers(path)) {
    throw new ControlError('CONTROL_SOCKET_IN_USE', `control.socket: another process is serving ${path}; stop that gateway, or give this one its own data directory`);
  }
  unlinkSync(path); // our own stale socket, left by a gateway that did not stop cleanly
}

/** Runs `bind` with a umask that makes the socket 0600 from its first moment, then checks it. */
export async function bindPrivate(path: string, bind: () => Promise<void>): Promise<void> {
  const previous = process.umask(0o177);
  try {
    await bind();
  } finally {
    process.umask(previous);
  }
  const s = lstatSync(path);
  if ((s.mode & 0o777) !== 0o600 || s.uid !== process.getuid?.()) {
    throw new ControlError(
      'CONTROL_SOCKET_UNSAFE',
      `control.socket: ${path} was created with mode ${octal(s.mode)}, wider than 0600 (a file system that ignores the umask?); set control.socket to a path on a local file system`,
    );
  }
}

/** Removes our socket after serving, so that no stale file is left for the next start to judge. */
export function removeSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // already gone
  }
}

function octal(mode: number): string {
  return '0' + (mode & 0o7777).toString(8);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
