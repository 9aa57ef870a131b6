import type { ComponentChildren } from 'preact';

/** The popup's frame: the header with the extension's name, then the content (the profile switcher first). */
export function Shell({ children }: { children: ComponentChildren }) {
  return (
    <main>
      <header class="app-header">
        <img src="/icons/icon-32.png" alt="" width={24} height={24} />
        <h1>Sign Token Refresher</h1>
      </header>
      {children}
    </main>
  );
}
