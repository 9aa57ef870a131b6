import { useEffect, useRef, useState } from 'preact/hooks';

export interface Copier {
  /** What the last copy did, for a moment after it; '' otherwise. */
  status: string;
  /** Whether that copy failed (the line is then a warning, not a confirmation). */
  warn: boolean;
  copy: (text: string, what: string) => Promise<void>;
}

const SHOWN_MS = 2500;

/**
 * Copies to the clipboard and says so for a moment. A copy of an expired token is said as such: it is the
 * token the user asked for, but it will be refused, and the confirmation is the last thing they read.
 */
export function useCopy(expired: boolean): Copier {
  const [status, setStatus] = useState('');
  const [warn, setWarn] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(expired ? 'Copied, but this token has expired' : `Copied ${what}`);
      setWarn(expired);
    } catch {
      setStatus('Copy failed: show the token and copy it by hand.');
      setWarn(true);
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus(''), SHOWN_MS);
  };
  return { status, warn, copy };
}
