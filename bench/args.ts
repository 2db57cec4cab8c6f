/** Argument helpers for benchmark suites (kept apart from run.ts: importing run.ts from a suite would be circular). */

/** Reads `--name value` or `--name=value` from a suite's arguments. */
export function option(args: string[], name: string, fallback?: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index >= 0 && index + 1 < args.length) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : fallback;
}
