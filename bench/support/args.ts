/**
 * The benches' command-line flags, read one way everywhere: `--name VALUE` or `--name=VALUE`,
 * repeatable flags, switches (`--no-build`) and the first bare argument (an admin URL).
 */
const args = (): readonly string[] => process.argv.slice(2);

/** Every value given for `--name` (`--name V` or `--name=V`), in order: a repeatable flag (`--vs PATH`). */
export function flags(name: string): string[] {
  const argv = args();
  return argv.flatMap((arg, i) => {
    if (arg.startsWith(`--${name}=`)) return [arg.slice(name.length + 3)];
    const next = argv[i + 1];
    return arg === `--${name}` && next !== undefined ? [next] : [];
  });
}

/** The value of `--name` (the first when given twice), or undefined. */
export function flag(name: string): string | undefined {
  return flags(name)[0];
}

/** `--name N` as a number, or `fallback` when not given. */
export function numberFlag(name: string, fallback: number): number {
  const value = flag(name);
  return value === undefined ? fallback : Number(value);
}

/** `--name a,b,c` as its list, or undefined when not given. */
export function listFlag(name: string): string[] | undefined {
  return flag(name)?.split(',');
}

/** Whether the switch `--name` is given (`--no-build`). */
export function hasSwitch(name: string): boolean {
  return args().includes(`--${name}`);
}

/** The first argument that is no flag (`bench/analyze-acceptance.ts postgres://…`). */
export function firstPositional(): string | undefined {
  return args().find((a) => !a.startsWith('--'));
}
