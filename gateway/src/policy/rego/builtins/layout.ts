/**
 * Go time layouts (reference time "Mon Jan 2 15:04:05 MST 2006"), as time.format and
 * time.parse_ns use them. UTC and fixed offsets only: named zones are not available here.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Go's named layouts, accepted by name as OPA does. */
export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

type Token =
  | { kind: 'lit'; text: string }
  | { kind: 'field'; name: string }
  | { kind: 'frac'; digits: number; trim: boolean };

/** Tokens by priority: longer reference chunks first, as Go's nextStdChunk decides. */
const FIELDS = ['January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '002', '01', '02', '03', '04', '05', '06', '_2', '15', 'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07', '-07:00:00', '-070000', '-07:00', '-0700', '-07', 'PM', 'pm', '1', '2', '3', '4', '5'];

export function tokenizeLayout(layout: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  for (let i = 0; i < layout.length; ) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      if (lit) out.push({ kind: 'lit', text: lit }), (lit = '');
      out.push({ kind: 'frac', digits: frac[1]!.length, trim: frac[1]![0] === '9' });
      i += frac[0].length;
      continue;
    }
    const f = FIELDS.find((x) => layout.startsWith(x, i) && !(x === 'Jan' && layout.startsWith('January', i)) && !(x === 'Mon' && layout.startsWith('Monday', i)));
    if (f !== undefined && !(/^[0-9]$/.test(f) && /[0-9]/.test(layout[i + 1] ?? ''))) {
      if (lit) out.push({ kind: 'lit', text: lit }), (lit = '');
      out.push({ kind: 'field', name: f });
      i += f.length;
      continue;
    }
    lit += layout[i];
    i++;
  }
  if (lit) out.push({ kind: 'lit', text: lit });
  return out;
}

export interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  offsetSeconds: number;
  weekday: number;
  yday: number;
}

const pad = (n: number, w: number) => String(Math.abs(n)).padStart(w, '0');

function offset(sec: number, colon: boolean, withSeconds: boolean, short: boolean, zulu: boolean): string {
  if (zulu && sec === 0) return 'Z';
  const sign = sec < 0 ? '-' : '+';
  const a = Math.abs(sec);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  if (short) return sign + h;
  return sign + h + (colon ? ':' : '') + m + (withSeconds ? (colon ? ':' : '') + s : '');
}

export function formatLayout(tokens: readonly Token[], p: Parts): string {
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'lit') {
      out += t.text;
      continue;
    }
    if (t.kind === 'frac') {
      let digits = pad(p.nanos, 9).slice(0, t.digits);
      if (t.trim) {
        digits = digits.replace(/0+$/, '');
        if (digits) out += '.' + digits;
      } else out += '.' + digits;
      continue;
    }
    const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
    switch (t.name) {
      case '2006': out += p.year < 0 ? '-' + pad(p.year, 4) : pad(p.year, 4); break;
      case '06': out += pad(p.year % 100, 2); break;
      case '01': out += pad(p.month, 2); break;
      case '1': out += String(p.month); break;
      case 'Jan': out += MONTHS[p.month - 1]!.slice(0, 3); break;
      case 'January': out += MONTHS[p.month - 1]!; break;
      case '02': out += pad(p.day, 2); break;
      case '2': out += String(p.day); break;
      case '_2': out += String(p.day).padStart(2, ' '); break;
      case '002': out += pad(p.yday, 3); break;
      case 'Mon': out += DAYS[p.weekday]!.slice(0, 3); break;
      case 'Monday': out += DAYS[p.weekday]!; break;
      case '15': out += pad(p.hour, 2); break;
      case '03': out += pad(h12, 2); break;
      case '3': out += String(h12); break;
      case '04': out += pad(p.minute, 2); break;
      case '4': out += String(p.minute); break;
      case '05': out += pad(p.second, 2); break;
      case '5': out += String(p.second); break;
      case 'PM': out += p.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += p.hour >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += p.offsetSeconds === 0 ? 'UTC' : offset(p.offsetSeconds, false, false, false, false); break;
      default: {
        const zulu = t.name.startsWith('Z');
        const body = t.name.replace(/^[Z-]/, '');
        out += offset(p.offsetSeconds, body.includes(':'), body.replace(/:/g, '').length === 6, body === '07', zulu);
      }
    }
  }
  return out;
}

/** Parses `value` against the layout; throws an Error with Go-like wording on mismatch. */
export function parseLayout(tokens: readonly Token[], value: string): Parts {
  const p: Parts = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, offsetSeconds: 0, weekday: 0, yday: 0 };
  let i = 0;
  let pm: boolean | undefined;
  const num = (min: number, max: number): number => {
    const m = new RegExp(`^[0-9]{${min},${max}}`).exec(value.slice(i));
    if (m === null) throw new Error(`cannot parse ${JSON.stringify(value.slice(i))}`);
    i += m[0].length;
    return Number(m[0]);
  };
  const word = (options: readonly string[], len?: number): number => {
    const idx = options.findIndex((o) => value.slice(i, i + (len ?? o.length)).toLowerCase() === (len ? o.slice(0, len) : o).toLowerCase());
    if (idx < 0) throw new Error(`cannot parse ${JSON.stringify(value.slice(i))}`);
    i += len ?? options[idx]!.length;
    return idx;
  };
  for (const t of tokens) {
    if (t.kind === 'lit') {
      if (!value.startsWith(t.text, i)) throw new Error(`cannot parse ${JSON.stringify(value.slice(i))} as ${JSON.stringify(t.text)}`);
      i += t.text.length;
      continue;
    }
    if (t.kind === 'frac') {
      const m = /^[.,]([0-9]+)/.exec(value.slice(i));
      if (m === null) {
        if (t.trim) continue;
        throw new Error('missing fractional seconds');
      }
      i += m[0].length;
      p.nanos = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
      continue;
    }
    switch (t.name) {
      case '2006': p.year = num(4, 4); break;
      case '06': { const y = num(2, 2); p.year = y >= 69 ? 1900 + y : 2000 + y; break; }
      case '01': p.month = num(2, 2); break;
      case '1': p.month = num(1, 2); break;
      case 'Jan': p.month = word(MONTHS, 3) + 1; break;
      case 'January': p.month = word(MONTHS) + 1; break;
      case '02': p.day = num(2, 2); break;
      case '2': p.day = num(1, 2); break;
      case '_2': if (value[i] === ' ') i++; p.day = num(1, 2); break;
      case '002': p.yday = num(3, 3); break;
      case 'Mon': word(DAYS, 3); break;
      case 'Monday': word(DAYS); break;
      case '15': p.hour = num(1, 2); break;
      case '03': p.hour = num(2, 2); break;
      case '3': p.hour = num(1, 2); break;
      case '04': p.minute = num(2, 2); break;
      case '4': p.minute = num(1, 2); break;
      case '05':
      case '5': {
        p.second = t.name === '05' ? num(2, 2) : num(1, 2);
        // Go accepts a fractional second after the seconds even when the layout has none.
        const next = tokens[tokens.indexOf(t) + 1];
        const m = next?.kind === 'frac' ? null : /^[.,]([0-9]+)/.exec(value.slice(i));
        if (m) {
          i += m[0].length;
          p.nanos = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
        }
        break;
      }
      case 'PM': case 'pm': {
        const x = value.slice(i, i + 2).toUpperCase();
        if (x !== 'AM' && x !== 'PM') throw new Error(`cannot parse ${JSON.stringify(value.slice(i))} as "PM"`);
        pm = x === 'PM';
        i += 2;
        break;
      }
      case 'MST': {
        const m = /^(UTC|GMT|Z)/.exec(value.slice(i));
        if (m === null) throw new Error('named time zones are not supported; use a numeric offset');
        i += m[0].length;
        break;
      }
      default: {
        if (t.name.startsWith('Z') && value[i] === 'Z') {
          i++;
          break;
        }
        const m = /^([+-])([0-9]{2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?/.exec(value.slice(i));
        if (m === null) throw new Error(`cannot parse ${JSON.stringify(value.slice(i))} as a time zone offset`);
        i += m[0].length;
        p.offsetSeconds = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0));
      }
    }
  }
  if (i !== value.length) throw new Error(`extra text: ${JSON.stringify(value.slice(i))}`);
  if (pm !== undefined) {
    if (p.hour > 12) throw new Error('hour out of range');
    if (pm && p.hour < 12) p.hour += 12;
    if (!pm && p.hour === 12) p.hour = 0;
  }
  if (p.month < 1 || p.month > 12) throw new Error('month out of range');
  if (p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 59) throw new Error('value out of range');
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  if (p.day > daysInMonth) throw new Error('day out of range');
  return p;
}
