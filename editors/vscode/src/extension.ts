import { execFile } from 'child_process';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { INSTALL_HINT, resolveServer, ServerBinary } from './binary';
import { probeUnderCursor } from './probe';
import { serverSettings } from './settings';

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('keylint');

/** Env files whatever language another extension gave them, Compose and workflow YAML
 * (the server stays quiet on YAML it has nothing to say about), and the source
 * languages whose variable reads the server navigates (definition, references and hover
 * on `os.environ["X"]`, `process.env.X`, …) and in which it offers "Insert startup
 * validation". The server lints env and YAML files only, never source code. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'dotenv' },
  { scheme: 'file', pattern: '**/{.env,.env.*,*.env}' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'dockercompose' },
  { scheme: 'file', language: 'github-actions-workflow' },
  { scheme: 'file', language: 'python' },
  { scheme: 'file', language: 'javascript' },
  { scheme: 'file', language: 'javascriptreact' },
  { scheme: 'file', language: 'typescript' },
  { scheme: 'file', language: 'typescriptreact' },
  { scheme: 'file', language: 'go' },
  { scheme: 'file', language: 'rust' },
  { scheme: 'file', language: 'java' },
  { scheme: 'file', language: 'csharp' },
];

let client: LanguageClient | undefined;
let binary: ServerBinary | undefined;
let version = '';
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;

function setStatus(text: string, tooltip: string, error = false): void {
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

function describeBinary(): string {
  return binary ? `${binary.path} (from ${binary.source})${version ? `, ${version}` : ''}` : 'not found';
}

function queryVersion(file: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, ['--version'], { timeout: 5000 }, (error, stdout) => resolve(error ? '' : stdout.trim()));
  });
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const resolved = resolveServer(context);
  if ('missing' in resolved) {
    binary = undefined;
    const message = `keylint: the keylint binary was not found (${resolved.missing}). ${INSTALL_HINT}`;
    output.appendLine(message);
    setStatus('$(error) keylint', `keylint binary not found. ${INSTALL_HINT}`, true);
    void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'keylint.path');
      } else if (choice === 'Show Output') {
        output.show(true);
      }
    });
    return;
  }
  binary = resolved;
  version = await queryVersion(resolved.path);
  output.appendLine(`keylint server: ${describeBinary()}`);
  const serverOptions: ServerOptions = {
    command: resolved.path,
    // No `transport`: with TransportKind.stdio the client appends `--stdio`.
    args: ['lsp'],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    diagnosticCollectionName: 'keylint',
    initializationOptions: serverSettings(),
    middleware: {
      workspace: {
        // The server reads settings from initializationOptions and
        // didChangeConfiguration. Should it ever ask, it gets the same object, with
        // allowedHosts from the user settings only.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) => {
            if (item.section === 'keylint') {
              return serverSettings().keylint;
            }
            if (item.section?.startsWith('keylint.probe')) {
              return item.section === 'keylint.probe' ? serverSettings().keylint.probe : null;
            }
            return answers[index];
          });
        },
      },
    },
  };
  const created = new LanguageClient('keylint', 'keylint', serverOptions, clientOptions);
  client = created;
  created.onDidChangeState((event) => {
    switch (event.newState) {
      case State.Starting:
        setStatus('$(sync~spin) keylint', `keylint: starting ${describeBinary()}`);
        break;
      case State.Running:
        setStatus('$(check) keylint', `keylint: running ${describeBinary()}\nClick for the output.`);
        break;
      case State.Stopped:
        setStatus('$(circle-slash) keylint', `keylint: stopped (${describeBinary()}). Use "keylint: Restart server".`, true);
        break;
    }
  });
  try {
    await created.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.appendLine(`keylint: the server did not start: ${message}`);
    setStatus('$(error) keylint', `keylint: the server did not start: ${message}`, true);
    void vscode.window.showErrorMessage(`keylint: the server (${describeBinary()}) did not start: ${message}`, 'Show Output').then(
      (choice) => choice && output.show(true),
    );
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.appendLine(`keylint: stopping the server: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      FIX_ALL.value,
    )) ?? [];
  const action = actions.find((candidate) => candidate.kind && FIX_ALL.contains(candidate.kind));
  if (!action) {
    void vscode.window.showInformationMessage('keylint: nothing to fix automatically in this file.');
    return;
  }
  if (action.edit) {
    await vscode.workspace.applyEdit(action.edit);
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('keylint', { log: true });
  status = vscode.window.createStatusBarItem('keylint.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'keylint';
  status.command = 'keylint.showOutput';
  context.subscriptions.push(output, status);
  context.subscriptions.push(
    vscode.commands.registerCommand('keylint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('keylint.restart', async () => {
      await stop();
      await start(context);
    }),
    vscode.commands.registerCommand('keylint.fixAll', fixAll),
    // `keylint.probe` itself is the server's command (the client registers it); this one
    // asks it about the key under the cursor.
    vscode.commands.registerCommand('keylint.probeKey', () => probeUnderCursor(client, output)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('keylint')) {
        return;
      }
      if (event.affectsConfiguration('keylint.path')) {
        await stop();
        await start(context);
        return;
      }
      if (client && client.state === State.Running) {
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings() });
      }
    }),
  );
  await start(context);
}

export function deactivate(): Promise<void> {
  return stop();
}
