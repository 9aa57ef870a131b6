import { useEffect, useState } from 'preact/hooks';

/**
 * A module loaded with `import()` the first time it is `wanted`, and kept. What only an opened section
 * shows (the credentials form, the passphrase forms) stays out of the code the popup's first frame waits
 * for. `load` must be a module-level function, so its identity never changes.
 */
export function useLazyModule<T>(wanted: boolean, load: () => Promise<T>): T | undefined {
  const [loaded, setLoaded] = useState<{ module: T }>();
  useEffect(() => {
    if (wanted && !loaded) {
      void load().then((module) => {
        setLoaded({ module });
      });
    }
  }, [wanted, loaded, load]);
  return loaded?.module;
}

/**
 * The body of a folded section (a `Collapsible`) that loads its module the first time it is opened (at once
 * when it starts open): pass `onToggle` to the Collapsible, render `module` once there, and `LoadingLine`
 * with `opened` meanwhile.
 */
export function useLoadedWhenOpened<T>(
  initiallyOpen: boolean,
  load: () => Promise<T>,
): { module: T | undefined; opened: boolean; onToggle: (open: boolean) => void } {
  const [opened, setOpened] = useState(initiallyOpen);
  const module = useLazyModule(opened, load);
  return {
    module,
    opened,
    onToggle: (open) => {
      if (open) setOpened(true);
    },
  };
}
