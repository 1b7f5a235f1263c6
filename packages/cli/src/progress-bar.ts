/** One-line progress bar on a TTY (redrawn in place); plain lines elsewhere. */
export interface Reporter {
  start(total: number): void;
  /** An image finished (ok or not); `line` is printed above the bar. */
  item(line: string, isError: boolean): void;
  /** The image now being worked on. */
  current(name: string): void;
  finish(): void;
}

export function createReporter(stream: NodeJS.WriteStream, quiet: boolean): Reporter {
  const tty = stream.isTTY === true && !quiet;
  let total = 0;
  let done = 0;
  let name = '';
  const width = 24;
  const draw = (): void => {
    if (!tty) return;
    const filled = total === 0 ? 0 : Math.round((done / total) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const cols = stream.columns ?? 80;
    const text = ` ${bar} ${done}/${total} ${name}`;
    stream.write(`\r\x1b[2K${text.slice(0, cols - 1)}`);
  };
  const clear = (): void => {
    if (tty) stream.write('\r\x1b[2K');
  };
  return {
    start(n) {
      total = n;
      draw();
    },
    item(line, isError) {
      done++;
      clear();
      if (isError || !quiet) stream.write(`${line}\n`);
      draw();
    },
    current(n) {
      name = n;
      draw();
    },
    finish() {
      clear();
    },
  };
}
