import * as vscode from 'vscode';

/** The settings object the server reads (docs/lsp.md), sent as `initializationOptions`
 * and in `workspace/didChangeConfiguration`. */
export interface ServerSettings {
  keylint: {
    probe: { enable: boolean; timeoutMs: number; allowedHosts: string[] };
    select: string[];
    ignore: string[];
    consumers: Record<string, string>;
  };
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `keylint.probe.allowedHosts` from the USER settings only. A workspace (or folder)
 * value is ignored on purpose: a repository must not be able to send keys to a host
 * of its choosing. */
function userAllowedHosts(): string[] {
  const inspected = vscode.workspace.getConfiguration('keylint').inspect<string[]>('probe.allowedHosts');
  return stringArray(inspected?.globalValue);
}

function probeTimeoutMs(): number {
  const value = vscode.workspace.getConfiguration('keylint').get<number>('probe.timeoutMs', 5000);
  return Number.isInteger(value) && value > 0 ? Math.min(value, 60000) : 5000;
}

export function serverSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration('keylint');
  const consumers: Record<string, string> = {};
  const rawConsumers = config.get<Record<string, unknown>>('consumers', {});
  if (rawConsumers && typeof rawConsumers === 'object') {
    for (const [glob, consumer] of Object.entries(rawConsumers)) {
      if (typeof consumer === 'string') {
        consumers[glob] = consumer;
      }
    }
  }
  return {
    keylint: {
      probe: {
        enable: config.get<boolean>('probe.enable', true) !== false,
        timeoutMs: probeTimeoutMs(),
        allowedHosts: userAllowedHosts(),
      },
      select: stringArray(config.get('select')),
      ignore: stringArray(config.get('ignore')),
      consumers,
    },
  };
}
