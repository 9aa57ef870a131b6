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
