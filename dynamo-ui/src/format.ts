// Human-readable numbers, sizes, durations and times.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export function fmtByteRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined) return '–';
  return `${fmtBytes(bytesPerSecond)}/s`;
}

/** "3 h 12 min", "5 min 3 s", "42 s", "2 d 4 h". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}

/** Time since something, with sub-second precision for fresh events: "0.4 s", "12 s", "3 min 2 s". */
export function fmtAgo(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  return fmtDuration(ms);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local wall-clock time "HH:MM:SS". */
export function fmtClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Integers with thin grouping: 1 234 567. */
export function fmtInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f');
}

/** A measurement with sensible precision: 0.42, 4.1, 42, 1 234. */
export function fmtValue(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs === 0) return '0';
  if (abs < 1) return n.toFixed(2);
  if (abs < 100) return n.toFixed(1);
  return fmtInt(n);
}

/** Short axis labels: 0, 2.5, 40, 1.2k, 3M. */
export function fmtAxis(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${trimZeros((n / 1e6).toFixed(1))}M`;
  if (abs >= 1e3) return `${trimZeros((n / 1e3).toFixed(1))}k`;
  if (abs >= 10 || abs === 0) return String(Math.round(n));
  return trimZeros(n.toFixed(abs < 1 ? 2 : 1));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Share in percent with one decimal: "34.4%". */
export function fmtPercent(part: number, whole: number): string {
  if (whole <= 0) return '0.0%';
  return `${((100 * part) / whole).toFixed(1)}%`;
}

export function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}
