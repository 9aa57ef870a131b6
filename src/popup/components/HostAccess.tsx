import { useEffect, useState } from 'preact/hooks';
import { hasHostAccess, onPermissionsChanged, requestHostAccess } from '../../platform/permissions';

/**
 * Firefox lets the user take an MV3 add-on's host access away at any time (about:addons → Permissions), and an
 * optional host may never have been granted. When the OAuth host is not accessible, say so and offer the grant.
 * Renders nothing while access is there (always, normally, in Chrome).
 */
export function HostAccess({ origin }: { origin: string }) {
  const [granted, setGranted] = useState<boolean>();
  const [refused, setRefused] = useState(false);
  const host = hostOf(origin);

  useEffect(() => {
    let current = true;
    const check = () => {
      hasHostAccess(origin).then(
        (ok) => current && setGranted(ok),
        () => current && setGranted(undefined), // cannot tell: say nothing rather than something wrong
      );
    };
    check();
    const stop = onPermissionsChanged(check);
    return () => {
      current = false;
      stop();
    };
  }, [origin]);

  if (granted !== false || !host) return null;

  // The request must be the first thing the click does: Firefox only asks during the user's gesture.
  const grant = () => {
    requestHostAccess(origin).then(
      (ok) => {
        setRefused(!ok);
        if (ok) setGranted(true);
      },
      () => setRefused(true),
    );
  };

  return (
    <div class="notice warn host-access">
      <p>
        The extension has no access to <strong>{host}</strong>; refreshing may fail until you grant it.
      </p>
      <p>
        <button type="button" onClick={grant}>
          Grant access to {host}
        </button>
      </p>
      {refused && (
        <p>Access was not granted. Allow it when the browser asks, or in the add-on’s permissions.</p>
      )}
    </div>
  );
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
