import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';

/** The server's command: probes the key at a position (or a named variable) of an open
 * document, as the programs that read the file get it, with the user's host rules. */
export const PROBE_COMMAND = 'keylint.probe';

/** What `keylint.probe` returns: one entry of `keylint probe --format json`, plus who
 * reads the key that way and the finding `keylint lint --probe` would report. Every text
 * is masked by the server. */
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
  read_by?: string[];
  finding?: { code: string; name: string; severity: string; message: string } | null;
}

export function describe(result: ProbeResult): string {
  const status = result.http_status ? ` (HTTP ${result.http_status}${result.error_code ? ` ${result.error_code}` : ''})` : '';
  const place = result.path && result.line ? ` (${result.path}:${result.line})` : '';
  const where = result.host ? ` at ${result.host}` : '';
  const key = result.key ? ` ${result.key}` : '';
  const message = result.message ? `: ${result.message}` : '';
  return `${result.variable}${place}${key}${where} → ${result.verdict}${status}${message}`;
}

/** Probes the key under the cursor in the editor's text (saved or not) through the
 * server, and shows the verdict. */
export async function probeUnderCursor(client: LanguageClient | undefined, output: vscode.OutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('keylint: open an env or Compose file and put the cursor on a key first.');
    return;
  }
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('keylint: the server is not running, so no probe can run.');
    return;
  }
  const document = editor.document;
  const argument = {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
    position: client.code2ProtocolConverter.asPosition(editor.selection.active),
  };
  let result: ProbeResult | null;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'keylint: probing…' },
      () => client.sendRequest(ExecuteCommandRequest.type, { command: PROBE_COMMAND, arguments: [argument] }),
    ) as ProbeResult | null;
  } catch (error) {
    // The server says why there is nothing to probe (no variable here, no key in it).
    const text = `keylint: ${error instanceof Error ? error.message : String(error)}`;
    output.appendLine(`[probe] ${text}`);
    void vscode.window.showInformationMessage(text);
    return;
  }
  if (!result) {
    return;
  }
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
