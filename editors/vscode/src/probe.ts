import { execFile } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { probeTimeoutMs, userAllowedHosts } from './settings';

/** One entry of `keylint probe --format json` (docs/probe.md). The key is masked by keylint. */
export interface ProbeResult {
  variable: string;
  path?: string;
  line?: number;
  provider?: string;
  host?: string;
  key?: string;
  verdict: string;
  http_status?: number | null;
  error_code?: string | null;
  message?: string;
  fix?: string | null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variable assigned on `line` (or named under the cursor): `.env` lines, Compose
 * list and map entries, and Kubernetes `- name: X` / `value:` pairs. */
export function variableAt(document: vscode.TextDocument, position: vscode.Position): string | undefined {
  const wordRange = document.getWordRangeAtPosition(position, /[A-Za-z_][A-Za-z0-9_]*/);
  if (wordRange) {
    const word = document.getText(wordRange);
    if (/^[A-Z][A-Z0-9_]{2,}$/.test(word) && word.includes('_')) {
      return word;
    }
  }
  const text = document.lineAt(position.line).text;
  const patterns = [
    /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/, // .env
    /^\s*-\s*["']?([A-Za-z_][A-Za-z0-9_]*)\s*=/, // Compose list form
    /^\s*-?\s*name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*$/, // Kubernetes env name
    /^\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*:/, // YAML map form
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match && NAME.test(match[1]) && !['value', 'valueFrom', 'environment', 'env'].includes(match[1])) {
      return match[1];
    }
  }
  if (/^\s*value:/.test(text) && position.line > 0) {
    const previous = /^\s*-?\s*name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/.exec(document.lineAt(position.line - 1).text);
    if (previous) {
      return previous[1];
    }
  }
  return undefined;
}

export function describe(result: ProbeResult): string {
  const status = result.http_status ? ` (HTTP ${result.http_status}${result.error_code ? ` ${result.error_code}` : ''})` : '';
  const where = result.host ? ` at ${result.host}` : '';
  const key = result.key ? ` ${result.key}` : '';
  const message = result.message ? `: ${result.message}` : '';
  return `${result.variable}${key}${where} → ${result.verdict}${status}${message}`;
}

/** Runs `keylint probe --var NAME --env-file FILE --format json` with the user-level
 * allowed hosts, and returns the parsed results. Exit codes 0, 1 and 3 carry results. */
export function runProbe(
  binary: string,
  file: string,
  variable: string,
  cwd: string,
): Promise<ProbeResult[]> {
  const timeout = probeTimeoutMs();
  const args = ['probe', '--var', variable, '--env-file', file, '--format', 'json', '--color', 'never', '--timeout-ms', String(timeout)];
  for (const host of userAllowedHosts()) {
    args.push('--allow-host', host);
  }
  return new Promise((resolve, reject) => {
    execFile(binary, args, { cwd, timeout: timeout + 10000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error && typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : error ? -1 : 0;
      if (code === 0 || code === 1 || code === 3) {
        try {
          const parsed = JSON.parse(stdout) as { probes?: ProbeResult[] };
          resolve(parsed.probes ?? []);
          return;
        } catch {
          // fall through to the error below
        }
      }
      reject(new Error((stderr || (error ? error.message : 'no output')).trim().split('\n').slice(0, 3).join(' ')));
    });
  });
}

export async function probeUnderCursor(binary: string | undefined, output: vscode.OutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('keylint: open an env or Compose file and put the cursor on a key first.');
    return;
  }
  if (!binary) {
    void vscode.window.showErrorMessage('keylint: the keylint binary was not found, so no probe can run.');
    return;
  }
  const document = editor.document;
  if (document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('keylint: save the file to disk first; the probe reads it from there.');
    return;
  }
  const variable = variableAt(document, editor.selection.active);
  if (!variable) {
    void vscode.window.showInformationMessage('keylint: put the cursor on a line that sets a key, such as OPENAI_API_KEY=…');
    return;
  }
  if (document.isDirty) {
    const choice = await vscode.window.showWarningMessage(
      'keylint: the probe reads the file from disk, which differs from the editor.',
      'Save and probe',
    );
    if (choice !== 'Save and probe' || !(await document.save())) {
      return;
    }
  }
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const cwd = folder ? folder.uri.fsPath : path.dirname(document.uri.fsPath);
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `keylint: probing ${variable}…` },
    () => runProbe(binary, document.uri.fsPath, variable, cwd),
  ).then(
    (value) => value,
    (error: Error) => {
      output.appendLine(`[probe] ${variable}: ${error.message}`);
      void vscode.window.showErrorMessage(`keylint: probe failed: ${error.message}`);
      return undefined;
    },
  );
  if (!results) {
    return;
  }
  if (results.length === 0) {
    const text = `keylint: no key to probe in ${variable} (keylint probes only provider keys it recognises).`;
    output.appendLine(`[probe] ${text}`);
    void vscode.window.showInformationMessage(text);
    return;
  }
  for (const result of results) {
    const text = `keylint probe: ${describe(result)}`;
    output.appendLine(`[probe] ${describe(result)}${result.fix ? ` — ${result.fix}` : ''}`);
    if (result.verdict === 'ok') {
      void vscode.window.showInformationMessage(text);
    } else if (result.verdict === 'unknown') {
      void vscode.window.showWarningMessage(text);
    } else {
      void vscode.window.showErrorMessage(text);
    }
  }
}
