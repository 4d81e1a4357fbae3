import pc from 'picocolors';

/** The color functions commands use; all identity functions when color is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Color is on when the stream is a TTY, unless `--no-color` or `NO_COLOR` is
 * set; `FORCE_COLOR` turns it on regardless (https://no-color.org).
 */
export function createColors(options: {
  isTTY: boolean;
  flag: boolean;
  env: Readonly<Record<string, string | undefined>>;
}): Colors {
  const forced = options.env.FORCE_COLOR !== undefined && options.env.FORCE_COLOR !== '0';
  const enabled = options.flag && !options.env.NO_COLOR && (forced || options.isTTY);
  return pc.createColors(enabled);
}
