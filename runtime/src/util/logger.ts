// Structured JSON-lines logging to stderr with a component field.
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(component: string, enabled: boolean): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) => {
    if (!enabled) return;
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, component, msg, ...fields }) + '\n');
  };
  return { info: (m, f) => write('info', m, f), error: (m, f) => write('error', m, f) };
}
