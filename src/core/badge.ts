/**
 * The toolbar badge (text and colours) and the action's tooltip for the active profile. Pure: the caller
 * passes the time and what it knows about the profile, and applies the result through the browser's action API.
 */
import { EXPIRY_WARNING_MS } from './expiry';
import { isEpochMs } from './guards';

export const PRODUCT_NAME = 'Sign Token Refresher';

export interface BadgeInput {
  now: number;
  /** Undefined when there is no profile at all. */
  profileName?: string | undefined;
  /**
   * The active profile's token: whether one was ever received, its expiry if known, its last failure if the
   * latest attempt failed. Secrets are not needed (a locked vault hides the access token but not the expiry).
   */
  hasToken: boolean;
  expiresAt?: number | undefined;
  lastError?: { title: string; at: number } | undefined;
  /** Automatic refresh on for this profile: its lead in minutes; undefined when off. */
  autoLeadMinutes?: number | undefined;
  /** Automatic refresh paused after a permanent failure: the reason to show. */
  pausedReason?: string | undefined;
  /** The vault is locked; with `autoLeadMinutes` set and the token inside its lead, the refresh waits for an unlock. */
  locked: boolean;
  /** Optional clock formatter for the tooltip's "(12:33)"; tests pass a fixed one. */
  formatClock?: ((epochMs: number) => string) | undefined;
}

export type BadgeTone = 'none' | 'fresh' | 'soon' | 'bad';

export interface Badge {
  text: string;
  tone: BadgeTone;
  /** Background, `#rrggbb`. */
  color: string;
  /** Text on that background, `#rrggbb`; at least 4.5:1 contrast. */
  textColor: string;
  title: string;
}

/**
 * Per tone: background and text. The neutral slate blue stands apart from both a light and a dark toolbar
 * (5.6:1 and 2.9:1) and carries white text at 5.6:1; red carries white at 5.6:1, amber dark text at 8.4:1.
 * 'none' shows no text, so its colours never show; they are the neutral pair so nothing flashes.
 */
export const BADGE_COLORS: Readonly<Record<BadgeTone, { color: string; textColor: string }>> = {
  none: { color: '#3d6a99', textColor: '#ffffff' },
  fresh: { color: '#3d6a99', textColor: '#ffffff' },
  soon: { color: '#f9a825', textColor: '#1f1f1f' },
  bad: { color: '#c62828', textColor: '#ffffff' },
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Badges fit about four characters: beyond this many days the text stays `99d+`. */
const MAX_BADGE_DAYS = 99;

/** The short time-left text: '59m', '23h', '2d', '<1m', or 'exp' when expired. Always rounds down. */
export function timeLeftText(msLeft: number): string {
  if (Number.isNaN(msLeft)) return '';
  if (msLeft <= 0) return 'exp';
  if (msLeft < MINUTE_MS) return '<1m';
  if (msLeft < HOUR_MS) return `${Math.floor(msLeft / MINUTE_MS)}m`;
  if (msLeft < DAY_MS) return `${Math.floor(msLeft / HOUR_MS)}h`;
  const days = Math.floor(msLeft / DAY_MS);
  return days > MAX_BADGE_DAYS ? `${MAX_BADGE_DAYS}d+` : `${days}d`;
}

/** The tooltip's time left: '42 min', '3 h 5 min', '2 days'; rounds down like the badge. */
export function timeLeftWords(msLeft: number): string {
  if (msLeft < MINUTE_MS) return 'less than a minute';
  if (msLeft < HOUR_MS) return `${Math.floor(msLeft / MINUTE_MS)} min`;
  if (msLeft < 2 * DAY_MS) {
    const hours = Math.floor(msLeft / HOUR_MS);
    const minutes = Math.floor((msLeft % HOUR_MS) / MINUTE_MS);
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  return `${Math.floor(msLeft / DAY_MS)} days`;
}

let defaultClock: Intl.DateTimeFormat | undefined;

/** Local hours and minutes in the user's locale (e.g. '12:33' or '12:33 PM'). */
export function formatClockTime(epochMs: number): string {
  defaultClock ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  return defaultClock.format(new Date(epochMs));
}

/**
 * The window before expiry in which the badge turns amber: the automatic-refresh lead when that is on (and
 * a usable number), else the last five minutes, as in the popup's countdown.
 */
export function soonWindowMs(autoLeadMinutes: number | undefined): number {
  return autoLeadMinutes !== undefined && Number.isFinite(autoLeadMinutes) && autoLeadMinutes >= 0
    ? autoLeadMinutes * MINUTE_MS
    : EXPIRY_WARNING_MS;
}

export function badgeFor(input: BadgeInput): Badge {
  const { now, profileName, hasToken, expiresAt, lastError, autoLeadMinutes, pausedReason, locked } = input;
  const formatClock = input.formatClock ?? formatClockTime;

  if (profileName === undefined) return badge('', 'none', `${PRODUCT_NAME} — no profile yet`);

  const head = `${PRODUCT_NAME} — ${oneLine(profileName) || 'unnamed profile'}: `;
  const autoOn = autoLeadMinutes !== undefined && pausedReason === undefined;
  const known = isEpochMs(expiresAt) && Number.isFinite(now);
  const msLeft = known ? expiresAt - now : undefined;
  const insideLead = autoOn && msLeft !== undefined && msLeft <= soonWindowMs(autoLeadMinutes);

  let tail = '';
  if (pausedReason !== undefined) {
    const reason = oneLine(pausedReason);
    tail += ` · automatic refresh paused${reason ? `: ${reason}` : ''}`;
  }
  if (locked && insideLead) tail += ' · automatic refresh waits for you to unlock';

  if (!hasToken) {
    const failed = lastError ? `; the last refresh failed: ${oneLine(lastError.title)}` : '';
    return badge('', 'none', `${head}no token yet${failed}${tail}`);
  }
  if (lastError)
    return badge('!', 'bad', `${head}the last refresh failed: ${oneLine(lastError.title)}${tail}`);
  if (msLeft === undefined || expiresAt === undefined) {
    return badge('', 'none', `${head}the expiry is unknown${tail}`);
  }
  if (msLeft <= 0) return badge('exp', 'bad', `${head}expired at ${formatClock(expiresAt)}${tail}`);

  // Past a day the clock time alone would name the wrong day: the duration says enough.
  const clock = msLeft < DAY_MS ? ` (${formatClock(expiresAt)})` : '';
  const tone: BadgeTone = msLeft <= soonWindowMs(autoOn ? autoLeadMinutes : undefined) ? 'soon' : 'fresh';
  return badge(timeLeftText(msLeft), tone, `${head}expires in ${timeLeftWords(msLeft)}${clock}${tail}`);
}

function badge(text: string, tone: BadgeTone, title: string): Badge {
  return { text, tone, ...BADGE_COLORS[tone], title };
}

/** Names and server words can hold line breaks or runs of spaces; a tooltip is one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
