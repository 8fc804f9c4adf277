import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export interface ServerBinary {
  path: string;
  /** Where the path came from, for the output channel and the status-bar tooltip. */
  source: 'setting' | 'KEYLINT_PATH' | 'bundled' | 'PATH';
}

const EXE = process.platform === 'win32' ? 'keylint.exe' : 'keylint';

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function expandHome(file: string): string {
  if (file === '~') {
    return os.homedir();
  }
  if (file.startsWith('~/')) {
    return path.join(os.homedir(), file.slice(2));
  }
  return file;
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) {
      const candidate = path.join(dir, EXE);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** `keylint.path` (user settings), then `KEYLINT_PATH`, then the bundled
 * `server/keylint`, then `keylint` on `PATH`. A path that is set but does not exist is
 * an error, not a reason to fall through silently. */
export function resolveServer(context: vscode.ExtensionContext): ServerBinary | { missing: string } {
  // User settings only (application scope): a repository must not choose the binary.
  const setting = vscode.workspace.getConfiguration('keylint').inspect<string | null>('path')?.globalValue;
  if (typeof setting === 'string' && setting.trim() !== '') {
    const file = expandHome(setting.trim());
    return isExecutable(file) ? { path: file, source: 'setting' } : { missing: `keylint.path = ${file}` };
  }
  const env = process.env.KEYLINT_PATH;
  if (env && env.trim() !== '') {
    const file = expandHome(env.trim());
    return isExecutable(file) ? { path: file, source: 'KEYLINT_PATH' } : { missing: `KEYLINT_PATH = ${file}` };
  }
  const bundled = context.asAbsolutePath(path.join('server', EXE));
  if (isExecutable(bundled)) {
    return { path: bundled, source: 'bundled' };
  }
  const found = onPath();
  if (found) {
    return { path: found, source: 'PATH' };
  }
  return { missing: '`keylint` on PATH' };
}

export const INSTALL_HINT =
  'Install it with `pipx install keylint`, `cargo binstall keylint` or the install script ' +
  '(see "Install" in the keylint README), or install the platform package of this extension, which carries it; ' +
  'then restart the server or set `keylint.path` in your user settings.';
